package io.qgate.engine.session;

import io.qgate.engine.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Flyweight over the 16-byte header of a {@code DATA} or {@code CLOSE} datagram (section 9 of
 * {@code docs/PROTOCOL.md}), which is also the packet's associated data:
 *
 * <pre>
 *   0: u8  type            4 (DATA) or 7 (CLOSE)
 *   1: u8  version         1
 *   2: u16 epoch           counter &gt;&gt;&gt; 22
 *   4: u32 receiver_index  the receiver's index for this keypair
 *   8: u64 counter
 * </pre>
 *
 * Every field is big-endian. Getters return the unsigned values of the one- and two-byte fields;
 * {@link #receiverIndex()} and {@link #counter()} return the raw 32 and 64 bits (a counter above
 * 2^63 - 1 reads as negative). The flyweight checks nothing about the values it reads: the
 * receive path does that ({@link Keypair#open}).
 *
 * <p>Not thread-safe: one instance per thread, re-pointed with {@link #wrap} without allocating.
 */
public final class DataHeader {
    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int EPOCH_OFFSET = 2;
    public static final int RECEIVER_INDEX_OFFSET = 4;
    public static final int COUNTER_OFFSET = 8;
    /** Header length in bytes: {@link Protocol#DATA_HEADER_LENGTH}. */
    public static final int LENGTH = Protocol.DATA_HEADER_LENGTH;

    private static final ValueLayout.OfShort U16 =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 =
        ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;

    /** A flyweight over nothing yet: call {@link #wrap} before any accessor. */
    public DataHeader() {
    }

    /**
     * Points this flyweight at the header at offset 0 of {@code segment}.
     *
     * @throws IllegalArgumentException if {@code segment} is shorter than {@link #LENGTH}
     */
    public DataHeader wrap(MemorySegment segment) {
        if (segment.byteSize() < LENGTH) {
            throw new IllegalArgumentException("a data header needs " + LENGTH + " bytes, the segment has "
                + segment.byteSize());
        }
        this.segment = segment;
        return this;
    }

    /** The segment this flyweight reads and writes. */
    public MemorySegment segment() {
        return segment;
    }

    public int type() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, TYPE_OFFSET));
    }

    public DataHeader type(int type) {
        segment.set(ValueLayout.JAVA_BYTE, TYPE_OFFSET, (byte) checkU8("type", type));
        return this;
    }

    public int version() {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, VERSION_OFFSET));
    }

    public DataHeader version(int version) {
        segment.set(ValueLayout.JAVA_BYTE, VERSION_OFFSET, (byte) checkU8("version", version));
        return this;
    }

    public int epoch() {
        return Short.toUnsignedInt(segment.get(U16, EPOCH_OFFSET));
    }

    public DataHeader epoch(int epoch) {
        if ((epoch & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("epoch " + epoch + " does not fit a u16");
        }
        segment.set(U16, EPOCH_OFFSET, (short) epoch);
        return this;
    }

    /** The receiver index as its 32 raw bits. */
    public int receiverIndex() {
        return segment.get(U32, RECEIVER_INDEX_OFFSET);
    }

    public DataHeader receiverIndex(int receiverIndex) {
        segment.set(U32, RECEIVER_INDEX_OFFSET, receiverIndex);
        return this;
    }

    /** The counter as its 64 raw bits (unsigned on the wire). */
    public long counter() {
        return segment.get(U64, COUNTER_OFFSET);
    }

    public DataHeader counter(long counter) {
        segment.set(U64, COUNTER_OFFSET, counter);
        return this;
    }

    private static int checkU8(String field, int value) {
        if ((value & ~0xFF) != 0) {
            throw new IllegalArgumentException(field + " " + value + " does not fit a u8");
        }
        return value;
    }

    @Override
    public String toString() {
        if (segment == null) {
            return "DataHeader[unwrapped]";
        }
        return "DataHeader[type=" + type() + ", version=" + version() + ", epoch=" + epoch()
            + ", receiverIndex=" + Integer.toUnsignedString(receiverIndex())
            + ", counter=" + Long.toUnsignedString(counter()) + "]";
    }
}
