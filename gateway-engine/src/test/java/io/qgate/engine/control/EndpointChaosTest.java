package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two endpoints through a seeded adversary that drops, reorders, duplicates, truncates, corrupts
 * and replays datagrams: the handshake completes within its time bound, and no forged, replayed
 * or corrupted packet is ever delivered.
 */
class EndpointChaosTest {
    private static final TestPki PKI = TestPki.standard();
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void handshakeCompletesAndOnlyGenuinePacketsArriveOnce(long seed) {
        SimulatedNetwork network = new SimulatedNetwork(seed, SimulatedNetwork.Faults.hostile());
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.clientSends(0, 500);
        assertTrue(network.runUntil(tunnel::established, Protocol.REKEY_ATTEMPT_TIME, 1_000_000),
                "no handshake within REKEY_ATTEMPT_TIME under faults; client events: " + tunnel.client.events);
        int sent = 1;
        for (int second = 0; second < 40; second++) {
            for (int i = 0; i < 10; i++) {
                tunnel.clientSends(sent, 64 + (sent % 1300));
                tunnel.gatewaySends(1_000_000 + sent, 64 + (sent % 900));
                sent++;
            }
            network.runFor(SECOND);
        }
        checkOnlyGenuineOnce(tunnel.gateway.delivered, 0, sent);
        checkOnlyGenuineOnce(tunnel.client.delivered, 1_000_000, 1_000_000 + sent);
        assertTrue(tunnel.gateway.delivered.size() > sent / 2, "most packets arrive: " + tunnel.gateway.delivered.size());
        assertNotNull(tunnel.gatewayAtClient.keypairs().current(), "the session survived the adversary");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14})
    void onASeverePathTheHandshakeEndsWithinItsBoundEitherWay(long seed) {
        SimulatedNetwork network = new SimulatedNetwork(seed, SimulatedNetwork.Faults.severe());
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.clientSends(0, 500);
        boolean ended = network.runUntil(() -> tunnel.established() || tunnel.gatewayAtClient.dead(),
                Protocol.REKEY_ATTEMPT_TIME + 2 * SECOND, 1_000_000);
        assertTrue(ended, "neither established nor declared dead within REKEY_ATTEMPT_TIME");
        if (!tunnel.established()) {
            assertEquals(1, tunnel.client.events(PeerEvent.Dead.class).size());
        }
        for (PeerEvent.HandshakeFailed failure : tunnel.client.events(PeerEvent.HandshakeFailed.class)) {
            assertNotNull(failure.error(), "every failure names its cause");
            assertTrue(!failure.reason().isBlank());
        }
        checkOnlyGenuineOnce(tunnel.gateway.delivered, 0, 1);
    }

    /** Every delivered packet is one that was sent (content intact) and none arrives twice. */
    private static void checkOnlyGenuineOnce(List<byte[]> delivered, int first, int end) {
        Set<Integer> seen = new HashSet<>();
        for (byte[] packet : delivered) {
            int number = ByteBuffer.wrap(packet).getInt(0);
            assertTrue(number >= first && number < end, "a packet numbered " + number + " was never sent");
            assertTrue(seen.add(number), "packet " + number + " was delivered twice");
            assertArrayEquals(Tunnel.packet(number, packet.length), packet, "packet " + number + " was altered");
        }
        assertEquals(seen.size(), delivered.size());
    }
}
