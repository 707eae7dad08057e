package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.ReplayWindow;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A data packet through {@link Keypair}, in packets per second: the whole send and receive paths
 * of section 9 on one worker, off-heap, per AEAD and backend.
 *
 * <ul>
 *   <li>{@code seal}: take a counter, write the header, seal {@code size} bytes in place. The
 *       same buffer is sealed again and again (its contents do not change the work); the counter
 *       grows, so every 2^22 packets the run includes an epoch's key derivation, as live traffic
 *       would.</li>
 *   <li>{@code open}: {@value #RING} datagrams with counters {@code 0 .. RING - 1} are sealed in
 *       setup; each invocation copies the next one into the working buffer and opens it: header
 *       checks, epoch range, {@code mayAccept}, AEAD open, {@code commit}. Every counter is fresh
 *       to the window: after the last one the window is {@link ReplayWindow#reset() reset} (512
 *       stores per {@value #RING} packets). The ring is twice the window, so the window slides
 *       and its slots move to new blocks as in steady traffic. <b>The copy is included</b>;
 *       {@code copyOnly} measures it alone, to subtract. A failed open fails the run.</li>
 * </ul>
 *
 * Run with {@code benchmarks/run DataPacket}; {@code -prof gc} shows the allocation per packet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DataPacketBenchmark {
    /** Pre-sealed datagrams for {@code open}: more than {@link ReplayWindow#WINDOW}, so the window slides. */
    static final int RING = 16_384;
    private static final int DATA = MessageType.DATA.code();
    private static final long NOW = 0;

    /** A session's two ends on one worker each, and the pre-sealed ring for {@code open}. */
    @State(Scope.Thread)
    public static class Session {
        @Param({"jdk", "openssl"})
        public String backend;

        @Param({"aes-256-gcm", "chacha20-poly1305"})
        public String algorithm;

        @Param({"1420"})
        public int size;

        Arena arena;
        Keypair sender;
        Keypair receiver;
        MemorySegment sealBuffer;
        MemorySegment openBuffer;
        MemorySegment ring;
        int datagramLength;
        int next;
        int failures;

        @Setup(Level.Trial)
        public void setUp() {
            Backend b = Backend.fromId(backend);
            Suite suite = AeadAlgorithm.fromId(algorithm) == AeadAlgorithm.AES_256_GCM
                ? Suite.DEFAULT : Suite.MLKEM768_MLDSA65_CHACHA20POLY1305;
            arena = Arena.ofShared();
            datagramLength = size + Protocol.DATA_OVERHEAD;
            SplittableRandom random = new SplittableRandom(size);
            sealBuffer = arena.allocate(datagramLength, 64);
            openBuffer = arena.allocate(datagramLength, 64);
            ring = arena.allocate((long) RING * datagramLength, 64);
            for (long i = 0; i < sealBuffer.byteSize(); i++) {
                sealBuffer.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
            }
            sender = new Keypair(suite, 1, 2, chain(1), chain(2), NOW, 1, b);
            receiver = new Keypair(suite, 2, 1, chain(2), chain(1), NOW, 1, b);
            try (Keypair ringSender = new Keypair(suite, 1, 2, chain(1), chain(2), NOW, 1, b)) {
                for (int i = 0; i < RING; i++) {
                    MemorySegment slot = ring.asSlice((long) i * datagramLength, datagramLength);
                    MemorySegment.copy(sealBuffer, Protocol.DATA_HEADER_LENGTH, slot, Protocol.DATA_HEADER_LENGTH, size);
                    if (ringSender.seal(0, slot, size, DATA, NOW) != datagramLength) {
                        throw new IllegalStateException("sealing the ring failed");
                    }
                }
            }
        }

        private static SecretBytes chain(int seed) {
            byte[] chain = new byte[32];
            new SplittableRandom(seed).nextBytes(chain);
            return SecretBytes.wrap(chain);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sender.close();
            receiver.close();
            arena.close();
            if (failures > 0) {
                throw new IllegalStateException(failures + " opens failed: the benchmark measured drops, not opens");
            }
        }
    }

    @Benchmark
    public int seal(Session s) {
        return s.sender.seal(0, s.sealBuffer, s.size, DATA, NOW);
    }

    /** Includes copying the sealed datagram into the working buffer: see {@link #copyOnly}. */
    @Benchmark
    public int open(Session s) {
        int i = s.next;
        MemorySegment.copy(s.ring, (long) i * s.datagramLength, s.openBuffer, 0, s.datagramLength);
        int opened = s.receiver.open(0, s.openBuffer, s.datagramLength, NOW);
        if (opened != s.size) {
            s.failures++;
        }
        if (++i == RING) {
            i = 0;
            s.receiver.replayWindow().reset();
        }
        s.next = i;
        return opened;
    }

    /** The copy that {@link #open} does before each open, alone. */
    @Benchmark
    public MemorySegment copyOnly(Session s) {
        int i = s.next;
        MemorySegment.copy(s.ring, (long) i * s.datagramLength, s.openBuffer, 0, s.datagramLength);
        s.next = i + 1 == RING ? 0 : i + 1;
        return s.openBuffer;
    }
}
