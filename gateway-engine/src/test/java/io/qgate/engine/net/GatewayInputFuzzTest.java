package io.qgate.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.config.ConfigException;
import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.fuzz.Seeds;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for what a gateway reads besides the protocol: its configuration file (with the
 * prefix and address literals in it) and the inner IP packets it routes, checks and answers with
 * ICMP. Neither may throw anything but the documented refusal, nor read past its input.
 */
class GatewayInputFuzzTest {
    private static final AllowedIps TABLE = AllowedIps.builder()
        .add(IpPrefix.parse("10.241.0.0/24"), 0).add(IpPrefix.parse("10.241.0.2/32"), 1)
        .add(IpPrefix.parse("fd41::/64"), 0).add(IpPrefix.parse("fd41::2/128"), 1).add(IpPrefix.parse("0.0.0.0/0"), 2)
        .build();

    /**
     * TOML text is either parsed into a configuration or refused with a ConfigException whose every
     * problem names the file.
     */
    @MethodSource("configs")
    @FuzzTest
    void configFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            GatewayConfig config = GatewayConfig.parse(Path.of("/fuzz/qg0.toml"), text);
            assertTrue(config.interfaceName().length() <= GatewayConfig.MAX_INTERFACE_NAME);
            assertTrue(!config.peers().isEmpty() && config.peers().stream().allMatch(p -> !p.allowedIps().isEmpty()));
        } catch (ConfigException e) {
            assertTrue(e.getMessage().startsWith("/fuzz/qg0.toml"), e.getMessage());
            assertTrue(!e.problems().isEmpty() && e.problems().stream().allMatch(p -> p.startsWith("/fuzz/qg0.toml")),
                e.problems().toString());
        }
    }

    /** Routing, source checks and ICMP replies read only the packet's bytes and never throw. */
    @MethodSource("packets")
    @FuzzTest
    void innerPacket(byte[] input) {
        MemorySegment packet = MemorySegment.ofArray(input);
        int version = IpPackets.version(packet, 0, input.length);
        if (version == 0) {
            return;
        }
        assertTrue(IpPackets.declaredLength(packet, 0, version) <= input.length);
        int to = IpPackets.peerOfDestination(TABLE, packet, 0, version);
        int from = IpPackets.peerOfSource(TABLE, packet, 0, version);
        assertTrue(to >= AllowedIps.NONE && to <= 2 && from >= AllowedIps.NONE && from <= 2);
        MemorySegment out = MemorySegment.ofArray(new byte[IcmpTooBig.MAX_REPLY]);
        byte[] source = new byte[version == 4 ? 4 : 16];
        int n = IcmpTooBig.build(packet, 0, input.length, source, 1400, out);
        if (n > 0) {
            assertTrue(n <= IcmpTooBig.MAX_REPLY);
            assertEquals(version, IpPackets.version(out, 0, n), "the reply is a well-formed packet of the same family");
        }
    }

    static Stream<Arguments> configs() {
        return Stream.of(
            Seeds.named("a full configuration", io.qgate.engine.config.GatewayConfigFixtures.GOOD.getBytes(StandardCharsets.UTF_8)),
            Seeds.named("a minimal one", io.qgate.engine.config.GatewayConfigFixtures.MINIMAL.getBytes(StandardCharsets.UTF_8)),
            Seeds.named("inline tables and a multi-line array", """
                peer = [{ name = "b", allowed_ips = ["10.0.0.2/32", "fd00::2"] }]
                [interface]
                name = 'qg0'
                listen = "[fd00::1]:51820"
                certificate = "a.crt"
                private_key = "a.key"
                trust_roots = [
                  "r.crt",
                ]
                """.getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> packets() {
        return Stream.of(
            Seeds.named("IPv4 UDP", bytes(IcmpTooBigTest.ipv4(200, 17, true, "10.241.0.1", "10.241.0.2"))),
            Seeds.named("IPv6 TCP", bytes(IcmpTooBigTest.ipv6(200, 6, "fd41::1", "fd41::2"))),
            Seeds.named("IPv4 ICMP error", bytes(IcmpTooBigTest.ipv4(60, 1, true, "10.241.0.1", "10.9.0.2"))));
    }

    private static byte[] bytes(MemorySegment s) {
        return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
