package io.qgate.ring;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hears about exceptions thrown by a {@link WorkerHandler} or an {@link EgressHandler}. The
 * pipeline has already counted the error ({@link BatchPipeline#errors()}) and carries on with
 * the next batch: one bad batch must not stop a packet path.
 *
 * <p>Called on the thread whose handler threw, while that thread still owns the batch, so it may
 * mark the batch (for example set every slot's {@code status} to a drop reason). An exception
 * thrown by {@code onError} itself is ignored.
 */
@FunctionalInterface
public interface BatchErrorHandler {
    /** The {@code stage} value for errors thrown by the egress handler. */
    int EGRESS = -1;

    /**
     * @param stage the worker id, or {@link #EGRESS}
     */
    void onError(Throwable error, PacketBatch batch, int stage);

    /**
     * Logs the first error through {@link System.Logger} and only counts the rest, so that a
     * stream of bad packets cannot flood the log.
     */
    static BatchErrorHandler logFirst(String pipelineName) {
        AtomicBoolean logged = new AtomicBoolean();
        System.Logger log = System.getLogger(BatchPipeline.class.getName());
        return (error, batch, stage) -> {
            if (logged.compareAndSet(false, true)) {
                String where = stage == EGRESS ? "egress" : "worker " + stage;
                log.log(System.Logger.Level.WARNING, "pipeline " + pipelineName + ": the " + where
                    + " handler threw on batch " + batch.sequence()
                    + "; the pipeline carries on and counts further errors without logging them", error);
            }
        };
    }
}
