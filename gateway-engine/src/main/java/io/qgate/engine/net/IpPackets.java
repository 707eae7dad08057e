package io.qgate.engine.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reading the few fields of an inner IP packet that the data plane needs, in place, bounded,
 * without allocation. Offsets are from the start of the IP header.
 */
public final class IpPackets {
    /** IPv4 header without options. */
    public static final int IPV4_HEADER = 20;
    /** IPv6 fixed header. */
    public static final int IPV6_HEADER = 40;
    /** Offset of the IPv4 source address; the destination follows at 16. */
    public static final int IPV4_SOURCE = 12;
    public static final int IPV4_DESTINATION = 16;
    /** Offset of the IPv6 source address; the destination follows at 24. */
    public static final int IPV6_SOURCE = 8;
    public static final int IPV6_DESTINATION = 24;

    /** Big-endian fields at any offset, for the package's packet code. */
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private IpPackets() {
    }

    /**
     * The IP version (4 or 6) of a well-formed packet {@code p[off, off + length)}, or 0 if it is
     * too short for its version's header or its length field disagrees with {@code length}
     * (IPv4 total length, IPv6 payload length + 40: must not exceed {@code length}).
     */
    public static int version(MemorySegment p, long off, int length) {
        if (length < 1) {
            return 0;
        }
        int version = (p.get(ValueLayout.JAVA_BYTE, off) & 0xF0) >>> 4;
        if (version == 4) {
            if (length < IPV4_HEADER) {
                return 0;
            }
            int ihl = (p.get(ValueLayout.JAVA_BYTE, off) & 0x0F) * 4;
            int total = p.get(U16, off + 2) & 0xFFFF;
            return ihl >= IPV4_HEADER && total >= ihl && total <= length ? 4 : 0;
        }
        if (version == 6) {
            if (length < IPV6_HEADER) {
                return 0;
            }
            int total = (p.get(U16, off + 4) & 0xFFFF) + IPV6_HEADER;
            return total <= length ? 6 : 0;
        }
        return 0;
    }

    /** The length the packet's header declares (IPv4 total length, IPv6 40 + payload length). */
    public static int declaredLength(MemorySegment p, long off, int version) {
        return version == 4 ? p.get(U16, off + 2) & 0xFFFF : (p.get(U16, off + 4) & 0xFFFF) + IPV6_HEADER;
    }

    /** Whether an IPv4 packet has Don't Fragment set. */
    public static boolean dontFragment(MemorySegment p, long off) {
        return (p.get(ValueLayout.JAVA_BYTE, off + 6) & 0x40) != 0;
    }

    /** The peer of the packet's destination in {@code table}, or {@link AllowedIps#NONE}. */
    public static int peerOfDestination(AllowedIps table, MemorySegment p, long off, int version) {
        return version == 4 ? table.lookup4(p, off + IPV4_DESTINATION) : table.lookup6(p, off + IPV6_DESTINATION);
    }

    /** The peer of the packet's source in {@code table}, or {@link AllowedIps#NONE}. */
    public static int peerOfSource(AllowedIps table, MemorySegment p, long off, int version) {
        return version == 4 ? table.lookup4(p, off + IPV4_SOURCE) : table.lookup6(p, off + IPV6_SOURCE);
    }

    /** The one's-complement sum of {@code p[off, off + length)} as 16-bit big-endian words, folded (not inverted). */
    static int onesComplementSum(MemorySegment p, long off, int length, int initial) {
        return Checksums.fold(initial + Checksums.sum(p, off, length));
    }
}
