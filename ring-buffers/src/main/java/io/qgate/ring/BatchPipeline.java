package io.qgate.ring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.IdleStrategy;

/**
 * The packet pipeline: one producer (an I/O thread) fills batches, N worker threads process them
 * in parallel, and one egress thread emits them in order.
 *
 * <p>The batches live in a single-producer Disruptor {@link RingBuffer} of
 * {@link PipelineConfig#ringSize()} {@link PacketBatch}es, allocated up front in one shared
 * {@link Arena} that the pipeline owns. Worker {@code i} of {@code n} processes the batches
 * whose sequence {@code % n == i}; the egress waits until every worker has passed a sequence, so
 * it sees batches in exactly the order they were published (and so in order per peer).
 *
 * <p>Contract of the producer side:
 * <ol>
 *   <li>One thread produces: it calls {@link #claim()} or {@link #tryClaim()}, fills the batch,
 *       then {@link #publish()}; one batch is claimed at a time.</li>
 *   <li>{@link #publish()} makes every write to the batch visible to its worker, and the
 *       worker's writes to the egress (release/acquire through the Disruptor sequences).</li>
 *   <li>A batch comes back to the producer only after the egress handler has returned for it;
 *       the producer then gets it {@linkplain PacketBatch#clear() cleared}.</li>
 * </ol>
 *
 * <p>With {@code workers == 0} the pipeline is inline: it has no threads and no ring, only one
 * batch; {@link #publish()} runs the worker handler (as worker 0) and then the egress handler on
 * the producer's thread and returns when the batch is emitted. That saves two thread hand-offs
 * per batch (their wake-ups and context switches) where there are few cores to run them on, at
 * the price of one core per pipeline.
 *
 * <p>{@link #close()} stops the threads where they are: batches published but not yet emitted
 * are dropped. A handler that throws is counted ({@link #errors()}) and reported to the
 * {@link BatchErrorHandler}, and the pipeline goes on.
 */
public final class BatchPipeline implements AutoCloseable {
    /** How long {@link #start} waits for each thread to pin itself. */
    private static final long START_MILLIS = 5_000;

    private final PipelineConfig config;
    private final Arena arena;
    /** The ring; null when inline. */
    private final RingBuffer<PacketBatch> ring;
    /** The one batch of an inline pipeline; null otherwise. */
    private final PacketBatch inlineBatch;
    /** Handler exceptions of an inline pipeline. */
    private final AtomicLong inlineErrors = new AtomicLong();
    private final IdleStrategy producerIdle;
    private final List<Stage> stages = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private long claimed = -1;
    /** The last sequence an inline pipeline handed out. */
    private long inlineSequence = -1;
    private volatile boolean closed;

