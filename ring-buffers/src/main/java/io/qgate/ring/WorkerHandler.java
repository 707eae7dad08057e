package io.qgate.ring;

/**
 * The parallel stage of a {@link BatchPipeline}, for example sealing or opening every packet of
 * a batch in place.
 *
 * <p>Concurrency contract: worker {@code i} of {@code n} is called, on its own thread, with the
 * batches whose sequence {@code % n == i}, in sequence order. The batch is the worker's alone
 * until {@code process} returns; then the egress stage sees every write the worker made.
 */
@FunctionalInterface
public interface WorkerHandler {
    /**
     * Processes one batch. An exception is counted and passed to the pipeline's
     * {@link BatchErrorHandler}; the batch still reaches the egress stage, so a handler that can
     * fail half-way should mark slots it did not finish (for example in {@code status}).
     */
    void process(PacketBatch batch, int workerId);
}
