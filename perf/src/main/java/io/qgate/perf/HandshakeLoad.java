package io.qgate.perf;

import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointConfig;
import io.qgate.engine.control.EndpointOutput;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerConfig;
import io.qgate.engine.control.PeerEvent;
import io.qgate.engine.protocol.HandshakeConfig;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;

/**
 * The handshake load generator of issue 6: many clients, each with its own certificate, handshake
 * one after another against one gateway {@link Endpoint}, in memory (the endpoint is sans-IO, so
 * datagrams go from one endpoint's output straight to the other's input: no sockets, no kernel,
 * nothing but the protocol's own work is measured).
 *
 * <p>Reports: responder handshakes per second per core (the gateway's thread CPU time only),
 * the handshake's latency percentiles (HdrHistogram; one handshake at a time, so this is the
 * service time of both sides, not a queueing delay), and the gateway's memory per established
 * session (heap after a full GC, and resident memory, both as the growth over the count of
 * sessions; each client endpoint is closed after its handshake so only the gateway's state stays).
 * Off-heap memory is read from the C heap's own accounting ({@code mallinfo2}), since the
 * resident size mostly follows the Java heap's growth.
 *
 * <pre>
 *   perf/bin/handshake-load [--sessions 10000] [--warmup 300] [--histogram 25] [--data-workers 2]
 * </pre>
 */