    private BatchPipeline(PipelineConfig config) {
        this.config = config;
        this.arena = Arena.ofShared();
        this.producerIdle = config.waitMode().newProducerIdleStrategy();
        if (config.inline()) {
            this.ring = null;
            try {
                this.inlineBatch = new PacketBatch(arena, config.batchCapacity(), config.slotBytes());
            } catch (RuntimeException | Error e) {
                arena.close();
                throw e;
            }
            return;
        }
        this.inlineBatch = null;
        WaitStrategy waitStrategy = config.waitMode().newWaitStrategy();
        try {
            this.ring = RingBuffer.createSingleProducer(
                () -> new PacketBatch(arena, config.batchCapacity(), config.slotBytes()), config.ringSize(), waitStrategy);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        int workers = config.workers();
        Sequence[] workerSequences = new Sequence[workers];
        for (int i = 0; i < workers; i++) {
            Stage worker = new Stage(ring, ring.newBarrier(), waitStrategy, config.workerHandler(), config.errorHandler(),
                i, workers, config.cpuFor(i), config.pinner());
            workerSequences[i] = worker.sequence();
            add(worker, "qgate-" + config.name() + "-worker-" + i);
        }
        EgressHandler egress = config.egressHandler();
        Stage egressStage = new Stage(ring, ring.newBarrier(workerSequences), waitStrategy,
            (batch, id) -> egress.emit(batch), config.errorHandler(), BatchErrorHandler.EGRESS, 1,
            config.cpuFor(workers), config.pinner());
        add(egressStage, "qgate-" + config.name() + "-egress");
        ring.addGatingSequences(egressStage.sequence());
    }

    private void add(Stage stage, String threadName) {
        Thread thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(stage);
        stages.add(stage);
        threads.add(thread);
    }

    /**
     * Allocates the ring and starts the worker and egress threads (none when inline); returns
     * once every thread has pinned itself (if {@link PipelineConfig#cpus()} asks for it).
     *
     * @throws IllegalStateException if a thread could not be pinned (the pipeline is closed
     *     again) or did not start within 5 s
     */
    public static BatchPipeline start(PipelineConfig config) {
        BatchPipeline pipeline = new BatchPipeline(config);
        pipeline.startThreads();
        return pipeline;
    }

    private void startThreads() {
        for (Thread thread : threads) {
            thread.start();
        }
        String failure = null;
        Throwable cause = null;
        for (int i = 0; i < stages.size() && failure == null; i++) {
            Stage stage = stages.get(i);
            Thread thread = threads.get(i);
            if (!awaitStart(stage)) {
                failure = thread.getName() + " did not start within " + START_MILLIS + " ms; the machine may be overloaded";
            } else if (stage.startFailure() != null) {
                cause = stage.startFailure();
                failure = thread.getName() + " could not be pinned to CPU " + config.cpuFor(i) + " (" + cause.getMessage()
                    + "); list only CPUs this process may run on (see taskset -p " + ProcessHandle.current().pid() + ")";
            }
        }
        if (failure != null) {
            close();
            throw new IllegalStateException(failure, cause);
        }
    }

    private boolean awaitStart(Stage stage) {
        try {
            return stage.awaitStarted(START_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The configuration this pipeline was started with. */
    public PipelineConfig config() {
        return config;
    }

    /**
     * Claims the next batch for the producer to fill, waiting (by the {@link WaitMode}'s idle
     * strategy) while the ring is full. The batch comes {@linkplain PacketBatch#clear() cleared}.
     *
     * @throws IllegalStateException if the pipeline is closed (also while waiting), or a batch is
     *     already claimed and not yet published
     */
    public PacketBatch claim() {
        checkCanClaim();
        if (inlineBatch != null) {
            return takeInline();
        }
        while (!ring.hasAvailableCapacity(1)) {
            if (closed) {
                throw new IllegalStateException("pipeline " + config.name() + " was closed while waiting for room in its ring");
            }
            producerIdle.idle();
        }
        producerIdle.reset();
        return take();
    }

    /**
     * Claims the next batch if the ring has room, without waiting: for an I/O loop that must not
     * block.
     *
     * @return the cleared batch to fill, or null if the ring is full
     * @throws IllegalStateException as {@link #claim()}
     */
    public PacketBatch tryClaim() {
        checkCanClaim();
        if (inlineBatch != null) {
            return takeInline();
        }
        return ring.hasAvailableCapacity(1) ? take() : null;
    }

    private void checkCanClaim() {
        if (closed) {
            throw new IllegalStateException("pipeline " + config.name() + " is closed");
        }
        if (claimed >= 0) {
            throw new IllegalStateException("publish() the batch claimed at sequence " + claimed + " before claiming another");
        }
    }

    /** Single producer: after {@code hasAvailableCapacity}, {@code next()} returns at once. */
    private PacketBatch take() {
        long sequence = ring.next();
        PacketBatch batch = ring.get(sequence);
        batch.clear();
        batch.sequence(sequence);
        claimed = sequence;
        return batch;
    }

    /** Inline: the one batch, always free again once {@link #publish()} has returned. */
    private PacketBatch takeInline() {
        long sequence = inlineSequence + 1;
        inlineBatch.clear();
        inlineBatch.sequence(sequence);
        inlineSequence = sequence;
        claimed = sequence;
        return inlineBatch;
    }

    /**
     * Hands the claimed batch to its worker; when inline, processes and emits it on this thread
     * before returning (a handler's exception is counted and reported, as on a pipeline thread).
     *
     * @throws IllegalStateException if no batch is claimed
     */
    public void publish() {
        long sequence = claimed;
        if (sequence < 0) {
            throw new IllegalStateException("claim() a batch before publishing");
        }
        claimed = -1;
        if (inlineBatch != null) {
            runInline(inlineBatch);
            return;
        }
        ring.publish(sequence);
    }

    private void runInline(PacketBatch batch) {
        try {
            config.workerHandler().process(batch, 0);
        } catch (Throwable t) {
            reportInline(t, batch, 0);
        }
        try {
            config.egressHandler().emit(batch);
        } catch (Throwable t) {
            reportInline(t, batch, BatchErrorHandler.EGRESS);
        }
    }

    private void reportInline(Throwable error, PacketBatch batch, int id) {
        inlineErrors.incrementAndGet();
        try {
            config.errorHandler().onError(error, batch, id);
        } catch (Throwable ignored) {
            // A failing error handler must not take the packet path down with it.
        }
    }

    /** Exceptions thrown by the handlers so far, over all threads (or on the producer's, when inline). */
    public long errors() {
        long sum = inlineErrors.get();
        for (Stage stage : stages) {
            sum += stage.errors();
        }
        return sum;
    }

    /**
     * Stops every thread, waits for them ({@link PipelineConfig#stopTimeout()}, then interrupts
     * them and waits as long again) and
     * frees the ring's memory. Idempotent. Must not be called from a handler.
     *
     * @throws IllegalStateException if called from a pipeline thread, or if a thread did not end
     *     (its handler is blocked); the memory is freed all the same, so that handler fails on its
     *     next access instead of touching freed memory
     */
    @Override
    public synchronized void close() {
        if (threads.contains(Thread.currentThread())) {
            throw new IllegalStateException("close() was called from " + Thread.currentThread().getName()
                + "; close the pipeline from a thread outside it");
        }
        if (closed) {
            return;
        }
        closed = true;
        for (Stage stage : stages) {
            stage.halt();
        }
        List<String> stuck = joinAll();
        arena.close();
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("pipeline " + config.name() + ": " + String.join(", ", stuck)
                + " did not stop within twice the stop timeout of " + config.stopTimeout().toMillis()
                + " ms: a handler is blocked and ignores interrupts");
        }
    }

    private List<String> joinAll() {
        long timeout = config.stopTimeout().toNanos();
        long deadline = System.nanoTime() + timeout;
        boolean interrupted = false;
        for (Thread thread : threads) {
            interrupted |= join(thread, deadline);
        }
        List<String> stuck = new ArrayList<>();
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                thread.interrupt();
                interrupted |= join(thread, System.nanoTime() + timeout);
                if (thread.isAlive()) {
                    stuck.add(thread.getName());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return stuck;
    }

    /** Joins until {@code deadline} even if interrupted; returns whether it was. */
    private static boolean join(Thread thread, long deadline) {
        boolean interrupted = false;
        long left;
        while (thread.isAlive() && (left = deadline - System.nanoTime()) > 0) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
