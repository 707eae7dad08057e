package io.qgate.engine.net;

import static io.qgate.engine.net.IpPackets.U16;
import static io.qgate.engine.net.IpPackets.U32;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Joins consecutive TCP segments of one flow into one super-packet for a TUN device with a
 * {@link VirtioNetHeader} (what GRO does for a NIC), so the receiving stack takes up to 64 KiB in
 * one write and one pass instead of one per segment.
 *
 * <p>A chain starts at a full-sized segment carrying data with only ACK set ({@link #start}) and
 * takes each following segment ({@link #append}) while it continues the same flow exactly: same
 * addresses, ports, IP fields, ACK number, window and TCP options, the next sequence number, and a
 * payload of the head's size (a smaller one, or one with PSH, is taken as the last). Its payload
 * is copied in place after the chain's end, which must have room ({@code room} at start).
 * {@link #finish} fixes the head's lengths, sets the TCP checksum field to the pseudo-header's sum
 * and writes the header {@code NEEDS_CSUM} + TCPV4/TCPV6: the kernel completes the checksum where
 * the packet leaves again and skips it where it is delivered locally. The segments' own checksums
 * are not checked: they arrived authenticated by the tunnel's AEAD.
 *
 * <p>Frames: every packet is passed as a segment whose first {@value VirtioNetHeader#SIZE} bytes
 * are free for the header, the IP packet starting right after. One instance per writing thread;
 * nothing allocated per packet.
 */
public final class TunCoalescer {
    /** Largest super-packet: the IPv4 total length's limit (kept for IPv6's payload length too). */
    public static final int MAX_LENGTH = 65_535;
    /** Most segments in one super-packet (the kernel's GRO stops at 64 too). */
    public static final int MAX_SEGMENTS = 64;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int H = VirtioNetHeader.SIZE;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    private MemorySegment head;
    private long room;
    private int length;
    private int version;
    private int ipHeader;
    private int headers;
    private int gsoSize;
    private int segments;
    private int nextSeq;
    private boolean push;
    private boolean closed;

    /**
     * Whether the packet in {@code frame[10, 10 + length)} may begin a chain; if so it becomes the
     * head, and the chain may grow to {@code room} bytes from the packet's start. A packet that
     * cannot (not TCP, no data, flags other than ACK, IPv4 options or fragments, IPv6 extension
     * headers) is for the caller to write on its own with {@link #plain}.
     */
    public boolean start(MemorySegment frame, int length, long room) {
        head = null;
        if (length <= 0 || room < length || frame.byteSize() < H + room) {
            return false;
        }
        int v = (frame.get(ValueLayout.JAVA_BYTE, H) & 0xF0) >>> 4;
        int ipLen;
        if (v == 4) {
            if (length < 40 || (frame.get(ValueLayout.JAVA_BYTE, H) & 0x0F) != 5
                    || (frame.get(U16, H + 6) & 0x3FFF) != 0 || (frame.get(ValueLayout.JAVA_BYTE, H + 9) & 0xFF) != Checksums.TCP
                    || (frame.get(U16, H + 2) & 0xFFFF) != length) {
                return false;
            }
            ipLen = IpPackets.IPV4_HEADER;
        } else if (v == 6) {
            if (length < 60 || (frame.get(ValueLayout.JAVA_BYTE, H + 6) & 0xFF) != Checksums.TCP
                    || (frame.get(U16, H + 4) & 0xFFFF) + IpPackets.IPV6_HEADER != length) {
                return false;
            }
            ipLen = IpPackets.IPV6_HEADER;
        } else {
            return false;
        }
        int tcpLen = ((frame.get(ValueLayout.JAVA_BYTE, H + ipLen + 12) & 0xF0) >>> 4) * 4;
        if (tcpLen < 20 || ipLen + tcpLen >= length || (frame.get(ValueLayout.JAVA_BYTE, H + ipLen + 13) & 0xFF) != ACK) {
            return false;
        }
        head = frame;
        this.room = room;
        this.length = length;
        version = v;
        ipHeader = ipLen;
        headers = ipLen + tcpLen;
        gsoSize = length - headers;
        segments = 1;
        nextSeq = frame.get(U32, H + ipLen + 4) + gsoSize;
        push = false;
        closed = false;
        return true;
    }

    /** Whether a chain is open (started and not yet finished). */
    public boolean active() {
        return head != null;
    }

    /**
     * Appends the packet in {@code frame[10, 10 + length)} to the open chain if it continues it
     * (see the class comment) and returns true; false leaves the chain as it was. The frame may lie
     * in the chain's own memory past its current end (it is read before being overwritten).
     */
    public boolean append(MemorySegment frame, int length) {
        if (head == null || closed || segments >= MAX_SEGMENTS || length <= headers || frame.byteSize() < H + length) {
            return false;
        }
        int data = length - headers;
        if (data > gsoSize || this.length + data > MAX_LENGTH || this.length + data > room) {
            return false;
        }
        if (version == 4) {
            if ((frame.get(U16, H + 2) & 0xFFFF) != length
                    || frame.get(U16, H) != head.get(U16, H) // version, IHL, TOS
                    || frame.get(U16, H + 6) != head.get(U16, H + 6) // DF, no fragment
                    || frame.get(U16, H + 8) != head.get(U16, H + 8) // TTL, protocol
                    || frame.get(U64, H + 12) != head.get(U64, H + 12)) { // addresses
                return false;
            }
        } else {
            if ((frame.get(U16, H + 4) & 0xFFFF) + IpPackets.IPV6_HEADER != length
                    || frame.get(U32, H) != head.get(U32, H) // version, class, flow label
                    || frame.get(U16, H + 6) != head.get(U16, H + 6) // next header, hop limit
                    || !sameBytes(frame, head, H + 8, 32)) {
                return false;
            }
        }
        long t = H + ipHeader;
        int flags = frame.get(ValueLayout.JAVA_BYTE, t + 13) & 0xFF;
        if (frame.get(U32, t) != head.get(U32, t) // ports
                || frame.get(U32, t + 4) != nextSeq
                || frame.get(U32, t + 8) != head.get(U32, t + 8) // ACK number
                || frame.get(ValueLayout.JAVA_BYTE, t + 12) != head.get(ValueLayout.JAVA_BYTE, t + 12) // data offset
                || (flags != ACK && flags != (ACK | PSH))
                || frame.get(U16, t + 14) != head.get(U16, t + 14) // window
                || !sameBytes(frame, head, t + 20, headers - ipHeader - 20)) { // options
            return false;
        }
        MemorySegment.copy(frame, H + headers, head, H + this.length, data);
        this.length += data;
        nextSeq += data;
        segments++;
        if ((flags & PSH) != 0) {
            push = true;
            closed = true;
        }
        if (data < gsoSize) {
            closed = true;
        }
        return true;
    }

    private static boolean sameBytes(MemorySegment a, MemorySegment b, long off, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (a.get(U64, off + i) != b.get(U64, off + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (a.get(ValueLayout.JAVA_BYTE, off + i) != b.get(ValueLayout.JAVA_BYTE, off + i)) {
                return false;
            }
        }
        return true;
    }

    /** The open chain's first frame, which {@link #finish} makes the bytes to write; null when none is open. */
    public MemorySegment head() {
        return head;
    }

    /** Segments in the open chain. */
    public int segments() {
        return head == null ? 0 : segments;
    }

    /**
     * Closes the chain: a chain of one is left untouched under a plain header; a longer one gets
     * its lengths, PSH, IPv4 header checksum, the TCP checksum field and a GSO header.
     *
     * @return the bytes to write from the head frame's offset 0 (header included)
     */
    public int finish() {
        MemorySegment p = head;
        head = null;
        if (p == null) {
            throw new IllegalStateException("no chain is open");
        }
        if (segments == 1) {
            return plain(p, length);
        }
        if (version == 4) {
            p.set(U16, H + 2, (short) length);
            Checksums.setIpv4HeaderChecksum(p, H, ipHeader);
        } else {
            p.set(U16, H + 4, (short) (length - IpPackets.IPV6_HEADER));
        }
        long t = H + ipHeader;
        if (push) {
            p.set(ValueLayout.JAVA_BYTE, t + 13, (byte) (ACK | PSH));
        }
        int pseudo = Checksums.fold(Checksums.pseudoHeader(p, H, version, Checksums.TCP, length - ipHeader));
        p.set(U16, t + Checksums.TCP_CHECKSUM, (short) pseudo);
        VirtioNetHeader.writeTcpGso(p, 0, version, headers, gsoSize, ipHeader);
        return H + length;
    }

    /** Puts a plain header before the packet {@code frame[10, 10 + length)} and returns the bytes to write. */
    public static int plain(MemorySegment frame, int length) {
        VirtioNetHeader.writePlain(frame, 0);
        return H + length;
    }
}
