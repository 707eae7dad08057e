package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@code HANDSHAKE_ERROR} datagram, section 10 of {@code docs/PROTOCOL.md}:
 * {@code u8 type=6 ‖ u8 version ‖ u16 code ‖ u32 receiver_index ‖ u8 detail_length (0..64) ‖
 * detail}. Unauthenticated: it may end a handshake attempt, never an established session.
 *
 * <p>A code that {@link ErrorCode} does not define makes the datagram malformed: version 1 defines
 * every code a version 1 peer may send, and an error is only a hint, so one that cannot be
 * understood is dropped (the attempt then runs into its own timeout) rather than guessed at.
 * Equality is by content; the record owns a copy of the detail.
 *
 * @param code why the handshake failed
 * @param receiverIndex the peer's sender index for the failed attempt; 0 if it could not be read
 *     (for example from an initiation of another version)
 * @param detail 0..64 bytes whose meaning depends on the code (section 10)
 */
public record HandshakeError(ErrorCode code, int receiverIndex, byte[] detail) {
    public static final int CODE_OFFSET = 2;
    public static final int RECEIVER_INDEX_OFFSET = 4;
    public static final int DETAIL_LENGTH_OFFSET = 8;
    public static final int DETAIL_OFFSET = 9;

    /**
     * @throws IllegalArgumentException if the detail is longer than {@value Protocol#MAX_ERROR_DETAIL} bytes
     */
    public HandshakeError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        if (detail.length > Protocol.MAX_ERROR_DETAIL) {
            throw new IllegalArgumentException("a HANDSHAKE_ERROR detail of " + detail.length
                + " bytes is longer than " + Protocol.MAX_ERROR_DETAIL);
        }
        detail = detail.clone();
    }

    /** A copy of the detail. */
    @Override
    public byte[] detail() {
        return detail.clone();
    }

    /** The datagram, {@value #DETAIL_OFFSET} bytes plus the detail. */
    public byte[] encode() {
        byte[] datagram = new byte[DETAIL_OFFSET + detail.length];
        MemorySegment out = MemorySegment.ofArray(datagram);
        WireFormat.putU8(out, 0, MessageType.HANDSHAKE_ERROR.code());
        WireFormat.putU8(out, 1, Protocol.VERSION);
        WireFormat.putU16(out, CODE_OFFSET, code.code());
        WireFormat.putU32(out, RECEIVER_INDEX_OFFSET, receiverIndex);
        WireFormat.putU8(out, DETAIL_LENGTH_OFFSET, detail.length);
        System.arraycopy(detail, 0, datagram, DETAIL_OFFSET, detail.length);
        return datagram;
    }

    /**
     * Parses the first {@code length} bytes of {@code datagram}.
     *
     * @throws ProtocolException {@code UNSUPPORTED_VERSION} for another version;
     *     {@code MALFORMED_MESSAGE} for another type, a length that does not match
     *     {@code detail_length}, a detail longer than 64 bytes or a code {@link ErrorCode} does
     *     not define
     * @throws IllegalArgumentException if {@code length} is outside the segment (a caller bug)
     */
    public static HandshakeError parse(MemorySegment datagram, int length) throws ProtocolException {
        WireFormat.expectTypeAndVersion(datagram, length, MessageType.HANDSHAKE_ERROR);
        if (length < DETAIL_OFFSET) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "a HANDSHAKE_ERROR of " + length
                + " bytes is shorter than its " + DETAIL_OFFSET + "-byte header");
        }
        int detailLength = WireFormat.getU8(datagram, DETAIL_LENGTH_OFFSET);
        if (detailLength > Protocol.MAX_ERROR_DETAIL) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "a HANDSHAKE_ERROR declares a detail of "
                + detailLength + " bytes, longer than " + Protocol.MAX_ERROR_DETAIL);
        }
        if (length != DETAIL_OFFSET + detailLength) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "a HANDSHAKE_ERROR of " + length
                + " bytes declares a detail of " + detailLength + " bytes; it should be "
                + (DETAIL_OFFSET + detailLength) + " bytes");
        }
        int wireCode = WireFormat.getU16(datagram, CODE_OFFSET);
        ErrorCode code = ErrorCode.fromCode(wireCode);
        if (code == null) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE,
                "a HANDSHAKE_ERROR carries error code " + wireCode + ", which protocol version 1 does not define");
        }
        return new HandshakeError(code, WireFormat.getU32(datagram, RECEIVER_INDEX_OFFSET),
            WireFormat.getBytes(datagram, DETAIL_OFFSET, detailLength));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HandshakeError that && code == that.code && receiverIndex == that.receiverIndex
            && Arrays.equals(detail, that.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, receiverIndex, Arrays.hashCode(detail));
    }

    @Override
    public String toString() {
        return "HandshakeError[" + code + ", receiver " + Integer.toUnsignedString(receiverIndex) + ", "
            + detail.length + "-byte detail]";
    }
}
