package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.PeerCounter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two real gateways with {@code rekey_after = 5} carry a TCP transfer each way, paced to last
 * about 25 s, so the keys change four or five times under traffic in both directions, and the counters prove that no packet was lost
 * because of a rekey: every data packet one gateway sealed for the other was accepted by it (the
 * receiver's {@code rx_packets} equals the sender's {@code tx_packets}, less what the kernel
 * dropped between them, which the test reads too), no packet was refused for an unknown or retired
 * key ({@code dropped_unknown_index}), for failing authentication ({@code dropped_rejected}), by the
 * replay window, or for want of keys while a handshake ran ({@code dropped_no_keys}); and the
 * stream's SHA-256 matches. Needs root, /dev/net/tun, ip and ping (CI has them).
 */
class RekeyTransferNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    /** Paced: 12 MB/s for 25 s, so the transfer spans five 5-second key lifetimes on any machine that can carry 12 MB/s. */
    private static final long RATE = 12_000_000;
    private static final long BYTES = 25 * RATE;
    private static final List<String> SIDES = List.of("a", "b");

    @Test
    void rekeyingEveryFiveSecondsDuringATransferLosesNoPacket() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            transferThroughRekeys(lab, null);
        }
    }

    /**
     * The same through a relay that drops 3% of every datagram, handshake messages included, so
     * that rekeys meet lost initiations, responses and confirmations and their retries: the
     * stream still arrives whole and no packet is refused for a key the receiver did not have
     * (the relay's own drops are the network's, not the gateways').
     */
    @Test
    void rekeyingEveryFiveSecondsWhileTheNetworkDropsHandshakeMessagesRefusesNoPacket() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched", false, 1, true);
             ChaosRelayProcess relay = ChaosRelayProcess.start(lab, 20261123, "--drop", "0.03")) {
            transferThroughRekeys(lab, relay);
        }
    }

    private static void transferThroughRekeys(NamespaceLab lab, ChaosRelayProcess relay) throws Exception {
        {
            for (String side : SIDES) {
                lab.interfaceOption(side, "rekey_after", "5");
                lab.startGateway(side);
            }
            for (String side : SIDES) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side + ":\n" + logs(lab));
            }
            Thread.sleep(200);
            Map<String, GatewaySnapshot> before = Map.of("a", ChaosTransferNamespaceTest.snapshot(lab, "a"),
                "b", ChaosTransferNamespaceTest.snapshot(lab, "b"));
            Map<String, Long> kernelBefore = Map.of("a", kernelDropsTowards(lab, "a"), "b", kernelDropsTowards(lab, "b"));

            // one paced TCP stream each way, so both gateways seal and open at full tilt through every rekey
            Process sinkB = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5201", "120"));
            Process sinkA = lab.spawn("a", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5202", "120"));
            BufferedReader sinkBOut = new BufferedReader(new InputStreamReader(sinkB.getInputStream(), StandardCharsets.UTF_8));
            BufferedReader sinkAOut = new BufferedReader(new InputStreamReader(sinkA.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", sinkBOut.readLine());
            assertEquals("listening", sinkAOut.readLine());
            long started = System.nanoTime();
            Process sourceA = lab.spawn("a", NamespaceLab.java(TcpTransfer.class.getName(), "source", NamespaceLab.INNER_B, "5201",
                Long.toString(BYTES), "11", Long.toString(RATE)));
            Process sourceB = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "source", NamespaceLab.INNER_A, "5202",
                Long.toString(BYTES), "12", Long.toString(RATE)));
            for (Process p : List.of(sourceA, sourceB, sinkA, sinkB)) {
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> "a transfer did not finish:\n" + logs(lab));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(lastLine(sourceA), sinkBOut.readLine(), "a to b: bytes and SHA-256 at both ends");
            assertEquals(lastLine(sourceB), sinkAOut.readLine(), "b to a: bytes and SHA-256 at both ends");
            Thread.sleep(300); // let the last packets and the control thread's counters settle

            List<String> report = new ArrayList<>();
            Map<String, GatewaySnapshot> after = Map.of("a", ChaosTransferNamespaceTest.snapshot(lab, "a"),
                "b", ChaosTransferNamespaceTest.snapshot(lab, "b"));
            long rekeys = 0;
            for (String side : SIDES) {
                String other = side.equals("a") ? "b" : "a";
                long tx = peer(after, other, PeerCounter.TX_PACKETS) - peer(before, other, PeerCounter.TX_PACKETS);
                long rx = peer(after, side, PeerCounter.RX_PACKETS) - peer(before, side, PeerCounter.RX_PACKETS);
                long kernel = kernelDropsTowards(lab, side) - kernelBefore.get(side);
                rekeys += peer(after, side, PeerCounter.REKEYS) - peer(before, side, PeerCounter.REKEYS);
                report.add(other + " sealed " + tx + " packets for " + side + ", " + side + " accepted " + rx
                    + ", the kernel dropped " + kernel + " on the way");
                for (String counter : List.of("dropped_unknown_index", "dropped_rejected", "io_errors")) {
                    long grew = gateway(after, side, counter) - gateway(before, side, counter);
                    report.add(side + " " + counter + " +" + grew);
                }
                for (PeerCounter counter : List.of(PeerCounter.DROPPED_NO_KEYS, PeerCounter.DROPPED_REJECTED, PeerCounter.REPLAY_REJECTS)) {
                    report.add(side + " " + counter.label() + " +" + (peer(after, side, counter) - peer(before, side, counter)));
                }
            }
            for (String side : SIDES) {
                StringBuilder moved = new StringBuilder(side + " counters that moved:");
                after.get(side).counters().forEach((name, value) -> {
                    long grew = value - before.get(side).counters().getOrDefault(name, 0L);
                    if (grew != 0) {
                        moved.append(' ').append(name).append(" +").append(grew).append(',');
                    }
                });
                System.out.println(moved);
            }
            String summary = String.format("rekey transfer: %d MB each way in %.1f s; %d rekeys; %s", BYTES / 1_000_000, seconds, rekeys,
                String.join("; ", report));
            System.out.println(summary + (relay == null ? "" : "; relay " + relay.counts()));
            // both gateways count the rekeys they completed (the initiator's key is the one that ages out)
            assertTrue(rekeys >= 2 * 3, summary);
            for (String line : report) {
                if (line.contains(" +")) {
                    assertTrue(line.endsWith(" +0"), () -> "a packet was refused during the rekeys: " + line + "\n" + summary + "\n" + logs(lab));
                }
            }
            for (String side : SIDES) {
                String other = side.equals("a") ? "b" : "a";
                long tx = peer(after, other, PeerCounter.TX_PACKETS) - peer(before, other, PeerCounter.TX_PACKETS);
                long rx = peer(after, side, PeerCounter.RX_PACKETS) - peer(before, side, PeerCounter.RX_PACKETS);
                long kernel = kernelDropsTowards(lab, side) - kernelBefore.get(side);
                assertTrue(tx > 10_000, summary);
                if (relay == null) { // with a lossy relay between them, what the relay dropped never arrives
                    assertTrue(rx <= tx && rx >= tx - kernel, () -> "packets lost inside the gateways: " + summary);
                }
                assertFalse(lab.logText(side).contains("Exception"), () -> logs(lab));
            }
        }
    }

    private static String lastLine(Process p) throws java.io.IOException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return out.lines().reduce((x, y) -> y).orElse("");
    }

    private static long peer(Map<String, GatewaySnapshot> snapshots, String side, PeerCounter counter) {
        return snapshots.get(side).peers().getFirst().get(counter);
    }

    private static long gateway(Map<String, GatewaySnapshot> snapshots, String side, String counter) {
        return snapshots.get(side).counters().get(counter);
    }

    /**
     * Datagrams towards {@code side} that the kernels dropped: its UDP receive-buffer errors and
     * veth receive drops, and the other side's UDP send-buffer errors and veth transmit drops.
     */
    static long kernelDropsTowards(NamespaceLab lab, String side) throws Exception {
        String other = side.equals("a") ? "b" : "a";
        String rx = lab.exec(side, Duration.ofSeconds(10), "cat", "/sys/class/net/" + lab.id + side + "/statistics/rx_dropped")
            .output().strip();
        String tx = lab.exec(other, Duration.ofSeconds(10), "cat", "/sys/class/net/" + lab.id + other + "/statistics/tx_dropped")
            .output().strip();
        return ChaosTransferNamespaceTest.udpReceiveErrors(lab, side) + Long.parseLong(rx) + Long.parseLong(tx)
            + FloodNamespaceTest.snmp(lab, other, "Udp: ", "SndbufErrors");
    }

    private static String logs(NamespaceLab lab) {
        try {
            return "--- a ---\n" + lab.logText("a") + "--- b ---\n" + lab.logText("b");
        } catch (Exception e) {
            return "(logs unreadable: " + e + ")";
        }
    }
}
