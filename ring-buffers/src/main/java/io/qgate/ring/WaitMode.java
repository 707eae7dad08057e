package io.qgate.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the threads of a {@link BatchPipeline} wait: the stages for batches, the producer for
 * free room when the ring is full.
 */
public enum WaitMode {
    /**
     * Block at once (lock and condition, woken by the stage that advanced). Least CPU, but a
     * futex wake-up per batch when busy.
     */
    BLOCKING,
    /**
     * Spin, then yield, then block ({@link BackoffWaitStrategy} defaults): does not park per
     * batch when busy and costs ~0% CPU when idle. The default.
     */
    BACKOFF,
    /**
     * Spin forever: the lowest hand-off latency, at the price of one full core per pipeline
     * thread even when there is no traffic. Only for dedicated cores, one per thread including
     * the producer: oversubscribed, the stage that has work waits for the scheduler to take a
     * core from a spinning one (100,000 batches through 1 worker took 215 s on 2 shared cores,
     * against about 2 s with {@link #BACKOFF}).
     */
    BUSY_SPIN;

    /** A fresh Disruptor wait strategy, shared by every stage of one ring. */
    WaitStrategy newWaitStrategy() {
        return switch (this) {
            case BLOCKING -> new BackoffWaitStrategy(0, 0);
            case BACKOFF -> new BackoffWaitStrategy(BackoffWaitStrategy.DEFAULT_SPIN_NANOS,
                BackoffWaitStrategy.DEFAULT_YIELD_NANOS);
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }

    /**
     * A fresh idle strategy for the producer while the ring is full. The ring is only full under
     * load, when room comes back within a batch's processing time, so a bounded timed park is
     * enough and nobody needs to signal the producer.
     */
    IdleStrategy newProducerIdleStrategy() {
        return switch (this) {
            case BLOCKING -> new BackoffIdleStrategy(0, 0, 1_000, 100_000);
            case BACKOFF -> new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            case BUSY_SPIN -> new BusySpinIdleStrategy();
        };
    }
}