public final class HandshakeLoad {
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 51820);

    /** One queued datagram: who sent it, to whom, and its bytes. */
    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    private final ArrayDeque<Datagram> wire = new ArrayDeque<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final SecureRandom random = new SecureRandom();
    private final CertificateAuthority ca;
    private final TrustStore trust;
    private final Endpoint gateway;
    private long gatewayCpuNanos;
    private boolean clientEstablished;

    private HandshakeLoad(int dataWorkers) {
        long now = System.currentTimeMillis() / 1000;
        SigningIdentity rootKey = SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random);
        ca = CertificateAuthority.createRoot("load-root", rootKey, Suite.VALID_MASK, now - 3600, now + 86_400, random);
        trust = new TrustStore(List.of(ca.root()));
        SigningIdentity gatewayKey = SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random);
        Certificate gatewayCertificate = ca.issue(CertificateRole.GATEWAY, "gw.load", gatewayKey.publicKey(),
            gatewayKey.algorithm(), Suite.VALID_MASK, now - 3600, now + 86_400);
        HandshakeConfig config = HandshakeConfig.of(gatewayCertificate, gatewayKey, trust, List.of(Suite.DEFAULT), random);
        // a gateway's sessions carry ciphers for the control thread and each data worker
        gateway = new Endpoint(new EndpointConfig(config, true, Aeads.defaultBackend(), dataWorkers), System.nanoTime());
    }

    /** Records what an endpoint sends, for {@link #pump}. */
    private EndpointOutput output(InetSocketAddress self) {
        return new EndpointOutput() {
            @Override
            public void transmit(InetSocketAddress destination, MemorySegment datagram, int length) {
                wire.add(new Datagram(self, destination, datagram.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)));
            }

            @Override
            public void deliver(Peer peer, MemorySegment packet, int offset, int length) {
                // the first data packet of a session carries nothing this generator needs
            }

            @Override
            public void event(PeerEvent event) {
                if (event instanceof PeerEvent.Established && !self.equals(GATEWAY)) {
                    clientEstablished = true;
                } else if (event instanceof PeerEvent.HandshakeFailed f) {
                    throw new IllegalStateException("a handshake failed: " + f);
                }
            }
        };
    }

    /** Delivers queued datagrams (and those they cause) until none is left; times the gateway's share. */
    private void pump(Endpoint client, InetSocketAddress clientAddress, EndpointOutput clientOut, EndpointOutput gatewayOut) {
        for (int guard = 0; !wire.isEmpty() && guard < 1_000; guard++) {
            Datagram d = wire.poll();
            MemorySegment bytes = MemorySegment.ofArray(d.bytes());
            if (d.to().equals(GATEWAY)) {
                long cpu = threads.getCurrentThreadCpuTime();
                gateway.receive(d.from(), bytes, d.bytes().length, System.nanoTime(), gatewayOut);
                gatewayCpuNanos += threads.getCurrentThreadCpuTime() - cpu;
            } else if (d.to().equals(clientAddress)) {
                client.receive(d.from(), bytes, d.bytes().length, System.nanoTime(), clientOut);
            }
        }
    }

    /**
     * One client with a fresh key and certificate handshakes with the gateway and then goes away
     * (its endpoint closed, its keys erased); the gateway keeps the session.
     *
     * @return the handshake's wall time in nanoseconds (both sides' work)
     */
    private long oneSession(int n) {
        long now = System.currentTimeMillis() / 1000;
        try (SigningIdentity key = SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random)) {
            Certificate certificate = ca.issue(CertificateRole.CLIENT, "client-" + n, key.publicKey(), key.algorithm(),
                Suite.VALID_MASK, now - 3600, now + 86_400);
            HandshakeConfig config = HandshakeConfig.of(certificate, key, trust, List.of(Suite.DEFAULT), random);
            InetSocketAddress address = new InetSocketAddress("10." + ((n >>> 16) & 0xFF) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF),
                40_000 + (n & 0x3FFF));
            try (Endpoint client = new Endpoint(new EndpointConfig(config, false, Aeads.defaultBackend()), System.nanoTime())) {
                Peer peer = client.addPeer(new PeerConfig("gw", "gw.load", GATEWAY));
                EndpointOutput clientOut = output(address);
                EndpointOutput gatewayOut = output(GATEWAY);
                clientEstablished = false;
                long start = System.nanoTime();
                client.connect(peer, start, clientOut);
                pump(client, address, clientOut, gatewayOut);
                long took = System.nanoTime() - start;
                if (!clientEstablished) {
                    throw new IllegalStateException("client " + n + " did not establish a session");
                }
                return took;
            }
        }
    }

    private static long rssBytes() {
        return ProcStatus.vmRssKib(ProcessHandle.current().pid()) * 1024;
    }

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} fields ({@code malloc.h}). */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
        ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
        ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
        ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
        ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));

    /**
     * Bytes the C heap has handed out and not got back ({@code uordblks + hblkhd} of
     * {@code mallinfo2()}): the off-heap memory of sessions (the FFM arenas' allocations and
     * OpenSSL's cipher contexts alike), which resident-size deltas drown in Java heap growth.
     */
    private static long mallocInUse() {
        Linker linker = Linker.nativeLinker();
        MethodHandle mallinfo2 = linker.downcallHandle(
            linker.defaultLookup().find("mallinfo2").orElseThrow(), FunctionDescriptor.of(MALLINFO2));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, 7 * 8) + info.get(ValueLayout.JAVA_LONG, 4 * 8);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The value of the option before {@code args[i]}; exits with status 2 naming the option when it is missing or not a number. */
    private static int wholeNumber(String[] args, int i) {
        String option = args[i - 1];
        if (i >= args.length) {
            System.err.println("handshake-load: " + option + " needs a value: see --help");
            System.exit(2);
        }
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            System.err.println("handshake-load: " + option + " takes a whole number, not \"" + args[i] + "\": see --help");
            System.exit(2);
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int sessions = 10_000;
        int warmup = 300;
        int histogram = 0;
        int workers = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = wholeNumber(args, ++i);
                case "--warmup" -> warmup = wholeNumber(args, ++i);
                case "--histogram" -> histogram = wholeNumber(args, ++i);
                case "--data-workers" -> workers = wholeNumber(args, ++i);
                case "--help" -> {
                    System.out.println("usage: handshake-load [--sessions 10000] [--warmup 300] [--histogram LINES] [--data-workers 2]");
                    return;
                }
                default -> {
                    System.err.println("handshake-load: unknown argument '" + args[i] + "': see --help");
                    System.exit(2);
                }
            }
        }
        if (sessions < 1 || warmup < 0 || workers < 0 || workers > 64) {
            System.err.println("handshake-load: --sessions must be at least 1, --warmup not negative, --data-workers 0 to 64");
            System.exit(2);
        }
        HandshakeLoad load = new HandshakeLoad(workers);
        for (int i = 0; i < warmup; i++) {
            load.oneSession(-1 - i & 0x7FFFFFFF);
        }
        load.gatewayCpuNanos = 0;
        long heapBefore = heapAfterGc();
        long rssBefore = rssBytes();
        long mallocBefore = mallocInUse();
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        long wallStart = System.nanoTime();
        for (int n = 0; n < sessions; n++) {
            latency.recordValue(load.oneSession(n));
        }
        long wall = System.nanoTime() - wallStart;
        long heapAfter = heapAfterGc();
        long rssAfter = rssBytes();
        long mallocAfter = mallocInUse();
        int established = load.gateway.peers().size();
        System.out.printf(Locale.ROOT, "handshake-load: %d sessions established at the gateway (%d peers incl. %d warm-up), default suite %s,"
            + " %d data worker(s) per session (a gateway with workers = 0, the default, or 1 has 2)%n",
            sessions, established, warmup, Suite.DEFAULT.suiteName(), workers);
        System.out.printf(Locale.ROOT, "responder: %.0f handshakes per second per core (gateway thread CPU %.2f s for %d handshakes)%n",
            sessions / (load.gatewayCpuNanos / 1e9), load.gatewayCpuNanos / 1e9, sessions);
        System.out.printf(Locale.ROOT, "both sides, one at a time: %.0f handshakes/s wall (client key and certificate made per handshake: %.1f s in all)%n",
            sessions / (wall / 1e9), wall / 1e9);
        System.out.printf(Locale.ROOT, "latency (both sides' work, no queueing): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
            latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
        System.out.printf(Locale.ROOT, "gateway memory for %d sessions: heap +%.1f MiB (%.0f bytes per session), resident +%.1f MiB (%.0f bytes per session)%n",
            sessions, (heapAfter - heapBefore) / 1048576.0, (heapAfter - heapBefore) / (double) sessions,
            (rssAfter - rssBefore) / 1048576.0, (rssAfter - rssBefore) / (double) sessions);
        System.out.printf(Locale.ROOT, "gateway off-heap (C heap in use) for %d sessions: +%.1f MiB (%.0f bytes per session); heap + off-heap: %.1f MiB%n",
            sessions, (mallocAfter - mallocBefore) / 1048576.0, (mallocAfter - mallocBefore) / (double) sessions,
            (heapAfter - heapBefore + mallocAfter - mallocBefore) / 1048576.0);
        if (histogram > 0) {
            // the heap's biggest classes with the sessions alive: where a session's memory goes
            String table = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
            table.lines().limit(histogram + 3L).forEach(System.out::println);
        }
        load.gateway.close();
    }
}
