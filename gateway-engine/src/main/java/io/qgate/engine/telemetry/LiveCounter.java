package io.qgate.engine.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AtomicBuffer;

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
 *
 * <p>A {@link #standalone()} counter is an {@link AtomicLong} instead: it needs no
 * {@code --add-exports java.base/jdk.internal.misc} (which Agrona's buffers need), so an
 * endpoint without a gateway (a self-check, a test) runs on a plain JVM. The branch between the
 * two is perfectly predictable (a counter never changes kind).
 */
public final class LiveCounter {
    private final AtomicBuffer buffer;
    private final int offset;
    private final AtomicLong local;

    /** The counter at {@code offset} (8-byte aligned) of {@code buffer}. */
    public LiveCounter(AtomicBuffer buffer, int offset) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("a counter's offset must be 8-byte aligned, not " + offset);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.local = null;
    }

    private LiveCounter() {
        this.buffer = null;
        this.offset = 0;
        this.local = new AtomicLong();
    }

    /** A counter of its own, in no file (components used without a gateway, such as tests). */
    public static LiveCounter standalone() {
        return new LiveCounter();
    }

    public long addAndGet(long delta) {
        return buffer != null ? buffer.getAndAddLong(offset, delta) + delta : local.addAndGet(delta);
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    /** The value, read with acquire semantics. */
    public long get() {
        return buffer != null ? buffer.getLongVolatile(offset) : local.get();
    }

    /** Stores {@code value} with release semantics: only for a counter with a single writer. */
    public void set(long value) {
        if (buffer != null) {
            buffer.putLongRelease(offset, value);
        } else {
            local.setRelease(value);
        }
    }
}
