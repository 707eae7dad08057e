package io.qgate.perf;

import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.control.Drop;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;

/**
 * The handshake load generator of issue 6: many clients, each with its own certificate, handshake
 * against one gateway {@link Endpoint}, in memory (the endpoint is sans-IO, so datagrams go from
 * one endpoint's output straight to the other's input: no sockets, no kernel, nothing but the
 * protocol's own work is measured).
 *
 * <p>Two threads, as on a real gateway's machine: the gateway's own thread does nothing but the
 * responder's work (it takes each datagram from its queue and hands it to the endpoint), and one
 * client thread runs every client, keeping {@code --in-flight} handshakes going at a time so that
 * the gateway's queue is rarely empty. Every client's ML-DSA key and certificate are made before
 * the measured part starts, and kept until its memory figures are taken, so neither their making
 * nor their garbage is in the gateway's figures.
 *
 * <p>Reports: responder handshakes per second per core (the gateway thread's CPU time over the
 * run, waiting for datagrams included), the rate both threads reach together, the handshake's
 * latency percentiles (HdrHistogram; a client's connect to its session being established, with
 * queueing behind the other handshakes in flight), how many initiations were answered with a
 * cookie (the gateway's "under load" defence, docs/PROTOCOL.md section 7, which more than
 * {@value io.qgate.engine.protocol.Protocol#UNDER_LOAD_INITIATIONS} initiations a second turn on),
 * and the gateway's memory per established session (heap after a full GC, and resident memory,
 * both as the growth over the count of sessions; each client endpoint is closed after its
 * handshake so only the gateway's state stays). Off-heap memory is read from the C heap's own
 * accounting ({@code mallinfo2}), since the resident size mostly follows the Java heap's growth.
 *
 * <pre>
 *   perf/bin/handshake-load [--sessions 10000] [--warmup 300] [--in-flight 8] [--rounds 1] [--histogram 25] [--data-workers 2]
 * </pre>
 */
public final class HandshakeLoad {
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("192.0.2.1", 51820);
    /** Longest wait for the next datagram: far beyond any handshake, short enough to report a stuck run. */
    private static final long STALL_SECONDS = 30;
    /** Datagrams each way that can wait: far more than {@link #MAX_IN_FLIGHT} handshakes send at once. */
    private static final int QUEUE = 1024;
    /** At most this many handshakes in flight: the queues never fill. */
    static final int MAX_IN_FLIGHT = 64;
    /** Clients get addresses 10.x.y.z from their number: at most this many, warm-up included, so none repeats. */
    static final int MAX_CLIENTS = 1 << 24;
    /** The most {@code --sessions} and {@code --warmup} take; together below {@link #MAX_CLIENTS}. */
    static final int MAX_SESSIONS = 1_000_000;
    static final int MAX_WARMUP = 100_000;

    /** One queued datagram: who sent it, to whom, and its bytes. */
    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    /** Tells the gateway thread to stop. */
    private static final Datagram STOP = new Datagram(GATEWAY, GATEWAY, new byte[0]);

    /** A client's key and certificate, made before the measured part. */
    private record Credential(SigningIdentity key, HandshakeConfig config, InetSocketAddress address) {
    }

