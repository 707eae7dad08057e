package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, in real namespaces: needs root and iperf3 (wireguard-go for its own test). The qgate
 * test runs this checkout's ./qgate, which builds gateway-engine first if its jar is stale.
 */
class TunnelBenchTest {
    private List<String> namespacesBefore;

    /**
     * Skips without {@code present}, except under CI as root, where .ci/install-test-deps
     * installed every tool: there a missing one fails, so the tests cannot pass without running.
     */
    static void requireTool(boolean present, String message) {
        if (!present && System.getenv("CI") != null && TunnelBench.isRoot()) {
            throw new AssertionError("under CI as root this test must run, but it " + message);
        }
        assumeTrue(present, message);
    }

    @BeforeEach
    void needsRootAndIperf3() {
        assumeTrue(TunnelBench.isRoot(), "needs root (CAP_NET_ADMIN) to create network namespaces");
        requireTool(ExternalCommand.isInstalled("iperf3") && ExternalCommand.isInstalled("ping"),
            "needs iperf3 and ping: run perf/bin/install-deps as root");
        namespacesBefore = NamespacePair.existing();
    }

    @AfterEach
    void leavesNoNamespaceBehind() {
        List<String> left = NamespacePair.existing();
        left.removeAll(namespacesBefore);
        assertEquals(List.of(), left, "qgb- namespaces left behind");
    }

    /** What the last {@link #bench} printed. */
    private static String console = "";

    private static List<TunnelOutcome> bench(String... args) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<TunnelOutcome> outcomes = new TunnelBench(BenchOptions.parse(args),
            new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        console = text.toString(StandardCharsets.UTF_8);
        System.out.print(console);
        return outcomes;
    }

    @Test
    void plainVethGivesEveryMeasurementAndWritesTheResultsFolder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results");
        List<TunnelOutcome> outcomes = bench("--tunnels", "plain", "--measure", "tcp,udp,ping-idle,ping-load",
            "--seconds", "2", "--streams", "1,2", "--udp-seconds", "1", "--udp-sizes", "64", "--pings", "20",
            "--repeat", "1", "--warmup", "1", "--out", out.toString());
        TunnelOutcome plain = outcomes.getFirst();
        assertNull(plain.failure());
        assertEquals(1, plain.runs().size());
        assertTrue(console.matches("(?s).*tunnel-bench: plain run 1/1 +warm-up 1 s at \\d+\\.\\d\\d Gbit/s \\(not recorded\\).*"), console);
        assertTrue(plain.median(Runs.TCP1) > 0, "throughput " + plain.median(Runs.TCP1));
        assertTrue(plain.median(Metric.tcpGbit(2)) > 0);
        assertTrue(plain.median(Metric.machineCores(1)) > 0);
        assertTrue(plain.median(Metric.udpPacketsPerSecond(64)) > 0);
        assertTrue(plain.median(Metric.udpLoss(64)) >= 0);
        for (boolean loaded : new boolean[] {false, true}) {
            double p50 = plain.median(Metric.pingMillis(loaded, 50));
            assertTrue(p50 > 0 && p50 <= plain.median(Metric.pingMillis(loaded, 99)), "ping p50 " + p50);
        }
        assertTrue(Double.isNaN(plain.median(Metric.tunnelCores(1))), "plain has no processes of its own");
        assertTrue(Double.isNaN(plain.median(Metric.rssMib())));
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"tcp-1-gbit-per-second\""));
        assertTrue(Files.readString(out.resolve(Report.TABLE)).contains("| UDP 64 B received (k packets/s) |"));
        assertTrue(Files.readString(out.resolve(Report.CHART)).contains("ping p99, loaded (ms)"));
    }

    @Test
    void wireguardGoIsMeasuredWithTheCpuOfItsProcesses() {
        requireTool(ExternalCommand.isInstalled("wireguard-go") && ExternalCommand.isInstalled("wg"),
            "needs wireguard-go and wg: run perf/bin/install-deps as root");
        TunnelOutcome wg = bench("--tunnels", "wireguard-go", "--seconds", "1", "--repeat", "1", "--warmup", "0").getFirst();
        assertNull(wg.failure());
        assertTrue(wg.median(Runs.TCP1) > 0);
        assertTrue(wg.median(Metric.tunnelCores(1)) > 0, "wireguard-go encrypts in user space, so it must use CPU");
        assertTrue(wg.median(Metric.rssMib()) > 1, "a Go process uses more than 1 MiB");
    }

    @Test
    void openVpnComesUpWithTlsAndIsMeasuredWithTheCpuOfItsProcesses() {
        requireTool(ExternalCommand.isInstalled("openvpn") && ExternalCommand.isInstalled("openssl"),
            "needs openvpn and openssl: run perf/bin/install-deps as root");
        TunnelOutcome openvpn = bench("--tunnels", "openvpn", "--seconds", "1", "--repeat", "1", "--warmup", "0").getFirst();
        assertNull(openvpn.skipped());
        assertNull(openvpn.failure());
        assertTrue(openvpn.median(Runs.TCP1) > 0);
        assertTrue(openvpn.median(Metric.tunnelCores(1)) > 0, "openvpn encrypts in user space, so it must use CPU");
    }

    @Test
    void kernelIpsecCarriesAPingOrIsSkippedNamingWhatTheKernelLacks() {
        TunnelOutcome ipsec = bench("--tunnels", "ipsec", "--seconds", "1", "--repeat", "1", "--warmup", "0").getFirst();
        if (ipsec.skipped() != null) {
            assertTrue(ipsec.skipped().startsWith("this kernel cannot make an ESP SA"), ipsec.skipped());
            assumeTrue(false, "kernel IPsec: " + ipsec.skipped());
        }
        assertNull(ipsec.failure());
        assertTrue(ipsec.median(Runs.TCP1) > 0);
    }

    @Test
    void qgateIsMeasuredWithTheCpuOfBothGatewaysAndTheirGcLogs(@TempDir Path dir) throws Exception {
        TunnelOutcome qgate = bench("--tunnels", "qgate", "--seconds", "1", "--repeat", "1", "--warmup", "0", "--gc-log", dir.toString())
            .getFirst();
        assertNull(qgate.skipped(), "this checkout's ./qgate has qgate up");
        assertNull(qgate.failure());
        assertTrue(qgate.median(Runs.TCP1) > 0);
        assertTrue(qgate.median(Metric.tunnelCores(1)) > 0, "the gateways encrypt in user space, so they must use CPU");
        assertTrue(qgate.median(Metric.rssMib()) > 16, "a JVM gateway uses more than 16 MiB");
        assertTrue(qgate.gcCycles() >= 0, "each gateway was given a GC log");
        try (Stream<Path> logs = Files.list(dir)) {
            assertEquals(2, logs.filter(p -> p.getFileName().toString().startsWith("qgate-qgb-")).count());
        }
    }

    @Test
    void aFailingRunStillRemovesWhatItCreated() {
        Cleanup cleanup = new Cleanup();
        NamespacePair pair = NamespacePair.create(cleanup);
        assertTrue(NamespacePair.existing().contains(pair.namespace(Side.A)));
        BenchException e = assertThrows(BenchException.class,
            () -> pair.ipIn(Side.A, "put an address on a missing device", "addr", "add", "10.9.9.9/32", "dev", "qgb-missing"));
        assertTrue(e.getMessage().startsWith("put an address on a missing device failed (exit"), e.getMessage());
        assertNull(cleanup.runAll());
        assertTrue(!NamespacePair.existing().contains(pair.namespace(Side.A)));
    }
}
