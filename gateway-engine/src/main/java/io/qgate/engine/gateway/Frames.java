package io.qgate.engine.gateway;

import io.qgate.engine.net.VirtioNetHeader;
import io.qgate.engine.protocol.Protocol;
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
    static final int HEADER = Protocol.DATA_HEADER_LENGTH;
    /** A TUN virtio header's size: it fits in the data header's place once the packet is opened. */
    static final int VNET = VirtioNetHeader.SIZE;

    /** Most datagrams one GRO buffer holds (the kernel's UDP_GRO_CNT_MAX is 64). */
    static final int MAX_GRO = 64;

    final MessageBatch messages;
    private final MemorySegment[] slots;
    private final MemorySegment[] inner;
    /** Per slot, the view from {@link #VNET} bytes before the inner packet: where a TUN virtio header goes. */
    private final MemorySegment[] tunFrames;
    /** Per slot, the datagrams of a GRO buffer: slices for the last segment size seen (remade when it changes). */
    private final MemorySegment[][] grams;
    private final MemorySegment[][] gramBodies;
    private final MemorySegment[][] gramTunFrames;
    private final int[] gramSize;
    /** Inbound, per slot: the GRO segment size (0: the slot holds one datagram) and the datagrams in it. */
    final int[] datagramSize;
    final int[] datagrams;
    /** Inbound, per slot and datagram: the length of its opened inner packet to write (0: nothing to write). */
    final int[][] writeLength;

    Frames(PacketBatch batch) {
        int n = batch.capacity();
        slots = new MemorySegment[n];
        inner = new MemorySegment[n];
        tunFrames = new MemorySegment[n];
        grams = new MemorySegment[n][];
        gramBodies = new MemorySegment[n][];
        gramTunFrames = new MemorySegment[n][];
        gramSize = new int[n];
        datagramSize = new int[n];
        datagrams = new int[n];
        writeLength = new int[n][MAX_GRO];
        for (int i = 0; i < n; i++) {
            slots[i] = batch.slot(i);
            inner[i] = slots[i].asSlice(HEADER);
            tunFrames[i] = slots[i].asSlice(HEADER - VNET);
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

    /**
     * Datagram {@code k} of slot {@code i} when it holds a GRO buffer cut in {@code size}-byte
     * datagrams: a slice from {@code k * size} to the slot's end (the caller passes the real
     * length). Slices are made once per slot and segment size, not per packet.
     */
    MemorySegment gram(int i, int k, int size) {
        prepareGrams(i, size);
        return grams[i][k];
    }

    /** {@link #gram}'s view from offset 16: where its inner packet is opened. */
    MemorySegment gramBody(int i, int k, int size) {
        prepareGrams(i, size);
        return gramBodies[i][k];
    }

    private void prepareGrams(int i, int size) {
        if (gramSize[i] != size) {
            int count = Math.min(MAX_GRO, (int) (slots[i].byteSize() / size) + 1);
            MemorySegment[] g = new MemorySegment[count];
            MemorySegment[] b = new MemorySegment[count];
            MemorySegment[] t = new MemorySegment[count];
            for (int k = 0; k < count && (long) k * size + HEADER < slots[i].byteSize(); k++) {
                g[k] = slots[i].asSlice((long) k * size);
                b[k] = g[k].asSlice(HEADER);
                t[k] = g[k].asSlice(HEADER - VNET);
            }
            grams[i] = g;
            gramBodies[i] = b;
            gramTunFrames[i] = t;
            gramSize[i] = size;
        }
    }

    /** {@link #gramBody}'s view from {@link #VNET} bytes earlier, to the slot's end: for a TUN with virtio headers. */
    MemorySegment gramTunFrame(int i, int k, int size) {
        prepareGrams(i, size);
        return gramTunFrames[i][k];
    }

    /** Slot {@code i} from {@link #VNET} bytes before the inner packet, to the slot's end: for a TUN with virtio headers. */
    MemorySegment tunFrame(int i) {
        return tunFrames[i];
    }

    /** Slot {@code i} from offset 16: the inner packet's place. */
    MemorySegment inner(int i) {
        return inner[i];
    }
}
