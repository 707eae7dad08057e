package io.qgate.engine.telemetry;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One 64-bit counter in an {@link AtomicBuffer}: in a gateway, a slot of its memory-mapped
 * counters file ({@link CountersFile}), so another process reads it with no request to the
 * gateway. The method names match {@link java.util.concurrent.atomic.AtomicLong}'s so the data
 * plane adds the same way it did.
 *
 * <p><b>Threads:</b> any number of threads may add at once ({@link #addAndGet} is an atomic
 * {@code lock xadd}, which also orders the store for readers in other processes); the data
 * plane adds once per batch, never per packet. {@link #set} is for counters with one writer
 * (the control thread). Readers see each value whole (aligned 8-byte stores).
 */
public final class LiveCounter {
    private final AtomicBuffer buffer;
    private final int offset;

    /** The counter at {@code offset} (8-byte aligned) of {@code buffer}. */
    public LiveCounter(AtomicBuffer buffer, int offset) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("a counter's offset must be 8-byte aligned, not " + offset);
        }
        this.buffer = buffer;
        this.offset = offset;
    }

    /** A counter of its own, in no file (components used without a gateway, such as tests). */
    public static LiveCounter standalone() {
        return new LiveCounter(new UnsafeBuffer(BufferUtil.allocateDirectAligned(8, 8)), 0);
    }

    public long addAndGet(long delta) {
        return buffer.getAndAddLong(offset, delta) + delta;
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    /** The value, read with acquire semantics. */
    public long get() {
        return buffer.getLongVolatile(offset);
    }

    /** Stores {@code value} with release semantics: only for a counter with a single writer. */
    public void set(long value) {
        buffer.putLongRelease(offset, value);
    }
}
