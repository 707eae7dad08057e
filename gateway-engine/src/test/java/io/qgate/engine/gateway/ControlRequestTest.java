package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The words of a {@code peer-add} request on the command socket: every refusal is one sentence, nothing else escapes. */
class ControlRequestTest {
    @Test
    void aWellFormedPeerBecomesItsSection() {
        GatewayConfig.PeerSection s = ControlServer.section("gw-c", "gw-c", "[2001:db8::3]:51820", "10.241.3.0/24,fd41:3::/64");
        assertEquals("gw-c", s.name());
        assertEquals(new InetSocketAddress("2001:db8::3", 51820), s.endpoint());
        assertEquals(List.of(IpPrefix.parse("10.241.3.0/24"), IpPrefix.parse("fd41:3::/64")), s.allowedIps());
        assertNull(ControlServer.section("gw-d", "gw-d", "-", "10.241.4.0/24").endpoint(), "'-': a peer without an address");
    }

    @Test
    void eachBadFieldIsRefusedNamingIt() {
        assertEquals("'bad name' is not a peer name: use 1 to 64 letters, digits, '.', '_' or '-'",
            assertThrows(IllegalArgumentException.class, () -> ControlServer.section("bad name", "s", "-", "10.0.0.0/8")).getMessage());
        assertEquals("endpoint 'gw.example:51820' is not an IP address and port such as 192.0.2.1:51820 or [2001:db8::1]:51820",
            assertThrows(IllegalArgumentException.class, () -> ControlServer.section("p", "s", "gw.example:51820", "10.0.0.0/8"))
                .getMessage(), "a name is never looked up");
        assertThrows(IllegalArgumentException.class, () -> ControlServer.section("p", "s", "192.0.2.1:70000", "10.0.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> ControlServer.section("p", "s", "192.0.2.1", "10.0.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> ControlServer.section("p", "s", "-", "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ControlServer.section("p", "x".repeat(256), "-", "10.0.0.0/8"));
    }

    @Property(tries = 2000)
    void anyWordsGiveASectionOrAnIllegalArgument(@ForAll @StringLength(max = 40) String name, @ForAll @StringLength(max = 40) String endpoint,
            @ForAll @StringLength(max = 60) String ranges) {
        try {
            ControlServer.section(name, "s", endpoint, ranges);
        } catch (IllegalArgumentException expected) {
            // one sentence, by contract; anything else fails the property
        }
    }

    @Property(tries = 1000)
    void endpointLikeTextNeverResolvesANameOrEscapes(@ForAll("endpoints") String endpoint) {
        try {
            GatewayConfig.PeerSection s = ControlServer.section("p", "s", endpoint, "10.0.0.0/8");
            assertEquals(false, s.endpoint() != null && s.endpoint().isUnresolved());
        } catch (IllegalArgumentException expected) {
            // refused
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> endpoints() {
        return Arbitraries.strings().withChars("0123456789abcdef.:[]-").ofMaxLength(45);
    }
}
