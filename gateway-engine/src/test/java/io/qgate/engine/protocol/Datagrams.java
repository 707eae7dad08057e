package io.qgate.engine.protocol;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Random;

/** Builds fragment datagrams and sources for the reassembly tests. */
final class Datagrams {
    private Datagrams() {
    }

    /** A fragment with the given header and {@code payloadLength} bytes of payload (filled with {@code index + 1}). */
    static byte[] fragment(MessageType type, int messageLength, int senderIndex, int receiverIndex,
            int offset, int index, int count, int payloadLength) {
        byte[] datagram = new byte[FragmentHeader.LENGTH + payloadLength];
        new FragmentHeader().wrap(MemorySegment.ofArray(datagram))
            .type(type.code())
            .version(Protocol.VERSION)
            .messageLength(messageLength)
            .senderIndex(senderIndex)
            .receiverIndex(receiverIndex)
            .fragmentOffset(offset)
            .fragmentIndex(index)
            .fragmentCount(count);
        Arrays.fill(datagram, FragmentHeader.LENGTH, datagram.length, (byte) (index + 1));
        return datagram;
    }

    /** An INITIATION fragment from sender 7 (receiver index 0). */
    static byte[] initiation(int messageLength, int offset, int index, int count, int payloadLength) {
        return fragment(MessageType.INITIATION, messageLength, 7, 0, offset, index, count, payloadLength);
    }

    static Reassembler.Result feed(Reassembler reassembler, InetSocketAddress source, byte[] datagram, long nowNanos) {
        return reassembler.accept(source, MemorySegment.ofArray(datagram), datagram.length, nowNanos);
    }

    /** {@code address} (a literal, never looked up) and {@code port}. */
    static InetSocketAddress source(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(address + " is not an address literal", e);
        }
    }

    /** The IPv4 address 10.x.y.z for {@code n} (distinct for n below 2^24), port 4000. */
    static InetSocketAddress ipv4(int n) {
        byte[] raw = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A random message of {@code bodyLength} bytes of {@code type}, with indexes valid for the type. */
    static HandshakeMessage message(MessageType type, int bodyLength, Random random) {
        byte[] body = new byte[bodyLength];
        random.nextBytes(body);
        int sender = random.nextInt() | 1;
        int receiver = type == MessageType.INITIATION ? 0 : random.nextInt() | 2;
        return new HandshakeMessage(type, sender, receiver, body);
    }
}
