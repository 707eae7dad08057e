package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Peers removed from or moved on a running endpoint (a reloaded configuration, {@code qgate peer remove}). */
class EndpointPeerChangeTest {
    private static final TestPki PKI = TestPki.standard();

    @Test
    void aRemovedPeerGetsCloseAndLeavesNoKeysOrIndexes() {
        Tunnel tunnel = Tunnel.established(PKI, 11);
        Endpoint client = tunnel.client.endpoint;
        assertTrue(!client.indexSnapshot().isEmpty(), "the session has receiver indexes");

        client.removePeer(tunnel.gatewayAtClient, tunnel.network.now(), tunnel.client);
        assertNull(client.peer("gw"), "forgotten");
        assertTrue(client.peers().isEmpty());
        assertTrue(client.indexSnapshot().isEmpty(), "no receiver index points at the removed peer");
        assertNull(tunnel.gatewayAtClient.keypairs().current(), "its keys are erased");
        assertTrue(tunnel.network.runUntil(() -> tunnel.clientAtGateway().keypairs().current() == null, 1_000_000_000L, 1_000),
            "the other side received the CLOSE and dropped its keys");
    }

    @Test
    void removingAPeerTwiceOrAStrangerIsRefused() {
        Tunnel tunnel = Tunnel.established(PKI, 12);
        Endpoint client = tunnel.client.endpoint;
        client.removePeer(tunnel.gatewayAtClient, tunnel.network.now(), tunnel.client);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client.removePeer(tunnel.gatewayAtClient, tunnel.network.now(), tunnel.client));
        assertEquals("peer 'gw' is not configured here", e.getMessage());
    }

    @Test
    void aMovedPeerKeepsItsSessionAndGetsTheNewAddress() {
        Tunnel tunnel = Tunnel.established(PKI, 13);
        var keys = tunnel.gatewayAtClient.keypairs().current();
        InetSocketAddress elsewhere = new InetSocketAddress("192.0.2.99", 51820);
        tunnel.client.endpoint.moveTo(tunnel.gatewayAtClient, elsewhere);
        assertEquals(elsewhere, tunnel.gatewayAtClient.endpoint());
        assertEquals(keys, tunnel.gatewayAtClient.keypairs().current(), "the session stays");
        assertThrows(IllegalArgumentException.class, () -> tunnel.client.endpoint.moveTo(tunnel.gatewayAtClient, null));
    }

    @Test
    void aClientRemovedAtTheResponderComesBackAsOnePeerFoundByItsSubject() {
        Tunnel tunnel = Tunnel.established(PKI, 14);
        Peer old = tunnel.clientAtGateway();
        tunnel.gateway.endpoint.removePeer(old, tunnel.network.now(), tunnel.gateway);
        assertTrue(tunnel.network.runUntil(() -> tunnel.gatewayAtClient.keypairs().current() == null, 1_000_000_000L, 1_000),
            "the client got the CLOSE");
        tunnel.clientSends(1, 100);
        assertTrue(tunnel.network.runUntil(tunnel::established, 5_000_000_000L, 10_000), "a new handshake completes");
        Peer again = tunnel.clientAtGateway();
        assertTrue(again != old, "a new peer, not the removed one");
        assertEquals("alice@example", again.identity().subject());
        assertEquals(1, tunnel.gateway.endpoint.peers().size(), "found by its subject: one peer, not two");
    }
}
