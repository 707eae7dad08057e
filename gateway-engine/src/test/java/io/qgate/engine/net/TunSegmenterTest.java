package io.qgate.engine.net;

import static io.qgate.engine.net.TunPackets.ACK;
import static io.qgate.engine.net.TunPackets.CWR;
import static io.qgate.engine.net.TunPackets.FIN;
import static io.qgate.engine.net.TunPackets.LE16;
import static io.qgate.engine.net.TunPackets.OPTIONS;
import static io.qgate.engine.net.TunPackets.PSH;
import static io.qgate.engine.net.TunPackets.SEQ;
import static io.qgate.engine.net.TunPackets.U16;
import static io.qgate.engine.net.TunPackets.U32;
import static io.qgate.engine.net.TunPackets.superPacket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TunSegmenterTest {
    private static final int MAX_PACKET = 1500;
    private static final int MSS = 1368; // 1420 - 20 - 32, what Linux uses over a 1420-byte TUN with timestamps

    private final TunSegmenter segmenter = new TunSegmenter();
    private final MemorySegment out = MemorySegment.ofArray(new byte[MAX_PACKET]);

    private int parse(MemorySegment p) {
        return segmenter.parse(p, 0, (int) p.byteSize(), MAX_PACKET);
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void aTcpSuperPacketBecomesFullSizedSegmentsWithTheirOwnLengthsSequenceNumbersFlagsAndChecksums(int version) {
        int payload = 3 * MSS + 100;
        int type = version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN;
        MemorySegment p = superPacket(version, Checksums.TCP, payload, type, MSS, ACK | PSH | FIN | CWR);
        int ip = version == 4 ? 20 : 40;
        int headers = ip + 20 + OPTIONS;
        assertEquals(4, parse(p));
        assertEquals(4, segmenter.segments());
        for (int k = 0; k < 4; k++) {
            int n = segmenter.segment(k, out);
            int chunk = k < 3 ? MSS : 100;
            assertEquals(headers + chunk, n, "segment " + k);
            assertEquals(version, IpPackets.version(out, 0, n), "a well-formed packet");
            assertEquals(n, IpPackets.declaredLength(out, 0, version), "its own length");
            if (version == 4) {
                assertEquals((0xFFFE + k) & 0xFFFF, out.get(U16, 4) & 0xFFFF, "identification counts up");
                assertTrue(TunPackets.ipv4ChecksumValid(out), "IPv4 header checksum");
            }
            assertEquals(SEQ + k * MSS, out.get(U32, ip + 4), "sequence number");
            int flags = out.get(ValueLayout.JAVA_BYTE, ip + 13) & 0xFF;
            assertEquals(ACK | (k == 0 ? CWR : 0) | (k == 3 ? PSH | FIN : 0), flags, "flags of segment " + k);
            assertTrue(TunPackets.l4ChecksumValid(out, n), "TCP checksum of segment " + k);
            assertEquals(p.asSlice(10 + headers + (long) k * MSS, chunk).mismatch(out.asSlice(headers, chunk)), -1,
                "payload of segment " + k);
            assertEquals(p.asSlice(10 + ip + 20, OPTIONS).mismatch(out.asSlice(ip + 20, OPTIONS)), -1, "options kept");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> segmenter.segment(4, out));
    }

    @Test
    void aUdpSuperPacketBecomesDatagramsWithTheirOwnUdpLengthsAndChecksums() {
        MemorySegment p = superPacket(4, Checksums.UDP, 2 * 1200 + 1, VirtioNetHeader.GSO_UDP_L4, 1200, 0);
        assertEquals(3, parse(p));
        for (int k = 0; k < 3; k++) {
            int n = segmenter.segment(k, out);
            int chunk = k < 2 ? 1200 : 1;
            assertEquals(28 + chunk, n);
            assertEquals(8 + chunk, out.get(U16, 24) & 0xFFFF, "UDP length");
            assertTrue(TunPackets.ipv4ChecksumValid(out));
            assertTrue(TunPackets.l4ChecksumValid(out, n), "UDP checksum of datagram " + k);
        }
    }

    @Test
    void aSuperPacketNoLongerThanOneSegmentIsOnePacketWithItsChecksumCompleted() {
        MemorySegment p = superPacket(6, Checksums.TCP, 500, VirtioNetHeader.GSO_TCPV6, MSS, ACK | PSH);
        assertEquals(1, parse(p));
        int n = segmenter.segment(0, out);
        assertEquals(40 + 32 + 500, n);
        assertEquals(ACK | PSH, out.get(ValueLayout.JAVA_BYTE, 53) & 0xFF);
        assertTrue(TunPackets.l4ChecksumValid(out, n));
    }

    @Test
    void aSinglePacketWithAPartialChecksumGetsItCompletedAndOneWithoutIsCopiedAsItIs() {
        MemorySegment p = superPacket(4, Checksums.TCP, 300, VirtioNetHeader.GSO_NONE, 0, ACK);
        assertEquals(1, parse(p));
        int n = segmenter.segment(0, out);
        assertEquals(352, n);
        assertTrue(TunPackets.l4ChecksumValid(out, n), "completed from csum_start");

        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0); // no NEEDS_CSUM: the packet is complete as it is
        assertEquals(1, parse(p));
        assertEquals(352, segmenter.segment(0, out));
        assertEquals(-1, p.asSlice(10, 352).mismatch(out.asSlice(0, 352)), "copied unchanged");
    }

    @Test
    void whatDoesNotAddUpIsRefusedWithItsReasonAndLeavesNoSegments() {
        assertRefused(TunSegmenter.MALFORMED, MemorySegment.ofArray(new byte[10]), "a header alone");
        MemorySegment p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV6, MSS, ACK);
        assertRefused(TunSegmenter.MALFORMED, p, "TCPV6 over an IPv4 packet");
        p = superPacket(6, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, MSS, ACK);
        assertRefused(TunSegmenter.MALFORMED, p, "TCPV4 over an IPv6 packet");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, 0, ACK);
        assertRefused(TunSegmenter.MALFORMED, p, "gso_size 0");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, MSS, ACK);
        p.set(ValueLayout.JAVA_BYTE, 10 + 20 + 12, (byte) 0x40);
        assertRefused(TunSegmenter.MALFORMED, p, "a TCP data offset below 5 words");
        p.set(ValueLayout.JAVA_BYTE, 10 + 20 + 12, (byte) 0xF0);
        MemorySegment shortOne = p.asSlice(0, 10 + 20 + 40);
        assertRefused(TunSegmenter.MALFORMED, shortOne, "a TCP header longer than the packet");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, MSS, ACK);
        p.set(ValueLayout.JAVA_BYTE, 10, (byte) 0x44);
        assertRefused(TunSegmenter.MALFORMED, p, "an IPv4 header of 16 bytes");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, MSS, ACK);
        p.set(ValueLayout.JAVA_BYTE, 10, (byte) 0x55);
        assertRefused(TunSegmenter.MALFORMED, p, "IP version 5");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_UDP_L4, MSS, ACK);
        assertRefused(TunSegmenter.MALFORMED, p, "USO over a TCP packet");
        p = superPacket(4, Checksums.TCP, 300, VirtioNetHeader.GSO_NONE, 0, ACK);
        p.set(LE16, 6, (short) 400);
        assertRefused(TunSegmenter.MALFORMED, p, "csum_start past the packet");
        p.set(LE16, 6, (short) 20);
        p.set(LE16, 8, (short) 331);
        assertRefused(TunSegmenter.MALFORMED, p, "a checksum field past the packet");
    }

    @Test
    void offloadsThisClassDoesNotDoAndSegmentsTooBigAreRefusedAsSuch() {
        MemorySegment p = superPacket(4, Checksums.UDP, 3000, VirtioNetHeader.GSO_UDP, 1200, 0);
        assertRefused(TunSegmenter.UNSUPPORTED, p, "UFO");
        p = superPacket(6, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV6, MSS, ACK);
        p.set(ValueLayout.JAVA_BYTE, 10 + 6, (byte) 0); // a hop-by-hop header first
        assertRefused(TunSegmenter.UNSUPPORTED, p, "an IPv6 extension header");
        p = superPacket(4, Checksums.TCP, 3000, VirtioNetHeader.GSO_TCPV4, MAX_PACKET, ACK);
        assertRefused(TunSegmenter.TOO_BIG, p, "segments larger than the caller takes");
        p = superPacket(4, Checksums.TCP, MAX_PACKET, VirtioNetHeader.GSO_NONE, 0, ACK);
        assertRefused(TunSegmenter.TOO_BIG, p, "one packet larger than the caller takes");
    }

    private void assertRefused(int reason, MemorySegment p, String what) {
        assertEquals(reason, parse(p), what);
        assertEquals(0, segmenter.segments(), what + ": nothing to hand out");
        assertThrows(IndexOutOfBoundsException.class, () -> segmenter.segment(0, out), what);
    }
}
