package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.PeerCounter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayStatusTest {
    /** The peer example of docs/OPERATIONS.md: what `qgate show --json` prints for it. */
    private static GatewaySnapshot.Peer peer() {
        Map<PeerCounter, Long> counters = new EnumMap<>(PeerCounter.class);
        for (PeerCounter c : PeerCounter.values()) {
            counters.put(c, 0L);
        }
        counters.put(PeerCounter.RX_PACKETS, 147511L);
        counters.put(PeerCounter.RX_BYTES, 7862395L);
        counters.put(PeerCounter.TX_PACKETS, 1848337L);
        counters.put(PeerCounter.TX_BYTES, 2624554055L);
        counters.put(PeerCounter.DROPPED_NO_KEYS, 1L);
        counters.put(PeerCounter.DROPPED_REJECTED, 2L);
        counters.put(PeerCounter.REPLAY_REJECTS, 4L);
        counters.put(PeerCounter.HANDSHAKES, 2L);
        counters.put(PeerCounter.REKEYS, 1L);
        return new GatewaySnapshot.Peer("gw-b", "192.168.241.2:51820", "mlkem768-mldsa65-aes256gcm-sha3", counters);
    }

    private static GatewaySnapshot gateway(Map<String, Long> counters, List<GatewaySnapshot.Peer> peers) {
        return new GatewaySnapshot("qg0", "192.168.241.1:51820", 4242, 1767000000000L, 1767000012345L,
            GatewaySnapshot.State.RUNNING, counters, peers);
    }

    @Test
    void readsPidHandshakesTrafficAndTheDropsARekeyCouldCause() {
        GatewayStatus s = GatewayStatus.of(gateway(Map.of("tun_packets_read", 1848340L, "dropped_unknown_index", 3L),
            List.of(peer())));
        assertEquals(4242, s.pid());
        assertEquals("running", s.state());
        assertEquals(2, s.handshakes());
        assertEquals(1, s.rekeys());
        assertEquals(0, s.handshakeFailures());
        assertEquals(7862395, s.rxBytes());
        assertEquals(2624554055L, s.txBytes());
        assertEquals(3, s.droppedUnknownIndex());
        assertEquals(1 + 3 + 2 + 4, s.rekeyDrops(), "no keys, unknown index, rejected, replayed");
    }

    @Test
    void aGatewayWithoutExactlyOnePeerIsRefused() {
        Map<String, Long> counters = Map.of("dropped_unknown_index", 0L);
        String none = assertThrows(IllegalArgumentException.class, () -> GatewayStatus.of(gateway(counters, List.of())))
            .getMessage();
        assertEquals("the gateway qg0 should have exactly one peer here, not 0.", none);
        String two = assertThrows(IllegalArgumentException.class,
            () -> GatewayStatus.of(gateway(counters, List.of(peer(), peer())))).getMessage();
        assertTrue(two.endsWith("not 2."), two);
    }

    @Test
    void namesAMissingGatewayCounter() {
        String why = assertThrows(IllegalArgumentException.class,
            () -> GatewayStatus.of(gateway(Map.of("tun_packets_read", 1L), List.of(peer())))).getMessage();
        assertEquals("the gateway qg0 has no dropped_unknown_index counter: is its qgate older than this harness?", why);
    }

    @Test
    void aMissingCountersFileSaysNoGatewayRuns(@TempDir Path dir) {
        String why = assertThrows(BenchException.class, () -> GatewayStatus.read(dir.resolve("qg-x-a.counters"))).getMessage();
        assertTrue(why.startsWith("no gateway is running for qg-x-a"), why);
    }
}
