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

    private static List<TunnelOutcome> bench(String... args) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<TunnelOutcome> outcomes = new TunnelBench(BenchOptions.parse(args),
            new PrintStream(text, true, StandardCharsets.UTF_8)).run();
        System.out.print(text.toString(StandardCharsets.UTF_8));
        return outcomes;
    }

    @Test
    void plainVethCarriesAPositiveThroughputAndWritesTheJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results/plain.json");
        List<TunnelOutcome> outcomes = bench("--tunnels", "plain", "--seconds", "2", "--repeat", "1", "--json", json.toString());
        TunnelOutcome plain = outcomes.getFirst();
        assertNull(plain.failure());
        assertEquals(1, plain.runs().size());
        assertTrue(plain.medianGbitPerSecond() > 0, "throughput " + plain.medianGbitPerSecond());
        assertTrue(plain.medianMachineCores() > 0);
        assertTrue(Files.readString(json).contains("\"median-gbit-per-second\""));
    }

    @Test
    void wireguardGoIsMeasuredWithTheCpuOfItsProcesses() {
        requireTool(ExternalCommand.isInstalled("wireguard-go") && ExternalCommand.isInstalled("wg"),
            "needs wireguard-go and wg: run perf/bin/install-deps as root");
        TunnelOutcome wg = bench("--tunnels", "wireguard-go", "--seconds", "1", "--repeat", "1").getFirst();
        assertNull(wg.failure());
        assertTrue(wg.medianGbitPerSecond() > 0);
        assertTrue(wg.medianTunnelCores() > 0, "wireguard-go encrypts in user space, so it must use CPU");
    }

    @Test
    void openVpnComesUpWithTlsAndIsMeasuredWithTheCpuOfItsProcesses() {
        requireTool(ExternalCommand.isInstalled("openvpn") && ExternalCommand.isInstalled("openssl"),
            "needs openvpn and openssl: run perf/bin/install-deps as root");
        TunnelOutcome openvpn = bench("--tunnels", "openvpn", "--seconds", "1", "--repeat", "1").getFirst();
        assertNull(openvpn.skipped());
        assertNull(openvpn.failure());
        assertTrue(openvpn.medianGbitPerSecond() > 0);
        assertTrue(openvpn.medianTunnelCores() > 0, "openvpn encrypts in user space, so it must use CPU");
    }

    @Test
    void kernelIpsecCarriesAPingOrIsSkippedNamingWhatTheKernelLacks() {
        TunnelOutcome ipsec = bench("--tunnels", "ipsec", "--seconds", "1", "--repeat", "1").getFirst();
        if (ipsec.skipped() != null) {
            assertTrue(ipsec.skipped().startsWith("this kernel cannot make an ESP SA"), ipsec.skipped());
            assumeTrue(false, "kernel IPsec: " + ipsec.skipped());
        }
        assertNull(ipsec.failure());
        assertTrue(ipsec.medianGbitPerSecond() > 0);
    }

    @Test
    void qgateIsMeasuredWithTheCpuOfBothGatewaysAndTheirGcLogs(@TempDir Path dir) throws Exception {
        TunnelOutcome qgate = bench("--tunnels", "qgate", "--seconds", "1", "--repeat", "1", "--gc-log", dir.toString())
            .getFirst();
        assertNull(qgate.skipped(), "this checkout's ./qgate has qgate up");
        assertNull(qgate.failure());
        assertTrue(qgate.medianGbitPerSecond() > 0);
        assertTrue(qgate.medianTunnelCores() > 0, "the gateways encrypt in user space, so they must use CPU");
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
