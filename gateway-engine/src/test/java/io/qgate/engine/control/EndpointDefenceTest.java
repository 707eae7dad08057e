package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.Fragmenter;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.HandshakeError;
import io.qgate.engine.protocol.HandshakeSizes;
import io.qgate.engine.protocol.InitiatorHandshake;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.trust.CertificateRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The responder's defences of section 7: amplification limit, per-source rate limit, cookies under load. */
class EndpointDefenceTest {
    private static final TestPki PKI = TestPki.standard();
    private static final long SECOND = 1_000_000_000L;

    private static List<byte[]> initiation(HandshakeConfig config, int padding) {
        try (InitiatorHandshake attempt = InitiatorHandshake.start(config, Suite.DEFAULT, null, null, padding)) {
            return Fragmenter.fragment(attempt.initiation(), Protocol.MAX_HANDSHAKE_DATAGRAM);
        }
    }

    /** A client certificate of the test PKI that no endpoint is configured for. */
    private static HandshakeConfig attacker(SimulatedNetwork network) {
        return PKI.config(PKI.identity(CertificateRole.CLIENT, "eve@example", Suite.DEFAULT), List.of(Suite.DEFAULT), true,
                TestPki.clock(network));
    }

    /** Padding that lets an initiation past the amplification limit, so only the defence under test stops it. */
    private static int floodPadding() {
        return HandshakeSizes.initiationPadding(Suite.DEFAULT, 1, 12_000);
    }

    private static long total(List<byte[]> datagrams) {
        return datagrams.stream().mapToLong(d -> d.length).sum();
    }

