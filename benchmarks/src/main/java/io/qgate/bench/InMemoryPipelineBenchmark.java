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
 *   <li>{@code aeadLimit}: the same backend and algorithm sealing then opening one {@code size}
 *       -byte packet in place, off-heap, with a 16-byte header as associated data, as in
 *       {@link AeadBenchmark}: the ceiling the pipeline cannot pass. Score per packet.</li>
 * </ul>
 * The ratio {@code pipeline / aeadLimit} at one size is what the data plane keeps of the cipher.
 * Both check their work: the tunnel round-trips a batch byte-exact at setup and at teardown
 * and counts no drop; the AEAD's open must succeed on every call (a failure fails the run).
 *
 * <p>Run with {@code benchmarks/run InMemoryPipeline}; {@code -prof gc} shows allocation per packet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.UNSAFE_ALLOW})
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

        /** The gateway's default backend is {@code openssl} where libcrypto loads. */
        @Param({"openssl"})
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
        MemorySegment packet;
        long counter;
        int size;
        long failures;

        @Setup(Level.Trial)
        public void setUp(Shape shape) {
            size = shape.size;
            arena = Arena.ofShared();
            header = arena.allocate(16, 64);
            nonce = arena.allocate(AeadAlgorithm.NONCE_LENGTH, 64);
            packet = arena.allocate(size + AeadAlgorithm.TAG_LENGTH, 64);
            SplittableRandom random = new SplittableRandom(size);
            for (long i = 0; i < packet.byteSize(); i++) {
                packet.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
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

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PacketBatch pipeline(Tunnel t) {
        t.tunnel.seal(t.batch);
        t.tunnel.open(t.batch);
        return t.batch;
    }

    @Benchmark
    public int aeadLimit(Aead a) {
        a.nonce.set(COUNTER, 4, ++a.counter);
        a.header.set(COUNTER, 8, a.counter);
        int sealed = a.sealer.seal(a.nonce, a.header, a.packet, a.size);
        int opened = a.opener.openOrReject(a.nonce, a.header, a.packet, sealed); // as the data path opens
        if (opened != a.size) {
            a.failures++;
        }
        return opened;
    }
}
