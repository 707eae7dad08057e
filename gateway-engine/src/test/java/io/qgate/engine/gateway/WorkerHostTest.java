package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.telemetry.CountersFile;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound and inbound workers driven through {@link WorkerHost} alone (no TUN, no socket
 * I/O, no threads): gateway A's outbound worker seals a batch, gateway B's inbound worker opens
 * the same slots, as the in-memory pipeline benchmark does; and what each hands to its host.
 */
class WorkerHostTest {
    private static final InetSocketAddress ENDPOINT = new InetSocketAddress("192.0.2.1", 51820);
    private static final int WORKERS = 1;

    @TempDir
    Path run;

    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Frames> frames = new ArrayList<>();
    private Counters countersA;
    private Counters countersB;
    private Peer bAtA;
    private Peer aAtB;
    private Outbound outbound;
    private Inbound inbound;
    private final List<String> staged = new ArrayList<>();
    private final List<String> toControl = new ArrayList<>();
    /** What the test's hosts answer to {@link WorkerHost#indexesBehind()}. */
    private boolean indexesBehind;

    /** A host over one peer, recording what reaches the control plane. */
    private WorkerHost host(DataPeer peer) {
        PeerTable table = PeerTable.of(new DataPeer[] {peer});
        return new WorkerHost() {
            @Override
            public PeerTable table() {
                return table;
            }

            @Override
            public DataPeer byIndex(int receiverIndex) {
                return peer.peer.keypairs().lookup(receiverIndex) == null ? null : peer;
            }

            @Override
            public boolean indexesBehind(int receiverIndex) {
                return indexesBehind;
            }

            @Override
            public void toControl(MemorySegment sockaddr, int sockaddrLength, MemorySegment datagram, int length) {
                toControl.add(length + " bytes");
            }

            @Override
            public void stage(DataPeer p, MemorySegment inner, int length) {
                staged.add(p.name + " " + length);
            }
        };
    }

