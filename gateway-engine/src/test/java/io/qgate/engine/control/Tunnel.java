package io.qgate.engine.control;

import io.qgate.crypto.Backend;
import io.qgate.crypto.aead.AeadBackends;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.CertificateRole;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/** A gateway and a client endpoint on one {@link SimulatedNetwork}, the client configured to reach the gateway. */
final class Tunnel {
    static final InetSocketAddress GATEWAY_ADDRESS = new InetSocketAddress("192.0.2.1", 51820);
    static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("198.51.100.7", 40000);

    final SimulatedNetwork network;
    final SimulatedNetwork.Node gateway;
    final SimulatedNetwork.Node client;
    final Peer gatewayAtClient;

    Tunnel(SimulatedNetwork network, HandshakeConfig gatewayConfig, HandshakeConfig clientConfig, String gatewaySubject) {
        this(network, gatewayConfig, clientConfig, gatewaySubject, Protocol.REKEY_AFTER_TIME,
            Aeads.defaultBackends(), 0);
    }

    /**
     * @param clientRekeyAfterNanos the client's (the initiator's) rekey interval; the gateway's is the default
     * @param aeadBackends both endpoints' AEAD backends
     * @param dataWorkers both endpoints' data workers (worker ids {@code 1..dataWorkers} of each
     *     keypair, which nothing in a simulated tunnel uses)
     */
    Tunnel(SimulatedNetwork network, HandshakeConfig gatewayConfig, HandshakeConfig clientConfig, String gatewaySubject,
            long clientRekeyAfterNanos, AeadBackends aeadBackends, int dataWorkers) {
        this.network = network;
        gateway = network.add("gateway", GATEWAY_ADDRESS, new Endpoint(new EndpointConfig(gatewayConfig, true,
                aeadBackends, dataWorkers), network.now()));
        client = network.add("client", CLIENT_ADDRESS, new Endpoint(new EndpointConfig(clientConfig, true,
                aeadBackends, dataWorkers, clientRekeyAfterNanos), network.now()));
        gatewayAtClient = client.endpoint.addPeer(new PeerConfig("gw", gatewaySubject, GATEWAY_ADDRESS));
    }

    /** A mutual-authentication tunnel in {@code suite} with certificates of a fresh standard PKI. */
    static Tunnel of(TestPki pki, Suite suite, SimulatedNetwork network) {
        return of(pki, suite, network, Protocol.REKEY_AFTER_TIME);
    }

    /** As {@link #of(TestPki, Suite, SimulatedNetwork)}, the client rekeying every {@code clientRekeyAfterNanos}. */
    static Tunnel of(TestPki pki, Suite suite, SimulatedNetwork network, long clientRekeyAfterNanos) {
        return of(pki, suite, network, clientRekeyAfterNanos, Aeads.defaultBackends(), 0);
    }

    /** As {@link #of(TestPki, Suite, SimulatedNetwork, long)}, with this AEAD backend and data workers. */
    static Tunnel of(TestPki pki, Suite suite, SimulatedNetwork network, long clientRekeyAfterNanos, Backend aeadBackend,
            int dataWorkers) {
        return of(pki, suite, network, clientRekeyAfterNanos, AeadBackends.only(aeadBackend), dataWorkers);
    }

    /** As {@link #of(TestPki, Suite, SimulatedNetwork, long)}, with these AEAD backends and data workers. */
    static Tunnel of(TestPki pki, Suite suite, SimulatedNetwork network, long clientRekeyAfterNanos,
            AeadBackends aeadBackends, int dataWorkers) {
        TestPki.Identity gatewayId = pki.identity(CertificateRole.GATEWAY, "gw.example", suite);
        TestPki.Identity clientId = pki.identity(CertificateRole.CLIENT, "alice@example", suite);
        return new Tunnel(network, pki.config(gatewayId, List.of(suite), true, TestPki.clock(network)),
                pki.config(clientId, List.of(suite), true, TestPki.clock(network)), "gw.example", clientRekeyAfterNanos,
                aeadBackends, dataWorkers);
    }

    /**
     * A default-suite tunnel on a fault-free network (seeded with {@code seed}) whose handshake
     * has completed, started by the client's packet 0 (100 bytes), which the gateway has received.
     */
    static Tunnel established(TestPki pki, long seed) {
        SimulatedNetwork network = new SimulatedNetwork(seed, SimulatedNetwork.Faults.NONE);
        Tunnel tunnel = of(pki, Suite.DEFAULT, network);
        tunnel.clientSends(0, 100);
        if (!network.runUntil(tunnel::established, 5_000_000_000L, 10_000)) {
            throw new AssertionError("the handshake did not complete; client events: " + tunnel.client.events);
        }
        return tunnel;
    }

    /** The gateway's peer for the client, once a handshake created it. */
    Peer clientAtGateway() {
        for (Peer peer : gateway.endpoint.peers()) {
            return peer;
        }
        return null;
    }

    boolean established() {
        Peer atGateway = clientAtGateway();
        return gatewayAtClient.keypairs().current() != null && atGateway != null
                && atGateway.keypairs().current() != null;
    }

    static byte[] packet(int number, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(length, 8));
        buffer.putInt(number).putInt(~number);
        for (int i = 8; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) (number * 31 + i));
        }
        return buffer.array();
    }

    void clientSends(int number, int length) {
        byte[] packet = packet(number, length);
        client.endpoint.send(gatewayAtClient, MemorySegment.ofArray(packet), 0, packet.length, network.now(), client);
    }

    void gatewaySends(int number, int length) {
        byte[] packet = packet(number, length);
        Peer peer = clientAtGateway();
        gateway.endpoint.send(peer, MemorySegment.ofArray(packet), 0, packet.length, network.now(), gateway);
    }

    /**
     * One packet each way, the client's numbered {@code number} and the gateway's {@code 100_000 +
     * number}, {@code length} bytes each, then {@code nanos} of network time; returns the next number.
     */
    int exchange(int number, int length, long nanos) {
        clientSends(number, length);
        gatewaySends(100_000 + number, length);
        network.runFor(nanos);
        return number + 1;
    }
}
