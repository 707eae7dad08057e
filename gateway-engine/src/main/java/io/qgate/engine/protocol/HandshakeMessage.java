package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * A whole handshake message (INITIATION, RESPONSE or CONFIRM) as its fragments carry it, section
 * 5.1 of {@code docs/PROTOCOL.md}: the header fields every fragment repeats, and the reassembled
 * body. The record owns a copy of the body; {@link #body()} returns another copy. Equality is by
 * content.
 *
 * @param type INITIATION, RESPONSE or CONFIRM
 * @param senderIndex the sender's receiver id for this session, non-zero
 * @param receiverIndex the peer's sender index: 0 in an INITIATION, non-zero otherwise
 * @param body 1..65535 bytes
 */
public record HandshakeMessage(MessageType type, int senderIndex, int receiverIndex, byte[] body) {
    /**
     * @throws IllegalArgumentException naming the field if a value is outside section 5.1
     */
    public HandshakeMessage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        String problem = headerProblem(type, body.length, senderIndex, receiverIndex);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        body = body.clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length, the {@code message_length} field. */
    public int bodyLength() {
        return body.length;
    }

    /**
     * The canonical message that goes into the transcript: {@code type ‖ version ‖ message_length ‖
     * sender_index ‖ receiver_index ‖ body} (12 bytes + body), whatever the fragmentation.
     */
    public byte[] canonical() {
        byte[] canonical = new byte[Protocol.CANONICAL_HEADER_LENGTH + body.length];
        MemorySegment out = MemorySegment.ofArray(canonical);
        WireFormat.putU8(out, FragmentHeader.TYPE_OFFSET, type.code());
        WireFormat.putU8(out, FragmentHeader.VERSION_OFFSET, Protocol.VERSION);
        WireFormat.putU16(out, FragmentHeader.MESSAGE_LENGTH_OFFSET, body.length);
        WireFormat.putU32(out, FragmentHeader.SENDER_INDEX_OFFSET, senderIndex);
        WireFormat.putU32(out, FragmentHeader.RECEIVER_INDEX_OFFSET, receiverIndex);
        System.arraycopy(body, 0, canonical, Protocol.CANONICAL_HEADER_LENGTH, body.length);
        return canonical;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HandshakeMessage that
            && type == that.type
            && senderIndex == that.senderIndex
            && receiverIndex == that.receiverIndex
            && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, senderIndex, receiverIndex, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "HandshakeMessage[" + type + ", sender " + Integer.toUnsignedString(senderIndex)
            + ", receiver " + Integer.toUnsignedString(receiverIndex) + ", " + body.length + " bytes]";
    }

    /**
     * What is wrong with these message header values, in one sentence, or {@code null} if they
     * are valid: a fragmented type, a body of 1..65535 bytes, a non-zero sender index, and a
     * receiver index that is 0 exactly in an INITIATION (the responder has no index yet; every
     * later message answers one).
     */
    static String headerProblem(MessageType type, int bodyLength, int senderIndex, int receiverIndex) {
        if (!type.isFragmented()) {
            return "a " + type + " is not a handshake message (only INITIATION, RESPONSE and CONFIRM are)";
        }
        if (bodyLength < 1 || bodyLength > Protocol.MAX_HANDSHAKE_MESSAGE) {
            return "a " + type + " body of " + bodyLength + " bytes is outside 1.." + Protocol.MAX_HANDSHAKE_MESSAGE;
        }
        if (senderIndex == 0) {
            return "a " + type + " has sender index 0; sender indexes are non-zero";
        }
        if (type == MessageType.INITIATION && receiverIndex != 0) {
            return "an INITIATION has receiver index " + Integer.toUnsignedString(receiverIndex) + "; it must be 0";
        }
        if (type != MessageType.INITIATION && receiverIndex == 0) {
            return "a " + type + " has receiver index 0; it must name the peer's sender index";
        }
        return null;
    }
}
