package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.engine.telemetry.PeerCounter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TCP transfer through two real gateways whose datagrams cross a {@code ChaosRelay} that drops
 * 5%, reorders 5%, delays 1% (2 ms), duplicates 1%, truncates 0.5%, corrupts 1% and replays 1% of
 * the DATA datagrams in each direction (handshakes pass untouched, so that every count below is
 * exact). It proves that the stream arrives intact (SHA-256 at both ends) and that each gateway
 * rejected exactly the datagrams the relay altered, duplicated or replayed towards it, while the
 * packets it accepted are at most the intact ones: nothing from a hostile datagram was released.
 *
 * <p>Size: 1 GiB, as issue 7 asks. On the 2-core development machine (which also runs the relay
 * and both TCP ends) it took 25 s (43 MB/s; about 30,000 bad datagrams rejected), the whole test
 * 36 s; the transfer gives up after 150 s. The system property {@code qgate.chaos.mib} sets
 * another size. Needs root, /dev/net/tun, ip (CI has them).
 */
class ChaosTransferNamespaceTest {
    static final long TRANSFER_MIB = 1024;
    private static final Duration UP = Duration.ofSeconds(30);
    /** The data plane's counters of a refused datagram (the control plane's are all {@code control_dropped_*}). */
    private static final List<String> DATA_PLANE_REJECTS = List.of("dropped_rejected", "dropped_unknown_index");

    @Test
    void transferThroughLossReorderingDuplicatesCorruptionAndReplaysArrivesIntactAndEveryBadDatagramIsRejected()
            throws Exception {
        NamespaceLab.assumeRunnable();
        long bytes = Long.getLong("qgate.chaos.mib", TRANSFER_MIB) << 20;
        try (NamespaceLab lab = new NamespaceLab("batched", false, 1, true);
             ChaosRelayProcess relay = ChaosRelayProcess.start(lab, 20261122, "--only-type", Integer.toString(MessageType.DATA.code()),
                 "--drop", "0.05", "--reorder", "0.05", "--delay-rate", "0.01", "--delay-ms", "2", "--duplicate", "0.01",
                 "--truncate", "0.005", "--corrupt", "0.01", "--replay", "0.01")) {
            lab.startGateway("a");
            lab.startGateway("b");
            for (String side : List.of("a", "b")) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side + ":\n" + lab.logs());
            }
            Thread.sleep(200); // the control thread publishes its drop counters at its 50 ms tick
            Map<String, Map<String, Long>> relayBefore = relay.counts();
            Map<String, Long> rejectsBefore = Map.of("a", rejects(lab, "a"), "b", rejects(lab, "b"));
            Map<String, Long> rxBefore = Map.of("a", rx(lab, "a"), "b", rx(lab, "b"));
            Map<String, Long> kernelBefore = Map.of("a", lab.snmp("a", "Udp: ", "RcvbufErrors"), "b", lab.snmp("b", "Udp: ", "RcvbufErrors"));

            long started = System.nanoTime();
            Process sink = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5201", "150"));
            BufferedReader sinkOut = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", sinkOut.readLine());
            NamespaceLab.Result source = lab.exec("a", Duration.ofSeconds(150), NamespaceLab.java(TcpTransfer.class.getName(),
                "source", NamespaceLab.INNER_B, "5201", Long.toString(bytes), "7").toArray(String[]::new));
            assertEquals(0, source.exit(), () -> "source failed: " + source.output() + lab.logs());
            assertTrue(sink.waitFor(60, TimeUnit.SECONDS), "the sink did not finish");
            String received = sinkOut.readLine();
            double seconds = (System.nanoTime() - started) / 1e9;
            String sent = source.output().strip().lines().reduce((x, y) -> y).orElse("");
            assertTrue(sent.startsWith(bytes + " "), sent);
            assertEquals(sent, received, "bytes and SHA-256 at both ends");

            Thread.sleep(300); // held datagrams are out (5 ms at most), the drop counters published
            Map<String, Map<String, Long>> relayAfter = relay.counts();
            System.out.printf("chaos transfer: %d MiB in %.1f s (%.1f MB/s); relay %s%n", bytes >> 20, seconds,
                bytes / seconds / 1e6, relayAfter);
            for (String side : List.of("a", "b")) {
                String direction = "to_" + side;
                long hostile = 0;
                for (String count : List.of("duplicated", "truncated", "corrupted", "replayed")) {
                    hostile += relayAfter.get(direction).get(count) - relayBefore.get(direction).get(count);
                }
                long intact = relayAfter.get(direction).get("forwarded") - relayBefore.get(direction).get("forwarded");
                long rejected = rejects(lab, side) - rejectsBefore.get(side);
                long accepted = rx(lab, side) - rxBefore.get(side);
                long kernelDrops = lab.snmp(side, "Udp: ", "RcvbufErrors") - kernelBefore.get(side);
                String report = side + ": relay sent " + intact + " intact and " + hostile + " bad DATA datagrams; the gateway accepted "
                    + accepted + " and rejected " + rejected + "; its kernel dropped " + kernelDrops;
                System.out.println(report);
                assertTrue(hostile > 0, report);
                // every bad datagram the socket received was rejected, and only those
                assertTrue(rejected <= hostile && rejected >= hostile - kernelDrops, report);
                // no plaintext from a bad datagram: the accepted ones are intact ones, all of them
                assertTrue(accepted <= intact && accepted >= intact - kernelDrops, report);
                GatewaySnapshot g = lab.snapshot(side);
                assertEquals(0L, g.counters().get("io_errors"), () -> "io_errors on " + side + ": " + g.counters());
                assertFalse(lab.logText(side).contains("Exception"), () -> lab.logs());
            }
            relay.stop();
        }
    }

    /** Datagrams the gateway of {@code side} refused: in the data plane or (any reason) in the control plane. */
    static long rejects(NamespaceLab lab, String side) {
        long sum = 0;
        for (Map.Entry<String, Long> c : lab.snapshot(side).counters().entrySet()) {
            if (DATA_PLANE_REJECTS.contains(c.getKey()) || c.getKey().startsWith(GatewayTelemetry.CONTROL_DROPPED)) {
                sum += c.getValue();
            }
        }
        return sum;
    }

    /** Data packets the gateway of {@code side} authenticated from its one peer. */
    private static long rx(NamespaceLab lab, String side) {
        return lab.snapshot(side).peers().getFirst().get(PeerCounter.RX_PACKETS);
    }
}
