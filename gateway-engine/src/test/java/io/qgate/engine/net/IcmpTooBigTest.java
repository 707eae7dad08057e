package io.qgate.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IcmpTooBigTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static MemorySegment ipv4(int length, int protocol, boolean dontFragment, String src, String dst) {
        MemorySegment p = MemorySegment.ofArray(new byte[length]);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(U16, 2, (short) length);
        p.set(ValueLayout.JAVA_BYTE, 6, (byte) (dontFragment ? 0x40 : 0));
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
        MemorySegment.copy(IpPrefix.parse(src).address(), 0, p, ValueLayout.JAVA_BYTE, 12, 4);
        MemorySegment.copy(IpPrefix.parse(dst).address(), 0, p, ValueLayout.JAVA_BYTE, 16, 4);
        return p;
    }

    static MemorySegment ipv6(int length, int next, String src, String dst) {
        MemorySegment p = MemorySegment.ofArray(new byte[length]);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x60);
        p.set(U16, 4, (short) (length - 40));
        p.set(ValueLayout.JAVA_BYTE, 6, (byte) next);
        MemorySegment.copy(IpPrefix.parse(src).address(), 0, p, ValueLayout.JAVA_BYTE, 8, 16);
        MemorySegment.copy(IpPrefix.parse(dst).address(), 0, p, ValueLayout.JAVA_BYTE, 24, 16);
        return p;
    }

    @Test
    void ipv4ReplyIsAValidFragmentationNeededBackToTheSender() {
        MemorySegment p = ipv4(1500, 17, true, "10.241.0.1", "10.241.0.2");
        MemorySegment out = MemorySegment.ofArray(new byte[IcmpTooBig.MAX_REPLY]);
        int n = IcmpTooBig.build(p, 0, 1500, IpPrefix.parse("10.241.0.254").address(), 1440, out);
        assertEquals(576, n, "header, ICMP header and 548 bytes of the packet");
        assertEquals(4, IpPackets.version(out, 0, n));
        assertEquals(0xFFFF, IpPackets.onesComplementSum(out, 0, 20, 0), "IP header checksum");
        assertEquals(0xFFFF, IpPackets.onesComplementSum(out, 20, n - 20, 0), "ICMP checksum");
        assertEquals(3, out.get(ValueLayout.JAVA_BYTE, 20));
        assertEquals(4, out.get(ValueLayout.JAVA_BYTE, 21));
        assertEquals(1440, out.get(U16, 26));
        assertEquals(p.get(U32, 12), out.get(U32, 16), "to the original sender");
        assertEquals(p.get(U32, 0), out.get(U32, 28), "quotes the original header");
    }

    @Test
    void ipv6ReplyIsAValidPacketTooBigWithinTheMinimumMtu() {
        MemorySegment p = ipv6(2000, 6, "fd41::1", "fd41::2");
        MemorySegment out = MemorySegment.ofArray(new byte[IcmpTooBig.MAX_REPLY]);
        int n = IcmpTooBig.build(p, 0, 2000, IpPrefix.parse("fd41::fe").address(), 1420, out);
        assertEquals(1280, n);
        assertEquals(6, IpPackets.version(out, 0, n));
        assertEquals(2, out.get(ValueLayout.JAVA_BYTE, 40));
        assertEquals(1420, out.get(U32, 44));
        MemorySegment pseudo = MemorySegment.ofArray(new byte[40]);
        MemorySegment.copy(out, 8, pseudo, 0, 32);
        pseudo.set(U32, 32, n - 40);
        pseudo.set(ValueLayout.JAVA_BYTE, 39, (byte) 58);
        int sum = IpPackets.onesComplementSum(pseudo, 0, 40, 0);
        assertEquals(0xFFFF, IpPackets.onesComplementSum(out, 40, n - 40, sum), "ICMPv6 checksum with pseudo-header");
        assertEquals(p.get(ValueLayout.JAVA_LONG_UNALIGNED, 8), out.get(ValueLayout.JAVA_LONG_UNALIGNED, 24));
    }

    @Test
    void neverAnswersAnIcmpErrorOrALaterFragmentOrAMismatchedFamily() {
        MemorySegment out = MemorySegment.ofArray(new byte[IcmpTooBig.MAX_REPLY]);
        MemorySegment icmpError = ipv4(1500, 1, true, "10.0.0.1", "10.0.0.2");
        icmpError.set(ValueLayout.JAVA_BYTE, 20, (byte) 3);
        assertEquals(0, IcmpTooBig.build(icmpError, 0, 1500, IpPrefix.parse("10.0.0.9").address(), 1400, out));
        MemorySegment echo = ipv4(1500, 1, true, "10.0.0.1", "10.0.0.2");
        echo.set(ValueLayout.JAVA_BYTE, 20, (byte) 8);
        assertEquals(576, IcmpTooBig.build(echo, 0, 1500, IpPrefix.parse("10.0.0.9").address(), 1400, out));
        MemorySegment fragment = ipv4(1500, 17, false, "10.0.0.1", "10.0.0.2");
        fragment.set(U16, 6, (short) 185);
        assertEquals(0, IcmpTooBig.build(fragment, 0, 1500, IpPrefix.parse("10.0.0.9").address(), 1400, out));
        MemorySegment v6error = ipv6(1500, 58, "fd::1", "fd::2");
        v6error.set(ValueLayout.JAVA_BYTE, 40, (byte) 1);
        assertEquals(0, IcmpTooBig.build(v6error, 0, 1500, IpPrefix.parse("fd::9").address(), 1400, out));
        assertEquals(0, IcmpTooBig.build(echo, 0, 1500, IpPrefix.parse("fd::9").address(), 1400, out));
        assertEquals(0, IcmpTooBig.build(echo, 0, 10, IpPrefix.parse("10.0.0.9").address(), 1400, out), "truncated");
    }

    @Test
    void versionChecksDeclaredLengths() {
        MemorySegment p = ipv4(100, 17, false, "10.0.0.1", "10.0.0.2");
        assertEquals(4, IpPackets.version(p, 0, 100));
        assertEquals(0, IpPackets.version(p, 0, 99), "declared longer than received");
        assertEquals(0, IpPackets.version(p, 0, 19));
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x44);
        assertEquals(0, IpPackets.version(p, 0, 100), "IHL below 5");
        MemorySegment q = ipv6(60, 17, "fd::1", "fd::2");
        assertEquals(6, IpPackets.version(q, 0, 60));
        assertEquals(0, IpPackets.version(q, 0, 59));
        assertEquals(0, IpPackets.version(MemorySegment.ofArray(new byte[] {0x50}), 0, 1));
        assertEquals(0, IpPackets.version(q, 0, 0));
    }
}
