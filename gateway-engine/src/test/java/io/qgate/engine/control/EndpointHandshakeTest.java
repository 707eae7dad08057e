package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadBackends;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.trust.CertificateRole;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class EndpointHandshakeTest {
    private static final TestPki PKI = TestPki.standard();
    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void completesHandshakeInEverySuiteAndCarriesDataBothWays(Suite suite) {
        SimulatedNetwork network = new SimulatedNetwork(1, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, suite, network);
        tunnel.clientSends(1, 1400);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000), "handshake did not complete");
        network.runFor(SECOND);
        assertEquals(1, tunnel.gateway.delivered.size(), "the staged first packet arrives");
        assertArrayEquals(Tunnel.packet(1, 1400), tunnel.gateway.delivered.get(0));
        for (int i = 2; i < 12; i++) {
            tunnel.clientSends(i, 100 + i);
            tunnel.gatewaySends(1000 + i, 1420);
        }
        network.runFor(SECOND);
        assertEquals(11, tunnel.gateway.delivered.size());
        assertEquals(10, tunnel.client.delivered.size());
        assertArrayEquals(Tunnel.packet(1011, 1420), tunnel.client.delivered.get(9));
        assertEquals(suite, tunnel.gatewayAtClient.keypairs().current().suite());
        assertEquals("alice@example", tunnel.clientAtGateway().identity().subject());
        assertEquals("gw.example", tunnel.gatewayAtClient.identity().subject());
        assertEquals(io.qgate.engine.trust.CertificateRole.CLIENT, tunnel.clientAtGateway().identity().role());
        assertEquals(32, tunnel.clientAtGateway().identity().serialHex().length(), "a 16-byte serial, kept instead of the certificate");
    }

    @Test
    void firstDataFlowsAfterOneAndAHalfRoundTrips() {
        SimulatedNetwork network = new SimulatedNetwork(2, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.clientSends(1, 64);
        // initiation, response, then confirm and the staged packet back to back: the gateway
        // has the packet after three one-way trips with nothing else in between.
        assertTrue(network.runUntil(() -> !tunnel.gateway.delivered.isEmpty(), SECOND, 1000));
        assertTrue(network.now() < 1_000_000_000L + SimulatedNetwork.TICK,
                "data arrived only at " + network.now() + " ns; no retry may be needed");
    }

    /** Each session's ciphers come from the backend its suite's AEAD asks for, on both sides. */
    @ParameterizedTest
    @EnumSource(value = Suite.class, names = {"MLKEM768_MLDSA65_AES256GCM", "MLKEM768_MLDSA65_CHACHA20POLY1305"})
    void sessionCiphersComeFromTheBackendChosenForTheSuitesAead(Suite suite) {
        List<AeadAlgorithm> asked = new CopyOnWriteArrayList<>();
        AeadBackends recording = algorithm -> {
            asked.add(algorithm);
            return Backend.JDK;
        };
        SimulatedNetwork network = new SimulatedNetwork(4, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, suite, network, Protocol.REKEY_AFTER_TIME, recording, 0);
        tunnel.clientSends(1, 64);
        assertTrue(network.runUntil(() -> !tunnel.gateway.delivered.isEmpty(), 5 * SECOND, 10_000));
        assertEquals(List.of(suite.aead(), suite.aead()), asked, "one keypair at each end, each asking for its suite's AEAD");
    }

    @Test
    void serverOnlyModeAcceptsAnAnonymousClient() {
        SimulatedNetwork network = new SimulatedNetwork(3, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = anonymousClient(network, false);
        tunnel.clientSends(7, 300);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000));
        network.runFor(SECOND);
        assertEquals(1, tunnel.gateway.delivered.size());
        assertNull(tunnel.clientAtGateway().identity(), "an anonymous client has no certificate");
    }

    @Test
    void gatewayRequiringClientCertificatesRefusesAnonymousClient() {
        SimulatedNetwork network = new SimulatedNetwork(4, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = anonymousClient(network, true);
        tunnel.clientSends(7, 300);
        network.runFor(3 * SECOND);
        assertFalse(tunnel.established());
        assertEquals(ErrorCode.AUTHENTICATION_REQUIRED, firstFailure(tunnel.client).error());
        assertEquals(ErrorCode.AUTHENTICATION_REQUIRED, firstFailure(tunnel.gateway).error());
    }

    @Test
    void rekeysEveryTwoMinutesWithoutLosingAPacket() {
        Tunnel tunnel = Tunnel.established(PKI, 5);
        SimulatedNetwork network = tunnel.network;
        Keypair first = tunnel.gatewayAtClient.keypairs().current();
        int sent = 1;
        for (int second = 0; second < 300; second++) {
            for (int i = 0; i < 5; i++) {
                tunnel.clientSends(sent, 200);
                tunnel.gatewaySends(100_000 + sent, 200);
                sent++;
            }
            network.runFor(SECOND);
        }
        assertEquals(sent, tunnel.gateway.delivered.size(), "every client packet arrived across rekeys");
        assertEquals(sent - 1, tunnel.client.delivered.size(), "every gateway packet arrived across rekeys");
        assertTrue(tunnel.client.events(PeerEvent.Established.class).size() >= 3, "at least two rekeys in 300 s");
        assertTrue(first != tunnel.gatewayAtClient.keypairs().current());
        long age = network.now() - tunnel.gatewayAtClient.keypairs().current().createdNanos();
        assertTrue(age < Protocol.REKEY_AFTER_TIME + 10 * SECOND, "current keypair is " + age / SECOND + " s old");
    }

    @Test
    void rekeysAtTheConfiguredFiveSecondIntervalWithoutLosingAPacket() {
        SimulatedNetwork network = new SimulatedNetwork(15, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network, EndpointConfig.MIN_REKEY_AFTER);
        tunnel.clientSends(0, 300);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000));
        int sent = 1;
        for (int tick = 0; tick < 300; tick++) { // 30 s in steps of 100 ms, traffic both ways throughout
            sent = tunnel.exchange(sent, 300, SECOND / 10);
        }
        network.runFor(SECOND);
        assertEquals(sent, tunnel.gateway.delivered.size(), "every client packet arrived across rekeys");
        assertEquals(sent - 1, tunnel.client.delivered.size(), "every gateway packet arrived across rekeys");
        // the traffic counters (a gateway's rx_packets and tx_packets) hold what the endpoint itself sealed and opened
        PeerTraffic atGateway = tunnel.clientAtGateway().traffic;
        assertTrue(atGateway.packetsReceived.get() >= sent, "rx_packets " + atGateway.packetsReceived.get() + " (keepalives add)");
        assertEquals(tunnel.gatewayAtClient.traffic.packetsSent.get(), atGateway.packetsReceived.get());
        assertEquals(atGateway.packetsSent.get(), tunnel.gatewayAtClient.traffic.packetsReceived.get());
        int handshakes = tunnel.client.events(PeerEvent.Established.class).size();
        // the first handshake, then one rekey per 5 s of key age: 5 or 6 in 30 s (a rekey starts on the first send past 5 s)
        assertTrue(handshakes >= 5 && handshakes <= 7, "handshakes in 30 s with rekey_after 5 s: " + handshakes);
        long age = network.now() - tunnel.gatewayAtClient.keypairs().current().createdNanos();
        assertTrue(age < 7 * SECOND, "current keypair is " + age / SECOND + " s old");
    }

    @Test
    void handshakesStartedByBothSidesAtOnceEndInOneSharedKeypairThatOnlyItsInitiatorRekeys() {
        SimulatedNetwork network = new SimulatedNetwork(31, SimulatedNetwork.Faults.NONE);
        // two gateways, each configured with the other's address: both start a handshake with their first packet
        List<Suite> suites = List.of(Suite.DEFAULT);
        Tunnel tunnel = new Tunnel(network,
            PKI.config(PKI.identity(CertificateRole.GATEWAY, "gw-b.example", Suite.DEFAULT), suites, true, TestPki.clock(network)),
            PKI.config(PKI.identity(CertificateRole.GATEWAY, "gw-a.example", Suite.DEFAULT), suites, true, TestPki.clock(network)),
            "gw-b.example", EndpointConfig.MIN_REKEY_AFTER, io.qgate.crypto.aead.Aeads.defaultBackends(), 0);
        Peer clientAtGateway = tunnel.gateway.endpoint.addPeer(new PeerConfig("gw-a", "gw-a.example", Tunnel.CLIENT_ADDRESS));
        tunnel.clientSends(0, 100);
        tunnel.gatewaySends(100_000, 100);
        assertTrue(network.runUntil(() -> tunnel.gatewayAtClient.keypairs().current() != null
            && clientAtGateway.keypairs().current() != null, 5 * SECOND, 100_000));
        network.runFor(SECOND);
        Keypair atClient = tunnel.gatewayAtClient.keypairs().current();
        Keypair atGateway = clientAtGateway.keypairs().current();
        assertEquals(atClient.localIndex(), atGateway.remoteIndex(), "both sides send and receive under one keypair");
        assertEquals(atClient.remoteIndex(), atGateway.localIndex());
        // "gw-a.example" sorts before "gw-b.example": the handshake of the "client" node (gw-a) is
        // kept; gw-a refuses gw-b's CONFIRM, and gw-b abandons its own attempt on gw-a's
        assertEquals(1, tunnel.client.endpoint.dropped(Drop.HANDSHAKE_COLLISION));
        assertEquals(0, tunnel.gateway.endpoint.dropped(Drop.HANDSHAKE_COLLISION));
        assertTrue(tunnel.gatewayAtClient.currentIsOurs && !clientAtGateway.currentIsOurs, "one side rekeys it");
        int sent = 1;
        for (int tick = 0; tick < 120; tick++) { // 12 s: two rekeys, started by the client alone
            sent = tunnel.exchange(sent, 200, SECOND / 10);
        }
        network.runFor(SECOND);
        assertEquals(sent, tunnel.gateway.delivered.size(), "every client packet arrived");
        assertEquals(sent, tunnel.client.delivered.size(), "every gateway packet arrived");
        assertEquals(1, tunnel.client.endpoint.dropped(Drop.HANDSHAKE_COLLISION), "no further collision");
        assertEquals(0, tunnel.gateway.endpoint.dropped(Drop.UNKNOWN_RECEIVER) + tunnel.client.endpoint.dropped(Drop.UNKNOWN_RECEIVER));
    }

    @Test
    void anEndpointRefusesARekeyIntervalOutsideFiveTo120Seconds() {
        var handshake = PKI.config(PKI.identity(io.qgate.engine.trust.CertificateRole.CLIENT, "x@example", Suite.DEFAULT),
            List.of(Suite.DEFAULT), true, System::currentTimeMillis);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(handshake, true,
            io.qgate.crypto.aead.Aeads.defaultBackends(), 0, EndpointConfig.MIN_REKEY_AFTER - 1));
        assertTrue(e.getMessage().startsWith("rekeyAfterNanos 4999999999 is outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EndpointConfig(handshake, true,
            io.qgate.crypto.aead.Aeads.defaultBackends(), 0, Protocol.REKEY_AFTER_TIME + 1));
    }

    @Test
    void replayedInitiationDoesNotDisturbTheSession() {
        Tunnel tunnel = Tunnel.established(PKI, 6);
        SimulatedNetwork network = tunnel.network;
        Keypair before = tunnel.clientAtGateway().keypairs().current();
        List<byte[]> initiationFragments = network.recorded().stream().filter(d -> d[0] == 1).toList();
        assertFalse(initiationFragments.isEmpty());
        for (int replay = 0; replay < 3; replay++) {
            for (byte[] fragment : initiationFragments) {
                network.inject(Tunnel.CLIENT_ADDRESS, Tunnel.GATEWAY_ADDRESS, fragment);
            }
            network.runFor(SECOND);
        }
        assertSame(before, tunnel.clientAtGateway().keypairs().current(), "the established keypair is untouched");
        tunnel.clientSends(1, 100);
        tunnel.gatewaySends(2, 100);
        network.runFor(SECOND);
        assertEquals(2, tunnel.gateway.delivered.size());
        assertEquals(1, tunnel.client.delivered.size());
    }

    @Test
    void roamsToTheAddressOfAnAuthenticatedPacket() {
        Tunnel tunnel = Tunnel.established(PKI, 7);
        SimulatedNetwork network = tunnel.network;
        InetSocketAddress moved = new InetSocketAddress("203.0.113.99", 41000);
        network.move(tunnel.client, moved);
        tunnel.clientSends(1, 100);
        network.runFor(SECOND);
        assertEquals(moved, tunnel.clientAtGateway().endpoint());
        assertEquals(1, tunnel.gateway.events(PeerEvent.Roamed.class).size());
        tunnel.gatewaySends(2, 100);
        network.runFor(SECOND);
        assertEquals(1, tunnel.client.delivered.size(), "the gateway answers at the new address");
    }

    @Test
    void forgedPacketFromANewAddressDoesNotMoveThePeer() {
        Tunnel tunnel = Tunnel.established(PKI, 8);
        SimulatedNetwork network = tunnel.network;
        byte[] lastData = network.recorded().stream().filter(d -> d[0] == 4).reduce((a, b) -> b).orElseThrow();
        byte[] forged = lastData.clone();
        forged[forged.length - 1] ^= 1;
        network.inject(new InetSocketAddress("203.0.113.66", 666), Tunnel.GATEWAY_ADDRESS, forged);
        network.inject(new InetSocketAddress("203.0.113.66", 666), Tunnel.GATEWAY_ADDRESS, lastData);
        network.runFor(SECOND);
        assertEquals(Tunnel.CLIENT_ADDRESS, tunnel.clientAtGateway().endpoint());
        assertTrue(tunnel.gateway.events(PeerEvent.Roamed.class).isEmpty());
    }

    @Test
    void rejectsItsOwnPacketReflectedBackToIt() {
        Tunnel tunnel = Tunnel.established(PKI, 12);
        SimulatedNetwork network = tunnel.network;
        tunnel.clientSends(1, 100);
        network.runFor(SECOND);
        byte[] clientPacket = network.recorded().stream()
                .filter(d -> d[0] == 4 && d.length == 100 + Protocol.DATA_OVERHEAD).reduce((a, b) -> b).orElseThrow();
        // Rewrite its receiver index to the client's own: the direction keys differ, so it cannot open.
        byte[] reflected = clientPacket.clone();
        java.nio.ByteBuffer.wrap(reflected).putInt(4, tunnel.gatewayAtClient.keypairs().current().localIndex());
        long before = tunnel.client.endpoint.dropped(Drop.DATA_REJECTED);
        network.inject(Tunnel.GATEWAY_ADDRESS, Tunnel.CLIENT_ADDRESS, clientPacket);
        network.inject(Tunnel.GATEWAY_ADDRESS, Tunnel.CLIENT_ADDRESS, reflected);
        network.runFor(SECOND);
        assertTrue(tunnel.client.delivered.isEmpty(), "a reflected packet was delivered");
        assertEquals(before + 1, tunnel.client.endpoint.dropped(Drop.DATA_REJECTED));
        assertEquals(1, tunnel.client.endpoint.dropped(Drop.UNKNOWN_RECEIVER));
    }

    @Test
    void authenticatedCloseEndsTheSessionAndForgedCloseDoesNot() {
        Tunnel tunnel = Tunnel.established(PKI, 9);
        SimulatedNetwork network = tunnel.network;
        Keypair current = tunnel.clientAtGateway().keypairs().current();
        byte[] forgedClose = new byte[34];
        forgedClose[0] = 7;
        forgedClose[1] = 1;
        java.nio.ByteBuffer.wrap(forgedClose).putInt(4, current.localIndex());
        network.inject(Tunnel.CLIENT_ADDRESS, Tunnel.GATEWAY_ADDRESS, forgedClose);
        network.runFor(SECOND);
        assertNotNull(tunnel.clientAtGateway().keypairs().current(), "a forged CLOSE changes nothing");
        tunnel.client.endpoint.close(tunnel.gatewayAtClient, ErrorCode.PEER_CLOSED, network.now(), tunnel.client);
        network.runFor(SECOND);
        assertNull(tunnel.clientAtGateway().keypairs().current());
        assertEquals(ErrorCode.PEER_CLOSED, tunnel.gateway.events(PeerEvent.Closed.class).get(0).reason());
    }

    @Test
    void sendsKeepalivesAndDeclaresASilentPeerDead() {
        Tunnel tunnel = Tunnel.established(PKI, 10);
        SimulatedNetwork network = tunnel.network;
        long before = tunnel.gatewayAtClient.packetsSent();
        network.runFor(Protocol.KEEPALIVE_TIMEOUT + 2 * SECOND);
        assertTrue(tunnel.clientAtGateway().packetsSent() >= 2, "the gateway acknowledged and kept alive");
        tunnel.gateway.offline = true;
        tunnel.clientSends(1, 100);
        network.runFor(Protocol.DEAD_PEER_TIMEOUT + Protocol.REKEY_ATTEMPT_TIME + 10 * SECOND);
        assertEquals(1, tunnel.client.events(PeerEvent.Dead.class).size());
        assertTrue(tunnel.gatewayAtClient.dead());
        assertTrue(tunnel.gatewayAtClient.packetsSent() > before);
    }

    @Test
    void refusesUnknownProtocolVersionWithAnError() {
        SimulatedNetwork network = new SimulatedNetwork(11, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.clientSends(0, 100);
        network.runUntil(() -> !network.recorded().isEmpty(), SECOND, 10);
        byte[] initiation = network.recorded().get(0).clone();
        initiation[1] = 9;
        network.inject(new InetSocketAddress("198.51.100.9", 5555), Tunnel.GATEWAY_ADDRESS, initiation);
        network.runFor(SECOND / 10);
        assertEquals(1, tunnel.gateway.endpoint.dropped(Drop.UNSUPPORTED_VERSION));
        byte[] answer = network.recorded().stream().filter(d -> d[0] == 6).findFirst().orElseThrow();
        assertEquals(ErrorCode.UNSUPPORTED_VERSION.code(), java.nio.ByteBuffer.wrap(answer).getShort(2));
    }

    /** A client without a certificate, to a gateway that does or does not require one. */
    private static Tunnel anonymousClient(SimulatedNetwork network, boolean gatewayRequiresCertificates) {
        TestPki.Identity gatewayId = PKI.identity(CertificateRole.GATEWAY, "gw.example", Suite.DEFAULT);
        return new Tunnel(network,
                PKI.config(gatewayId, List.of(Suite.DEFAULT), gatewayRequiresCertificates, TestPki.clock(network)),
                PKI.config(null, List.of(Suite.DEFAULT), false, TestPki.clock(network)), "gw.example");
    }

    private static PeerEvent.HandshakeFailed firstFailure(SimulatedNetwork.Node node) {
        List<PeerEvent.HandshakeFailed> failures = node.events(PeerEvent.HandshakeFailed.class);
        assertFalse(failures.isEmpty(), node.name + " saw no handshake failure; events: " + node.events);
        return failures.get(0);
    }
}
