package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchOptionsTest {
    @Test
    void defaultsArePlainAndWireguardGoTenSecondsThreeTimesOneStream() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(List.of("plain", "wireguard-go"), o.tunnels());
        assertEquals(10, o.seconds());
        assertEquals(3, o.repeat());
        assertEquals(1, o.streams());
        assertNull(o.json());
        assertNull(o.gcLogDir());
    }

    @Test
    void parsesEveryOption() {
        BenchOptions o = BenchOptions.parse("--tunnels", "qgate, plain,qgate", "--seconds", "2", "--repeat", "5",
            "--streams", "4", "--json", "results/x.json", "--gc-log", "gc", "--repo", "/r");
        assertEquals(List.of("qgate", "plain"), o.tunnels());
        assertEquals(2, o.seconds());
        assertEquals(5, o.repeat());
        assertEquals(4, o.streams());
        assertEquals(Path.of("results/x.json"), o.json());
        assertEquals(Path.of("gc"), o.gcLogDir());
        assertEquals(Path.of("/r"), o.repo());
    }

    @Test
    void rejectsAnUnknownTunnelListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse("--tunnels", "plain,tinc"));
        assertEquals("unknown tunnel \"tinc\" in --tunnels: choose from plain, wireguard-go, openvpn, ipsec, qgate, qgate-io_uring.", e.getMessage());
    }

    @Test
    void rejectsCountsThatAreNotPositiveWholeNumbers() {
        assertEquals("--seconds takes a whole number, not \"ten\".",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--seconds", "ten")).getMessage());
        assertEquals("--repeat must be between 1 and 100, not 0.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--repeat", "0")).getMessage());
    }

    @Test
    void rejectsAnOptionWithoutValueAndAnUnknownOption() {
        assertEquals("--json needs a value.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--json")).getMessage());
        assertEquals("unknown option --fast.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--fast", "1")).getMessage());
    }

    @Test
    void findsTheCheckoutAboveTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pom.xml"), "<project/>");
        Files.writeString(dir.resolve("qgate"), "#!/bin/sh\n");
        Path below = Files.createDirectories(dir.resolve("perf/target"));
        assertTrue(System.getProperty("qgate.repo") == null);
        assertEquals(dir, BenchOptions.findRepo(below));
    }
}
