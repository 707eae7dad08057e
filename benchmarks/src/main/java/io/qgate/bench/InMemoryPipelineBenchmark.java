package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.gateway.InMemoryTunnel;
import io.qgate.engine.protocol.Suite;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's whole per-packet path without I/O, seal to open, in packets per second on one
 * core, next to the AEAD backend's own limit for the same work measured in the same run.
 *
 * <ul>
 *   <li>{@code pipeline}: one batch of {@value #BATCH} inner IPv4 packets of {@code size} bytes,
 *       as the TUN reader leaves it, through gateway A's real outbound worker (route lookup by
 *       destination in the allowed-IP table, MTU check, keypair seal into the slot, per-peer
 *       counters) and then gateway B's real inbound worker (keypair by receiver index, endpoint
 *       check, open, replay commit, inner-source check, counters), both on the benchmark
 *       thread: {@link InMemoryTunnel}. Opening in place restores the inner packet, so the next
 *       invocation seals the same batch again with no copy. Score per packet.</li>
 *   <li>{@code aeadLimit}: the same backend and algorithm sealing {@value #BATCH} {@code size}-byte
 *       packets in place and then opening them, the packet off-heap and nonce and 16-byte header (the associated data)
 *       in heap arrays, as the data path keeps them: the ceiling of the pipeline. Score per
 *       packet.</li>
 * </ul>
 * The ratio {@code pipeline / aeadLimit} at one size is what the data plane keeps of the cipher.
 * On a machine shared with other work the two scores, measured seconds apart, see different
 * loads; {@code paired} measures the ratio robustly: each invocation times one batch through
 * the pipeline and {@value #BATCH} AEAD round trips right after it (a few hundred microseconds
 * apart, so both see the same load), and its secondary results sum the two times:
 * {@code 100 x aeadNanos / pipelineNanos} is the pipeline's rate as a percentage of the AEAD
 * limit.
 * Both check their work: the tunnel round-trips a batch byte-exact at setup and at teardown
 * and counts no drop; the AEAD's open must succeed on every call (a failure fails the run).
 *
 * <p>Run with {@code benchmarks/run InMemoryPipeline}; {@code -prof gc} shows allocation per packet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InMemoryPipelineBenchmark {
    /** Packets per batch: the gateway's batch. */
    static final int BATCH = 64;
    private static final ValueLayout.OfLong COUNTER = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** What both benchmarks share: inner packet size, suite and backend. */
    @State(Scope.Thread)
    public static class Shape {
        /** Inner IP packet bytes (1420 is a full packet under a 1500-byte path MTU, as WireGuard's default). */
        @Param({"64", "512", "1420"})
        public int size;

        /**
         * The gateway's default for AES-256-GCM is {@code jdk} (without the JCA, when qgate's JVM
         * flags open SunJCE); {@code openssl} was the default before and is ChaCha20-Poly1305's.
         */
        @Param({"jdk", "openssl"})
        public String backend;

        @Param({"MLKEM768_MLDSA65_AES256GCM"})
        public String suite;
    }

    /** Both gateways' workers and a batch they pass back and forth. */
    @State(Scope.Thread)
    public static class Tunnel {
        InMemoryTunnel tunnel;
        PacketBatch batch;
        byte[][] original;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            tunnel = new InMemoryTunnel(Suite.valueOf(shape.suite), Backend.fromId(shape.backend));
            batch = tunnel.batch(BATCH, shape.size);
            original = new byte[BATCH][];
            for (int i = 0; i < BATCH; i++) {
                original[i] = tunnel.inner(batch, i).asSlice(0, shape.size).toArray(ValueLayout.JAVA_BYTE);
            }
            roundTrip();
        }

        /** Seals and opens the batch once and checks that every packet came back byte-exact, with no drop counted. */
        void roundTrip() {
            tunnel.seal(batch);
            for (int i = 0; i < BATCH; i++) {
                if (!tunnel.sealed(batch, i)) {
                    throw new IllegalStateException("packet " + i + " was not sealed; drops: " + tunnel.drops());
                }
            }
            tunnel.open(batch);
            check();
        }

        private void check() {
            for (int i = 0; i < BATCH; i++) {
                int length = original[i].length;
                if (tunnel.delivered(batch, i) != length) {
                    throw new IllegalStateException("packet " + i + " was delivered with " + tunnel.delivered(batch, i)
                        + " bytes, not " + length + "; drops: " + tunnel.drops());
                }
                byte[] now = tunnel.inner(batch, i).asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
                if (!java.util.Arrays.equals(now, original[i])) {
                    throw new IllegalStateException("packet " + i + " did not come back byte-exact");
                }
            }
            if (tunnel.drops() != 0) {
                throw new IllegalStateException(tunnel.drops() + " packets were dropped: the run measured drops, not deliveries");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                check(); // the measured invocations left every packet delivered
                roundTrip();
            } finally {
                tunnel.close();
            }
        }
    }

    /** One AEAD cipher pair on a random key, and an off-heap packet with header and nonce. */
    @State(Scope.Thread)
    public static class Aead {
        Arena arena;
        AeadCipher sealer;
        AeadCipher opener;
        MemorySegment header;
        MemorySegment nonce;
        /** {@value #BATCH} packets of {@code size + 16} bytes, one slot stride apart, as in a ring batch. */
        MemorySegment[] packets;
        long counter;
        int size;
        long failures;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            size = shape.size;
            arena = Arena.ofShared();
            // nonce and header in heap arrays, the packet off-heap: as the data path's WorkerCiphers and ring slots
            header = MemorySegment.ofArray(new byte[16]);
            nonce = MemorySegment.ofArray(new byte[AeadAlgorithm.NONCE_LENGTH]);
            MemorySegment slots = arena.allocate((long) BATCH * InMemoryTunnel.SLOT_BYTES, 64);
            SplittableRandom random = new SplittableRandom(size);
            for (long i = 0; i < slots.byteSize(); i++) {
                slots.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
            }
            packets = new MemorySegment[BATCH];
            for (int i = 0; i < BATCH; i++) {
                // at offset 16 of its slot, where the data path seals the inner packet
                packets[i] = slots.asSlice((long) i * InMemoryTunnel.SLOT_BYTES + 16, size + AeadAlgorithm.TAG_LENGTH);
            }
            byte[] key = new byte[AeadAlgorithm.KEY_LENGTH];
            random.nextBytes(key);
            Backend backend = Backend.fromId(shape.backend);
            AeadAlgorithm algorithm = Suite.valueOf(shape.suite).aead();
            try (SecretBytes k = SecretBytes.wrap(key)) {
                sealer = Aeads.create(backend, algorithm, k);
                opener = Aeads.create(backend, algorithm, k);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sealer.close();
            opener.close();
            arena.close();
            if (failures > 0) {
                throw new IllegalStateException(failures + " opens failed: the AEAD limit measured failures");
            }
        }
    }

    /**
     * {@code paired}'s times, reported per iteration and summed by JMH over the measured
     * iterations and forks: {@code 100 x aeadNanos / pipelineNanos} is the pipeline's rate as a
     * percentage of the AEAD limit ({@code benchmarks/summarize} prints it).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Paired {
        public long pipelineNanos;
        public long aeadNanos;

        @Setup(Level.Iteration)
        public void reset() {
            pipelineNanos = 0;
            aeadNanos = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PacketBatch pipeline(Tunnel t) {
        t.tunnel.seal(t.batch);
        t.tunnel.open(t.batch);
        return t.batch;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int aeadLimit(Aead a) {
        return aeadBatch(a);
    }

    /**
     * Seals the {@value #BATCH} packets, then opens them, as the two workers do with a batch
     * (sealing and opening one packet in turn would make each call wait for the one before).
     */
    private static int aeadBatch(Aead a) {
        long first = a.counter;
        for (MemorySegment packet : a.packets) {
            a.nonce.set(COUNTER, 4, ++a.counter);
            a.header.set(COUNTER, 8, a.counter);
            a.sealer.seal(a.nonce, a.header, packet, a.size);
        }
        int sum = 0;
        for (MemorySegment packet : a.packets) {
            a.nonce.set(COUNTER, 4, ++first);
            a.header.set(COUNTER, 8, first);
            int opened = a.opener.openOrReject(a.nonce, a.header, packet, a.size + AeadAlgorithm.TAG_LENGTH); // as the data path opens
            if (opened != a.size) {
                a.failures++;
            }
            sum += opened;
        }
        return sum;
    }

    /** One pipeline batch, then as many AEAD round trips, each timed: see the class comment. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public int paired(Tunnel t, Aead a, Paired p) {
        long start = System.nanoTime();
        t.tunnel.seal(t.batch);
        t.tunnel.open(t.batch);
        long middle = System.nanoTime();
        int sum = aeadBatch(a);
        long end = System.nanoTime();
        p.pipelineNanos += middle - start;
        p.aeadNanos += end - middle;
        return sum;
    }
}