    @Test
    void sendsAtMostThreeTimesWhatAnUnvalidatedSourceSent() {
        SimulatedNetwork network = new SimulatedNetwork(21, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        HandshakeConfig anonymous = attacker(network);
        InetSocketAddress spoofed = new InetSocketAddress("203.0.113.5", 1234);
        List<byte[]> unpadded = initiation(anonymous, 0);
        for (byte[] fragment : unpadded) {
            network.inject(spoofed, Tunnel.GATEWAY_ADDRESS, fragment);
        }
        network.runFor(SECOND / 10);
        long sentTo = network.bytes(Tunnel.GATEWAY_ADDRESS, spoofed);
        assertTrue(sentTo > 0 && sentTo <= 3 * total(unpadded), sentTo + " bytes answered " + total(unpadded));
        assertEquals(1, tunnel.gateway.endpoint.dropped(Drop.AMPLIFICATION_LIMIT));
        assertEquals(0, tunnel.gateway.endpoint.pendingHandshakes(), "no state for a too-short initiation");

        // A normal initiation is padded so that its response fits in 3x.
        tunnel.clientSends(1, 100);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000));
        long toClient = network.bytes(Tunnel.GATEWAY_ADDRESS, Tunnel.CLIENT_ADDRESS);
        long fromClient = network.bytes(Tunnel.CLIENT_ADDRESS, Tunnel.GATEWAY_ADDRESS);
        assertTrue(toClient <= 3 * fromClient, toClient + " bytes sent for " + fromClient + " received");
    }

    @Test
    void initiatorRetriesWithThePaddingTheResponderAsksFor() {
        SimulatedNetwork network = new SimulatedNetwork(22, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.gatewayAtClient.paddingOverride = 0;
        tunnel.clientSends(1, 100);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000));
        assertEquals(1, tunnel.gateway.endpoint.dropped(Drop.AMPLIFICATION_LIMIT));
        assertEquals(1, tunnel.gateway.delivered.size());
    }

    @Test
    void rateLimitsInitiationsPerSourceAddress() {
        SimulatedNetwork network = new SimulatedNetwork(23, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        HandshakeConfig attacker = attacker(network);
        for (int i = 0; i < 12; i++) {
            for (byte[] fragment : initiation(attacker, floodPadding())) {
                network.inject(new InetSocketAddress("203.0.113.9", 2000 + i), Tunnel.GATEWAY_ADDRESS, fragment);
            }
        }
        network.runFor(SECOND / 10);
        assertEquals(Protocol.HANDSHAKE_RATE_BURST, tunnel.gateway.endpoint.pendingHandshakes());
        assertEquals(12 - Protocol.HANDSHAKE_RATE_BURST, tunnel.gateway.endpoint.dropped(Drop.RATE_LIMITED));
    }

    @Test
    void answersWithACookieUnderLoadAndTheClientStillConnects() {
        SimulatedNetwork network = new SimulatedNetwork(24, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        int flooders = loadWithPendingHandshakes(network, tunnel);
        assertEquals(flooders, tunnel.gateway.endpoint.pendingHandshakes());
        tunnel.clientSends(1, 100);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 100_000), "the client got through with a cookie");
        assertTrue(tunnel.gateway.endpoint.dropped(Drop.COOKIE_REQUIRED) >= 1, "the gateway demanded a cookie");
        assertTrue(network.recorded().stream().anyMatch(d -> d[0] == MessageType.COOKIE_REPLY.code()), "a COOKIE_REPLY crossed the network");
    }

    @Test
    void aFloodOfInitiationsTurnsCookiesOnAtOnceKeepsThemOnWhileItLastsAndOffSoonAfter() {
        SimulatedNetwork network = new SimulatedNetwork(27, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        Endpoint gateway = tunnel.gateway.endpoint;
        byte[] first = initiation(attacker(network), floodPadding()).getFirst(); // fragment 0 only, as a spoofing flood sends
        assertFalse(gateway.underLoad(network.now()));
        int perTenth = Protocol.UNDER_LOAD_INITIATIONS / 5; // twice the threshold per second
        int source = 0;
        boolean alwaysOn = true;
        for (int tenth = 0; tenth < 30; tenth++) { // 3 s of flood from ever new addresses
            for (int i = 0; i < perTenth; i++, source++) {
                network.inject(address(0x0B00_0000 + source, 4000), Tunnel.GATEWAY_ADDRESS, first);
            }
            network.runFor(SECOND / 10);
            if (tenth >= 5) { // once a second's count is past the threshold, the state must not flap
                alwaysOn &= gateway.underLoad(network.now());
            }
        }
        assertTrue(alwaysOn, "under load for as long as the flood lasted");
        assertTrue(gateway.dropped(Drop.COOKIE_REQUIRED) > 2 * perTenth * 10, "cookie replies instead of partial messages");
        network.runFor(Protocol.REASSEMBLY_TIMEOUT + 2 * SECOND);
        assertFalse(gateway.underLoad(network.now()), "the load is gone once partial messages expired and the hold passed");
        tunnel.clientSends(1, 100);
        long cookiesBefore = gateway.dropped(Drop.COOKIE_REQUIRED);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 100_000), "a client connects afterwards");
        assertEquals(cookiesBefore, gateway.dropped(Drop.COOKIE_REQUIRED), "without being asked for a cookie");
    }

    @Test
    void cookieRepliesStayWithinTheirBudgetWhenAFloodComesFromSpoofedSources() {
        SimulatedNetwork network = new SimulatedNetwork(28, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        Endpoint gateway = tunnel.gateway.endpoint;
        byte[] first = initiation(attacker(network), floodPadding()).getFirst();
        int flood = 12_000;
        for (int i = 0; i < flood; i++) {
            network.inject(address(0x0C00_0000 + i, 4000), Tunnel.GATEWAY_ADDRESS, first);
        }
        network.runFor(SECOND / 10);
        long replies = gateway.dropped(Drop.COOKIE_REQUIRED);
        long unanswered = gateway.dropped(Drop.COOKIE_BUDGET);
        long answeredRecorded = network.recorded().stream().filter(d -> d[0] == MessageType.COOKIE_REPLY.code()).count();
        assertTrue(replies <= Protocol.COOKIE_REPLY_BURST + Protocol.COOKIE_REPLIES_PER_SECOND / 10 + 1,
            "cookie replies " + replies + " within the burst and 0.1 s of the rate");
        assertTrue(replies >= Protocol.COOKIE_REPLY_BURST, "the burst is answered: " + replies);
        assertEquals(replies, answeredRecorded, "each counted reply was sent");
        // the rest: a few hundred partial messages made before the load was seen, then unanswered
        assertTrue(unanswered >= flood - replies - Protocol.MAX_PARTIAL_TOTAL, "unanswered " + unanswered);
        assertTrue(gateway.underLoad(network.now()));
    }

    /**
     * A peer that completed a handshake from its address has a budget of cookie replies apart
     * from the one spoofed sources spend: while a flood keeps the shared budget empty, its rekey
     * is answered with a cookie at once and completes within its first retry interval (without the
     * second budget it waited for the shared one, and for a retry a second later).
     */
    @Test
    void aKnownPeersInitiationIsAnsweredWhileAFloodKeepsTheSharedCookieBudgetEmpty() {
        Tunnel tunnel = Tunnel.established(PKI, 29);
        SimulatedNetwork network = tunnel.network;
        Endpoint gateway = tunnel.gateway.endpoint;
        byte[] first = initiation(attacker(network), floodPadding()).getFirst();
        Keypair before = tunnel.gatewayAtClient.keypairs().current();
        int source = 0;
        for (; source < 2 * Protocol.COOKIE_REPLY_BURST; source++) {
            network.inject(address(0x0D00_0000 + source, 4000), Tunnel.GATEWAY_ADDRESS, first);
        }
        network.runFor(SECOND / 10);
        assertTrue(gateway.underLoad(network.now()));
        long unansweredBefore = gateway.dropped(Drop.COOKIE_BUDGET);
        assertTrue(unansweredBefore > 0, "the flood spent the shared budget");
        long cookiesBefore = gateway.dropped(Drop.COOKIE_REQUIRED);
        boolean rekeyed = false;
        for (int step = 0; step < 5 && !rekeyed; step++) { // 0.5 s (the network's tick is 0.1 s) of flood at 5 times the refill
            for (int i = 0; i < Protocol.COOKIE_REPLIES_PER_SECOND / 2; i++, source++) {
                network.inject(address(0x0D00_0000 + source, 4000), Tunnel.GATEWAY_ADDRESS, first);
            }
            if (step == 0) { // behind the first wave, as a peer's initiation amid a flood is
                tunnel.client.endpoint.connect(tunnel.gatewayAtClient, network.now(), tunnel.client);
            }
            network.runFor(SECOND / 10);
            rekeyed = tunnel.gatewayAtClient.keypairs().current() != before;
        }
        assertTrue(rekeyed, "the known peer's handshake completed within 0.5 s of the flood");
        network.runFor(SECOND / 20); // the flood's last datagrams arrive
        assertTrue(gateway.dropped(Drop.COOKIE_REQUIRED) > cookiesBefore, "it was asked for a cookie, as everyone under load");
        assertTrue(gateway.dropped(Drop.COOKIE_BUDGET) > unansweredBefore, "the spoofed sources were still left unanswered");
    }

    /** A spoofed source: {@code ipv4} (as an int), port {@code port}. */
    private static InetSocketAddress address(int ipv4, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(ipv4).array()), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Floods the gateway with initiations from one more than an eighth of
     * {@link Protocol#MAX_PENDING_HANDSHAKES} sources (each source's few are allowed), until that
     * many responder handshakes wait: the load that makes it demand cookies. Returns the count.
     */
    private static int loadWithPendingHandshakes(SimulatedNetwork network, Tunnel tunnel) {
        List<byte[]> flood = initiation(attacker(network), floodPadding());
        int flooders = Protocol.MAX_PENDING_HANDSHAKES / 8 + 1;
        for (int i = 0; i < flooders; i++) {
            InetSocketAddress source = address(0x0A00_0000 + i, 3000);
            for (byte[] fragment : flood) {
                network.inject(source, Tunnel.GATEWAY_ADDRESS, fragment);
            }
        }
        network.runUntil(() -> tunnel.gateway.endpoint.pendingHandshakes() >= flooders, SECOND, 1_000_000);
        return flooders;
    }

    /**
     * A new attempt starts with a clean slate: retries an earlier attempt spent (here its one
     * cookie retry, as a peer declared dead keeps it) must not make it drop the COOKIE_REPLY a
     * loaded responder sends, or it could never get through while the load lasts.
     */
    @Test
    void aNewAttemptMayUseACookieAgainAfterAnEarlierAttemptSpentItsRetry() {
        SimulatedNetwork network = new SimulatedNetwork(26, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.gatewayAtClient.cookieRetried = true; // what an earlier, abandoned attempt left behind
        loadWithPendingHandshakes(network, tunnel);
        tunnel.clientSends(1, 100);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 100_000), "the client got through with a cookie");
        assertEquals(0, tunnel.client.endpoint.dropped(Drop.UNEXPECTED_HANDSHAKE_MESSAGE), "the COOKIE_REPLY was used");
    }

    @Test
    void unauthenticatedErrorDoesNotEndAnEstablishedSession() {
        SimulatedNetwork network = new SimulatedNetwork(25, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = Tunnel.of(PKI, Suite.DEFAULT, network);
        tunnel.clientSends(1, 100);
        assertTrue(network.runUntil(tunnel::established, 5 * SECOND, 10_000));
        int clientIndex = tunnel.gatewayAtClient.keypairs().current().localIndex();
        byte[] error = new HandshakeError(ErrorCode.CERTIFICATE_REVOKED, clientIndex,
                new byte[0]).encode();
        network.inject(Tunnel.GATEWAY_ADDRESS, Tunnel.CLIENT_ADDRESS, error);
        network.runFor(SECOND);
        assertTrue(tunnel.established());
        tunnel.clientSends(2, 100);
        network.runFor(SECOND);
        assertEquals(2, tunnel.gateway.delivered.size());
    }
}
