package io.qgate.bench;

import io.qgate.crypto.Backend;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import io.qgate.crypto.sig.SigningKeyPair;
import java.nio.charset.StandardCharsets;
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
 * ML-DSA key generation, signing and verification per backend, as a handshake would use them:
 * a 128-byte transcript hash input, empty context (the JDK has no contexts).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SignatureBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@State(Scope.Benchmark)
public class SignatureBenchmark {
    private static final byte[] NO_CONTEXT = new byte[0];

    @Param({"jdk", "bouncycastle"})
    public String backend;

    @Param({"ml-dsa-65", "ml-dsa-87"})
    public String algorithm;

    private SignatureScheme scheme;
    private SigningKeyPair pair;
    private byte[] publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup(Level.Trial)
    public void setUp() {
        scheme = SignatureSchemes.create(Backend.fromId(backend), SignatureAlgorithm.fromId(algorithm));
        pair = scheme.generateKeyPair();
        publicKey = pair.publicKey();
        message = "handshake transcript ".repeat(7).substring(0, 128).getBytes(StandardCharsets.US_ASCII);
        signature = scheme.sign(pair.privateKey(), message, NO_CONTEXT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.close();
    }

    @Benchmark
    public byte[] keyGeneration() {
        try (SigningKeyPair generated = scheme.generateKeyPair()) {
            return generated.publicKey();
        }
    }

    @Benchmark
    public byte[] sign() {
        return scheme.sign(pair.privateKey(), message, NO_CONTEXT);
    }

    @Benchmark
    public boolean verify() {
        return scheme.verify(publicKey, message, NO_CONTEXT, signature);
    }
}
