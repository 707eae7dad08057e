package io.qgate.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.fuzz.Seeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for TUN offloads: what a TUN device hands over (a virtio header and a packet, cut by
 * {@link TunSegmenter}) and what the inbound egress joins ({@link TunCoalescer}). Neither may throw,
 * read or write outside its buffers, or make a packet longer than allowed; every segment cut from a
 * super-packet is a well-formed IP packet with a valid checksum.
 */
class TunOffloadFuzzTest {
    private static final int MAX_PACKET = 1500;
    /** Room per packet in the coalescer target's slot, as an inbound GRO buffer's datagram. */
    private static final int DATAGRAM = 2048;
    private static final int MAX_PACKETS = 16;

    @MethodSource("superPackets")
    @FuzzTest
    void segmenter(byte[] input) {
        TunSegmenter segmenter = new TunSegmenter();
        MemorySegment p = MemorySegment.ofArray(input);
        int count = segmenter.parse(p, 0, input.length, MAX_PACKET);
        if (count < 0) {
            assertTrue(count >= TunSegmenter.TOO_BIG, "a documented reason");
            assertEquals(0, segmenter.segments());
            return;
        }
        assertTrue(count >= 1 && count <= input.length, "at least one, never more than its bytes");
        int type = input[1] & 0x7F;
        MemorySegment out = MemorySegment.ofArray(new byte[MAX_PACKET]);
        for (int k = 0; k < count; k++) {
            int n = segmenter.segment(k, out);
            assertTrue(n > 0 && n <= MAX_PACKET);
            if (type != VirtioNetHeader.GSO_NONE) {
                int version = IpPackets.version(out, 0, n);
                assertTrue(version != 0, "segment " + k + " is a well-formed IP packet");
                assertEquals(n, IpPackets.declaredLength(out, 0, version));
                assertTrue(TunPackets.l4ChecksumValid(out, n), "segment " + k + "'s checksum");
            }
        }
    }

    /**
     * The input is up to 16 packets, each a 2-byte length and its bytes, placed a datagram apart
     * in one slot and written the way the inbound egress writes them.
     */
    @MethodSource("segmentRuns")
    @FuzzTest
    void coalescer(byte[] input) {
        MemorySegment slot = MemorySegment.ofArray(new byte[MAX_PACKETS * DATAGRAM]);
        MemorySegment[] frames = new MemorySegment[MAX_PACKETS];
        int[] lengths = new int[MAX_PACKETS];
        int packets = 0;
        for (int at = 0; at + 2 <= input.length && packets < MAX_PACKETS; packets++) {
            int length = Math.min(((input[at] & 0xFF) << 8 | (input[at + 1] & 0xFF)) % (DATAGRAM - 32), input.length - at - 2);
            frames[packets] = slot.asSlice((long) packets * DATAGRAM + 16 - VirtioNetHeader.SIZE);
            MemorySegment.copy(input, at + 2, frames[packets], ValueLayout.JAVA_BYTE, VirtioNetHeader.SIZE, length);
            lengths[packets] = length;
            at += 2 + length;
        }
        TunCoalescer coalescer = new TunCoalescer();
        for (int k = 0; k < packets; k++) {
            MemorySegment frame = frames[k];
            if (coalescer.active() && coalescer.append(frame, lengths[k])) {
                continue;
            }
            if (coalescer.active()) {
                check(coalescer);
            }
            if (!coalescer.start(frame, lengths[k], frame.byteSize() - VirtioNetHeader.SIZE)) {
                assertEquals(VirtioNetHeader.SIZE + lengths[k], TunCoalescer.plain(frame, lengths[k]));
            }
        }
        if (coalescer.active()) {
            check(coalescer);
        }
    }

    private static void check(TunCoalescer coalescer) {
        MemorySegment head = coalescer.head();
        int segments = coalescer.segments();
        int n = coalescer.finish();
        assertTrue(n > VirtioNetHeader.SIZE && n - VirtioNetHeader.SIZE <= TunCoalescer.MAX_LENGTH && n <= head.byteSize());
        MemorySegment packet = head.asSlice(VirtioNetHeader.SIZE);
        int version = IpPackets.version(packet, 0, n - VirtioNetHeader.SIZE);
        assertTrue(version != 0, "the head was a well-formed TCP packet and stays one");
        assertEquals(n - VirtioNetHeader.SIZE, IpPackets.declaredLength(packet, 0, version));
        if (segments > 1) {
            assertEquals(version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, VirtioNetHeader.gsoType(head, 0));
            if (version == 4) {
                assertTrue(TunPackets.ipv4ChecksumValid(packet));
            }
        }
    }

    static Stream<Arguments> superPackets() {
        return Stream.of(
            Seeds.named("IPv4 TSO", bytes(TunPackets.superPacket(4, Checksums.TCP, 4000, VirtioNetHeader.GSO_TCPV4, 1368,
                TunPackets.ACK | TunPackets.PSH))),
            Seeds.named("IPv6 TSO with ECN", bytes(TunPackets.superPacket(6, Checksums.TCP, 3000,
                VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN, 1348, TunPackets.ACK | TunPackets.CWR))),
            Seeds.named("IPv4 USO", bytes(TunPackets.superPacket(4, Checksums.UDP, 2500, VirtioNetHeader.GSO_UDP_L4, 1200, 0))),
            Seeds.named("one packet, partial checksum", bytes(TunPackets.superPacket(6, Checksums.UDP, 100,
                VirtioNetHeader.GSO_NONE, 0, 0))));
    }

    static Stream<Arguments> segmentRuns() {
        return Stream.of(
            Seeds.named("an IPv4 super-packet's segments", run(4)),
            Seeds.named("an IPv6 super-packet's segments", run(6)));
    }

    /** Five segments of a super-packet, each behind its 2-byte length. */
    private static byte[] run(int version) {
        MemorySegment p = TunPackets.superPacket(version, Checksums.TCP, 4 * 1000 + 10,
            version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, 1000, TunPackets.ACK | TunPackets.PSH);
        TunSegmenter segmenter = new TunSegmenter();
        int count = segmenter.parse(p, 0, (int) p.byteSize(), MAX_PACKET);
        MemorySegment out = MemorySegment.ofArray(new byte[count * (2 + MAX_PACKET)]);
        long at = 0;
        for (int k = 0; k < count; k++) {
            int n = segmenter.segment(k, out.asSlice(at + 2));
            out.set(TunPackets.U16, at, (short) n);
            at += 2 + n;
        }
        return out.asSlice(0, at).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] bytes(MemorySegment p) {
        return p.toArray(ValueLayout.JAVA_BYTE);
    }
}
