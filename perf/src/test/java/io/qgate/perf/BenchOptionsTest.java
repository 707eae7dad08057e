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
        assertEquals(List.of(1), o.streams());
        assertEquals(List.of(Measurement.TCP), o.measurements());
        assertNull(o.out());
        assertNull(o.json());
        assertNull(o.gcLogDir());
        assertEquals(10, o.warmupSeconds(), "ten seconds of TCP before the first measurement");
    }

    @Test
    void warmUpMayBeNoneButNotNegativeOrLong() {
        assertEquals(0, BenchOptions.parse("--warmup", "0").warmupSeconds());
        assertEquals("--warmup must be between 0 and 600, not -1.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--warmup", "-1")).getMessage());
        assertEquals("--warmup must be between 0 and 600, not 601.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--warmup", "601")).getMessage());
    }

    @Test
    void parsesEveryOption() {
        BenchOptions o = BenchOptions.parse("--tunnels", "qgate, plain,qgate", "--seconds", "2", "--repeat", "5",
            "--streams", "4", "--json", "results/x.json", "--gc-log", "gc", "--repo", "/r");
        assertEquals(List.of("qgate", "plain"), o.tunnels());
        assertEquals(2, o.seconds());
        assertEquals(5, o.repeat());
        assertEquals(List.of(4), o.streams());
        assertEquals(Path.of("results/x.json"), o.json());
        assertEquals(Path.of("gc"), o.gcLogDir());
        assertEquals(Path.of("/r"), o.repo());
    }

    @Test
    void rejectsAnUnknownTunnelListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> BenchOptions.parse("--tunnels", "plain,tinc"));
        assertEquals("unknown tunnel \"tinc\" in --tunnels: choose from plain, wireguard-go, openvpn, ipsec, qgate, qgate-io_uring, qgate-no-offload, qgate-threaded, qgate-openssl.", e.getMessage());
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

    @Test
    void parsesTheMeasurementOptions() {
        BenchOptions o = BenchOptions.parse("--measure", "udp,ping-load, udp", "--streams", "1,4", "--udp-sizes", "64,1392",
            "--udp-seconds", "2", "--pings", "50", "--out", "res");
        assertEquals(List.of(Measurement.UDP, Measurement.PING_LOAD), o.measurements());
        assertTrue(o.measures(Measurement.UDP) && !o.measures(Measurement.TCP));
        assertEquals(List.of(1, 4), o.streams());
        assertEquals(List.of(64, 1392), o.udpSizes());
        assertEquals(2, o.udpSeconds());
        assertEquals(50, o.pings());
        assertEquals(Path.of("res"), o.out());
        assertEquals(Path.of("res/results.json"), o.json(), "--out also holds the JSON unless --json says otherwise");
    }

    @Test
    void comparePresetMeasuresEverythingThreeTimesIntoADatedResultsFolder() {
        BenchOptions o = BenchOptions.parse("compare", "--repo", "/r");
        assertEquals(BenchOptions.KNOWN_TUNNELS, o.tunnels());
        assertEquals(List.of(Measurement.values()), o.measurements());
        assertEquals(List.of(1, 4), o.streams());
        assertEquals(List.of(64, 512, 1420), o.udpSizes());
        assertEquals(3, o.repeat());
        assertEquals(5, o.seconds());
        Path out = Path.of("/r/perf/results/" + java.time.LocalDate.now() + "-compare");
        assertEquals(out, o.out());
        assertEquals(out.resolve("gc"), o.gcLogDir());
        assertEquals(out.resolve("results.json"), o.json());
        BenchOptions reduced = BenchOptions.parse("compare", "--repeat", "1", "--tunnels", "plain", "--out", "x");
        assertEquals(1, reduced.repeat());
        assertEquals(List.of("plain"), reduced.tunnels());
        assertEquals(Path.of("x/gc"), reduced.gcLogDir());
    }

    @Test
    void rejectsAnUnknownMeasurementAndABadSizeList() {
        assertEquals("unknown measurement \"tls\" in --measure: choose from tcp, udp, ping-idle, ping-load.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--measure", "tcp,tls")).getMessage());
        assertEquals("--udp-sizes takes a whole number, not \"\".",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--udp-sizes", "64,,512")).getMessage());
        assertEquals("--streams must be between 1 and 128, not 0.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--streams", "1,0")).getMessage());
        assertEquals("unknown argument compare.",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--repeat", "1", "compare")).getMessage());
    }
}
