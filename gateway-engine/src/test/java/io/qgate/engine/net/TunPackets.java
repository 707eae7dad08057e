package io.qgate.engine.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Builds what a TUN device with offloads hands over, for the offload tests: a virtio header and a
 * TCP or UDP packet whose payload is a counting pattern, with the partial checksum the kernel
 * leaves (the pseudo-header's sum) in the checksum field.
 */
final class TunPackets {
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int FIN = 0x01;
    static final int CWR = 0x80;
    /** Timestamps, as Linux sends on every segment: 12 bytes of options. */
    static final int OPTIONS = 12;
    static final int SEQ = 0x7FFF_FF00; // wraps during a super-packet
    static final int ACK_NUMBER = 0x1234_5678;

    private TunPackets() {
    }

    /**
     * A virtio header and an IPv4 or IPv6 packet: {@code protocol} 6 (TCP with timestamps) or 17,
     * {@code payload} bytes of data, {@code gsoType} and {@code gsoSize} in the header.
     */
    static MemorySegment superPacket(int version, int protocol, int payload, int gsoType, int gsoSize, int tcpFlags) {
        int ip = version == 4 ? 20 : 40;
        int l4 = protocol == Checksums.TCP ? 20 + OPTIONS : 8;
        int length = ip + l4 + payload;
        MemorySegment p = MemorySegment.ofArray(new byte[VirtioNetHeader.SIZE + length]);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) VirtioNetHeader.F_NEEDS_CSUM);
        p.set(ValueLayout.JAVA_BYTE, 1, (byte) gsoType);
        p.set(LE16, 2, (short) (ip + l4));
        p.set(LE16, 4, (short) gsoSize);
        p.set(LE16, 6, (short) ip);
        p.set(LE16, 8, (short) (protocol == Checksums.TCP ? Checksums.TCP_CHECKSUM : Checksums.UDP_CHECKSUM));
        MemorySegment packet = p.asSlice(VirtioNetHeader.SIZE);
        ipHeader(packet, version, protocol, length);
        long t = ip;
        packet.set(U16, t, (short) 40000);
        packet.set(U16, t + 2, (short) 5201);
        if (protocol == Checksums.TCP) {
            packet.set(U32, t + 4, SEQ);
            packet.set(U32, t + 8, ACK_NUMBER);
            packet.set(ValueLayout.JAVA_BYTE, t + 12, (byte) (((20 + OPTIONS) / 4) << 4));
            packet.set(ValueLayout.JAVA_BYTE, t + 13, (byte) tcpFlags);
            packet.set(U16, t + 14, (short) 501);
            packet.set(U32, t + 20, 0x0101080A); // NOP NOP timestamp(10)
            packet.set(U32, t + 24, 0x00ABCDEF);
            packet.set(U32, t + 28, 0x00123456);
        } else {
            packet.set(U16, t + 4, (short) (l4 + payload));
        }
        for (int i = 0; i < payload; i++) {
            packet.set(ValueLayout.JAVA_BYTE, ip + l4 + i, (byte) (i * 7 + i / 251));
        }
        int field = ip + (protocol == Checksums.TCP ? Checksums.TCP_CHECKSUM : Checksums.UDP_CHECKSUM);
        packet.set(U16, field, (short) Checksums.fold(Checksums.pseudoHeader(packet, 0, version, protocol, length - ip)));
        return p;
    }

    static void ipHeader(MemorySegment packet, int version, int protocol, int length) {
        if (version == 4) {
            packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
            packet.set(U16, 2, (short) length);
            packet.set(U16, 4, (short) 0xFFFE); // identification, wraps too
            packet.set(U16, 6, (short) 0x4000); // DF
            packet.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
            packet.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
            packet.set(U32, 12, 0x0AF10001);
            packet.set(U32, 16, 0x0AF10002);
            Checksums.setIpv4HeaderChecksum(packet, 0, 20);
        } else {
            packet.set(U32, 0, 0x6000_0000);
            packet.set(U16, 4, (short) (length - 40));
            packet.set(ValueLayout.JAVA_BYTE, 6, (byte) protocol);
            packet.set(ValueLayout.JAVA_BYTE, 7, (byte) 64);
            packet.set(U32, 8, 0xFD410000);
            packet.set(U32, 20, 1);
            packet.set(U32, 24, 0xFD410000);
            packet.set(U32, 36, 2);
        }
    }

    /** Whether the TCP or UDP checksum of the packet {@code p[0, length)} verifies. */
    static boolean l4ChecksumValid(MemorySegment p, int length) {
        int version = (p.get(ValueLayout.JAVA_BYTE, 0) & 0xF0) >>> 4;
        int ip = version == 4 ? (p.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4 : 40;
        int protocol = p.get(ValueLayout.JAVA_BYTE, version == 4 ? 9 : 6) & 0xFF;
        long sum = Checksums.pseudoHeader(p, 0, version, protocol, length - ip) + Checksums.sum(p, ip, length - ip);
        return Checksums.fold(sum) == 0xFFFF;
    }

    /** Whether the IPv4 header checksum of the packet at {@code p[0]} verifies. */
    static boolean ipv4ChecksumValid(MemorySegment p) {
        return Checksums.fold(Checksums.sum(p, 0, (p.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4)) == 0xFFFF;
    }
}
