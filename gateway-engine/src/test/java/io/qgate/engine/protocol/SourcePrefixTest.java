package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class SourcePrefixTest {
    @Test
    void anIpv4AddressIsItsOwnSource() {
        assertEquals(new SourcePrefix(false, 0xC000_0201L), SourcePrefix.of(address("192.0.2.1")));
        assertNotEquals(SourcePrefix.of(address("192.0.2.1")), SourcePrefix.of(address("192.0.2.2")));
    }

    @Test
    void ipv6AddressesShareTheirSlash64() {
        assertEquals(SourcePrefix.of(address("2001:db8:1:2::1")), SourcePrefix.of(address("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assertNotEquals(SourcePrefix.of(address("2001:db8:1:2::1")), SourcePrefix.of(address("2001:db8:1:3::1")));
        assertEquals(new SourcePrefix(true, 0x2001_0db8_0001_0002L), SourcePrefix.of(address("2001:db8:1:2::1")));
    }

    @Test
    void anIpv4MappedIpv6AddressIsItsIpv4Address() throws UnknownHostException {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 1};
        InetAddress explicitIpv6 = Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(SourcePrefix.of(address("192.0.2.1")), SourcePrefix.of(explicitIpv6));
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, SourcePrefix.addressBytes(explicitIpv6));
    }

    @Test
    void ipv4AndIpv6SourcesWithTheSameBitsDiffer() {
        assertNotEquals(SourcePrefix.of(address("0.0.0.1")), SourcePrefix.of(address("0:0:0:1::")));
    }

    private static InetAddress address(String literal) {
        return Datagrams.source(literal, 1).getAddress();
    }
}
