package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@link HandshakeMessage} into fragment datagrams (section 5.1 of
 * {@code docs/PROTOCOL.md}): fragment {@code i} carries body bytes from {@code i × (maxDatagram −
 * 16)}, every fragment but the last is exactly {@code maxDatagram} bytes, and there are at most
 * {@link Protocol#MAX_FRAGMENTS}. Stateless.
 */
public final class Fragmenter {
    /** The smallest datagram allowed: a header and 64 bytes of body. */
    public static final int MIN_DATAGRAM = FragmentHeader.LENGTH + 64;

    private Fragmenter() {
    }

    /**
     * The fragment datagrams of {@code message}, in index order.
     *
     * @param maxDatagram {@value #MIN_DATAGRAM}..{@value Protocol#MAX_HANDSHAKE_DATAGRAM} bytes
     * @throws IllegalArgumentException if {@code maxDatagram} is out of range or the message would
     *     need more than {@value Protocol#MAX_FRAGMENTS} fragments
     */
    public static List<byte[]> fragment(HandshakeMessage message, int maxDatagram) {
        byte[] body = message.body();
        int payload = maxDatagram - FragmentHeader.LENGTH;
        int count = fragmentCount(body.length, maxDatagram);
        List<byte[]> datagrams = new ArrayList<>(count);
        FragmentHeader header = new FragmentHeader();
        for (int index = 0; index < count; index++) {
            int offset = index * payload;
            int length = Math.min(payload, body.length - offset);
            byte[] datagram = new byte[FragmentHeader.LENGTH + length];
            header.wrap(MemorySegment.ofArray(datagram))
                .type(message.type().code())
                .version(Protocol.VERSION)
                .messageLength(body.length)
                .senderIndex(message.senderIndex())
                .receiverIndex(message.receiverIndex())
                .fragmentOffset(offset)
                .fragmentIndex(index)
                .fragmentCount(count);
            System.arraycopy(body, offset, datagram, FragmentHeader.LENGTH, length);
            datagrams.add(datagram);
        }
        return datagrams;
    }

    /**
     * The bytes on the wire, headers included, of a message body of {@code bodyLength} bytes
     * fragmented into datagrams of at most {@code maxDatagram} bytes: what the amplification
     * budget and the initiation padding (sections 5.2 and 7) count.
     *
     * @throws IllegalArgumentException as {@link #fragment}, or if {@code bodyLength} is outside 1..65535
     */
    public static int datagramBytes(int bodyLength, int maxDatagram) {
        return bodyLength + fragmentCount(bodyLength, maxDatagram) * FragmentHeader.LENGTH;
    }

    /**
     * How many fragments a body of {@code bodyLength} bytes needs in datagrams of at most
     * {@code maxDatagram} bytes.
     *
     * @throws IllegalArgumentException as {@link #datagramBytes}
     */
    public static int fragmentCount(int bodyLength, int maxDatagram) {
        if (maxDatagram < MIN_DATAGRAM || maxDatagram > Protocol.MAX_HANDSHAKE_DATAGRAM) {
            throw new IllegalArgumentException("a handshake datagram limit of " + maxDatagram + " bytes is outside "
                + MIN_DATAGRAM + ".." + Protocol.MAX_HANDSHAKE_DATAGRAM);
        }
        if (bodyLength < 1 || bodyLength > Protocol.MAX_HANDSHAKE_MESSAGE) {
            throw new IllegalArgumentException("a handshake body of " + bodyLength + " bytes is outside 1.."
                + Protocol.MAX_HANDSHAKE_MESSAGE);
        }
        int payload = maxDatagram - FragmentHeader.LENGTH;
        int count = (bodyLength + payload - 1) / payload;
        if (count > Protocol.MAX_FRAGMENTS) {
            throw new IllegalArgumentException("a " + bodyLength + "-byte handshake body needs " + count
                + " fragments of " + maxDatagram + " bytes, more than " + Protocol.MAX_FRAGMENTS
                + ": use larger datagrams");
        }
        return count;
    }
}