    @BeforeEach
    void twoGateways() {
        SecureRandom random = new SecureRandom();
        long now = System.nanoTime();
        countersA = new Counters(closeLater(CountersFile.create(run, "qgt-a", ENDPOINT, 1)));
        countersB = new Counters(closeLater(CountersFile.create(run, "qgt-b", ENDPOINT, 1)));
        long seconds = System.currentTimeMillis() / 1000;
        TrustStore trust = new TrustStore(List.of(CertificateAuthority.createRoot("root", SigningIdentity.generate(
            SignatureAlgorithm.ML_DSA_65, random), Suite.VALID_MASK, seconds - 60, seconds + 3600, random).root()));
        EndpointConfig config = new EndpointConfig(HandshakeConfig.of(null, null, trust, List.of(Suite.DEFAULT), random),
            false, Aeads.defaultBackends(), 2 * WORKERS);
        bAtA = closeLater(new Endpoint(config, now)).addPeer(new PeerConfig("b", null, ENDPOINT));
        aAtB = closeLater(new Endpoint(config, now)).addPeer(new PeerConfig("a", null, ENDPOINT));
        DataPeer peerB = new DataPeer(0, new GatewayConfig.PeerSection("b", null, ENDPOINT,
            List.of(IpPrefix.parse("10.92.0.0/24"))), bAtA, arena);
        DataPeer peerA = new DataPeer(0, new GatewayConfig.PeerSection("a", null, ENDPOINT,
            List.of(IpPrefix.parse("10.91.0.0/24"))), aAtB, arena);
        UdpSocket socket = closeLater(UdpSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            UdpOptions.DEFAULTS));
        outbound = new Outbound(host(peerB), countersA, socket, -1, 1500, false, WORKERS, arena, null, false);
        inbound = new Inbound(host(peerA), countersB, -1, WORKERS, null, false);
    }

    private void establish() {
        long now = System.nanoTime();
        byte[] aToB = new byte[32];
        byte[] bToA = new byte[32];
        aToB[0] = 1;
        bToA[0] = 2;
        bAtA.keypairs().installCurrent(new Keypair(Suite.DEFAULT, 11, 22, SecretBytes.wrap(aToB.clone()),
            SecretBytes.wrap(bToA.clone()), now, 1 + 2 * WORKERS, Aeads.defaultBackend(Suite.DEFAULT.aead())));
        aAtB.keypairs().installCurrent(new Keypair(Suite.DEFAULT, 22, 11, SecretBytes.wrap(bToA),
            SecretBytes.wrap(aToB), now, 1 + 2 * WORKERS, Aeads.defaultBackend(Suite.DEFAULT.aead())));
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    @AfterEach
    void close() throws Exception {
        for (Frames f : frames) {
            f.messages.close();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        arena.close();
    }

    /** A batch of one IPv4 packet of {@code length} bytes from {@code source} to {@code destination}, as TUN gives it. */
    private PacketBatch batch(String source, String destination, int length) {
        PacketBatch batch = new PacketBatch(arena, 4, 1536);
        MemorySegment p = Frames.of(batch, frames).inner(0);
        for (int k = 0; k < length; k++) {
            p.set(ValueLayout.JAVA_BYTE, k, (byte) (k * 7));
        }
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2, (short) length);
        MemorySegment.copy(IpPrefix.parse(source + "/32").address(), 0, p, ValueLayout.JAVA_BYTE, 12, 4);
        MemorySegment.copy(IpPrefix.parse(destination + "/32").address(), 0, p, ValueLayout.JAVA_BYTE, 16, 4);
        batch.length(0, length);
        batch.count(1);
        return batch;
    }

    private static byte[] inner(PacketBatch batch, int length) {
        return Frames.of(batch).inner(0).asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void aPacketSealedByTheOutboundWorkerOpensByteExactInTheInboundWorker() {
        establish();
        PacketBatch batch = batch("10.91.0.2", "10.92.0.3", 1420);
        byte[] sent = inner(batch, 1420);
        outbound.process(batch, 0);
        assertEquals(Outbound.SEND, batch.status(0));
        assertEquals(1420 + 32, Frames.of(batch).messages.length(0));
        inbound.process(batch, 0);
        assertEquals(1420, Frames.of(batch).writeLength[0][0]);
        assertArrayEquals(sent, inner(batch, 1420));
        assertEquals(1, bAtA.traffic().packetsSent.get());
        assertEquals(1, aAtB.traffic().packetsReceived.get());
        assertEquals(List.of(), staged);
        assertEquals(List.of(), toControl);
    }

    @Test
    void aPacketToNoPeersRangeIsDroppedAndCounted() {
        establish();
        PacketBatch batch = batch("10.91.0.2", "10.93.0.3", 100);
        outbound.process(batch, 0);
        assertEquals(Outbound.DROP, batch.status(0));
        assertEquals(1, countersA.droppedNoRoute.get());
    }

    @Test
    void anOpenedPacketWhoseSourceTheSenderDoesNotOwnIsNotDelivered() {
        establish();
        PacketBatch batch = batch("10.99.0.2", "10.92.0.3", 100);
        outbound.process(batch, 0);
        inbound.process(batch, 0);
        assertEquals(0, Frames.of(batch).writeLength[0][0]);
        assertEquals(1, countersB.droppedSource.get());
    }

    @Test
    void aPacketForAPeerWithoutKeysGoesToTheHostToHandshake() {
        PacketBatch batch = batch("10.91.0.2", "10.92.0.3", 100);
        outbound.process(batch, 0);
        assertEquals(Outbound.DROP, batch.status(0));
        assertEquals(List.of("b 100"), staged);
    }

    @Test
    void aPacketForAnUnknownIndexIsCountedWhileTheIndexMapIsCurrentAndGoesToTheControlPlaneWhileItIsBehind() {
        establish();
        PacketBatch batch = batch("10.91.0.2", "10.92.0.3", 200);
        outbound.process(batch, 0);
        byte[] sealed = batch.slot(0).asSlice(0, 200 + 32).toArray(ValueLayout.JAVA_BYTE);
        aAtB.keypairs().clear(); // b no longer knows the index a sealed for
        inbound.process(batch, 0);
        assertEquals(1, countersB.droppedUnknownIndex.get(), "a current map: the index is unknown, counted and dropped");
        assertEquals(List.of(), toControl);

        indexesBehind = true; // as just after a handshake, before the control thread republished the map
        MemorySegment.copy(MemorySegment.ofArray(sealed), 0, batch.slot(0), 0, sealed.length);
        Frames.of(batch).messages.length(0, sealed.length);
        inbound.process(batch, 0);
        assertEquals(1, countersB.droppedUnknownIndex.get(), "not counted as unknown: the control plane decides");
        assertEquals(List.of((200 + 32) + " bytes"), toControl);
        assertEquals(0, Frames.of(batch).writeLength[0][0]);
    }

    @Test
    void aDatagramThatIsNotDataGoesToTheHostsControlPlane() {
        PacketBatch batch = batch("10.91.0.2", "10.92.0.3", 100);
        Frames.of(batch).messages.length(0, 100); // a handshake-sized datagram whose first byte is 0x45, not DATA
        inbound.process(batch, 0);
        assertEquals(List.of("100 bytes"), toControl);
        assertEquals(0, Frames.of(batch).writeLength[0][0]);
    }
}
