package io.qgate.ring;

/**
 * The last stage of a {@link BatchPipeline}, for example sending a batch with UDP GSO or writing
 * it to a TUN queue.
 *
 * <p>Concurrency contract: called on the pipeline's single egress thread, once per batch, in
 * sequence order, after the one worker that owns the batch has returned from
 * {@link WorkerHandler#process}. When {@code emit} returns, the batch goes back to the producer
 * for reuse, so the handler must be finished with its slots by then.
 */
@FunctionalInterface
public interface EgressHandler {
    /**
     * Emits one batch. An exception is counted and passed to the pipeline's
     * {@link BatchErrorHandler}; the pipeline moves on to the next batch.
     */
    void emit(PacketBatch batch);
}
