package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and opening one data-plane packet in place, per backend, algorithm, packet size and
 * buffer kind, in packets per second.
 *
 * <ul>
 *   <li>{@code seal}: a fresh nonce (a counter, as the data plane builds it; the JDK refuses to
 *       seal twice with one nonce), 16 bytes of associated data, {@code size} bytes encrypted
 *       in place and the tag appended. The buffer is sealed again and again: the contents do not
 *       change the work done.</li>
 *   <li>{@code open}: a packet sealed once in setup is restored into the working buffer with
 *       one {@link MemorySegment#copy} of {@code size + 16} bytes and then verified and decrypted
 *       in place. <b>The copy is included in the measurement</b> (opening decrypts in place, so
 *       each invocation needs a fresh packet, and a per-invocation setup would distort the
 *       result more); {@code restoreOnly} measures that copy alone so it can be subtracted.</li>
 * </ul>
 *
 * {@code bufferKind} {@code offheap} puts nonce, aad and packet in native memory (the data
 * plane's case: packets come from a ring or io_uring buffer); {@code heap} uses
 * {@link MemorySegment#ofArray(byte[])}. Bytes per second are {@code size} times the score.
 *
 * <p>Run with {@code java -jar benchmarks/target/benchmarks.jar AeadBenchmark}; a smoke run adds
 * {@code -f 1 -wi 1 -w 1 -i 2 -r 1}; {@code -prof gc} shows allocation per packet.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AeadBenchmark {
    static final int AAD_LENGTH = 16;
    private static final ValueLayout.OfLong COUNTER =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The packet buffers, which do not depend on the cipher. */
    @State(Scope.Thread)
    public static class Packet {
        @Param({"64", "512", "1420", "9000"})
        public int size;

        @Param({"offheap", "heap"})
        public String bufferKind;

        Arena arena;
        MemorySegment buffer;
        MemorySegment aad;
        MemorySegment nonce;
        /** A copy source of {@code size + 16} bytes, for {@code restoreOnly}. */
        MemorySegment source;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            SplittableRandom random = new SplittableRandom(size);
            buffer = segment(size + AeadAlgorithm.TAG_LENGTH);
            aad = segment(AAD_LENGTH);
            nonce = segment(AeadAlgorithm.NONCE_LENGTH);
            source = segment(size + AeadAlgorithm.TAG_LENGTH);
            for (MemorySegment s : new MemorySegment[] {buffer, aad, source}) {
                for (long i = 0; i < s.byteSize(); i++) {
                    s.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
                }
            }
        }

        MemorySegment segment(int length) {
            return switch (bufferKind) {
                case "offheap" -> arena.allocate(length, 64);
                case "heap" -> MemorySegment.ofArray(new byte[length]);
                default -> throw new IllegalArgumentException("bufferKind is offheap or heap, not " + bufferKind);
            };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** A sealing and an opening cipher on one key, and a packet sealed for {@code open}. */
    @State(Scope.Thread)
    public static class Ciphers {
        @Param({"jdk", "openssl"})
        public String backend;

        @Param({"aes-256-gcm", "chacha20-poly1305"})
        public String algorithm;

        AeadCipher sealer;
        AeadCipher opener;
        long counter;
        MemorySegment openNonce;
        MemorySegment sealed;

        @Setup(Level.Trial)
        public void setUp(Packet packet) {
            Backend b = Backend.fromId(backend);
            AeadAlgorithm a = AeadAlgorithm.fromId(algorithm);
            byte[] keyBytes = new byte[AeadAlgorithm.KEY_LENGTH];
            new SplittableRandom(7).nextBytes(keyBytes);
            try (SecretBytes key = SecretBytes.wrap(keyBytes)) {
                sealer = Aeads.create(b, a, key);
                opener = Aeads.create(b, a, key);
            }
            openNonce = packet.segment(AeadAlgorithm.NONCE_LENGTH);
            openNonce.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xee); // never equal to a seal nonce
            sealed = packet.segment(packet.size + AeadAlgorithm.TAG_LENGTH);
            MemorySegment.copy(packet.source, 0, sealed, 0, packet.size);
            sealer.seal(openNonce, packet.aad, sealed, packet.size);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sealer.close();
            opener.close();
        }
    }

    @Benchmark
    public int seal(Ciphers c, Packet p) {
        p.nonce.set(COUNTER, 4, ++c.counter);
        return c.sealer.seal(p.nonce, p.aad, p.buffer, p.size);
    }

    /** Includes restoring the sealed packet with one copy: see {@link #restoreOnly}. */
    @Benchmark
    public int open(Ciphers c, Packet p) {
        MemorySegment.copy(c.sealed, 0, p.buffer, 0, p.size + AeadAlgorithm.TAG_LENGTH);
        return c.opener.open(c.openNonce, p.aad, p.buffer, p.size + AeadAlgorithm.TAG_LENGTH);
    }

    /** The copy that {@link #open} does before each open, alone. */
    @Benchmark
    public MemorySegment restoreOnly(Packet p) {
        MemorySegment.copy(p.source, 0, p.buffer, 0, p.size + AeadAlgorithm.TAG_LENGTH);
        return p.buffer;
    }
}
