package io.qgate.engine.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds the ICMP error that tells a sender its packet is too big for the tunnel: ICMPv4
 * "destination unreachable, fragmentation needed" (type 3, code 4, RFC 792 and RFC 1191) or
 * ICMPv6 "packet too big" (type 2, code 0, RFC 4443 section 3.2), carrying the tunnel MTU and as
 * much of the offending packet as the RFCs allow (IPv4: the header plus up to 548 bytes so the
 * reply stays within 576; IPv6: up to a 1280-byte reply).
 *
 * <p>The reply goes from {@code source} back to the packet's sender and is written to the TUN
 * device; the gateway uses the packet's own destination as {@code source} (the sender is often
 * this host, whose kernel drops packets that claim one of its own addresses as source). No allocation: the caller gives the output
 * segment.
 */
public final class IcmpTooBig {
    /** Largest reply built: IPv6's minimum MTU (RFC 8200). */
    public static final int MAX_REPLY = 1280;
    private static final int V4_REPLY_LIMIT = 576;
    private static final ValueLayout.OfShort U16 = IpPackets.U16;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private IcmpTooBig() {
    }

    /**
     * Writes into {@code out} the ICMP error for the IPv4 or IPv6 packet {@code p[off, off + length)}.
     *
     * @param source the reply's source address, of the packet's family (4 or 16 bytes)
     * @param mtu the largest inner packet the tunnel carries
     * @return the reply's length, or 0 when none is due (the packet is itself an ICMP error, or
     *     is malformed, or the family of {@code source} does not match)
     */
    public static int build(MemorySegment p, long off, int length, byte[] source, int mtu, MemorySegment out) {
        int version = IpPackets.version(p, off, length);
        if (version == 4 && source.length == 4) {
            return build4(p, off, length, source, mtu, out);
        }
        if (version == 6 && source.length == 16) {
            return build6(p, off, length, source, mtu, out);
        }
        return 0;
    }

    private static int build4(MemorySegment p, long off, int length, byte[] source, int mtu, MemorySegment out) {
        int ihl = (p.get(ValueLayout.JAVA_BYTE, off) & 0x0F) * 4;
        int protocol = p.get(ValueLayout.JAVA_BYTE, off + 9) & 0xFF;
        if (protocol == 1 && length >= ihl + 1 && isIcmpError4(p.get(ValueLayout.JAVA_BYTE, off + ihl) & 0xFF)) {
            return 0; // never answer an ICMP error with one (RFC 1122 3.2.2)
        }
        if ((p.get(U16, off + 6) & 0x1FFF) != 0) {
            return 0; // only the first fragment gets an error (RFC 1122 3.2.2)
        }
        int quoted = Math.min(length, V4_REPLY_LIMIT - 28);
        int total = 28 + quoted;
        out.asSlice(0, total).fill((byte) 0); // cold path: a slice is fine
        out.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        out.set(U16, 2, (short) total);
        out.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        out.set(ValueLayout.JAVA_BYTE, 9, (byte) 1);
        MemorySegment.copy(MemorySegment.ofArray(source), 0, out, 12, 4);
        MemorySegment.copy(p, off + 12, out, 16, 4); // back to the sender
        out.set(U16, 10, (short) ~IpPackets.onesComplementSum(out, 0, 20, 0));
        out.set(ValueLayout.JAVA_BYTE, 20, (byte) 3);
        out.set(ValueLayout.JAVA_BYTE, 21, (byte) 4);
        out.set(U16, 26, (short) Math.min(mtu, 0xFFFF));
        MemorySegment.copy(p, off, out, 28, quoted);
        out.set(U16, 22, (short) ~IpPackets.onesComplementSum(out, 20, 8 + quoted, 0));
        return total;
    }

    private static int build6(MemorySegment p, long off, int length, byte[] source, int mtu, MemorySegment out) {
        int next = p.get(ValueLayout.JAVA_BYTE, off + 6) & 0xFF;
        if (next == 58 && length >= 41 && (p.get(ValueLayout.JAVA_BYTE, off + 40) & 0x80) == 0) {
            return 0; // an ICMPv6 error (types below 128) is never answered (RFC 4443 2.4 e)
        }
        int quoted = Math.min(length, MAX_REPLY - 48);
        int payload = 8 + quoted;
        int total = 40 + payload;
        out.asSlice(0, total).fill((byte) 0);
        out.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x60);
        out.set(U16, 4, (short) payload);
        out.set(ValueLayout.JAVA_BYTE, 6, (byte) 58);
        out.set(ValueLayout.JAVA_BYTE, 7, (byte) 64);
        MemorySegment.copy(MemorySegment.ofArray(source), 0, out, 8, 16);
        MemorySegment.copy(p, off + 8, out, 24, 16);
        out.set(ValueLayout.JAVA_BYTE, 40, (byte) 2);
        out.set(U32, 44, mtu);
        MemorySegment.copy(p, off, out, 48, quoted);
        // checksum over the pseudo-header (RFC 8200 8.1): addresses, upper-layer length, next header
        int sum = IpPackets.onesComplementSum(out, 8, 32, 0);
        sum = IpPackets.onesComplementSum(MemorySegment.ofArray(new byte[] {0, 0, (byte) (payload >>> 8), (byte) payload,
            0, 0, 0, 58}), 0, 8, sum);
        sum = IpPackets.onesComplementSum(out, 40, payload, sum);
        out.set(U16, 42, (short) ~sum);
        return total;
    }

    private static boolean isIcmpError4(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
