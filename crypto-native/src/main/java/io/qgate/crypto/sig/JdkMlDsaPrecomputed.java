package io.qgate.crypto.sig;

import io.qgate.crypto.CryptoException;
import io.qgate.crypto.JdkInternals;
import io.qgate.crypto.kdf.Shake256;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * A signing key's parts that do not change between signatures, computed once: the matrix A
 * expanded from rho, and the NTTs of s1, s2 and t0 (FIPS 204 Algorithm 7, steps 1 to 5).
 *
 * <p>Why: the JDK's ML-DSA decodes the private key and expands A again for every signature, which
 * was 57% of its signing time in a JFR profile of a gateway answering handshakes (session 10). A
 * gateway signs every handshake with the same key.
 *
 * <p>How: the loop of Algorithm 7 (steps 6 to 32) here, over the JDK's own ML-DSA arithmetic
 * ({@code sun.security.provider.ML_DSA}: its NTTs and decomposition run on the JDK's AVX-512
 * intrinsics), reached through method handles. That needs
 * {@code --add-opens java.base/sun.security.provider=ALL-UNNAMED}, which every JVM qgate starts gets
 * (pom.xml's {@code qgate.jvm.flags}). Without it, or on a JDK whose ML-DSA class differs, or if
 * the one-time self-check against the JDK's public signer fails, {@link #unavailableReason()}
 * says why and {@link JdkMlDsa} signs through {@link java.security.Signature} as before: the same
 * signatures, only slower.
 *
 * <p>Signatures are byte for byte those of the JDK's signer for the same key, message and rnd
 * ({@code JdkMlDsaPrecomputedTest}). Thread-safe: signing only reads the precomputed parts.
 * {@link #destroy()} zeroes the secret ones (K, tr, and the NTTs of s1, s2 and t0).
 */
final class JdkMlDsaPrecomputed implements Destroyable {
    /**
     * ExpandMask gets kappa + r as two bytes (FIPS 204 Algorithm 34), so kappa may not pass
     * 2^16 - l. Each attempt succeeds with probability about 1/5 (FIPS 204 table 1's expected
     * repetitions 4.25 to 5.1), so reaching this bound does not happen with a working key.
     */
    private static final int MAX_KAPPA = (1 << 16) - 8;

    private final MlDsaParameters p;
    private final Object mlDsa;
    private final byte[] k;
    private final byte[] tr;
    private final int[][][] aHat;
    private final int[][] s1Hat;
    private final int[][] s2Hat;
    private final int[][] t0Hat;
    private volatile boolean destroyed;

    private JdkMlDsaPrecomputed(MlDsaParameters p, Object mlDsa, byte[] k, byte[] tr, int[][][] aHat,
            int[][] s1Hat, int[][] s2Hat, int[][] t0Hat) {
        this.p = p;
        this.mlDsa = mlDsa;
        this.k = k;
        this.tr = tr;
        this.aHat = aHat;
        this.s1Hat = s1Hat;
        this.s2Hat = s2Hat;
        this.t0Hat = t0Hat;
    }

    /** Null when this JVM can sign this way; otherwise why not, in one line. */
    static String unavailableReason() {
        return Internals.UNAVAILABLE;
    }

    /**
     * Computes the parts of an expanded private key (skEncode, checked by the caller) that every
     * signature uses.
     *
     * @throws IllegalStateException if {@link #unavailableReason()} is not null
     */
    static JdkMlDsaPrecomputed of(SignatureAlgorithm algorithm, byte[] expanded) {
        if (Internals.UNAVAILABLE != null) {
            throw new IllegalStateException(Internals.UNAVAILABLE);
        }
        MlDsaParameters p = MlDsaParameters.of(algorithm);
        try {
            Object mlDsa = Internals.NEW.invokeExact(level(algorithm));
            Object sk = Internals.SK_DECODE.invokeExact(mlDsa, expanded);
            int[][] s1 = (int[][]) Internals.S1.invokeExact(sk);
            int[][] s2 = (int[][]) Internals.S2.invokeExact(sk);
            int[][] t0 = (int[][]) Internals.T0.invokeExact(sk);
            Internals.VECTOR_NTT.invokeExact(mlDsa, s1);
            Internals.VECTOR_NTT.invokeExact(mlDsa, s2);
            Internals.VECTOR_NTT.invokeExact(mlDsa, t0);
            int[][][] aHat = (int[][][]) Internals.GENERATE_A.invokeExact(mlDsa, (byte[]) Internals.RHO.invokeExact(sk));
            return new JdkMlDsaPrecomputed(p, mlDsa, (byte[]) Internals.K.invokeExact(sk), (byte[]) Internals.TR.invokeExact(sk),
                aHat, s1, s2, t0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CryptoException("the JDK's ML-DSA could not decode the " + algorithm.id() + " private key", e);
        }
    }

    /**
     * ML-DSA.Sign (FIPS 204 Algorithm 2) with an empty context: Sign_internal on
     * {@code M' = 0 ‖ 0 ‖ message} with the given 32-byte {@code rnd}.
     */
    byte[] sign(byte[] message, byte[] rnd) {
        if (destroyed) {
            throw new IllegalStateException("the " + p.algorithm().id() + " signing key was destroyed and cannot be used");
        }
        int kRows = p.k();
        int lCols = p.l();
        // mu = H(tr ‖ M', 64) and rho'' = H(K ‖ rnd ‖ mu, 64)
        byte[] mu = Shake256.hash(MlDsaInternal.MU_LENGTH, tr, new byte[] {0, 0}, message);
        byte[] rhoPrime = Shake256.hash(64, k, rnd, mu);
        int[][] y = new int[lCols][MlDsaParameters.N];
        int[][] yPlain = new int[lCols][MlDsaParameters.N];
        int[][] w = new int[kRows][MlDsaParameters.N];
        int[][] w0 = new int[kRows][MlDsaParameters.N];
        int[][] w1 = new int[kRows][MlDsaParameters.N];
        int[] c = new int[MlDsaParameters.N];
        int[][] cs1 = new int[lCols][MlDsaParameters.N];
        int[][] cs2 = new int[kRows][MlDsaParameters.N];
        int[][] ct0 = new int[kRows][MlDsaParameters.N];
        int[][] z = new int[lCols][MlDsaParameters.N];
        int[][] wPlusCt0 = new int[kRows][MlDsaParameters.N];
        boolean[][] hint = new boolean[kRows][MlDsaParameters.N];
        SHAKEDigest xof = new SHAKEDigest(256);
        byte[] mask = new byte[MlDsaPacking.length(p.zBits())];
        int beta = p.beta();
        try {
            for (int kappa = 0; kappa <= MAX_KAPPA; kappa += lCols) {
                // y = ExpandMask(rho'', kappa); w = NTT^-1(A · NTT(y)); w1 = HighBits(w)
                expandMask(y, rhoPrime, kappa, xof, mask);
                copy(y, yPlain);
                Internals.VECTOR_NTT.invokeExact(mlDsa, y);
                Internals.MATRIX_TIMES_VECTOR.invokeExact(mlDsa, w, aHat, y);
                Internals.VECTOR_INVERSE_NTT.invokeExact(mlDsa, w);
                Internals.DECOMPOSE.invokeExact(mlDsa, w, w0, w1);
                // c~ = H(mu ‖ w1Encode(w1), lambda / 4); c = SampleInBall(c~)
                byte[] w1Encoded = (byte[]) Internals.SIMPLE_BIT_PACK.invokeExact(mlDsa, p.w1Bits(), w1);
                byte[] challenge = Shake256.hash(p.challengeLength(), mu, w1Encoded);
                Internals.SAMPLE_IN_BALL.invokeExact(mlDsa, c, challenge);
                Internals.NTT.invokeExact(c);
                // <<c s1>>, <<c s2>>; z = y + <<c s1>>; r0 = LowBits(w - <<c s2>>) = w0 - <<c s2>>
                Internals.NTT_CONST_MULTIPLY.invokeExact(mlDsa, cs1, c, s1Hat);
                Internals.NTT_CONST_MULTIPLY.invokeExact(mlDsa, cs2, c, s2Hat);
                Internals.VECTOR_INVERSE_NTT.invokeExact(mlDsa, cs1);
                Internals.VECTOR_INVERSE_NTT.invokeExact(mlDsa, cs2);
                add(yPlain, cs1, z);
                subtractInPlace(w0, cs2);
                if ((boolean) Internals.NORM_AT_LEAST.invokeExact(mlDsa, z, p.gamma1() - beta)
                        || (boolean) Internals.NORM_AT_LEAST.invokeExact(mlDsa, w0, p.gamma2() - beta)) {
                    continue;
                }
                // <<c t0>>; h = MakeHint(-<<c t0>>, w - <<c s2>> + <<c t0>>)
                Internals.NTT_CONST_MULTIPLY.invokeExact(mlDsa, ct0, c, t0Hat);
                Internals.VECTOR_INVERSE_NTT.invokeExact(mlDsa, ct0);
                subtractInPlace(w, cs2);
                add(w, ct0, wPlusCt0);
                int ones = (int) Internals.MAKE_HINT.invokeExact(mlDsa, hint, w, wPlusCt0);
                if ((boolean) Internals.NORM_AT_LEAST.invokeExact(mlDsa, ct0, p.gamma2()) || ones > p.omega()) {
                    continue;
                }
                Object signature = Internals.NEW_SIGNATURE.invokeExact(challenge, z, hint);
                return (byte[]) Internals.SIG_ENCODE.invokeExact(mlDsa, signature);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new CryptoException("the JDK's ML-DSA arithmetic failed while signing with " + p.algorithm().id(), e);
        } finally {
            for (int[][] secret : new int[][][] {yPlain, y, w, w0, cs1, cs2, ct0, z, wPlusCt0}) {
                wipe(secret);
            }
            Arrays.fill(rhoPrime, (byte) 0);
            Arrays.fill(mask, (byte) 0);
            xof.reset();
        }
        throw new CryptoException("ML-DSA signing with " + p.algorithm().id() + " found no signature before its counter ran out");
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(k, (byte) 0);
        Arrays.fill(tr, (byte) 0);
        wipe(s1Hat);
        wipe(s2Hat);
        wipe(t0Hat);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "JdkMlDsaPrecomputed[" + p.algorithm().id() + (destroyed ? ", destroyed]" : "]");
    }

    /**
     * ExpandMask (FIPS 204 Algorithm 34): y[r] = BitUnpack(H(rho'' ‖ IntegerToBytes(kappa + r, 2)),
     * gamma1 - 1, gamma1). Here rather than the JDK's because Bouncy Castle's SHAKE256 is faster on
     * the development machine (the JDK's SHA-3 intrinsic was slower than plain Java there: section
     * "Hashing" of docs/PERFORMANCE.md), and this squeezes 3 to 4.5 KiB per attempt.
     */
    private void expandMask(int[][] y, byte[] rhoPrime, int kappa, SHAKEDigest xof, byte[] buffer) {
        int bits = p.zBits();
        for (int r = 0; r < y.length; r++) {
            int counter = kappa + r;
            xof.update(rhoPrime, 0, rhoPrime.length);
            xof.update((byte) counter);
            xof.update((byte) (counter >>> 8));
            xof.doFinal(buffer, 0, buffer.length);
            MlDsaPacking.unpackCentred(buffer, 0, bits, p.gamma1(), y[r]);
        }
    }

    /** The JDK's ML_DSA constructor takes the NIST security level: 2, 3 or 5. */
    private static int level(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case ML_DSA_44 -> 2;
            case ML_DSA_65 -> 3;
            case ML_DSA_87 -> 5;
            default -> throw new IllegalArgumentException(algorithm.id() + " is not ML-DSA");
        };
    }

    private static void copy(int[][] from, int[][] to) {
        for (int i = 0; i < from.length; i++) {
            System.arraycopy(from[i], 0, to[i], 0, MlDsaParameters.N);
        }
    }

    private static void add(int[][] a, int[][] b, int[][] sum) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < MlDsaParameters.N; j++) {
                sum[i][j] = a[i][j] + b[i][j];
            }
        }
    }

    private static void subtractInPlace(int[][] a, int[][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < MlDsaParameters.N; j++) {
                a[i][j] -= b[i][j];
            }
        }
    }

    private static void wipe(int[][] v) {
        for (int[] row : v) {
            Arrays.fill(row, 0);
        }
    }

    /**
     * Handles on the JDK's ML-DSA internals (JDK 25's {@code sun.security.provider.ML_DSA}), typed
     * with {@code Object} for its classes, which this code cannot name. Static finals, so the JIT
     * treats them as constants and inlines through them.
     */
    private static final class Internals {
        static final MethodHandle NEW;
        static final MethodHandle SK_DECODE;
        static final MethodHandle RHO;
        static final MethodHandle K;
        static final MethodHandle TR;
        static final MethodHandle S1;
        static final MethodHandle S2;
        static final MethodHandle T0;
        static final MethodHandle VECTOR_NTT;
        static final MethodHandle VECTOR_INVERSE_NTT;
        static final MethodHandle NTT;
        static final MethodHandle GENERATE_A;
        static final MethodHandle MATRIX_TIMES_VECTOR;
        static final MethodHandle DECOMPOSE;
        static final MethodHandle SIMPLE_BIT_PACK;
        static final MethodHandle SAMPLE_IN_BALL;
        static final MethodHandle NTT_CONST_MULTIPLY;
        static final MethodHandle NORM_AT_LEAST;
        static final MethodHandle MAKE_HINT;
        static final MethodHandle NEW_SIGNATURE;
        static final MethodHandle SIG_ENCODE;
        static final String UNAVAILABLE;

        static {
            MethodHandle[] h = new MethodHandle[21];
            String why = null;
            try {
                Class<?> mlDsa = Class.forName("sun.security.provider.ML_DSA");
                Class<?> sk = Class.forName("sun.security.provider.ML_DSA$ML_DSA_PrivateKey");
                Class<?> sig = Class.forName("sun.security.provider.ML_DSA$ML_DSA_Signature");
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(mlDsa, MethodHandles.lookup());
                Class<?> v = int[][].class;
                h[0] = l.findConstructor(mlDsa, MethodType.methodType(void.class, int.class));
                h[1] = l.findVirtual(mlDsa, "skDecode", MethodType.methodType(sk, byte[].class));
                h[2] = l.findVirtual(sk, "rho", MethodType.methodType(byte[].class));
                h[3] = l.findVirtual(sk, "k", MethodType.methodType(byte[].class));
                h[4] = l.findVirtual(sk, "tr", MethodType.methodType(byte[].class));
                h[5] = l.findVirtual(sk, "s1", MethodType.methodType(v));
                h[6] = l.findVirtual(sk, "s2", MethodType.methodType(v));
                h[7] = l.findVirtual(sk, "t0", MethodType.methodType(v));
                h[8] = l.findVirtual(mlDsa, "mlDsaVectorNtt", MethodType.methodType(void.class, v));
                h[9] = l.findVirtual(mlDsa, "mlDsaVectorInverseNtt", MethodType.methodType(void.class, v));
                h[10] = l.findStatic(mlDsa, "mlDsaNtt", MethodType.methodType(void.class, int[].class));
                h[11] = l.findVirtual(mlDsa, "generateA", MethodType.methodType(int[][][].class, byte[].class));
                h[12] = l.findVirtual(mlDsa, "matrixVectorPointwiseMultiply", MethodType.methodType(void.class, v, int[][][].class, v));
                h[13] = l.findVirtual(mlDsa, "decompose", MethodType.methodType(void.class, v, v, v));
                h[14] = l.findVirtual(mlDsa, "simpleBitPack", MethodType.methodType(byte[].class, int.class, v));
                h[15] = l.findVirtual(mlDsa, "sampleInBall", MethodType.methodType(void.class, int[].class, byte[].class));
                h[16] = l.findVirtual(mlDsa, "nttConstMultiply", MethodType.methodType(void.class, v, int[].class, v));
                h[17] = l.findVirtual(mlDsa, "vectorNormBound", MethodType.methodType(boolean.class, v, int.class));
                h[18] = l.findVirtual(mlDsa, "makeHint", MethodType.methodType(int.class, boolean[][].class, v, v));
                h[19] = l.findConstructor(sig, MethodType.methodType(void.class, byte[].class, v, boolean[][].class));
                h[20] = l.findVirtual(mlDsa, "sigEncode", MethodType.methodType(byte[].class, sig));
                JdkInternals.makeOpaque(h);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // this class must still load, and say why
                why = JdkInternals.whyUnavailable(e, "ML-DSA", "java.base/sun.security.provider", "qgate's precomputed signer");
            }
            NEW = h[0]; SK_DECODE = h[1]; RHO = h[2]; K = h[3]; TR = h[4]; S1 = h[5]; S2 = h[6]; T0 = h[7];
            VECTOR_NTT = h[8]; VECTOR_INVERSE_NTT = h[9]; NTT = h[10]; GENERATE_A = h[11];
            MATRIX_TIMES_VECTOR = h[12]; DECOMPOSE = h[13]; SIMPLE_BIT_PACK = h[14]; SAMPLE_IN_BALL = h[15];
            NTT_CONST_MULTIPLY = h[16]; NORM_AT_LEAST = h[17]; MAKE_HINT = h[18]; NEW_SIGNATURE = h[19]; SIG_ENCODE = h[20];
            UNAVAILABLE = why;
        }

        private Internals() {
        }
    }
}
