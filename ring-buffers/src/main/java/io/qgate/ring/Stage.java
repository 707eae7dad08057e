package io.qgate.ring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * One consuming thread of a {@link BatchPipeline}: a crypto worker or the egress.
 *
 * <p>It owns the sequences {@code s} with {@code s % stride == residue} (a worker: stride =
 * worker count, residue = its id; the egress: stride 1) and steps from one owned sequence to the
 * next without looking at the others. Single-writer contract: only this stage's thread writes
 * {@link #sequence}, and it never moves it past what its barrier reported available, because
 * the stages behind read it as "everything up to here is done".
 */
final class Stage implements Runnable {
    private final RingBuffer<PacketBatch> ring;
    private final SequenceBarrier barrier;
    private final WaitStrategy waitStrategy;
    private final WorkerHandler handler;
    private final BatchErrorHandler errorHandler;
    private final int id;
    /** The id handed to the handler, and the residue of the sequences this stage owns: 0 for the egress. */
    private final int residue;
    private final int stride;
    private final int cpu;
    private final IntConsumer pinner;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Sequence sequence = new Sequence(-1);
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean halted;
    private volatile Throwable startFailure;

    /**
     * @param id the worker id, or {@link BatchErrorHandler#EGRESS}
     * @param stride how many stages share the sequences (1 for the egress)
     * @param cpu the CPU to pin to, or -1 for none
     */
    Stage(RingBuffer<PacketBatch> ring, SequenceBarrier barrier, WaitStrategy waitStrategy, WorkerHandler handler,
          BatchErrorHandler errorHandler, int id, int stride, int cpu, IntConsumer pinner) {
        this.ring = ring;
        this.barrier = barrier;
        this.waitStrategy = waitStrategy;
        this.handler = handler;
        this.errorHandler = errorHandler;
        this.id = id;
        this.residue = Math.max(id, 0);
        this.stride = stride;
        this.cpu = cpu;
        this.pinner = pinner;
    }

    Sequence sequence() {
        return sequence;
    }

    long errors() {
        return errors.get();
    }

    /** Waits until the thread has pinned itself (or failed to); false on timeout. */
    boolean awaitStarted(long millis) throws InterruptedException {
        return started.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Why the thread could not start (pinning failed), or null. Valid once {@link #awaitStarted} returned true. */
    Throwable startFailure() {
        return startFailure;
    }

    /** Asks the thread to stop at its next wait; it may finish the batches it has already seen. */
    void halt() {
        halted = true;
        barrier.alert();
    }

    @Override
    public void run() {
        try {
            if (cpu >= 0) {
                pinner.accept(cpu);
            }
        } catch (Throwable t) {
            startFailure = t;
            return;
        } finally {
            started.countDown();
        }
        long next = sequence.get() + 1;
        while (!halted) {
            long available;
            try {
                available = barrier.waitFor(next);
            } catch (AlertException | InterruptedException | TimeoutException e) {
                continue;
            }
            if (available >= next) {
                processUpTo(next, available);
                next = available + 1;
            }
        }
    }

    private void processUpTo(long next, long available) {
        for (long s = firstOwned(next); s <= available; s += stride) {
            PacketBatch batch = ring.get(s);
            try {
                handler.process(batch, residue);
            } catch (Throwable t) {
                report(t, batch);
            }
            // Sequences up to the next owned one are not ours: passing them lets the stages
            // behind go on before this run is over, but never beyond what is published.
            sequence.set(Math.min(s + stride - 1, available));
            waitStrategy.signalAllWhenBlocking();
        }
        if (sequence.get() != available) {
            sequence.set(available);
            waitStrategy.signalAllWhenBlocking();
        }
    }

    private long firstOwned(long from) {
        if (stride == 1) {
            return from;
        }
        return from + Math.floorMod(residue - from, stride);
    }

    private void report(Throwable error, PacketBatch batch) {
        errors.incrementAndGet();
        try {
            errorHandler.onError(error, batch, id);
        } catch (Throwable ignored) {
            // A failing error handler must not take the packet path down with it.
        }
    }
}
