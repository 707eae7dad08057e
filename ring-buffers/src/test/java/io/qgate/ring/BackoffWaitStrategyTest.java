package io.qgate.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackoffWaitStrategyTest {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BackoffWaitStrategy strategy = new BackoffWaitStrategy(0, 0);
    private final RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 4, strategy);
    private final SequenceBarrier barrier = ring.newBarrier();

    @Test
    void aBlockedWaiterWakesWhenTheSequenceIsPublished() throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = startWaiter(result);
        awaitBlocked(waiter);
        ring.publish(ring.next());
        waiter.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS));
        assertEquals(0L, result.get());
    }

    @Test
    void anAlertWakesABlockedWaiter() throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread waiter = startWaiter(result);
        awaitBlocked(waiter);
        barrier.alert();
        waiter.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NANOS));
        assertEquals(AlertException.class, result.get());
    }

    @Test
    void anAvailableSequenceReturnsAtOnce() throws Exception {
        ring.publish(ring.next());
        assertEquals(0L, barrier.waitFor(0));
    }

    @Test
    void negativePhasesAreRejected() {
        var spin = assertThrows(IllegalArgumentException.class, () -> new BackoffWaitStrategy(-1, 0));
        assertEquals("spinNanos must not be negative, was -1", spin.getMessage());
        var yield = assertThrows(IllegalArgumentException.class, () -> new BackoffWaitStrategy(0, -1));
        assertEquals("yieldNanos must not be negative, was -1", yield.getMessage());
    }

    private Thread startWaiter(AtomicReference<Object> result) {
        return Thread.ofPlatform().start(() -> {
            try {
                result.set(barrier.waitFor(0));
            } catch (Exception e) {
                result.set(e.getClass());
            }
        });
    }

    private static void awaitBlocked(Thread waiter) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (waiter.getState() != Thread.State.WAITING) {
            assertTrue(System.nanoTime() < deadline, "the waiter never blocked: " + waiter.getState());
            Thread.sleep(1);
        }
    }
}
