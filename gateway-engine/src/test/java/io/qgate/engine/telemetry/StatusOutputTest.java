package io.qgate.engine.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Suite;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON (parsed back) and text of {@code qgate status} and {@code qgate show}. */
class StatusOutputTest {
    @TempDir
    Path run;

    private GatewaySnapshot snapshot(long now) {
        try (CountersFile file = CountersFile.create(run, "qg0", new InetSocketAddress("192.0.2.1", 51820), 2)) {
            file.counter("tun_packets_read").addAndGet(7);
            PeerCounters b = file.peer(0, "gw-b");
            b.traffic().received(1, 10, 1_258_291, true); // 1.20 MiB
            b.traffic().sent(1, 20, 3_565_158); // 3.40 MiB
            b.counter(PeerCounter.HANDSHAKES).addAndGet(3);
            b.counter(PeerCounter.REKEYS).addAndGet(2);
            b.counter(PeerCounter.LATEST_HANDSHAKE_MS).set(now - 12_000);
            b.counter(PeerCounter.KEY_CREATED_MS).set(now - 72_000);
            b.describe(new InetSocketAddress("198.51.100.7", 40000), Suite.DEFAULT);
            file.peer(1, "gw-c \"quoted\"");
            return file.snapshot(now);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void showJsonHasEveryPeerFieldWithItsValue() {
        long now = System.currentTimeMillis();
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(StatusJson.render(List.of(snapshot(now)), true, now));
        List<Object> gateways = (List<Object>) root.get("gateways");
        assertEquals(1, gateways.size());
        Map<String, Object> g = (Map<String, Object>) gateways.get(0);
        assertEquals("qg0", g.get("interface"));
        assertEquals("running", g.get("state"));
        assertEquals(ProcessHandle.current().pid(), g.get("pid"));
        assertEquals("192.0.2.1:51820", g.get("listen"));
        assertEquals(7L, ((Map<String, Object>) g.get("counters")).get("tun_packets_read"));
        List<Object> peers = (List<Object>) g.get("peers");
        Map<String, Object> b = (Map<String, Object>) peers.get(0);
        assertEquals("gw-b", b.get("name"));
        assertEquals("198.51.100.7:40000", b.get("endpoint"));
        assertEquals(Suite.DEFAULT.suiteName(), b.get("suite"));
        assertEquals(12L, b.get("latest_handshake_age_s"));
        assertEquals(72L, b.get("key_age_s"));
        assertEquals(1_258_291L, b.get("rx_bytes"));
        assertEquals(3_565_158L, b.get("tx_bytes"));
        assertEquals(10L, b.get("rx_packets"));
        assertEquals(20L, b.get("tx_packets"));
        assertEquals(3L, b.get("handshakes"));
        assertEquals(2L, b.get("rekeys"));
        for (PeerCounter c : PeerCounter.values()) {
            assertTrue(b.containsKey(c.label()), c.label());
        }
        Map<String, Object> c = (Map<String, Object>) peers.get(1);
        assertEquals("gw-c \"quoted\"", c.get("name"));
        assertNull(c.get("endpoint"));
        assertNull(c.get("latest_handshake_age_s"));
        assertTrue(c.containsKey("latest_handshake_age_s"), "an unknown value is null, not missing");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusJsonCountsPeersAndListsNoGatewayAsAnEmptyArray() {
        long now = System.currentTimeMillis();
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(StatusJson.render(List.of(snapshot(now)), false, now));
        Map<String, Object> g = (Map<String, Object>) ((List<Object>) root.get("gateways")).get(0);
        assertEquals(2L, g.get("peers"));
        assertEquals(Map.of("gateways", List.of()), MiniJson.parse(StatusJson.render(List.of(), false, now)));
    }

    @Test
    void showTextReadsLikeWgShow() {
        long now = System.currentTimeMillis();
        String text = StatusText.show(List.of(snapshot(now)), now);
        assertTrue(text.startsWith("interface: qg0\n  state: running (pid "), text);
        assertTrue(text.contains("\npeer: gw-b\n  endpoint: 198.51.100.7:40000\n  latest handshake: 12 seconds ago\n"
            + "  transfer: 1.20 MiB received, 3.40 MiB sent\n  suite: " + Suite.DEFAULT.suiteName() + "\n  key age: 1 minute, 12 seconds\n"), text);
        assertTrue(text.contains("  handshakes: 3 (2 rekeys, 0 failed)\n"), text);
        assertTrue(text.contains("peer: gw-c \"quoted\"\n  latest handshake: never\n"), text);
        String status = StatusText.status(List.of(snapshot(now)));
        assertTrue(status.startsWith("qg0: running (pid "), status);
        assertTrue(status.contains("1 of 2 peer(s) with a session, 1.20 MiB received, 3.40 MiB sent\n  tun_packets_read 7\n"), status);
    }

    @Test
    void durationsAndSizesAreWrittenAsWgDoes() {
        assertEquals("0 seconds", StatusText.duration(0));
        assertEquals("1 second", StatusText.duration(1));
        assertEquals("1 day, 2 hours, 1 minute, 5 seconds", StatusText.duration(86_400 + 7_200 + 65));
        assertEquals("1023 B", StatusText.bytes(1023));
        assertEquals("1.00 KiB", StatusText.bytes(1024));
        assertEquals("2.50 GiB", StatusText.bytes(5L << 29));
    }
}
