package io.qgate.engine.net;

import static io.qgate.engine.net.TunPackets.ACK;
import static io.qgate.engine.net.TunPackets.LE16;
import static io.qgate.engine.net.TunPackets.OPTIONS;
import static io.qgate.engine.net.TunPackets.PSH;
import static io.qgate.engine.net.TunPackets.U16;
import static io.qgate.engine.net.TunPackets.U32;
import static io.qgate.engine.net.TunPackets.superPacket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inbound half of TUN offloads. Segments are laid out the way the inbound egress finds them:
 * datagrams of one GRO buffer side by side in one slot, each packet 16 bytes into its datagram
 * with a tag's 16 bytes after it, its frame ({@link VirtioNetHeader#SIZE} bytes of room, then the
 * packet) reaching to the slot's end.
 */
class TunCoalescerTest {
    private static final int MSS = 1368;
    private static final int H = VirtioNetHeader.SIZE;

    private final TunCoalescer coalescer = new TunCoalescer();

    /** A super-packet cut by {@link TunSegmenter} into datagram-sized places of one slot. */
    private record Slot(MemorySegment original, MemorySegment[] frames, int[] lengths) {
        MemorySegment packet(int k) {
            return frames[k].asSlice(H);
        }
    }

    private static Slot cut(int version, int payload, int mss, int flags) {
        MemorySegment original = superPacket(version, Checksums.TCP,
            payload, version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, mss, flags);
        TunSegmenter segmenter = new TunSegmenter();
        int count = segmenter.parse(original, 0, (int) original.byteSize(), 65_535);
        int datagram = 16 + (version == 4 ? 20 : 40) + 20 + OPTIONS + mss + 16;
        MemorySegment slot = MemorySegment.ofArray(new byte[Math.max(65_536, count * datagram + 64)]);
        MemorySegment[] frames = new MemorySegment[count];
        int[] lengths = new int[count];
        for (int k = 0; k < count; k++) {
            frames[k] = slot.asSlice((long) k * datagram + 16 - H);
            lengths[k] = segmenter.segment(k, frames[k].asSlice(H));
        }
        return new Slot(original.asSlice(H), frames, lengths);
    }

