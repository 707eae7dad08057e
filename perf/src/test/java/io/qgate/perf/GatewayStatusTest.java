package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.PeerCounter;
import io.qgate.engine.telemetry.StatusJson;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayStatusTest {
    /** The peer example of docs/OPERATIONS.md inside one gateway, as `qgate show --json` prints it. */
    static final String SHOW = """
        {"gateways":[{"interface":"qg0","state":"running","pid":4242,"listen":"192.168.241.1:51820",
         "started_ms":1767000000000,"heartbeat_ms":1767000012345,
         "counters":{"tun_packets_read":1848340,"dropped_unknown_index":3},
         "peers":[{"name":"gw-b","endpoint":"192.168.241.2:51820","suite":"mlkem768-mldsa65-aes256gcm-sha3",
          "latest_handshake_age_s":12,"key_age_s":72,
          "rx_packets":147511,"rx_bytes":7862395,"tx_packets":1848337,"tx_bytes":2624554055,
          "dropped_source":0,"dropped_no_keys":1,"dropped_rejected":2,"replay_rejects":4,
          "handshakes":2,"rekeys":1,"handshake_failures":0,
          "latest_handshake_ms":1767000000345,"key_created_ms":1767000000345}]}]}
        """;

    @Test
    void readsPidHandshakesTrafficAndTheDropsARekeyCouldCause() {
        GatewayStatus s = GatewayStatus.parse(SHOW);
        assertEquals(4242, s.pid());
        assertEquals("running", s.state());
        assertEquals(2, s.handshakes());
        assertEquals(1, s.rekeys());
        assertEquals(0, s.handshakeFailures());
        assertEquals(7862395, s.rxBytes());
        assertEquals(2624554055L, s.txBytes());
        assertEquals(1 + 3 + 2 + 4, s.rekeyDrops(), "no keys, unknown index, rejected, replayed");
    }

    @Test
    void readsWhatTheGatewaysOwnJsonWriterPrints() {
        Map<PeerCounter, Long> peer = new EnumMap<>(PeerCounter.class);
        for (PeerCounter c : PeerCounter.values()) {
            peer.put(c, 0L);
        }
        peer.put(PeerCounter.REKEYS, 119L);
        peer.put(PeerCounter.RX_BYTES, 5L);
        GatewaySnapshot snapshot = new GatewaySnapshot("qg-1-a", null, 77, 1, 2, GatewaySnapshot.State.RUNNING,
            Map.of("dropped_unknown_index", 61L), List.of(new GatewaySnapshot.Peer("gw-b", null, null, peer)));
        GatewayStatus s = GatewayStatus.parse(StatusJson.render(List.of(snapshot), true, 3));
        assertEquals(77, s.pid());
        assertEquals(119, s.rekeys());
        assertEquals(5, s.rxBytes());
        assertEquals(61, s.droppedUnknownIndex());
    }

    @Test
    void theStatusCommandsPeerCountIsNotEnough() {
        String status = SHOW.replaceAll("(?s)\"peers\":\\[.*\\]\\}\\]\\}", "\"peers\":1}]}");
        String why = assertThrows(IllegalArgumentException.class, () -> GatewayStatus.parse(status)).getMessage();
        assertTrue(why.contains("exactly one peer"), why);
    }

    @Test
    void namesAMissingCounterAndAWrongNumberOfGateways() {
        String why = assertThrows(IllegalArgumentException.class,
            () -> GatewayStatus.parse(SHOW.replace("\"rekeys\":1,", ""))).getMessage();
        assertEquals("`qgate show --json` has no whole number rekeys.", why);
        assertEquals("`qgate show --json` should list exactly one gateway here, not 0.",
            assertThrows(IllegalArgumentException.class, () -> GatewayStatus.parse("{\"gateways\":[]}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayStatus.parse("qg0: running"))
            .getMessage().startsWith("not the JSON of `qgate show --json`"));
    }

    @Test
    void aMissingCountersFileSaysNoGatewayRuns(@TempDir Path dir) {
        String why = assertThrows(BenchException.class, () -> GatewayStatus.read(dir.resolve("qg-x-a.counters"))).getMessage();
        assertTrue(why.startsWith("no gateway is running for qg-x-a"), why);
    }
}
