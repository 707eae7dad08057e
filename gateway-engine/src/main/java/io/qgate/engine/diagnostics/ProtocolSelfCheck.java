package io.qgate.engine.diagnostics;

import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.control.Drop;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.EndpointOutput;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.control.PeerEvent;
import io.qgate.engine.diagnostics.CryptoSelfCheck.Result;
import io.qgate.engine.diagnostics.CryptoSelfCheck.Status;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the protocol end to end in memory for every suite: a throwaway root issues a gateway and
 * a client certificate, two {@link Endpoint}s complete a mutual handshake, carry a packet each
 * way, and drop a tampered one. No sockets, no files.
 */
public final class ProtocolSelfCheck {
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.1", 40000);
    private static final int MAX_STEPS = 10_000;

    private final SecureRandom random = new SecureRandom();

    /** One result per suite; never throws for a failing suite, which is reported as FAILED. */
    public List<Result> run() {
        List<Result> results = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            long start = System.nanoTime();
            try {
                String detail = check(suite);
                results.add(new Result("protocol", suite.suiteName(), Aeads.defaultBackend(suite.aead()), Status.OK, detail,
                        (System.nanoTime() - start) / 1000));
            } catch (Exception | AssertionError e) {
                String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                results.add(new Result("protocol", suite.suiteName(), Aeads.defaultBackend(suite.aead()), Status.FAILED, detail,
                        (System.nanoTime() - start) / 1000));
            }
        }
        return results;
    }

    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    /** Both endpoints' output: datagrams into one queue, deliveries and events counted. */
    private static final class Wire {
        final ArrayDeque<Datagram> queue = new ArrayDeque<>();
        final List<byte[]> atGateway = new ArrayList<>();
        final List<byte[]> atClient = new ArrayList<>();
        final List<PeerEvent> events = new ArrayList<>();
        long handshakeBytes;
        int handshakeDatagrams;

        EndpointOutput of(InetSocketAddress self, List<byte[]> delivered) {
            return new EndpointOutput() {
                @Override
                public void transmit(InetSocketAddress destination, MemorySegment datagram, int length) {
                    byte[] bytes = datagram.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                    if (bytes[0] != MessageType.DATA.code()) {
                        handshakeBytes += length;
                        handshakeDatagrams++;
                    }
                    queue.add(new Datagram(self, destination, bytes));
                }

                @Override
                public void deliver(Peer peer, MemorySegment packet, int offset, int length) {
                    delivered.add(packet.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
                }

                @Override
                public void event(PeerEvent event) {
                    events.add(event);
                }
            };
        }
    }

    private String check(Suite suite) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        try (SigningIdentity rootKey = SigningIdentity.generate(suite.signature(), random);
                SigningIdentity gatewayKey = SigningIdentity.generate(suite.signature(), random);
                SigningIdentity clientKey = SigningIdentity.generate(suite.signature(), random)) {
            CertificateAuthority root = CertificateAuthority.createRoot("selfcheck-root", rootKey, suite.bit(), now - 60,
                    now + 3600, random);
            Certificate gatewayCert = root.issue(CertificateRole.GATEWAY, "selfcheck-gateway", gatewayKey.publicKey(),
                    suite.signature(), suite.bit(), now - 60, now + 3600);
            Certificate clientCert = root.issue(CertificateRole.CLIENT, "selfcheck-client", clientKey.publicKey(),
                    suite.signature(), suite.bit(), now - 60, now + 3600);
            TrustStore trust = new TrustStore(List.of(root.root()));
            long t = System.nanoTime();
            Wire wire = new Wire();
            try (Endpoint gateway = new Endpoint(EndpointConfig.of(
                            HandshakeConfig.of(gatewayCert, gatewayKey, trust, List.of(suite), random)), t);
                    Endpoint client = new Endpoint(EndpointConfig.of(
                            HandshakeConfig.of(clientCert, clientKey, trust, List.of(suite), random)), t)) {
                EndpointOutput gatewayOut = wire.of(GATEWAY, wire.atGateway);
                EndpointOutput clientOut = wire.of(CLIENT, wire.atClient);
                Peer toGateway = client.addPeer(new PeerConfig("gateway", "selfcheck-gateway", GATEWAY));
                byte[] ping = "qgate selfcheck ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                client.send(toGateway, MemorySegment.ofArray(ping), 0, ping.length, t, clientOut);
                run(wire, gateway, gatewayOut, client, clientOut, t);
                require(wire.atGateway.size() == 1 && Arrays.equals(wire.atGateway.get(0), ping),
                        "the gateway did not receive the client's packet; events: " + wire.events);
                long handshakeBytes = wire.handshakeBytes;
                int handshakeDatagrams = wire.handshakeDatagrams;
                Peer toClient = gateway.peer("selfcheck-client");
                require(toClient != null, "the gateway has no peer for the client");
                byte[] pong = "qgate selfcheck pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                gateway.send(toClient, MemorySegment.ofArray(pong), 0, pong.length, t, gatewayOut);
                Datagram sealed = wire.queue.peekLast();
                run(wire, gateway, gatewayOut, client, clientOut, t);
                require(wire.atClient.size() == 1 && Arrays.equals(wire.atClient.get(0), pong),
                        "the client did not receive the gateway's packet");
                byte[] tampered = sealed.bytes().clone();
                tampered[tampered.length - 1] ^= 1;
                client.receive(GATEWAY, MemorySegment.ofArray(tampered), tampered.length, t, clientOut);
                require(wire.atClient.size() == 1 && client.dropped(Drop.DATA_REJECTED) == 1,
                        "a tampered data packet was not rejected");
                return "mutual handshake in " + handshakeDatagrams + " datagrams (" + handshakeBytes
                        + " B), data both ways, tampered packet rejected";
            }
        }
    }

    private static void run(Wire wire, Endpoint gateway, EndpointOutput gatewayOut, Endpoint client,
            EndpointOutput clientOut, long now) {
        for (int step = 0; step < MAX_STEPS && !wire.queue.isEmpty(); step++) {
            Datagram d = wire.queue.poll();
            boolean toGateway = d.to().equals(GATEWAY);
            (toGateway ? gateway : client).receive(d.from(), MemorySegment.ofArray(d.bytes()), d.bytes().length, now,
                    toGateway ? gatewayOut : clientOut);
        }
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }
}
