package io.qgate.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {
    private static byte[] ip(String literal) {
        return IpPrefix.parse(literal).address();
    }

    @Test
    void longestPrefixWinsForIpv4() {
        AllowedIps t = AllowedIps.builder()
            .add(IpPrefix.parse("10.0.0.0/8"), 1)
            .add(IpPrefix.parse("10.1.0.0/16"), 2)
            .add(IpPrefix.parse("10.1.2.3/32"), 3)
            .add(IpPrefix.parse("0.0.0.0/0"), 4)
            .build();
        assertEquals(3, t.lookup(ip("10.1.2.3")));
        assertEquals(2, t.lookup(ip("10.1.2.4")));
        assertEquals(1, t.lookup(ip("10.200.0.1")));
        assertEquals(4, t.lookup(ip("192.168.1.1")));
    }

    @Test
    void longestPrefixWinsForIpv6AndFamiliesStaySeparate() {
        AllowedIps t = AllowedIps.builder()
            .add(IpPrefix.parse("fd41::/16"), 1)
            .add(IpPrefix.parse("fd41:0:0:1::/64"), 2)
            .add(IpPrefix.parse("fd41:0:0:1::7/128"), 3)
            .add(IpPrefix.parse("fd41:0:0:1:8000::/65"), 5)
            .add(IpPrefix.parse("10.0.0.0/8"), 4)
            .build();
        assertEquals(3, t.lookup(ip("fd41:0:0:1::7")));
        assertEquals(2, t.lookup(ip("fd41:0:0:1::8")));
        assertEquals(5, t.lookup(ip("fd41:0:0:1:8000::8")));
        assertEquals(1, t.lookup(ip("fd41:9::1")));
        assertEquals(AllowedIps.NONE, t.lookup(ip("fd42::1")));
        assertEquals(AllowedIps.NONE, t.lookup(ip("::ffff:10.0.0.1")), "an IPv4-mapped address is IPv6 here");
    }

    @Test
    void emptyTableMatchesNothing() {
        assertEquals(AllowedIps.NONE, AllowedIps.empty().lookup(ip("1.2.3.4")));
        assertEquals(AllowedIps.NONE, AllowedIps.empty().lookup(ip("::1")));
    }

    @Test
    void looksUpAddressesInPlaceInASegment() {
        AllowedIps t = AllowedIps.builder().add(IpPrefix.parse("198.18.0.0/15"), 7).add(IpPrefix.parse("fd00::/8"), 8).build();
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        MemorySegment.copy(ip("198.19.255.1"), 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 3, 4);
        assertEquals(7, t.lookup4(s, 3));
        MemorySegment.copy(ip("fd12::9"), 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 20, 16);
        assertEquals(8, t.lookup6(s, 20));
    }

    @Test
    void agreesWithALinearScanOnRandomTables() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<IpPrefix> prefixes = new ArrayList<>();
            AllowedIps.Builder b = AllowedIps.builder();
            for (int i = 0; i < 40; i++) {
                byte[] a = new byte[random.nextBoolean() ? 4 : 16];
                random.nextBytes(a);
                a[0] = (byte) (a[0] & 0x03); // crowd them so that prefixes nest
                IpPrefix p = new IpPrefix(a, random.nextInt(a.length * 8 + 1));
                if (!prefixes.contains(p)) {
                    prefixes.add(p);
                    b.add(p, prefixes.size() - 1);
                }
            }
            AllowedIps t = b.build();
            for (int q = 0; q < 500; q++) {
                byte[] a = new byte[random.nextBoolean() ? 4 : 16];
                random.nextBytes(a);
                a[0] = (byte) (a[0] & 0x03);
                int expected = AllowedIps.NONE;
                int best = -1;
                for (int i = 0; i < prefixes.size(); i++) {
                    if (prefixes.get(i).contains(a) && prefixes.get(i).length() > best) {
                        best = prefixes.get(i).length();
                        expected = i;
                    }
                }
                assertEquals(expected, t.lookup(a));
            }
        }
    }

    @Test
    void refusesARangeGivenTwiceAndNegativePeers() {
        AllowedIps.Builder b = AllowedIps.builder().add(IpPrefix.parse("10.0.0.0/24"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add(IpPrefix.parse("10.0.0.7/24"), 2));
        assertTrue(e.getMessage().contains("10.0.0.0/24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.add(IpPrefix.parse("10.0.1.0/24"), -1));
        assertThrows(IllegalArgumentException.class, () -> AllowedIps.empty().lookup(new byte[5]));
    }

    @Test
    void prefixParsingClearsHostBitsAndRejectsNonsense() {
        assertEquals("10.1.0.0/16", IpPrefix.parse("10.1.2.3/16").toString());
        assertEquals("fd41::/64", IpPrefix.parse("fd41:0:0:0:1::/64").toString());
        assertEquals("::1/128", IpPrefix.parse("::1").toString());
        assertEquals("::/0", IpPrefix.parse("::/0").toString());
        assertEquals("fd41:0:0:1::7/128", IpPrefix.parse("fd41:0:0:1:0:0:0:7").toString(), "the longest zero run is compressed");
        assertEquals("1:0:2::/128", IpPrefix.parse("1:0:2:0:0:0:0:0").toString());
        assertEquals("1:2:3:4:5:6:7:8/128", IpPrefix.parse("1:2:3:4:5:6:7:8").toString());
        assertEquals(128, IpPrefix.parse("fd41::2").length());
        assertEquals(32, IpPrefix.parse("192.0.2.1").length());
        for (String bad : new String[] {"", "10.0.0/8", "10.0.0.256/8", "10.0.0.1/33", "fd::/129", "host.example/24",
                "10.0.0.1/", "10.0.0.1/-1", "1.2.3.4.5", "fd41::zz/64", "10.0.0.1/1000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(bad), bad);
            assertTrue(e.getMessage().contains("'"), e.getMessage());
        }
    }
}
