package io.qgate.bench;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kdf.CShake256;
import io.qgate.crypto.kdf.Hkdf;
import io.qgate.crypto.kdf.HkdfHash;
import io.qgate.crypto.kdf.Kmac256;
import io.qgate.crypto.kdf.Sha3;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The key-schedule primitives: a SHA3-256 transcript step over 1 KiB, a 64-byte cSHAKE256 key
 * derivation, a KMAC256 key-confirmation tag over 256 bytes (one-shot and with a reused keyed
 * instance) and a 64-byte HKDF-SHA256 expand.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
@State(Scope.Thread)
public class KdfBenchmark {
    private static final byte[] FUNCTION_NAME = "qgate session key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CUSTOMIZATION = "qgate key confirmation".getBytes(StandardCharsets.US_ASCII);

    private byte[] kibibyte;
    /** About the size of a handshake transcript (a RESPONSE is 9.8 KB). */
    private byte[] eightKibibytes;
    private byte[] message256;
    private byte[] info;
    private SecretBytes key;
    private SecretBytes prk;
    private Kmac256 keyedKmac;
    private Hkdf hkdf;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        kibibyte = new byte[1024];
        eightKibibytes = new byte[8192];
        random.nextBytes(eightKibibytes);
        message256 = new byte[256];
        info = new byte[16];
        byte[] keyBytes = new byte[32];
        random.nextBytes(kibibyte);
        random.nextBytes(message256);
        random.nextBytes(info);
        random.nextBytes(keyBytes);
        key = SecretBytes.wrap(keyBytes);
        hkdf = Hkdf.of(HkdfHash.SHA256);
        prk = hkdf.extract(new byte[0], key);
        keyedKmac = Kmac256.keyed(key, CUSTOMIZATION);
    }

    @TearDown
    public void tearDown() {
        keyedKmac.destroy();
        prk.destroy();
        key.destroy();
    }

    @Benchmark
    public byte[] sha3_256Over1KiB() {
        return Sha3.sha3_256(kibibyte);
    }

    /** {@code Sha3} as qgate uses it, over a transcript-sized input. */
    @Benchmark
    public byte[] sha3_256Over8KiB() {
        return Sha3.sha3_256(eightKibibytes);
    }

    /** The JDK's SUN provider directly, over the same input (what {@code Sha3} wraps, or wrapped). */
    @Benchmark
    public byte[] sha3_256Over8KiBJdk() throws java.security.GeneralSecurityException {
        return java.security.MessageDigest.getInstance("SHA3-256", "SUN").digest(eightKibibytes);
    }

    /** Bouncy Castle's Keccak in Java, over the same input. */
    @Benchmark
    public byte[] sha3_256Over8KiBBouncyCastle() {
        org.bouncycastle.crypto.digests.SHA3Digest digest = new org.bouncycastle.crypto.digests.SHA3Digest(256);
        digest.update(eightKibibytes, 0, eightKibibytes.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public SecretBytes cShake256Derive64() {
        return CShake256.derive(key, 64, FUNCTION_NAME, CUSTOMIZATION);
    }

    @Benchmark
    public byte[] kmac256OneShotOver256() {
        return Kmac256.mac(key, message256, 32, CUSTOMIZATION);
    }

    @Benchmark
    public byte[] kmac256KeyedOver256() {
        return keyedKmac.mac(message256, 32);
    }

    @Benchmark
    public SecretBytes hkdfSha256Expand64() {
        return hkdf.expand(prk, info, 64);
    }
}
