package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Wakes an {@link IoUring} owner blocked in {@code submitAndWait} from any other thread: an
 * eventfd whose 8-byte read is kept posted in the ring, so a {@link #wake()} (an eventfd write)
 * completes that read and the wait returns.
 *
 * <p>The pattern, on the owner thread:
 * <pre>{@code
 *   waker.arm(ring, WAKE);                   // once, before the loop
 *   while (running) {
 *       ring.submitAndWait(1, timeout);
 *       ring.drain(handler);                 // handler sees WAKE: look at the command queue or
 *   }                                        //   shutdown flag, then waker.arm(ring, WAKE) again
 * }</pre>
 *
 * <p>Contract:
 * <ol>
 *   <li>{@link #arm} is called by the ring's owner only, and again only after the previous
 *       read's completion was drained: there is one posted read at a time (its 8-byte buffer is
 *       shared).</li>
 *   <li>{@link #wake()} may be called by any thread, any number of times. Wakes coalesce: the
 *       eventfd counter adds them up and one read takes them all. A wake before {@code arm} is
 *       not lost: the counter is non-zero, so the next read completes at once.</li>
 *   <li>A state change the woken owner must see is published before {@code wake()} through
 *       something the Java memory model orders (a volatile field, a concurrent queue); the owner
 *       reads it after draining the wake's completion, so it never misses a change whose wake
 *       it consumed. (The eventfd itself orders the hardware, but Java does not promise that a
 *       plain write stays before a native call.)</li>
 *   <li>Close the ring before the waker, so no read is still posted into the freed buffer, and
 *       close the waker only after every thread that calls {@code wake()} has stopped: a wake
 *       racing the close could write to a reused descriptor number.</li>
 * </ol>
 */
public final class IoUringWaker implements AutoCloseable {
    private final int eventFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(Long.BYTES, Long.BYTES);
    private final MemorySegment one = arena.allocate(Long.BYTES, Long.BYTES);
    private volatile boolean closed;

    /** A new waker with its own eventfd. */
    public IoUringWaker() {
        int fd = Fd.eventfd();
        try {
            // Blocking: kernels of the 5.x era complete an io_uring read on an O_NONBLOCK file
            // with -EAGAIN instead of waiting (liburing issues #274, #364); newer ones poll either way.
            Fd.nonBlocking(fd, false);
        } catch (RuntimeException e) {
            Fd.close(fd);
            arena.close();
            throw e;
        }
        this.eventFd = fd;
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
    }

    /** Posts the eventfd read into {@code ring}'s SQ (submitted with the ring's next submit). False if the SQ is full. */
    public boolean arm(IoUring ring, long userData) {
        return ring.read(eventFd, readBuffer, Long.BYTES, userData);
    }

    /**
     * Wakes the owner: completes the posted read. Any thread, never concurrently with
     * {@link #close()}. Returns false (and does nothing) after it.
     */
    public boolean wake() {
        if (closed) {
            return false;
        }
        long n = Fd.write(eventFd, one, Long.BYTES);
        return n == Long.BYTES;
    }

    /** The eventfd (do not close it). */
    public int fd() {
        return eventFd;
    }

    /** Closes the eventfd and frees the buffers. Idempotent; call it after the ring's close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Fd.close(eventFd);
        arena.close();
    }
}
