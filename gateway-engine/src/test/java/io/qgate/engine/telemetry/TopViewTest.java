package io.qgate.engine.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code qgate top} screen: one line per peer, rates from the change between two reads. */
class TopViewTest {
    private static GatewaySnapshot snapshot(long rxBytes, long txBytes, long handshakeMillis) {
        Map<PeerCounter, Long> counters = new EnumMap<>(PeerCounter.class);
        for (PeerCounter c : PeerCounter.values()) {
            counters.put(c, 0L);
        }
        counters.put(PeerCounter.RX_BYTES, rxBytes);
        counters.put(PeerCounter.TX_BYTES, txBytes);
        counters.put(PeerCounter.LATEST_HANDSHAKE_MS, handshakeMillis);
        counters.put(PeerCounter.REPLAY_REJECTS, 3L);
        GatewaySnapshot.Peer peer = new GatewaySnapshot.Peer("gw-b", "192.168.241.2:51820", "mlkem768", counters);
        return new GatewaySnapshot("qg0", "0.0.0.0:51820", 4242, 1_000, 2_000, GatewaySnapshot.State.RUNNING, Map.of(), List.of(peer));
    }

    private static String peerLine(String screen) {
        return screen.lines().filter(l -> l.contains("gw-b")).findFirst().orElseThrow(() -> new AssertionError(screen));
    }

    @Test
    void theFirstScreenHasTotalsAndTheSecondHasRates() {
        TopView view = new TopView();
        String first = view.render(List.of(snapshot(1_000_000, 2_000, 9_000)), 10_000);
        assertTrue(first.contains("qg0 (running, pid 4242)"), first);
        String line = peerLine(first);
        assertTrue(line.contains("192.168.241.2:51820"), line);
        assertTrue(line.contains("1s ago"), line);
        assertTrue(line.trim().endsWith("3"), "drops include replay rejects: " + line);
        assertTrue(!line.contains("bit/s"), "no rate before a second read: " + line);

        // 125,000,000 bytes more in 1 s: 1 Gbit/s received; 2,000 bytes more sent: 16 kbit/s
        String second = peerLine(view.render(List.of(snapshot(126_000_000, 4_000, 9_000)), 11_000));
        assertTrue(second.contains("1.0 Gbit/s"), second);
        assertTrue(second.contains("16.0 kbit/s"), second);
    }

    @Test
    void ratesAndAgesUseReadableUnits() {
        assertEquals("800 bit/s", TopView.rate(100));
        assertEquals("1.5 Mbit/s", TopView.rate(187_500));
        assertEquals("59s ago", TopView.age(59));
        assertEquals("2m ago", TopView.age(150));
        assertEquals("3h ago", TopView.age(3 * 3600 + 5));
        assertEquals("2d ago", TopView.age(2 * 86_400));
        assertEquals("0s ago", TopView.age(-5), "a clock step backwards shows 0");
    }

    @Test
    void noGatewayMeansAnEmptyTableNotAnError() {
        String screen = new TopView().render(List.of(), 1_000);
        assertTrue(screen.contains("0 gateway(s)"), screen);
        assertTrue(screen.contains("PEER"), screen);
    }
}