    private boolean start(Slot s, int k) {
        return coalescer.start(s.frames[k], s.lengths[k], s.frames[k].byteSize() - H);
    }

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void theSegmentsOfASuperPacketJoinBackIntoItByteForByteUnderAGsoHeader(int version) {
        Slot s = cut(version, 5 * MSS + 77, MSS, ACK | PSH);
        assertEquals(6, s.frames.length);
        assertTrue(start(s, 0));
        for (int k = 1; k < 6; k++) {
            assertTrue(coalescer.append(s.frames[k], s.lengths[k]), "segment " + k);
        }
        assertEquals(6, coalescer.segments());
        int n = coalescer.finish();
        assertFalse(coalescer.active());
        int ip = version == 4 ? 20 : 40;
        assertEquals(H + s.original.byteSize(), n);
        MemorySegment frame = s.frames[0];
        assertEquals(-1, s.original.mismatch(frame.asSlice(H, n - H)),
            "lengths, identification, PSH, IPv4 checksum and the TCP field's pseudo-header sum as the sender's stack made them");
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.flags(frame, 0));
        assertEquals(version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoType(frame, 0));
        assertEquals(ip + 20 + OPTIONS, frame.get(LE16, 2));
        assertEquals(MSS, VirtioNetHeader.gsoSize(frame, 0));
        assertEquals(ip, VirtioNetHeader.csumStart(frame, 0));
        assertEquals(Checksums.TCP_CHECKSUM, VirtioNetHeader.csumOffset(frame, 0));
    }

    @Test
    void aChainOfOneIsWrittenUntouchedUnderAPlainHeader() {
        Slot s = cut(4, 2 * MSS, MSS, ACK);
        MemorySegment before = MemorySegment.ofArray(s.packet(0).asSlice(0, s.lengths[0]).toArray(ValueLayout.JAVA_BYTE));
        assertTrue(start(s, 0));
        assertEquals(H + s.lengths[0], coalescer.finish());
        assertEquals(-1, before.mismatch(s.packet(0).asSlice(0, s.lengths[0])));
        assertEquals(0L, s.frames[0].get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        assertEquals(0, s.frames[0].get(U16, 8));
        assertThrows(IllegalStateException.class, coalescer::finish, "nothing open any more");
    }

    @Test
    void onlyAFullTcpSegmentWithDataAndJustAckMayStartAChain() {
        assertNoStart(4, p -> p.set(ValueLayout.JAVA_BYTE, 20 + 13, (byte) (ACK | PSH)), "PSH");
        assertNoStart(4, p -> p.set(ValueLayout.JAVA_BYTE, 20 + 13, (byte) 0x12), "SYN");
        assertNoStart(4, p -> p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x46), "IPv4 options");
        assertNoStart(4, p -> p.set(U16, 6, (short) 0x2000), "a fragment (MF)");
        assertNoStart(4, p -> p.set(ValueLayout.JAVA_BYTE, 9, (byte) 17), "UDP");
        assertNoStart(4, p -> p.set(U16, 2, (short) 100), "a declared length that differs");
        assertNoStart(6, p -> p.set(ValueLayout.JAVA_BYTE, 6, (byte) 17), "IPv6 UDP");
        assertNoStart(6, p -> p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x70), "IP version 7");
        Slot s = cut(4, 2 * MSS, MSS, ACK);
        assertFalse(coalescer.start(s.frames[0], s.lengths[0], s.lengths[0] - 1), "room below its own length");
        assertFalse(coalescer.start(s.frames[0], 0, 100), "nothing");
        Slot ack = cut(4, 0, MSS, ACK);
        assertFalse(coalescer.start(ack.frames[0], ack.lengths[0], 1000), "a pure ACK, without data");
        assertFalse(coalescer.active());
    }

    private void assertNoStart(int version, Consumer<MemorySegment> change, String what) {
        Slot s = cut(version, 2 * MSS, MSS, ACK);
        change.accept(s.packet(0));
        assertFalse(start(s, 0), what);
    }

    @Test
    void aSegmentThatDoesNotContinueTheFlowExactlyIsNotTaken() {
        assertNoAppend(4, p -> p.set(U16, 20, (short) 40001), "another source port");
        assertNoAppend(4, p -> p.set(U32, 24, p.get(U32, 24) + 1), "a gap in the sequence");
        assertNoAppend(4, p -> p.set(U32, 28, 7), "another ACK number");
        assertNoAppend(4, p -> p.set(ValueLayout.JAVA_BYTE, 33, (byte) (ACK | 0x01)), "FIN");
        assertNoAppend(4, p -> p.set(ValueLayout.JAVA_BYTE, 33, (byte) (ACK | 0x04)), "RST");
        assertNoAppend(4, p -> p.set(U16, 34, (short) 9), "another window");
        assertNoAppend(4, p -> p.set(U32, 48, 1), "another timestamp");
        assertNoAppend(4, p -> p.set(ValueLayout.JAVA_BYTE, 8, (byte) 63), "another TTL");
        assertNoAppend(4, p -> p.set(ValueLayout.JAVA_BYTE, 1, (byte) 2), "another TOS (ECN)");
        assertNoAppend(4, p -> p.set(U16, 6, (short) 0), "DF cleared");
        assertNoAppend(4, p -> p.set(U32, 12, 0x0AF10003), "another source address");
        assertNoAppend(4, p -> p.set(U16, 2, (short) 1000), "a declared length that differs");
        assertNoAppend(6, p -> p.set(U32, 36, 3), "another IPv6 destination");
        assertNoAppend(6, p -> p.set(U32, 0, 0x6000_0001), "another flow label");
        assertNoAppend(6, p -> p.set(ValueLayout.JAVA_BYTE, 7, (byte) 1), "another hop limit");
    }

    private void assertNoAppend(int version, Consumer<MemorySegment> change, String what) {
        Slot s = cut(version, 3 * MSS, MSS, ACK);
        change.accept(s.packet(1));
        assertTrue(start(s, 0));
        assertFalse(coalescer.append(s.frames[1], s.lengths[1]), what);
        assertEquals(1, coalescer.segments(), what + ": the chain as it was");
        coalescer.finish();
    }

    @Test
    void aShortSegmentOrOneWithPshIsTakenAsTheLastAndALongerOneNotAtAll() {
        Slot s = cut(4, 2 * MSS + 10, MSS, ACK);
        Slot t = cut(4, 2 * MSS + 10, MSS, ACK);
        assertTrue(start(s, 0));
        assertTrue(coalescer.append(s.frames[1], s.lengths[1]));
        assertTrue(coalescer.append(s.frames[2], s.lengths[2]), "10 bytes: the last");
        t.packet(0).set(U32, 24, s.packet(2).get(U32, 24) + 10); // would follow on, but the chain is closed
        assertFalse(coalescer.append(t.frames[0], t.lengths[0]));
        coalescer.finish();

        Slot u = cut(4, 3 * MSS, MSS, ACK);
        u.packet(1).set(ValueLayout.JAVA_BYTE, 33, (byte) (ACK | PSH));
        assertTrue(start(u, 0));
        assertTrue(coalescer.append(u.frames[1], u.lengths[1]), "PSH ends a chain");
        assertFalse(coalescer.append(u.frames[2], u.lengths[2]));
        coalescer.finish();
        assertEquals(ACK | PSH, u.packet(0).get(ValueLayout.JAVA_BYTE, 33) & 0xFF, "and the super-packet carries it");

        Slot small = cut(4, 100 + MSS, 100, ACK); // head of 100 bytes, then 100-byte segments
        assertTrue(start(small, 0));
        Slot big = cut(4, 2 * MSS, MSS, ACK);
        big.packet(0).set(U32, 24, small.packet(0).get(U32, 24) + 100);
        assertFalse(coalescer.append(big.frames[0], big.lengths[0]), "a segment longer than the head's");
        coalescer.finish();
    }

    @Test
    void aChainStopsAtItsRoomAtSixtyFourSegmentsAndAtSixtyFourKib() {
        Slot s = cut(4, 3 * MSS, MSS, ACK);
        assertTrue(coalescer.start(s.frames[0], s.lengths[0], s.lengths[0] + MSS));
        assertTrue(coalescer.append(s.frames[1], s.lengths[1]));
        assertFalse(coalescer.append(s.frames[2], s.lengths[2]), "no room left");
        coalescer.finish();

        Slot many = cut(4, 70 * 10, 10, ACK);
        assertTrue(start(many, 0));
        int k = 1;
        while (coalescer.append(many.frames[k], many.lengths[k])) {
            k++;
        }
        assertEquals(TunCoalescer.MAX_SEGMENTS, k);
        coalescer.finish();

        Slot big = cut(4, 48 * MSS, MSS, ACK);
        assertTrue(start(big, 0));
        k = 1;
        while (coalescer.append(big.frames[k], big.lengths[k])) {
            k++;
        }
        assertEquals(47, k, "47 * 1368 + 52 bytes fit in 65,535; 48 do not");
        assertTrue(coalescer.finish() - H <= TunCoalescer.MAX_LENGTH);
    }
}
