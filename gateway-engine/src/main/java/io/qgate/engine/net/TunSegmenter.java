package io.qgate.engine.net;

import static io.qgate.engine.net.IpPackets.U16;
import static io.qgate.engine.net.IpPackets.U32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Cuts what a TUN device with offloads hands over (a {@link VirtioNetHeader} and one packet) into
 * ordinary IP packets, the way a NIC's segmentation would: a TCP super-packet (TSO) into
 * {@code gso_size}-byte segments, a UDP one (USO) into {@code gso_size}-byte datagrams, each with
 * its own IP length, IPv4 identification and header checksum, TCP sequence number and flags, and
 * a complete TCP or UDP checksum; a single packet whose checksum the kernel left partial
 * ({@code NEEDS_CSUM}) gets it completed.
 *
 * <p>{@link #parse} reads and checks the header once (bounded by the given length, nothing trusted
 * from {@code hdr_len}); {@link #segment} then writes segment {@code k} into a buffer of the
 * caller's. One instance per reading thread; nothing allocated per packet.
 */
public final class TunSegmenter {
    /** {@link #parse}: the header asks for an offload this class does not do (UFO, IPv6 extension headers). */
    public static final int UNSUPPORTED = -1;
    /** {@link #parse}: lengths or fields that do not add up. */
    public static final int MALFORMED = -2;
    /** {@link #parse}: a segment would exceed the largest packet the caller takes. */
    public static final int TOO_BIG = -3;

    private static final int UDP_HEADER = 8;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private MemorySegment source;
    /** Offset of the IP header in {@link #source}, and the packet's length from there. */
    private long ip;
    private int length;
    private int segments;
    /** 0: one packet, copied as is (after completing a partial checksum if {@link #csumStart} >= 0). */
    private int protocol;
    private int csumStart;
    private int csumOffset;
    private int version;
    private int ipHeader;
    /** IP header plus TCP or UDP header. */
    private int headers;
    private int gsoSize;
    private int payload;

    /**
     * Reads the virtio header at {@code p[off]} and the packet after it, {@code length} bytes in
     * all, and checks that every segment will fit {@code maxPacket} bytes.
     *
     * @return how many packets {@link #segment} will make (at least 1), or {@link #UNSUPPORTED},
     *     {@link #MALFORMED} or {@link #TOO_BIG}
     */
    public int parse(MemorySegment p, long off, int length, int maxPacket) {
        source = null;
        segments = 0;
        if (length <= VirtioNetHeader.SIZE) {
            return MALFORMED;
        }
        int flags = VirtioNetHeader.flags(p, off);
        int type = VirtioNetHeader.gsoType(p, off) & ~VirtioNetHeader.GSO_ECN;
        this.ip = off + VirtioNetHeader.SIZE;
        this.length = length - VirtioNetHeader.SIZE;
        if (type == VirtioNetHeader.GSO_NONE) {
            if (this.length > maxPacket) {
                return TOO_BIG;
            }
            protocol = 0;
            csumStart = -1;
            if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
                int start = VirtioNetHeader.csumStart(p, off);
                int field = VirtioNetHeader.csumOffset(p, off);
                if (start >= this.length || field > this.length - start - 2) {
                    return MALFORMED;
                }
                csumStart = start;
                csumOffset = field;
            }
            return accept(p, 1);
        }
        if (type != VirtioNetHeader.GSO_TCPV4 && type != VirtioNetHeader.GSO_TCPV6 && type != VirtioNetHeader.GSO_UDP_L4) {
            return UNSUPPORTED;
        }
        if (this.length < IpPackets.IPV4_HEADER) {
            return MALFORMED;
        }
        version = (p.get(ValueLayout.JAVA_BYTE, ip) & 0xF0) >>> 4;
        int next;
        if (version == 4) {
            ipHeader = (p.get(ValueLayout.JAVA_BYTE, ip) & 0x0F) * 4;
            if (ipHeader < IpPackets.IPV4_HEADER || ipHeader > this.length || type == VirtioNetHeader.GSO_TCPV6) {
                return MALFORMED;
            }
            next = p.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xFF;
        } else if (version == 6) {
            ipHeader = IpPackets.IPV6_HEADER;
            if (ipHeader > this.length || type == VirtioNetHeader.GSO_TCPV4) {
                return MALFORMED;
            }
            next = p.get(ValueLayout.JAVA_BYTE, ip + 6) & 0xFF;
        } else {
            return MALFORMED;
        }
        protocol = type == VirtioNetHeader.GSO_UDP_L4 ? Checksums.UDP : Checksums.TCP;
        if (next != protocol) {
            return next == Checksums.TCP || next == Checksums.UDP ? MALFORMED : UNSUPPORTED; // extension headers
        }
        int l4Header;
        if (protocol == Checksums.TCP) {
            if (this.length - ipHeader < 20) {
                return MALFORMED;
            }
            l4Header = ((p.get(ValueLayout.JAVA_BYTE, ip + ipHeader + 12) & 0xF0) >>> 4) * 4;
            if (l4Header < 20 || l4Header > this.length - ipHeader) {
                return MALFORMED;
            }
        } else {
            l4Header = UDP_HEADER;
            if (this.length - ipHeader < UDP_HEADER) {
                return MALFORMED;
            }
        }
        headers = ipHeader + l4Header;
        gsoSize = VirtioNetHeader.gsoSize(p, off);
        if (gsoSize == 0) {
            return MALFORMED;
        }
        payload = this.length - headers;
        if (headers + Math.min(gsoSize, payload) > maxPacket) {
            return TOO_BIG;
        }
        return accept(p, payload == 0 ? 1 : (payload + gsoSize - 1) / gsoSize);
    }

    private int accept(MemorySegment p, int count) {
        source = p;
        segments = count;
        return count;
    }

    /** How many packets the last successful {@link #parse} makes; 0 after a failed one. */
    public int segments() {
        return segments;
    }

    /**
     * Writes packet {@code k} (0 to {@link #segments()} - 1) of the last parsed super-packet into
     * {@code out} from offset 0, and returns its length. {@code out} must hold the {@code maxPacket}
     * bytes given to {@link #parse}, and the parsed memory must not have changed.
     */
    public int segment(int k, MemorySegment out) {
        if (k < 0 || k >= segments) {
            throw new IndexOutOfBoundsException("segment " + k + " of " + segments);
        }
        if (protocol == 0) {
            MemorySegment.copy(source, ip, out, 0, length);
            if (csumStart >= 0) {
                long field = csumStart + csumOffset;
                // the field holds the pseudo-header's sum: summing over it completes the checksum
                int folded = ~Checksums.fold(Checksums.sum(out, csumStart, length - csumStart)) & 0xFFFF;
                out.set(U16, field, (short) folded);
            }
            return length;
        }
        int chunk = Math.min(gsoSize, payload - k * gsoSize); // 0 for a super-packet without data
        int n = headers + chunk;
        MemorySegment.copy(source, ip, out, 0, headers);
        MemorySegment.copy(source, ip + headers + (long) k * gsoSize, out, headers, chunk);
        if (version == 4) {
            out.set(U16, 2, (short) n);
            out.set(U16, 4, (short) ((out.get(U16, 4) & 0xFFFF) + k));
            Checksums.setIpv4HeaderChecksum(out, 0, ipHeader);
        } else {
            out.set(U16, 4, (short) (n - IpPackets.IPV6_HEADER));
        }
        if (protocol == Checksums.TCP) {
            out.set(U32, ipHeader + 4, out.get(U32, ipHeader + 4) + k * gsoSize);
            int flags = out.get(ValueLayout.JAVA_BYTE, ipHeader + 13) & 0xFF;
            if (k > 0) {
                flags &= ~TCP_CWR;
            }
            if (k < segments - 1) {
                flags &= ~(TCP_FIN | TCP_PSH);
            }
            out.set(ValueLayout.JAVA_BYTE, ipHeader + 13, (byte) flags);
        } else {
            out.set(U16, ipHeader + 4, (short) (n - ipHeader));
        }
        Checksums.setL4Checksum(out, 0, version, protocol, ipHeader, n - ipHeader);
        return n;
    }
}
