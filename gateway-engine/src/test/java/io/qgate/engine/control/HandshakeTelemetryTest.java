package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.engine.telemetry.PeerCounter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real (simulated-network) handshake's events, fed to the telemetry: counters, latency histogram and JFR events. */
class HandshakeTelemetryTest {
    private static final TestPki PKI = TestPki.standard();

    @TempDir
    Path run;

    @Test
    void completedHandshakesAndRekeysAreCountedTimedAndRecordedAsJfrEvents() throws Exception {
        Tunnel tunnel = Tunnel.established(PKI, 11);
        for (int second = 1; second <= 140; second++) { // past REKEY_AFTER_TIME with traffic: the client rekeys
            tunnel.clientSends(second, 100);
            tunnel.network.runFor(1_000_000_000L);
        }
        List<PeerEvent.Established> established = tunnel.client.events(PeerEvent.Established.class);
        assertTrue(established.size() >= 2, "a handshake and at least one rekey: " + established);
        assertTrue(established.stream().allMatch(e -> e.durationNanos() >= 0), "every duration is known: " + established);

        Path dump = run.resolve("events.jfr");
        try (GatewayTelemetry telemetry = GatewayTelemetry.create(run, "qg0", new InetSocketAddress("127.0.0.1", 51820), 1);
                Recording recording = new Recording()) {
            telemetry.file().peer(0, tunnel.gatewayAtClient.name());
            recording.enable("io.qgate.Handshake");
            recording.enable("io.qgate.Rekey");
            recording.start();
            for (PeerEvent event : tunnel.client.events) {
                telemetry.onEvent(event, System.currentTimeMillis());
            }
            recording.stop();
            recording.dump(dump);

            var peer = telemetry.snapshot().peers().get(0);
            long rekeys = established.stream().filter(PeerEvent.Established::rekey).count();
            assertEquals(established.size(), peer.get(PeerCounter.HANDSHAKES));
            assertEquals(rekeys, peer.get(PeerCounter.REKEYS));
            assertTrue(rekeys >= 1);
            assertTrue(peer.get(PeerCounter.LATEST_HANDSHAKE_MS) > 0);
            assertEquals(established.size(), telemetry.latency().snapshot().count());

            List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
            List<RecordedEvent> handshakes = events.stream().filter(e -> e.getEventType().getName().equals("io.qgate.Handshake")).toList();
            List<RecordedEvent> rekeyEvents = events.stream().filter(e -> e.getEventType().getName().equals("io.qgate.Rekey")).toList();
            assertEquals(established.size(), handshakes.size());
            assertEquals(rekeys, rekeyEvents.size());
            RecordedEvent first = handshakes.get(0);
            assertEquals("gw", first.getString("peer"));
            assertEquals(established.get(0).suite().suiteName(), first.getString("suite"));
            assertEquals("established", first.getString("outcome"));
            assertEquals(established.get(0).durationNanos(), first.getDuration("handshakeDuration").toNanos());
            assertTrue(first.getBoolean("initiator"), "the client initiated");
            assertEquals("established", rekeyEvents.get(0).getString("outcome"));
        }
    }

    @Test
    void theResponderTimesItsHandshakeFromInitiationToConfirm() {
        Tunnel tunnel = Tunnel.established(PKI, 12);
        List<PeerEvent.Established> atGateway = tunnel.gateway.events(PeerEvent.Established.class);
        assertFalse(atGateway.isEmpty());
        assertFalse(atGateway.get(0).initiator());
        assertTrue(atGateway.get(0).durationNanos() >= 0, "duration " + atGateway.get(0).durationNanos());
    }
}
