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
import java.util.LinkedHashMap;
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
     * The same through a relay that drops 1% of every datagram, handshake messages included, so
     * that rekeys meet lost initiations, responses and confirmations and their retries: the
     * stream still arrives whole and no packet is refused for a key the receiver did not have
     * (the relay's own drops are the network's, not the gateways'). A rekey crosses about 30
     * datagrams (certificates and ML-DSA signatures: 169 for five rekeys in one run), so at 1% loss
     * one attempt in four loses one and is retried after 1, 2, 4 s...; at 3% (this test's first
     * setting) more than half did, and the retries' back-off left 2 to 5 completed rekeys in the
     * 25 s (CI once saw 2), too few to bound.
     */
    @Test
    void rekeyingEveryFiveSecondsWhileTheNetworkDropsHandshakeMessagesRefusesNoPacket() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched", false, 0, true);
             ChaosRelayProcess relay = ChaosRelayProcess.start(lab, 20261123, "--drop", "0.01")) {
            transferThroughRekeys(lab, relay);
        }
    }

    private static void transferThroughRekeys(NamespaceLab lab, ChaosRelayProcess relay) throws Exception {
        for (String side : SIDES) {
            lab.interfaceOption(side, "rekey_after", "5");
            lab.startGateway(side);
        }
        for (String side : SIDES) {
            assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side + ":\n" + lab.logs());
        }
        Thread.sleep(200);
        Map<String, GatewaySnapshot> before = Map.of("a", lab.snapshot("a"), "b", lab.snapshot("b"));
        Map<String, Long> kernelBefore = Map.of("a", lab.kernelDropsTowards("a"), "b", lab.kernelDropsTowards("b"));

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
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), () -> "a transfer did not finish:\n" + lab.logs());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(lastLine(sourceA), sinkBOut.readLine(), "a to b: bytes and SHA-256 at both ends");
        assertEquals(lastLine(sourceB), sinkAOut.readLine(), "b to a: bytes and SHA-256 at both ends");
        Thread.sleep(300); // let the last packets and the control thread's counters settle

        Map<String, GatewaySnapshot> after = Map.of("a", lab.snapshot("a"), "b", lab.snapshot("b"));
        long rekeys = 0;
        List<Flow> flows = new ArrayList<>();
        Map<String, Long> refused = new LinkedHashMap<>(); // "side counter" to its growth during the transfers
        for (String side : SIDES) {
            String other = side.equals("a") ? "b" : "a";
            flows.add(new Flow(other, side, grew(before, after, other, PeerCounter.TX_PACKETS), grew(before, after, side, PeerCounter.RX_PACKETS),
                lab.kernelDropsTowards(side) - kernelBefore.get(side)));
            rekeys += grew(before, after, side, PeerCounter.REKEYS);
            for (String counter : List.of("dropped_unknown_index", "dropped_rejected", "io_errors")) {
                refused.put(side + " " + counter, after.get(side).counters().get(counter) - before.get(side).counters().get(counter));
            }
            for (PeerCounter counter : List.of(PeerCounter.DROPPED_NO_KEYS, PeerCounter.DROPPED_REJECTED, PeerCounter.REPLAY_REJECTS)) {
                refused.put(side + " " + counter.label(), grew(before, after, side, counter));
            }
        }
        String summary = String.format("rekey transfer: %d MB each way in %.1f s; %d rekeys; %s; refused %s%s", BYTES / 1_000_000,
            seconds, rekeys, flows, refused, relay == null ? "" : "; relay " + relay.counts());
        System.out.println(summary);
        // both gateways count the rekeys they completed (the initiator's key is the one that ages out):
        // five are due in the 25 s; without loss at least three complete, with it at least two
        int handshakes = relay == null ? 3 : 2;
        assertTrue(rekeys >= 2 * handshakes, () -> summary + "\n" + lab.logs());
        assertTrue(refused.values().stream().allMatch(v -> v == 0), () -> "a packet was refused during the rekeys: " + summary
            + "\n" + lab.logs());
        for (Flow flow : flows) {
            assertTrue(flow.sealed() > 10_000, summary);
            if (relay == null) { // with a lossy relay between them, what the relay dropped never arrives
                assertTrue(flow.accepted() <= flow.sealed() && flow.accepted() >= flow.sealed() - flow.kernelDrops(),
                    () -> "packets lost inside the gateways: " + summary);
            }
        }
        for (String side : SIDES) {
            assertFalse(lab.logText(side).contains("Exception"), lab::logs);
        }
    }

    /** Data packets one gateway sealed for the other, those the other accepted, and what the kernels dropped between. */
    private record Flow(String from, String to, long sealed, long accepted, long kernelDrops) {
        @Override
        public String toString() {
            return from + " sealed " + sealed + " for " + to + ", " + to + " accepted " + accepted + " (kernel drops " + kernelDrops + ")";
        }
    }

    private static long grew(Map<String, GatewaySnapshot> before, Map<String, GatewaySnapshot> after, String side, PeerCounter counter) {
        return after.get(side).peers().getFirst().get(counter) - before.get(side).peers().getFirst().get(counter);
    }

    private static String lastLine(Process p) throws java.io.IOException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return out.lines().reduce((x, y) -> y).orElse("");
    }
}
