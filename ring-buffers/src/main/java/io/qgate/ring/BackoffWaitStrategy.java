package io.qgate.ring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Disruptor wait strategy that spins, then yields, then blocks on a lock until signalled, and
 * that blocks on any stage's progress, not only the producer's.
 *
 * <p>Disruptor's blocking strategies block only until the ring's cursor moves and then spin on
 * the stages they depend on; an egress stage waiting on a slow worker would burn a core on this
 * 2-core class of machine. Here every stage of a {@link BatchPipeline} calls
 * {@link #signalAllWhenBlocking()} after it advances its sequence, so a waiter can block on any
 * dependency. Waiting for a sequence, in phases:
 * <ol>
 *   <li>spin ({@link Thread#onSpinWait()}) for {@code spinNanos}: a busy pipeline hands over the
 *       next batch within microseconds, so it never parks per batch;</li>
 *   <li>{@link Thread#yield()} for {@code yieldNanos}, giving the core to the other stages;</li>
 *   <li>block on a condition until a signal: an idle pipeline costs no CPU.</li>
 * </ol>
 *
 * <p>Memory-ordering contract (no lost wake-up), as in Dekker's algorithm:
 * <ol>
 *   <li>A waiter, holding the lock, sets {@code signalNeeded}, issues a full fence, then reads
 *       the dependency's sequence (and the barrier's alert) before it awaits.</li>
 *   <li>A signaller writes its sequence (or the alert), issues a full fence, then reads
 *       {@code signalNeeded}; only if it is set does it take the lock and signal.</li>
 *   <li>So either the waiter sees the new sequence and does not await, or the signaller sees
 *       the flag and signals after the waiter has released the lock in {@code await}.</li>
 * </ol>
 * A signal costs one fence and one read when nobody is blocked. Spurious wake-ups only re-check.
 */
public final class BackoffWaitStrategy implements WaitStrategy {
    /** Spin phase of {@link WaitMode#BACKOFF}: a few batch hand-offs' worth. */
    public static final long DEFAULT_SPIN_NANOS = 20_000;
    /** Yield phase of {@link WaitMode#BACKOFF}, after the spin phase. */
    public static final long DEFAULT_YIELD_NANOS = 200_000;

    /**
     * Spins between two clock reads in the spin phase (a power of two): reading the clock at
     * every spin was 3.4% of the machine's CPU in the tunnel profile (docs/PERFORMANCE.md, "Where
     * the tunnel's time goes"); 64 spins are a few microseconds, so the phase still ends on time
     * to within that.
     */
    static final int CLOCK_EVERY_SPINS = 64;

    private final long spinNanos;
    private final long yieldNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile boolean signalNeeded;

    /**
     * @param spinNanos time to spin before yielding; 0 for none
     * @param yieldNanos time to yield before blocking; 0 for none
     * @throws IllegalArgumentException if either is negative
     */
    public BackoffWaitStrategy(long spinNanos, long yieldNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must not be negative, was " + spinNanos);
        }
        if (yieldNanos < 0) {
            throw new IllegalArgumentException("yieldNanos must not be negative, was " + yieldNanos);
        }
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
        throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        if (spinNanos + yieldNanos > 0) {
            long now = System.nanoTime();
            long spinUntil = now + spinNanos;
            long yieldUntil = spinUntil + yieldNanos;
            for (int spins = 1; (available = dependentSequence.get()) < sequence; spins++) {
                barrier.checkAlert();
                if (now - spinUntil < 0) {
                    Thread.onSpinWait();
                    if ((spins & (CLOCK_EVERY_SPINS - 1)) == 0) {
                        now = System.nanoTime();
                    }
                } else if (now - yieldUntil < 0) {
                    Thread.yield();
                    now = System.nanoTime();
                } else {
                    break;
                }
            }
            if (available >= sequence) {
                return available;
            }
        }
        lock.lock();
        try {
            while (true) {
                signalNeeded = true;
                VarHandle.fullFence();
                available = dependentSequence.get();
                if (available >= sequence) {
                    return available;
                }
                barrier.checkAlert();
                advanced.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        VarHandle.fullFence();
        if (signalNeeded) {
            lock.lock();
            try {
                signalNeeded = false;
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "BackoffWaitStrategy[spin " + spinNanos + " ns, yield " + yieldNanos + " ns, then block]";
    }
}
