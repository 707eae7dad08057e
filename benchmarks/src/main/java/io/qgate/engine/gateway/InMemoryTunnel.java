package io.qgate.engine.gateway;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadBackends;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.telemetry.CountersFile;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import io.qgate.ffm.linux.UdpOptions;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.PacketBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Two gateways' data-plane workers joined in memory, for the in-memory pipeline benchmark:
 * gateway A's {@link Outbound} worker routes and seals inner packets to its peer B, and gateway
 * B's {@link Inbound} worker opens them, checks them against its peer A and marks them for TUN.
 * Both are the gateway's own handler objects, driven through {@link WorkerHost} (the one seam:
 * the {@link Gateway} implements it over its live peer table), with an established session
 * installed as both sides' current keypair. No TUN, no socket I/O, no threads.
 *
 * <p>A datagram never leaves its slot: {@link #open} reads the slot {@link #seal} wrote, whose
 * address is the destination A's worker wrote, so both peers are given one endpoint address
 * ({@link #ENDPOINT}) and B's source-address check passes as it would for the kernel's source.
 * Opening in place leaves the inner packet where A's worker read it, so a batch can be sealed
 * and opened again and again with no copy.
 *
 * <p>This class sits in the gateway's package (on the benchmarks' class path; there are no
 * modules) because the handlers are package-private: the benchmark drives them directly
 * instead of a copy of their logic. Single-threaded: one worker per direction, worker id 0.
 */
public final class InMemoryTunnel implements AutoCloseable {
    /** Both peers' UDP address (TEST-NET-1, RFC 5737): see the class comment. */
    public static final InetSocketAddress ENDPOINT = new InetSocketAddress("192.0.2.1", 51820);
    /** A's tunnel address range (peer A's allowed IPs at B): inner sources. */
    public static final IpPrefix A_RANGE = IpPrefix.parse("10.91.0.0/24");
    /** B's range (peer B's allowed IPs at A): inner destinations. */
    public static final IpPrefix B_RANGE = IpPrefix.parse("10.92.0.0/24");
    /** The path MTU the outbound worker checks against (Ethernet). */
    public static final int PATH_MTU = 1500;
    /** Slot size as the gateway computes it for a 1500-byte MTU. */
    public static final int SLOT_BYTES = Gateway.slotBytes(1500);
    private static final int WORKERS = 1;
    private static final int WORKER = 0;

    private final Arena arena = Arena.ofShared();
    private final Path runDirectory;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Frames> frames = new ArrayList<>();
    private final Counters countersA;
    private final Counters countersB;
    private final Outbound outbound;
    private final Inbound inbound;

    /**
     * Both sides of an established {@code suite} session on {@code backend}.
     *
     * @throws IllegalStateException if the backend cannot run here
     */
    public InMemoryTunnel(Suite suite, Backend backend) {
        try {
            runDirectory = Files.createTempDirectory("qgt-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary run directory", e);
        }
        try {
            SecureRandom random = new SecureRandom();
            long now = System.nanoTime();
            CountersFile fileA = closeLater(CountersFile.create(runDirectory, "qgt-a", ENDPOINT, 1));
            CountersFile fileB = closeLater(CountersFile.create(runDirectory, "qgt-b", ENDPOINT, 1));
            countersA = new Counters(fileA);
            countersB = new Counters(fileB);
            // a peer needs an endpoint; an anonymous one (no certificate) is enough, it never handshakes
            HandshakeConfig handshake = HandshakeConfig.of(null, null, new TrustStore(List.of(root(random))),
                List.of(suite), random);
            EndpointConfig endpointConfig = new EndpointConfig(handshake, false, AeadBackends.only(backend), 2 * WORKERS);
            Endpoint endpointA = closeLater(new Endpoint(endpointConfig, now));
            Endpoint endpointB = closeLater(new Endpoint(endpointConfig, now));
            Peer bAtA = endpointA.addPeer(new PeerConfig("b", null, ENDPOINT));
            Peer aAtB = endpointB.addPeer(new PeerConfig("a", null, ENDPOINT));
            byte[] aToB = chain(random);
            byte[] bToA = chain(random);
            int indexAtA = 0x1111;
            int indexAtB = 0x2222;
            // keypair workers: 0 the endpoint's, 1..n outbound, n+1..2n inbound (Gateway.outboundKeypairWorker)
            bAtA.keypairs().installCurrent(new Keypair(suite, indexAtA, indexAtB, SecretBytes.wrap(aToB.clone()),
                SecretBytes.wrap(bToA.clone()), now, 1 + 2 * WORKERS, backend));
            aAtB.keypairs().installCurrent(new Keypair(suite, indexAtB, indexAtA, SecretBytes.wrap(bToA),
                SecretBytes.wrap(aToB), now, 1 + 2 * WORKERS, backend));
            DataPeer peerB = new DataPeer(0, new GatewayConfig.PeerSection("b", null, ENDPOINT, List.of(B_RANGE)), bAtA, arena);
            DataPeer peerA = new DataPeer(0, new GatewayConfig.PeerSection("a", null, ENDPOINT, List.of(A_RANGE)), aAtB, arena);
            UdpSocket socket = closeLater(UdpSocket.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                UdpOptions.DEFAULTS)); // the outbound handler asks it about GSO; nothing is sent
            outbound = new Outbound(new Host(PeerTable.of(new DataPeer[] {peerB}), null), countersA, socket, -1,
                PATH_MTU, false, WORKERS, arena, null, false);
            inbound = new Inbound(new Host(PeerTable.of(new DataPeer[] {peerA}), peerA), countersB, -1, WORKERS, null, false);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private static io.qgate.engine.trust.Certificate root(SecureRandom random) {
        long now = System.currentTimeMillis() / 1000;
        return CertificateAuthority.createRoot("qgt-bench-root", SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random),
            Suite.VALID_MASK, now - 86_400, now + 86_400, random).root();
    }

    private static byte[] chain(SecureRandom random) {
        byte[] chain = new byte[32];
        random.nextBytes(chain);
        return chain;
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * One side's view for its worker: a fixed table, and {@code byIndex} for every index (only
     * one session exists). The control plane is never reached on the measured path; if it is,
     * the packet is dropped and counted, so the benchmark's checks fail.
     */
    private final class Host implements WorkerHost {
        private final PeerTable table;
        private final DataPeer only;

        Host(PeerTable table, DataPeer only) {
            this.table = table;
            this.only = only;
        }

        @Override
        public PeerTable table() {
            return table;
        }

        @Override
        public DataPeer byIndex(int receiverIndex) {
            return only;
        }

        @Override
        public boolean indexesBehind(int receiverIndex) {
            return false; // the benchmark's map never changes
        }

        @Override
        public void toControl(MemorySegment sockaddr, int sockaddrLength, MemorySegment datagram, int length) {
            countersB.droppedControlBusy.incrementAndGet();
        }

        @Override
        public void stage(DataPeer peer, MemorySegment inner, int length) {
            countersA.droppedControlBusy.incrementAndGet();
        }
    }

    /**
     * A batch of {@code packets} slots as the TUN reader fills it: slot {@code i} holds an IPv4/UDP
     * packet of {@code packetLength} bytes (random payload) from A's range to B's range, after
     * the 16 bytes the data header will take.
     */
    public PacketBatch batch(int packets, int packetLength) {
        if (packetLength < 28 || packetLength > PATH_MTU - 28 - Protocol.DATA_OVERHEAD) {
            throw new IllegalArgumentException("an inner packet here is 28 to " + (PATH_MTU - 28 - Protocol.DATA_OVERHEAD)
                + " bytes, not " + packetLength);
        }
        PacketBatch batch = new PacketBatch(arena, packets, SLOT_BYTES);
        Frames f = Frames.of(batch, frames);
        SplittableRandom random = new SplittableRandom(packetLength);
        for (int i = 0; i < packets; i++) {
            MemorySegment p = f.inner(i);
            for (int k = 0; k < packetLength; k++) {
                p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, k, (byte) random.nextInt());
            }
            ipv4(p, packetLength, 2 + i);
            batch.length(i, packetLength);
        }
        batch.count(packets);
        return batch;
    }

    /** Writes an IPv4 + UDP header (no checksum: nothing on the path checks it) at the start of {@code p}. */
    private static void ipv4(MemorySegment p, int length, int host) {
        var b = java.lang.foreign.ValueLayout.JAVA_BYTE;
        var u16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
        p.set(b, 0, (byte) 0x45); // version 4, 5 words of header
        p.set(b, 1, (byte) 0);
        p.set(u16, 2, (short) length);
        p.set(u16, 6, (short) 0x4000); // don't fragment, as TCP and most UDP stacks send
        p.set(b, 8, (byte) 64);
        p.set(b, 9, (byte) 17);
        byte[] source = A_RANGE.address();
        byte[] destination = B_RANGE.address();
        source[3] = (byte) host;
        destination[3] = (byte) host;
        MemorySegment.copy(source, 0, p, b, 12, 4);
        MemorySegment.copy(destination, 0, p, b, 16, 4);
        p.set(u16, 24, (short) (length - 20));
    }

    /** Gateway A's outbound worker on {@code batch}: route, MTU check, seal in place. */
    public void seal(PacketBatch batch) {
        outbound.process(batch, WORKER);
    }

    /** Gateway B's inbound worker on the sealed {@code batch}: find the keypair, open in place, replay check, source check. */
    public void open(PacketBatch batch) {
        inbound.process(batch, WORKER);
    }

    /** Slot {@code i}'s inner packet (after the data header). */
    public MemorySegment inner(PacketBatch batch, int i) {
        return Frames.of(batch).inner(i);
    }

    /** Whether A's worker marked slot {@code i} to send. */
    public boolean sealed(PacketBatch batch, int i) {
        return batch.status(i) == Outbound.SEND;
    }

    /** The length B's worker would write to TUN for slot {@code i} (0: dropped). */
    public int delivered(PacketBatch batch, int i) {
        return Frames.of(batch).datagrams[i] == 1 ? Frames.of(batch).writeLength[i][0] : 0;
    }

    /** Every drop counted on either side (malformed, no route, too big, unknown index, rejected, source, control). */
    public long drops() {
        long sum = 0;
        for (Counters c : new Counters[] {countersA, countersB}) {
            sum += c.droppedMalformed.get() + c.droppedNoRoute.get() + c.droppedTooBig.get() + c.droppedUnknownIndex.get()
                + c.droppedRejected.get() + c.droppedSource.get() + c.droppedInnerMalformed.get() + c.droppedControlBusy.get();
        }
        return sum;
    }

    @Override
    public void close() {
        for (Frames f : frames) {
            f.messages.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + resources.get(i) + " failed", e);
            }
        }
        arena.close();
        try (Stream<Path> files = Files.walk(runDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + runDirectory, e);
        }
    }
}
