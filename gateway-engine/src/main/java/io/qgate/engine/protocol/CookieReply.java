package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A {@code COOKIE_REPLY} datagram, section 7 of {@code docs/PROTOCOL.md}:
 * {@code u8 type=5 ‖ u8 version ‖ u16 reserved=0 ‖ u32 receiver_index ‖ bytes[16] cookie}, 24
 * bytes. Unauthenticated: the initiator accepts it only for a pending initiation with that index
 * from the peer's address. Equality is by content; the record owns a copy of the cookie.
 *
 * @param receiverIndex the initiator's sender index, non-zero
 * @param cookie 16 bytes
 */
public record CookieReply(int receiverIndex, byte[] cookie) {
    public static final int RESERVED_OFFSET = 2;
    public static final int RECEIVER_INDEX_OFFSET = 4;
    public static final int COOKIE_OFFSET = 8;
    public static final int LENGTH = COOKIE_OFFSET + Protocol.COOKIE_LENGTH;

    /**
     * @throws IllegalArgumentException if the index is 0 or the cookie is not 16 bytes
     */
    public CookieReply {
        Objects.requireNonNull(cookie, "cookie");
        if (receiverIndex == 0) {
            throw new IllegalArgumentException("a COOKIE_REPLY has receiver index 0; it must name the initiation's sender index");
        }
        if (cookie.length != Protocol.COOKIE_LENGTH) {
            throw new IllegalArgumentException("a cookie of " + cookie.length + " bytes; cookies are "
                + Protocol.COOKIE_LENGTH + " bytes");
        }
        cookie = cookie.clone();
    }

    /** A copy of the cookie. */
    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    /**
     * The 24-byte datagram.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static byte[] encode(int receiverIndex, byte[] cookie) {
        CookieReply reply = new CookieReply(receiverIndex, cookie);
        byte[] datagram = new byte[LENGTH];
        MemorySegment out = MemorySegment.ofArray(datagram);
        WireFormat.putU8(out, 0, MessageType.COOKIE_REPLY.code());
        WireFormat.putU8(out, 1, Protocol.VERSION);
        WireFormat.putU32(out, RECEIVER_INDEX_OFFSET, reply.receiverIndex);
        System.arraycopy(reply.cookie, 0, datagram, COOKIE_OFFSET, Protocol.COOKIE_LENGTH);
        return datagram;
    }

    /**
     * Parses the first {@code length} bytes of {@code datagram}.
     *
     * @throws ProtocolException {@code UNSUPPORTED_VERSION} for another version;
     *     {@code MALFORMED_MESSAGE} for another type, another length, a non-zero reserved field or
     *     a receiver index of 0
     * @throws IllegalArgumentException if {@code length} is outside the segment (a caller bug)
     */
    public static CookieReply parse(MemorySegment datagram, int length) throws ProtocolException {
        WireFormat.expectTypeAndVersion(datagram, length, MessageType.COOKIE_REPLY);
        if (length != LENGTH) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE,
                "a COOKIE_REPLY of " + length + " bytes arrived; it is " + LENGTH + " bytes");
        }
        if (WireFormat.getU16(datagram, RESERVED_OFFSET) != 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "a COOKIE_REPLY has a non-zero reserved field");
        }
        int receiverIndex = WireFormat.getU32(datagram, RECEIVER_INDEX_OFFSET);
        if (receiverIndex == 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "a COOKIE_REPLY has receiver index 0");
        }
        return new CookieReply(receiverIndex, WireFormat.getBytes(datagram, COOKIE_OFFSET, Protocol.COOKIE_LENGTH));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CookieReply that && receiverIndex == that.receiverIndex
            && Arrays.equals(cookie, that.cookie);
    }

    @Override
    public int hashCode() {
        return 31 * receiverIndex + Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "CookieReply[receiver " + Integer.toUnsignedString(receiverIndex) + "]";
    }
}
