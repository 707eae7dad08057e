package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian field access and the checks every datagram parser of this package starts with
 * (section 4 of {@code docs/PROTOCOL.md}: the first byte is the type, the second the version).
 */
final class WireFormat {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private WireFormat() {
    }

    static int getU8(MemorySegment segment, long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    static int getU16(MemorySegment segment, long offset) {
        return segment.get(U16, offset) & 0xFFFF;
    }

    static int getU32(MemorySegment segment, long offset) {
        return segment.get(U32, offset);
    }

    static byte[] getBytes(MemorySegment segment, long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    static void putU8(MemorySegment segment, long offset, int value) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    static void putU16(MemorySegment segment, long offset, int value) {
        segment.set(U16, offset, (short) value);
    }

    static void putU32(MemorySegment segment, long offset, int value) {
        segment.set(U32, offset, value);
    }

    /**
     * Checks that the caller's {@code length} lies inside {@code segment}: a wrong length is a bug
     * of the receive path, not of the peer, so it is an {@link IllegalArgumentException}.
     */
    static void checkLength(MemorySegment segment, int length) {
        if (length < 0 || length > segment.byteSize()) {
            throw new IllegalArgumentException("datagram length " + length + " is outside the "
                + segment.byteSize() + "-byte segment that holds it");
        }
    }

    /**
     * Checks the type and version bytes of a datagram that must be of type {@code expected}.
     *
     * @throws ProtocolException {@code MALFORMED_MESSAGE} if it is shorter than two bytes or of
     *     another type, {@code UNSUPPORTED_VERSION} if its version is not {@link Protocol#VERSION}
     */
    static void expectTypeAndVersion(MemorySegment segment, int length, MessageType expected)
            throws ProtocolException {
        checkLength(segment, length);
        if (length < 2) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE,
                "a " + expected + " datagram of " + length + " bytes is too short to hold its type and version");
        }
        int type = getU8(segment, 0);
        if (type != expected.code()) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE,
                "a datagram of type " + type + " was parsed as " + expected + " (type " + expected.code() + ")");
        }
        int version = getU8(segment, 1);
        if (version != Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                "a " + expected + " of protocol version " + version + " arrived; this build speaks version "
                    + Protocol.VERSION);
        }
    }
}
