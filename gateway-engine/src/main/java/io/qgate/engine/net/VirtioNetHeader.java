package io.qgate.engine.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} that a TUN device opened with {@code IFF_VNET_HDR}
 * puts in front of every packet it hands over and expects in front of every packet written to it
 * (include/uapi/linux/virtio_net.h; Documentation/networking/tuntap.rst). Its fields are
 * little-endian on the little-endian machines this gateway runs on (the legacy virtio layout,
 * which TUN uses unless told {@code TUNSETVNETBE}).
 *
 * <pre>
 *   0  flags        NEEDS_CSUM: checksum from csum_start, stored at csum_start + csum_offset
 *   1  gso_type     NONE, TCPV4, UDP, TCPV6, UDP_L4, plus the ECN bit
 *   2  hdr_len      bytes of headers (a hint)
 *   4  gso_size     payload bytes per segment
 *   6  csum_start
 *   8  csum_offset
 * </pre>
 */
public final class VirtioNetHeader {
    public static final int SIZE = 10;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_GSO_NONE}. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP} (UFO: IPv4 fragments; no kernel since 4.14 produces it). */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4}: UDP segmentation (USO), either family. */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: the TCP super-packet carries CWR, which only its first segment keeps. */
    public static final int GSO_ECN = 0x80;

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private VirtioNetHeader() {
    }

    public static int flags(MemorySegment p, long off) {
        return p.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    public static int gsoType(MemorySegment p, long off) {
        return p.get(ValueLayout.JAVA_BYTE, off + 1) & 0xFF;
    }

    public static int gsoSize(MemorySegment p, long off) {
        return p.get(LE16, off + 4) & 0xFFFF;
    }

    public static int csumStart(MemorySegment p, long off) {
        return p.get(LE16, off + 6) & 0xFFFF;
    }

    public static int csumOffset(MemorySegment p, long off) {
        return p.get(LE16, off + 8) & 0xFFFF;
    }

    /** Writes a header saying "one ordinary packet, checksums complete": all zero. */
    public static void writePlain(MemorySegment p, long off) {
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, off, 0L);
        p.set(LE16, off + 8, (short) 0);
    }

    /** Writes a header for a TCP super-packet whose checksum the kernel completes (or trusts, delivering locally). */
    public static void writeTcpGso(MemorySegment p, long off, int version, int headers, int gsoSize, int csumStart) {
        p.set(ValueLayout.JAVA_BYTE, off, (byte) F_NEEDS_CSUM);
        p.set(ValueLayout.JAVA_BYTE, off + 1, (byte) (version == 4 ? GSO_TCPV4 : GSO_TCPV6));
        p.set(LE16, off + 2, (short) headers);
        p.set(LE16, off + 4, (short) gsoSize);
        p.set(LE16, off + 6, (short) csumStart);
        p.set(LE16, off + 8, (short) Checksums.TCP_CHECKSUM);
    }
}