    /**
     * What a run measured.
     *
     * @param sessions          handshakes measured (the warm-up's are not)
     * @param gatewayCpuNanos   the gateway thread's CPU time over them
     * @param wallNanos         their wall time
     * @param latency           connect to established, per client, ns
     * @param cookieReplies     initiations the gateway answered with a cookie instead of a response
     * @param established       peers the gateway holds at the end (warm-up included)
     * @param heapBytes         the heap's growth over the measured sessions, after full GCs
     * @param residentBytes     the resident size's growth
     * @param offHeapBytes      the C heap's growth; -1 when {@code mallinfo2} is unavailable
     * @param histogram         the heap's biggest classes with the sessions alive, when asked for; else empty
     * @param laterRoundsCpuNanos the gateway thread's CPU time in each round after the first (the same clients again)
     * @param peersAtEnd        peers the gateway holds after the last round
     */
    record Result(int sessions, long gatewayCpuNanos, long wallNanos, Histogram latency, long cookieReplies, int established,
                  long heapBytes, long residentBytes, long offHeapBytes, String histogram, List<Long> laterRoundsCpuNanos,
                  int peersAtEnd) {
        double perCore() {
            return perCore(gatewayCpuNanos);
        }

        /** Handshakes per second per core of a round that took {@code cpuNanos} of the gateway thread. */
        double perCore(long cpuNanos) {
            return sessions / (cpuNanos / 1e9);
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final CertificateAuthority ca;
    private final TrustStore trust;
    private final Endpoint gateway;
    private final BlockingQueue<Datagram> toGateway = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<Datagram> toClients = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicReference<String> failure = new AtomicReference<>();

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
        gateway = new Endpoint(new EndpointConfig(config, true, Aeads.defaultBackends(), dataWorkers), System.nanoTime());
    }

    /** Keys and certificates for clients {@code first} to {@code first + count - 1}. */
    private List<Credential> credentials(int first, int count) {
        long now = System.currentTimeMillis() / 1000;
        List<Credential> made = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = first + i;
            SigningIdentity key = SigningIdentity.generate(SignatureAlgorithm.ML_DSA_65, random);
            Certificate certificate = ca.issue(CertificateRole.CLIENT, "client-" + n, key.publicKey(), key.algorithm(),
                Suite.VALID_MASK, now - 3600, now + 86_400);
            InetSocketAddress address = new InetSocketAddress("10." + ((n >>> 16) & 0xFF) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF),
                40_000 + (n & 0x3FFF));
            made.add(new Credential(key, HandshakeConfig.of(certificate, key, trust, List.of(Suite.DEFAULT), random), address));
        }
        return made;
    }

    /** What an endpoint sends goes to the other side's queue; a failed handshake ends the run. */
    private EndpointOutput output(InetSocketAddress self, BlockingQueue<Datagram> queue, ClientSession session) {
        return new EndpointOutput() {
            @Override
            public void transmit(InetSocketAddress destination, MemorySegment datagram, int length) {
                if (!queue.offer(new Datagram(self, destination, datagram.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)))) {
                    failure.compareAndSet(null, "a queue of " + QUEUE + " datagrams overflowed");
                }
            }

            @Override
            public void deliver(Peer peer, MemorySegment packet, int offset, int length) {
                // the first data packet of a session carries nothing this generator needs
            }

            @Override
            public void event(PeerEvent event) {
                if (event instanceof PeerEvent.Established && session != null) {
                    session.established = true;
                } else if (event instanceof PeerEvent.HandshakeFailed f) {
                    failure.compareAndSet(null, "a handshake failed: " + f);
                }
            }
        };
    }

    /** One client's handshake in flight. */
    private static final class ClientSession {
        Endpoint endpoint;
        EndpointOutput out;
        long startNanos;
        boolean established;
    }

    /** The gateway's thread: every datagram from its queue into the endpoint, until {@link #STOP}. */
    private final class GatewayLoop implements Runnable {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final EndpointOutput out = output(GATEWAY, toClients, null);
        volatile long cpuNanos;

        @Override
        public void run() {
            long cpu = threads.getCurrentThreadCpuTime();
            try {
                for (Datagram d = toGateway.take(); d != STOP; d = toGateway.take()) {
                    gateway.receive(d.from(), MemorySegment.ofArray(d.bytes()), d.bytes().length, System.nanoTime(), out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, "the gateway failed: " + e);
            } finally {
                cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            }
        }
    }

    /**
     * Runs a handshake for every credential, {@code inFlight} at a time, with the gateway on its own thread.
     *
     * @return the gateway thread's CPU time, ns
     */
    private long handshakes(List<Credential> clients, int inFlight, Histogram latency) throws InterruptedException {
        GatewayLoop loop = new GatewayLoop();
        Thread thread = new Thread(loop, "load-gateway");
        thread.start();
        Map<InetSocketAddress, ClientSession> active = new HashMap<>();
        int next = 0;
        int done = 0;
        try {
            while (done < clients.size()) {
                while (active.size() < inFlight && next < clients.size()) {
                    Credential c = clients.get(next++);
                    ClientSession s = new ClientSession();
                    s.endpoint = new Endpoint(new EndpointConfig(c.config(), false, Aeads.defaultBackends()), System.nanoTime());
                    s.out = output(c.address(), toGateway, s);
                    active.put(c.address(), s);
                    Peer peer = s.endpoint.addPeer(new PeerConfig("gw", "gw.load", GATEWAY));
                    s.startNanos = System.nanoTime();
                    s.endpoint.connect(peer, s.startNanos, s.out);
                }
                Datagram d = toClients.poll(STALL_SECONDS, TimeUnit.SECONDS);
                if (failure.get() != null) {
                    throw new IllegalStateException(failure.get());
                }
                if (d == null) {
                    throw new IllegalStateException("no datagram for the clients in " + STALL_SECONDS + " s with " + active.size()
                        + " handshake(s) in flight");
                }
                ClientSession s = active.get(d.to());
                if (s == null) {
                    continue; // a late datagram for a client already gone
                }
                s.endpoint.receive(d.from(), MemorySegment.ofArray(d.bytes()), d.bytes().length, System.nanoTime(), s.out);
                if (s.established) {
                    latency.recordValue(System.nanoTime() - s.startNanos);
                    s.endpoint.close();
                    active.remove(d.to());
                    done++;
                }
            }
        } finally {
            active.values().forEach(s -> s.endpoint.close());
            toGateway.put(STOP);
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return loop.cpuNanos;
    }

    /**
     * Warms up, measures {@code sessions} handshakes of new clients, then, for each further round,
     * the same clients once more: known certificates, and peers that already have a session.
     *
     * @throws IllegalStateException when a handshake fails or the run stalls
     */
    static Result run(Options o) throws Exception {
        int sessions = o.sessions();
        int warmup = o.warmup();
        int inFlight = o.inFlight();
        int dataWorkers = o.dataWorkers();
        int histogramLines = o.histogram();
        HandshakeLoad load = new HandshakeLoad(dataWorkers);
        try {
            List<Credential> warm = load.credentials(-warmup, warmup);
            load.handshakes(warm, inFlight, new Histogram(3_600_000_000_000L, 3));
            warm.forEach(c -> c.key().close());
            List<Credential> clients = load.credentials(0, sessions);
            long cookiesBefore = load.gateway.dropped(Drop.COOKIE_REQUIRED);
            long heapBefore = heapAfterGc();
            long rssBefore = rssBytes();
            long mallocBefore = mallocInUse();
            Histogram latency = new Histogram(3_600_000_000_000L, 3);
            long wallStart = System.nanoTime();
            long cpu = load.handshakes(clients, inFlight, latency);
            long wall = System.nanoTime() - wallStart;
            long heapAfter = heapAfterGc();
            long rssAfter = rssBytes();
            long mallocAfter = mallocInUse();
            String histogram = histogramLines > 0 ? classHistogram(histogramLines) : "";
            int established = load.gateway.peers().size();
            List<Long> laterRounds = new ArrayList<>();
            for (int round = 2; round <= o.rounds(); round++) {
                laterRounds.add(load.handshakes(clients, inFlight, new Histogram(3_600_000_000_000L, 3)));
            }
            Result result = new Result(sessions, cpu, wall, latency, load.gateway.dropped(Drop.COOKIE_REQUIRED) - cookiesBefore,
                established, heapAfter - heapBefore, rssAfter - rssBefore,
                mallocBefore < 0 || mallocAfter < 0 ? -1 : mallocAfter - mallocBefore, histogram, List.copyOf(laterRounds),
                load.gateway.peers().size());
            clients.forEach(c -> c.key().close()); // kept alive until the figures were taken
            return result;
        } finally {
            load.gateway.close();
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

    /** The command line. */
    record Options(int sessions, int warmup, int inFlight, int dataWorkers, int histogram, int rounds) {
        static final String USAGE = "usage: handshake-load [--sessions 10000] [--warmup 300] [--in-flight 8] [--rounds 1]"
            + " [--histogram LINES] [--data-workers 2]";

        /**
         * Parses the arguments.
         *
         * @throws IllegalArgumentException naming the option, for an unknown option, a missing value or one out of range
         */
        static Options parse(String... args) {
            int sessions = 10_000;
            int warmup = 300;
            int histogram = 0;
            int workers = 2;
            int inFlight = 8;
            int rounds = 1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--sessions" -> sessions = wholeNumber(args, ++i, 1, MAX_SESSIONS);
                    case "--warmup" -> warmup = wholeNumber(args, ++i, 0, MAX_WARMUP);
                    case "--histogram" -> histogram = wholeNumber(args, ++i, 0, 10_000);
                    case "--data-workers" -> workers = wholeNumber(args, ++i, 0, 64);
                    case "--in-flight" -> inFlight = wholeNumber(args, ++i, 1, MAX_IN_FLIGHT);
                    case "--rounds" -> rounds = wholeNumber(args, ++i, 1, 10);
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "': see --help");
                }
            }
            return new Options(sessions, warmup, inFlight, workers, histogram, rounds);
        }

        /** The value of the option before {@code args[i]}, between {@code min} and {@code max} (tunnel-bench's rule and wording). */
        private static int wholeNumber(String[] args, int i, int min, int max) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value: see --help");
            }
            return BenchOptions.between(args[i - 1], args[i], min, max);
        }
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(Options.USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("handshake-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        int sessions = o.sessions();
        Result r = run(o);
        System.out.printf(Locale.ROOT, "handshake-load: %d sessions established at the gateway (%d peers incl. %d warm-up), default suite %s,"
            + " %d data worker(s) per session (a gateway with workers = 0, the default, or 1 has 2), %d handshake(s) in flight%n",
            sessions, r.established(), o.warmup(), Suite.DEFAULT.suiteName(), o.dataWorkers(), o.inFlight());
        System.out.println("jvm heap options: " + heapOptions(ManagementFactory.getRuntimeMXBean().getInputArguments())
            + " (perf/bin/handshake-load sets them; see there)");
        System.out.printf(Locale.ROOT, "responder: %.0f handshakes per second per core (gateway thread CPU %.2f s for %d handshakes)%n",
            r.perCore(), r.gatewayCpuNanos() / 1e9, sessions);
        System.out.printf(Locale.ROOT, "together: %.0f handshakes/s wall (one client thread, one gateway thread; %.1f s in all);"
            + " %d initiation(s) answered with a cookie%n", sessions / (r.wallNanos() / 1e9), r.wallNanos() / 1e9, r.cookieReplies());
        Histogram latency = r.latency();
        System.out.printf(Locale.ROOT, "latency (connect to established, queueing included): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(90) / 1e6,
            latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
        System.out.printf(Locale.ROOT, "gateway memory for %d sessions: heap +%.1f MiB (%.0f bytes per session), resident +%.1f MiB (%.0f bytes per session)%n",
            sessions, r.heapBytes() / 1048576.0, r.heapBytes() / (double) sessions,
            r.residentBytes() / 1048576.0, r.residentBytes() / (double) sessions);
        System.out.printf(Locale.ROOT, "gateway off-heap (C heap in use) for %d sessions: +%.1f MiB (%.0f bytes per session); heap + off-heap: %.1f MiB%n",
            sessions, r.offHeapBytes() / 1048576.0, r.offHeapBytes() / (double) sessions,
            (r.heapBytes() + r.offHeapBytes()) / 1048576.0);
        for (int k = 0; k < r.laterRoundsCpuNanos().size(); k++) {
            long cpu = r.laterRoundsCpuNanos().get(k);
            System.out.printf(Locale.ROOT, "round %d, the same %d clients again (certificates known, peers with a session): %.0f"
                + " handshakes per second per core (gateway thread CPU %.2f s)%n", k + 2, sessions, r.perCore(cpu), cpu / 1e9);
        }
        System.out.print(r.histogram());
    }

    /** The options among {@code jvmArguments} that size or shape the heap, in their order; "none" if none. */
    static String heapOptions(List<String> jvmArguments) {
        List<String> heap = jvmArguments.stream().filter(HandshakeLoad::isHeapOption).toList();
        return heap.isEmpty() ? "none" : String.join(" ", heap);
    }

    /** Sizes (-Xms, -Xmx, -Xmn), pre-touching, shrinking ratios, or the collector (-XX:+Use...GC). */
    private static boolean isHeapOption(String a) {
        boolean collector = a.startsWith("-XX:+Use") && a.endsWith("GC");
        return a.startsWith("-Xms") || a.startsWith("-Xmx") || a.startsWith("-Xmn") || a.endsWith("AlwaysPreTouch")
            || a.startsWith("-XX:MaxHeapFreeRatio") || a.startsWith("-XX:MinHeapFreeRatio") || collector;
    }

    /** The heap's {@code lines} biggest classes, with the header: where a session's memory goes. */
    private static String classHistogram(int lines) throws Exception {
        String table = (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {null}, new String[] {String[].class.getName()});
        StringBuilder out = new StringBuilder();
        table.lines().limit(lines + 3L).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }
}
