package io.qgate.engine.net;

import static io.qgate.engine.net.IpPackets.U16;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Internet checksum (RFC 1071) over packets in native memory, in place and without
 * allocation: sums of 16-bit big-endian words, taken eight bytes at a time (a 32-bit word's value
 * is its two halves' sum modulo 65535, so the fold comes out the same).
 */
public final class Checksums {
    /** Offset of the checksum in a TCP header. */
    public static final int TCP_CHECKSUM = 16;
    /** Offset of the checksum in a UDP header. */
    public static final int UDP_CHECKSUM = 6;
    public static final int TCP = 6;
    public static final int UDP = 17;

    private static final ValueLayout.OfLong NATIVE64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt NATIVE32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final boolean NATIVE_BIG_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN;


    private Checksums() {
    }

    /**
     * The sum of {@code p[off, off + length)} as big-endian 16-bit words (an odd last byte is the
     * high half of a word), partly folded: congruent modulo 65535 to the plain sum, and zero only
     * when the bytes are, so that it adds to other such sums and {@link #fold}s to the same result.
     * At most 64 KiB per call.
     *
     * <p>Eight bytes per step, in the machine's byte order: RFC 1071 (section 2, "byte order
     * independence") shows that summing byte-swapped words gives the byte-swapped sum, so the
     * little-endian total is folded to 16 bits and swapped once at the end.
     */
    public static long sum(MemorySegment p, long off, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = p.get(NATIVE64, off + i);
            sum += (v & 0xFFFF_FFFFL) + (v >>> 32);
        }
        if (i + 4 <= length) {
            sum += p.get(NATIVE32, off + i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (NATIVE_BIG_ENDIAN) {
            return tail(p, off, i, length, sum);
        }
        int folded = fold(sum);
        long swapped = ((folded & 0xFF) << 8) | (folded >>> 8);
        return tail(p, off, i, length, swapped);
    }

    /** Adds the last 0 to 3 bytes, {@code p[off + i, off + length)}, as big-endian words. */
    private static long tail(MemorySegment p, long off, int i, int length, long sum) {
        if (i + 2 <= length) {
            sum += p.get(U16, off + i) & 0xFFFF;
            i += 2;
        }
        if (i < length) {
            sum += (p.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF) << 8;
        }
        return sum;
    }

    /** {@code sum} folded to 16 bits (not inverted). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /**
     * The unfolded sum of the pseudo-header of a TCP or UDP segment of {@code l4Length} bytes in
     * the IP packet at {@code ip}: source, destination, protocol and length (RFC 9293 3.1, RFC
     * 8200 8.1).
     */
    public static long pseudoHeader(MemorySegment p, long ip, int version, int protocol, int l4Length) {
        long addresses = version == 4 ? sum(p, ip + IpPackets.IPV4_SOURCE, 8) : sum(p, ip + IpPackets.IPV6_SOURCE, 32);
        return addresses + protocol + l4Length;
    }

    /** Sets the IPv4 header checksum of the header at {@code ip} ({@code headerLength} bytes). */
    public static void setIpv4HeaderChecksum(MemorySegment p, long ip, int headerLength) {
        p.set(U16, ip + 10, (short) 0);
        p.set(U16, ip + 10, (short) ~fold(sum(p, ip, headerLength)));
    }

    /**
     * Sets the checksum of the TCP or UDP segment {@code p[l4, l4 + l4Length)} of the IP packet at
     * {@code ip}, computed over the pseudo-header and the whole segment (UDP's zero goes out as
     * 0xFFFF: zero there means "no checksum").
     */
    public static void setL4Checksum(MemorySegment p, long ip, int version, int protocol, long l4, int l4Length) {
        long field = l4 + (protocol == TCP ? TCP_CHECKSUM : UDP_CHECKSUM);
        p.set(U16, field, (short) 0);
        int folded = ~fold(pseudoHeader(p, ip, version, protocol, l4Length) + sum(p, l4, l4Length)) & 0xFFFF;
        p.set(U16, field, (short) (folded == 0 && protocol == UDP ? 0xFFFF : folded));
    }
}
