package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SockaddrTest {
    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void encodesIpv4AsSockaddrInWithThePortInNetworkOrder() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Sockaddr.of(at("192.0.2.7", 0x1234), arena);
            byte[] expected = {Sockaddr.AF_INET, 0, 0x12, 0x34, (byte) 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0};
            assertArrayEquals(expected, s.toArray(ValueLayout.JAVA_BYTE));
            assertEquals(Sockaddr.AF_INET, Sockaddr.family(s));
            assertEquals(0x1234, Sockaddr.port(s));
        }
    }

    @Test
    void encodesIpv6WithAddressAndScopeId() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            byte[] ip = InetAddress.getByName("fe80::1").getAddress();
            InetSocketAddress address = new InetSocketAddress(Inet6Address.getByAddress(null, ip, 3), 51820);
            MemorySegment s = Sockaddr.of(address, arena);
            assertEquals(Sockaddr.IN6_BYTES, s.byteSize());
            assertEquals(Sockaddr.AF_INET6, Sockaddr.family(s));
            assertEquals(51820, Sockaddr.port(s));
            assertEquals(0, s.get(ValueLayout.JAVA_INT_UNALIGNED, 4), "flow info");
            assertArrayEquals(ip, s.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(3, s.get(ValueLayout.JAVA_INT_UNALIGNED, 24), "scope id");
        }
    }

    @Test
    void decodeReturnsWhatWasEncoded() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            for (InetSocketAddress address : new InetSocketAddress[] {
                at("127.0.0.1", 9), at("::1", 65535), at("2001:db8::42", 1),
                new InetSocketAddress(Inet6Address.getByAddress(null, InetAddress.getByName("fe80::9").getAddress(), 5), 7)}) {
                MemorySegment s = Sockaddr.of(address, arena);
                assertEquals(address, Sockaddr.decode(s, (int) s.byteSize()));
                assertEquals(address.toString(), Sockaddr.decode(s, (int) s.byteSize()).toString());
            }
        }
    }

    @Test
    void decodesAnIpv4MappedAddressAsIpv4() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = mapped(arena, "10.1.2.3", 4000);
            InetSocketAddress decoded = Sockaddr.decode(mapped, Sockaddr.IN6_BYTES);
            assertInstanceOf(Inet4Address.class, decoded.getAddress());
            assertEquals(at("10.1.2.3", 4000), decoded);
        }
    }

    @Test
    void anIpv4MappedAddressEqualsTheIpv4AddressItStandsFor() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v4 = Sockaddr.of(at("10.1.2.3", 4000), arena);
            assertTrue(Sockaddr.equals(mapped(arena, "10.1.2.3", 4000), v4));
            assertTrue(Sockaddr.equals(v4, mapped(arena, "10.1.2.3", 4000)));
            assertFalse(Sockaddr.equals(v4, mapped(arena, "10.1.2.4", 4000)));
            assertFalse(Sockaddr.equals(v4, mapped(arena, "10.1.2.3", 4001)));
            assertFalse(Sockaddr.equals(v4, Sockaddr.of(at("::a01:203", 4000), arena)), "IPv4-compatible is not mapped");
        }
    }

    @Test
    void equalsComparesFamilyPortAddressAndScopeButNotFlowLabelOrPadding() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = Sockaddr.of(at("2001:db8::1", 443), arena);
            MemorySegment b = Sockaddr.of(at("2001:db8::1", 443), arena);
            b.set(ValueLayout.JAVA_INT_UNALIGNED, 4, 0x12345);
            assertTrue(Sockaddr.equals(a, b), "flow label ignored");
            assertFalse(Sockaddr.equals(a, Sockaddr.of(at("2001:db8::2", 443), arena)));
            assertFalse(Sockaddr.equals(a, Sockaddr.of(at("2001:db8::1", 444), arena)));
            MemorySegment scoped = Sockaddr.of(at("2001:db8::1", 443), arena);
            scoped.set(ValueLayout.JAVA_INT_UNALIGNED, 24, 2);
            assertFalse(Sockaddr.equals(a, scoped), "scope id compared");

            MemorySegment v4 = Sockaddr.of(at("127.0.0.1", 80), arena);
            MemorySegment padded = arena.allocate(Sockaddr.IN6_BYTES);
            Sockaddr.write(at("127.0.0.1", 80), padded);
            padded.set(ValueLayout.JAVA_BYTE, 12, (byte) 9);
            assertTrue(Sockaddr.equals(v4, padded), "sin_zero and storage tail ignored");
            assertFalse(Sockaddr.equals(v4, Sockaddr.of(at("127.0.0.2", 80), arena)));
            assertFalse(Sockaddr.equals(v4, Sockaddr.of(at("127.0.0.1", 81), arena)));
        }
    }

    @Test
    void equalsIsFalseForOtherFamiliesAndTruncatedSegments() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unix = arena.allocate(Sockaddr.IN6_BYTES);
            unix.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            assertFalse(Sockaddr.equals(unix, unix));
            MemorySegment v6 = Sockaddr.of(at("::1", 1), arena);
            assertFalse(Sockaddr.equals(v6.asSlice(0, 20), v6.asSlice(0, 20)));
            assertFalse(Sockaddr.equals(v6.asSlice(0, 8), v6));
        }
    }

    @Test
    void equalsAllocatesNothing() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = Sockaddr.of(at("2001:db8::1", 443), arena);
            MemorySegment b = Sockaddr.of(at("2001:db8::1", 443), arena);
            MemorySegment v4 = Sockaddr.of(at("10.0.0.1", 443), arena);
            MemorySegment m = mapped(arena, "10.0.0.1", 443);
            boolean all = true;
            for (int i = 0; i < 20_000; i++) {
                all &= Sockaddr.equals(a, b) & Sockaddr.equals(v4, m);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                all &= Sockaddr.equals(a, b) & Sockaddr.equals(v4, m);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(all);
            assertTrue(allocated < 4096, "100k compares allocated " + allocated + " bytes");
        }
    }

    @Test
    void badInputIsRejectedWithTheReason() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            var unresolved = assertThrows(IllegalArgumentException.class,
                () -> Sockaddr.of(InetSocketAddress.createUnresolved("peer.example", 1), arena));
            assertTrue(unresolved.getMessage().contains("unresolved"), unresolved.getMessage());
            var small = assertThrows(IllegalArgumentException.class,
                () -> Sockaddr.write(at("::1", 1), arena.allocate(16)));
            assertTrue(small.getMessage().contains("needs 28 bytes"), small.getMessage());
            MemorySegment unix = arena.allocate(Sockaddr.IN6_BYTES);
            unix.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            assertThrows(IllegalArgumentException.class, () -> Sockaddr.decode(unix, Sockaddr.IN6_BYTES));
            MemorySegment v6 = Sockaddr.of(at("::1", 1), arena);
            assertThrows(IllegalArgumentException.class, () -> Sockaddr.decode(v6, 16), "too short for IPv6");
            assertThrows(IllegalArgumentException.class, () -> Sockaddr.decode(v6, 40), "longer than the segment");
        }
    }

    /** A sockaddr_in6 holding ::ffff:ipv4, built by hand as a dual-stack socket reports it. */
    static MemorySegment mapped(Arena arena, String ipv4, int port) throws Exception {
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        MemorySegment s = arena.allocate(Sockaddr.IN6_BYTES);
        s.set(ValueLayout.JAVA_SHORT, 0, (short) Sockaddr.AF_INET6);
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2, (short) port);
        s.set(ValueLayout.JAVA_BYTE, 18, (byte) 0xff);
        s.set(ValueLayout.JAVA_BYTE, 19, (byte) 0xff);
        MemorySegment.copy(v4, 0, s, ValueLayout.JAVA_BYTE, 20, 4);
        return s;
    }
}
