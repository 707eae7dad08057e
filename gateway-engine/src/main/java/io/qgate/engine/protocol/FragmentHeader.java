package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the 16-byte header of a handshake fragment datagram (types INITIATION, RESPONSE,
 * CONFIRM), section 5.1 of {@code docs/PROTOCOL.md}. All fields are big-endian; u32 indexes are
 * returned as their {@code int} bit pattern.
 *
 * <pre>
 *   0  u8  type             1  u8  version          2  u16 message_length
 *   4  u32 sender_index     8  u32 receiver_index  12  u16 fragment_offset
 *  14  u8  fragment_index  15  u8  fragment_count  16  fragment bytes
 * </pre>
 *
 * <p>It reads and writes whatever is there: the caller checks that the wrapped segment holds at
 * least {@link #LENGTH} bytes from the wrapped offset, and validates the values it reads. One
 * instance is reused by one thread.
 */
public final class FragmentHeader {
    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int MESSAGE_LENGTH_OFFSET = 2;
    public static final int SENDER_INDEX_OFFSET = 4;
    public static final int RECEIVER_INDEX_OFFSET = 8;
    public static final int FRAGMENT_OFFSET_OFFSET = 12;
    public static final int FRAGMENT_INDEX_OFFSET = 14;
    public static final int FRAGMENT_COUNT_OFFSET = 15;
    /** Header bytes; the fragment's bytes start here. */
    public static final int LENGTH = Protocol.FRAGMENT_HEADER_LENGTH;

    private MemorySegment segment;
    private long offset;

    /** Points this flyweight at the header starting at byte 0 of {@code segment}. */
    public FragmentHeader wrap(MemorySegment segment) {
        return wrap(segment, 0);
    }

    /** Points this flyweight at the header starting at {@code offset} in {@code segment}. */
    public FragmentHeader wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public int type() {
        return WireFormat.getU8(segment, offset + TYPE_OFFSET);
    }

    public FragmentHeader type(int type) {
        WireFormat.putU8(segment, offset + TYPE_OFFSET, type);
        return this;
    }

    public int version() {
        return WireFormat.getU8(segment, offset + VERSION_OFFSET);
    }

    public FragmentHeader version(int version) {
        WireFormat.putU8(segment, offset + VERSION_OFFSET, version);
        return this;
    }

    /** The length of the whole message body, 0..65535 as read. */
    public int messageLength() {
        return WireFormat.getU16(segment, offset + MESSAGE_LENGTH_OFFSET);
    }

    public FragmentHeader messageLength(int messageLength) {
        WireFormat.putU16(segment, offset + MESSAGE_LENGTH_OFFSET, messageLength);
        return this;
    }

    public int senderIndex() {
        return WireFormat.getU32(segment, offset + SENDER_INDEX_OFFSET);
    }

    public FragmentHeader senderIndex(int senderIndex) {
        WireFormat.putU32(segment, offset + SENDER_INDEX_OFFSET, senderIndex);
        return this;
    }

    public int receiverIndex() {
        return WireFormat.getU32(segment, offset + RECEIVER_INDEX_OFFSET);
    }

    public FragmentHeader receiverIndex(int receiverIndex) {
        WireFormat.putU32(segment, offset + RECEIVER_INDEX_OFFSET, receiverIndex);
        return this;
    }

    /** Where this fragment's bytes start in the message body, 0..65535 as read. */
    public int fragmentOffset() {
        return WireFormat.getU16(segment, offset + FRAGMENT_OFFSET_OFFSET);
    }

    public FragmentHeader fragmentOffset(int fragmentOffset) {
        WireFormat.putU16(segment, offset + FRAGMENT_OFFSET_OFFSET, fragmentOffset);
        return this;
    }

    public int fragmentIndex() {
        return WireFormat.getU8(segment, offset + FRAGMENT_INDEX_OFFSET);
    }

    public FragmentHeader fragmentIndex(int fragmentIndex) {
        WireFormat.putU8(segment, offset + FRAGMENT_INDEX_OFFSET, fragmentIndex);
        return this;
    }

    public int fragmentCount() {
        return WireFormat.getU8(segment, offset + FRAGMENT_COUNT_OFFSET);
    }

    public FragmentHeader fragmentCount(int fragmentCount) {
        WireFormat.putU8(segment, offset + FRAGMENT_COUNT_OFFSET, fragmentCount);
        return this;
    }
}
