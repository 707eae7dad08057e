package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The buffers registered with one io_uring ({@code IORING_REGISTER_BUFFERS}): the kernel pins
 * their pages once, so {@code READ_FIXED}/{@code WRITE_FIXED} requests skip pinning per request.
 * Kept here too so a request that points outside its buffer fails in Java with a clear message
 * rather than as {@code -EFAULT} later. Owner thread only, like the ring.
 */
final class RegisteredBuffers {
    /** {@code IORING_MAX_REG_BUFFERS} ({@code io_uring/rsrc.h}). */
    static final int MAX_BUFFERS = 1 << 14;

    private static final long[] NONE = new long[0];

    private final int ringFd;
    private long[] starts = NONE;
    private long[] ends = NONE;

    RegisteredBuffers(int ringFd) {
        this.ringFd = ringFd;
    }

    void register(MemorySegment[] buffers) {
        if (starts.length != 0) {
            throw new IllegalStateException("buffers are already registered with this ring: unregister them first");
        }
        if (buffers.length == 0 || buffers.length > MAX_BUFFERS) {
            throw new IllegalArgumentException("register 1 to " + MAX_BUFFERS + " buffers, not " + buffers.length);
        }
        long[] newStarts = new long[buffers.length];
        long[] newEnds = new long[buffers.length];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iovecs = arena.allocate(IoUringAbi.IOVEC_SIZE * buffers.length, 8);
            for (int i = 0; i < buffers.length; i++) {
                MemorySegment buffer = buffers[i];
                if (!buffer.isNative()) {
                    throw new IllegalArgumentException("buffer " + i + " is on the Java heap: register native memory");
                }
                newStarts[i] = buffer.address();
                newEnds[i] = buffer.address() + buffer.byteSize();
                iovecs.set(ValueLayout.JAVA_LONG, i * IoUringAbi.IOVEC_SIZE, buffer.address());
                iovecs.set(ValueLayout.JAVA_LONG, i * IoUringAbi.IOVEC_SIZE + 8, buffer.byteSize());
            }
            int rc = IoUringAbi.register(ringFd, IoUringAbi.REGISTER_BUFFERS, iovecs, buffers.length);
            if (rc < 0) {
                throw new LinuxException("io_uring_register(IORING_REGISTER_BUFFERS)", -rc, buffers.length + " buffers",
                    -rc == Errno.ENOMEM ? "raise the locked-memory limit (ulimit -l) or register fewer bytes" : "");
            }
        }
        starts = newStarts;
        ends = newEnds;
    }

    void unregister() {
        if (starts.length == 0) {
            return;
        }
        int rc = IoUringAbi.register(ringFd, IoUringAbi.UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
        if (rc < 0) {
            throw new LinuxException("io_uring_register(IORING_UNREGISTER_BUFFERS)", -rc, "");
        }
        starts = NONE;
        ends = NONE;
    }

    /** Throws unless {@code [address, address + length)} lies inside registered buffer {@code index}. */
    void checkInside(int index, long address, int length) {
        if (index < 0 || index >= starts.length) {
            throw new IllegalArgumentException("no registered buffer " + index + " (" + starts.length + " registered)");
        }
        if (address < starts[index] || address + length > ends[index]) {
            throw new IllegalArgumentException("the request's " + length + " bytes lie outside registered buffer " + index);
        }
    }
}
