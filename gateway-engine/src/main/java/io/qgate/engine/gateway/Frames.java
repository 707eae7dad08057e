package io.qgate.engine.gateway;

import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.MemorySegment;

/**
 * What the gateway hangs on each ring batch: a {@link MessageBatch} whose buffers are the batch's
 * own slots (so {@code recvmmsg} and {@code sendmmsg} work on the slots in place, no copy), and
 * per slot a preallocated view of the packet after the 16-byte data header
 * ({@link #inner(int)}), which is where an inner IP packet sits before sealing and after opening.
 *
 * <p>Made once per ring batch, the first time the producer claims it; never per packet.
 */
final class Frames {
    static final int HEADER = 16;

    final MessageBatch messages;
    private final MemorySegment[] inner;

    Frames(PacketBatch batch) {
        int n = batch.capacity();
        MemorySegment[] slots = new MemorySegment[n];
        inner = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            slots[i] = batch.slot(i);
            inner[i] = slots[i].asSlice(HEADER);
        }
        messages = MessageBatch.over(slots);
    }

    /**
     * The frames of {@code batch}, made on first use by the producer (which then records them in
     * {@code made} so that the gateway can close them).
     */
    static Frames of(PacketBatch batch, java.util.Collection<Frames> made) {
        Object attached = batch.attachment();
        if (attached == null) {
            Frames frames = new Frames(batch);
            batch.attach(frames);
            made.add(frames);
            return frames;
        }
        return (Frames) attached;
    }

    /** The frames of a batch the producer already attached them to (workers and egress). */
    static Frames of(PacketBatch batch) {
        return (Frames) batch.attachment();
    }

    /** Slot {@code i} from offset 16: the inner packet's place. */
    MemorySegment inner(int i) {
        return inner[i];
    }
}
