package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kem.Kem;
import io.qgate.crypto.kem.KemAlgorithm;
import io.qgate.crypto.kem.KemEncapsulation;
import io.qgate.crypto.kem.KemKeyPair;
import io.qgate.crypto.kem.Kems;
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
 * KEM cost per operation (key generation, encapsulation, decapsulation) for each backend and
 * algorithm, as paid once per handshake. Each result's secrets are destroyed inside the
 * measurement, as the handshake would.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar KemBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
public class KemBenchmark {
    @Param({"jdk", "bouncycastle"})
    public String backend;

    @Param({"ml-kem-768", "ml-kem-1024", "x25519-ml-kem-768"})
    public String algorithm;

    private Kem kem;
    private KemKeyPair keyPair;
    private byte[] ciphertext;

    @Setup(Level.Trial)
    public void setUp() {
        kem = Kems.create(Backend.fromId(backend), KemAlgorithm.fromId(algorithm));
        keyPair = kem.generateKeyPair();
        KemEncapsulation e = kem.encapsulate(keyPair.publicKey());
        e.sharedSecret().destroy();
        ciphertext = e.ciphertext();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        keyPair.close();
    }

    @Benchmark
    public byte[] keyGeneration() {
        try (KemKeyPair pair = kem.generateKeyPair()) {
            return pair.publicKey();
        }
    }

    @Benchmark
    public byte[] encapsulation() {
        KemEncapsulation e = kem.encapsulate(keyPair.publicKey());
        e.sharedSecret().destroy();
        return e.ciphertext();
    }

    @Benchmark
    public int decapsulation() {
        try (SecretBytes secret = kem.decapsulate(keyPair.privateKey(), ciphertext)) {
            return secret.bytes()[0];
        }
    }
}
