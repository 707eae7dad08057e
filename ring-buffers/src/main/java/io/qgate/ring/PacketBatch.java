package io.qgate.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A batch of packet slots: {@code capacity} slots of {@code slotBytes} each, carved out of ONE
 * off-heap segment aligned to {@value #SLOT_ALIGNMENT} bytes, plus per-slot {@code int}
 * metadata that the stages interpret and a {@link #count()} of slots in use.
 *
 * <p>Slot {@code i} starts at {@code i * slotStride()}, where the stride is {@code slotBytes}
 * rounded up to {@value #SLOT_ALIGNMENT}, so every slot starts on a cache line (and I/O that
 * wants the whole region, such as registered io_uring buffers, can take {@link #memory()}).
 * {@link #slot(int)} returns a slice created once at construction: no allocation per call.
 *
 * <p>The metadata is named for the data path's needs but means what the stages agree on:
 * {@code length} (bytes used in the slot), {@code tag} (for example the peer id),
 * {@code status} (for example 0 = send, anything else = drop, with a reason),
 * {@code segmentSize} (GSO/GRO segment size) and {@code offset} (where the packet starts in
 * the slot).
 *
 * <p>Not thread-safe: a batch belongs to one stage at a time. In a {@link BatchPipeline} the
 * ring's sequences hand it over (the producer, then exactly one worker, then the egress), and
 * every write a stage makes is visible to the next one.
 */
public final class PacketBatch {
    /** Alignment of the batch's memory and of every slot: one x86-64/aarch64 cache line. */
    public static final long SLOT_ALIGNMENT = 64;

    private final MemorySegment memory;
    private final MemorySegment[] slots;
    private final int capacity;
    private final int slotBytes;
    private final long slotStride;
    private final int[] length;
    private final int[] tag;
    private final int[] status;
    private final int[] segmentSize;
    private final int[] offset;
    private int count;
    private long sequence = -1;
    private Object attachment;

    /**
     * Allocates the slots in {@code arena}; the batch lives as long as the arena.
     *
     * @throws IllegalArgumentException if {@code capacity} or {@code slotBytes} is not positive
     */
    public PacketBatch(Arena arena, int capacity, int slotBytes) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 slot, was " + capacity);
        }
        if (slotBytes < 1) {
            throw new IllegalArgumentException("slotBytes must be at least 1 byte, was " + slotBytes);
        }
        this.capacity = capacity;
        this.slotBytes = slotBytes;
        this.slotStride = alignedStride(slotBytes);
        this.memory = arena.allocate(bytesFor(capacity, slotBytes), SLOT_ALIGNMENT);
        this.slots = new MemorySegment[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = memory.asSlice(i * slotStride, slotBytes);
        }
        this.length = new int[capacity];
        this.tag = new int[capacity];
        this.status = new int[capacity];
        this.segmentSize = new int[capacity];
        this.offset = new int[capacity];
    }

    /** {@code slotBytes} rounded up to {@link #SLOT_ALIGNMENT}. */
    static long alignedStride(int slotBytes) {
        return (slotBytes + SLOT_ALIGNMENT - 1) & -SLOT_ALIGNMENT;
    }

    /** Off-heap bytes one batch of this shape takes; cannot overflow (below 2^62). */
    static long bytesFor(int capacity, int slotBytes) {
        return capacity * alignedStride(slotBytes);
    }

    /**
     * What the user hung on this batch with {@link #attach}, or null: per-batch state made once
     * (for example message headers pointing at the slots), kept across reuse ({@link #clear()}
     * leaves it). Same thread rules as the slots.
     */
    public Object attachment() {
        return attachment;
    }

    /** Hangs {@code value} on this batch (see {@link #attachment()}). */
    public void attach(Object value) {
        attachment = value;
    }

    /** Number of slots. */
    public int capacity() {
        return capacity;
    }

    /** Usable bytes per slot. */
    public int slotBytes() {
        return slotBytes;
    }

    /** Distance in bytes between the starts of two neighbouring slots in {@link #memory()}. */
    public long slotStride() {
        return slotStride;
    }

    /** The whole region holding every slot, {@code capacity * slotStride} bytes. */
    public MemorySegment memory() {
        return memory;
    }

    /** Slot {@code i}, {@code slotBytes} long; the same instance on every call. */
    public MemorySegment slot(int i) {
        return slots[i];
    }

    /** Slots in use, from slot 0. */
    public int count() {
        return count;
    }

    /**
     * Sets the number of slots in use.
     *
     * @throws IllegalArgumentException if {@code count} is negative or above {@link #capacity()}
     */
    public PacketBatch count(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count must be within 0.." + capacity + ", was " + count);
        }
        this.count = count;
        return this;
    }

    /**
     * The ring sequence this batch was claimed at in a {@link BatchPipeline}, or -1 if it never
     * was: it increases by one per published batch, so stages can check order with it.
     */
    public long sequence() {
        return sequence;
    }

    void sequence(long sequence) {
        this.sequence = sequence;
    }

    /** Bytes used in slot {@code i}. */
    public int length(int i) {
        return length[i];
    }

    /** Sets the bytes used in slot {@code i}. */
    public PacketBatch length(int i, int value) {
        length[i] = value;
        return this;
    }

    /** Tag of slot {@code i}, for example the peer id. */
    public int tag(int i) {
        return tag[i];
    }

    /** Sets the tag of slot {@code i}. */
    public PacketBatch tag(int i, int value) {
        tag[i] = value;
        return this;
    }

    /** Status of slot {@code i}, for example a drop reason; 0 after {@link #clear()}. */
    public int status(int i) {
        return status[i];
    }

    /** Sets the status of slot {@code i}. */
    public PacketBatch status(int i, int value) {
        status[i] = value;
        return this;
    }

    /** Segment size of slot {@code i} (GSO/GRO), 0 when the slot holds one packet. */
    public int segmentSize(int i) {
        return segmentSize[i];
    }

    /** Sets the segment size of slot {@code i}. */
    public PacketBatch segmentSize(int i, int value) {
        segmentSize[i] = value;
        return this;
    }

    /** Where the packet starts in slot {@code i}. */
    public int offset(int i) {
        return offset[i];
    }

    /** Sets where the packet starts in slot {@code i}. */
    public PacketBatch offset(int i, int value) {
        offset[i] = value;
        return this;
    }

    /**
     * Sets the count and every slot's metadata to 0. The slot bytes are left as they are: a
     * batch is reused per ring lap and wiping 64 x 2 KiB per batch would cost more than the
     * hand-off itself.
     */
    public void clear() {
        count = 0;
        Arrays.fill(length, 0);
        Arrays.fill(tag, 0);
        Arrays.fill(status, 0);
        Arrays.fill(segmentSize, 0);
        Arrays.fill(offset, 0);
    }
}
