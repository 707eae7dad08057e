package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.D;
import static io.qgate.crypto.sig.MlDsaParameters.N;
import static io.qgate.crypto.sig.MlDsaParameters.SEED_LENGTH;
import static io.qgate.crypto.sig.MlDsaParameters.TR_LENGTH;

import io.qgate.crypto.CryptoException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * An ML-DSA private key decoded once, with what every signature under it repeats computed in
 * advance: the matrix A expanded from rho, and s1, s2 and t0 decoded. For a key that signs
 * often, such as a gateway's, which signs every handshake response.
 *
 * <p>Written from FIPS 204 (ML-DSA.Sign, algorithms 2 and 7): the same signature as any
 * conforming implementation for the same key, message, context and rnd (checked against the
 * Wycheproof vectors), verifiable by the JDK's and Bouncy Castle's ML-DSA. Hedged signing draws
 * rnd from a {@link SecureRandom}; {@link #signDeterministic} uses rnd = 0^32.
 *
 * <p>Thread safety: many threads may sign at once (each signature uses its own scratch);
 * {@link #destroy()} must not run while another thread signs. After destruction signing throws
 * {@link IllegalStateException}.
 */
public final class MlDsaPrivateKey implements Destroyable, AutoCloseable {
    /** Signing loops this many times at most; FIPS 204 expects about 5 for ML-DSA-65, and 814 suffice with overwhelming probability. */
    private static final int MAX_ATTEMPTS = 1000;

    private final MlDsaParameters p;
    private final int[][][] a;
    private final byte[] key;
    private final byte[] tr;
    /** s1, s2 and t0 in the normal domain: challenge products with them are cheapest there. */
    private final int[][] s1;
    private final int[][] s2;
    private final int[][] t0;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean destroyed;

    private MlDsaPrivateKey(MlDsaParameters p, byte[] sk) {
        this.p = p;
        this.a = MlDsaSampling.expandA(Arrays.copyOf(sk, SEED_LENGTH), p.k(), p.l());
        this.key = Arrays.copyOfRange(sk, SEED_LENGTH, 2 * SEED_LENGTH);
        this.tr = Arrays.copyOfRange(sk, 2 * SEED_LENGTH, 2 * SEED_LENGTH + TR_LENGTH);
        int offset = 2 * SEED_LENGTH + TR_LENGTH;
        int etaBits = p.etaBits();
        s1 = new int[p.l()][N];
        for (int j = 0; j < p.l(); j++, offset += MlDsaPacking.length(etaBits)) {
            MlDsaPacking.unpackCentred(sk, offset, etaBits, p.eta(), s1[j]);
        }
        s2 = new int[p.k()][N];
        for (int i = 0; i < p.k(); i++, offset += MlDsaPacking.length(etaBits)) {
            MlDsaPacking.unpackCentred(sk, offset, etaBits, p.eta(), s2[i]);
        }
        t0 = new int[p.k()][N];
        for (int i = 0; i < p.k(); i++, offset += MlDsaPacking.length(D)) {
            MlDsaPacking.unpackCentred(sk, offset, D, 1 << (D - 1), t0[i]);
        }
    }

    /**
     * Decodes an expanded FIPS 204 private key (skEncode). The caller keeps and wipes {@code expanded}.
     *
     * @throws IllegalArgumentException if {@code algorithm} is not ML-DSA or the length is wrong
     * @throws io.qgate.crypto.InvalidPrivateKeyException if a secret coefficient is out of range
     */
    public static MlDsaPrivateKey decode(SignatureAlgorithm algorithm, byte[] expanded) {
        MlDsaParameters p = MlDsaParameters.of(algorithm);
        MlDsaPrivateKeyEncoding.check(algorithm, expanded);
        return new MlDsaPrivateKey(p, expanded);
    }

    /**
     * The precomputed form of {@code key}, from its seed (expanded with Bouncy Castle's key
     * generation) or from its expanded encoding.
     *
     * @throws IllegalArgumentException if the key is not ML-DSA
     * @throws IllegalStateException if the key is destroyed
     */
    public static MlDsaPrivateKey of(SigningKey key) {
        MlDsaParameters.of(key.algorithm());
        byte[] material = key.hasSeed() ? key.seed() : key.expanded();
        byte[] expanded = null;
        try {
            if (!key.hasSeed()) {
                return decode(key.algorithm(), material);
            }
            BouncyCastleMlDsa generator = new BouncyCastleMlDsa(key.algorithm());
            try (SigningKey derived = generator.deriveKeyPair(material).privateKey()) {
                expanded = generator.expandedEncoding(derived);
                return decode(key.algorithm(), expanded);
            }
        } finally {
            Arrays.fill(material, (byte) 0);
            if (expanded != null) {
                Arrays.fill(expanded, (byte) 0);
            }
        }
    }

    public SignatureAlgorithm algorithm() {
        return p.algorithm();
    }

    /** Hedged pure ML-DSA.Sign of {@code message} with {@code context}: rnd is 32 fresh random bytes. */
    public byte[] sign(byte[] message, byte[] context) {
        byte[] rnd = new byte[MlDsaInternal.RND_LENGTH];
        random.nextBytes(rnd);
        return sign(message, context, rnd);
    }

    /** Deterministic pure ML-DSA.Sign (rnd = 0^32), for known answers and reproducible fixtures. */
    public byte[] signDeterministic(byte[] message, byte[] context) {
        return sign(message, context, new byte[MlDsaInternal.RND_LENGTH]);
    }

    /**
     * Pure ML-DSA.Sign with the caller's 32-byte {@code rnd}.
     *
     * @throws IllegalArgumentException if the context is longer than 255 bytes or rnd is not 32 bytes
     * @throws IllegalStateException if destroyed
     */
    public byte[] sign(byte[] message, byte[] context, byte[] rnd) {
        SignatureInputs.checkSignInputs(message, context);
        return signMu(MlDsaMu.pureFromHash(tr, message, context), rnd);
    }

    /** ML-DSA.Sign_internal on the 64-byte message representative mu with a 32-byte rnd. */
    public byte[] signMu(byte[] mu, byte[] rnd) {
        SignatureInputs.checkLength(mu, MlDsaInternal.MU_LENGTH, "ML-DSA mu");
        SignatureInputs.checkLength(rnd, MlDsaInternal.RND_LENGTH, "ML-DSA rnd");
        checkLive();
        byte[] rhoPrime = MlDsaMu.shake256(64, key, rnd, mu);
        try {
            for (int attempt = 0, kappa = 0; attempt < MAX_ATTEMPTS; attempt++, kappa += p.l()) {
                byte[] signature = attempt(mu, rhoPrime, kappa);
                if (signature != null) {
                    return signature;
                }
            }
        } finally {
            Arrays.fill(rhoPrime, (byte) 0);
        }
        throw new CryptoException("ML-DSA signing found no signature in " + MAX_ATTEMPTS + " attempts: the private key is corrupt");
    }

    /** One iteration of the signing loop of algorithm 7: the signature, or null when rejected. */
    private byte[] attempt(byte[] mu, byte[] rhoPrime, int kappa) {
        int k = p.k();
        int l = p.l();
        int gamma2 = p.gamma2();
        int[][] y = MlDsaSampling.expandMask(p, rhoPrime, kappa);
        int[][] yHat = new int[l][];
        for (int j = 0; j < l; j++) {
            yHat[j] = y[j].clone();
            MlDsaPolynomials.ntt(yHat[j]);
        }
        int w1Bits = p.w1Bits();
        byte[] w1Encoded = new byte[k * MlDsaPacking.length(w1Bits)];
        int[][] w = new int[k][N];
        int[] w1 = new int[N];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < l; j++) {
                MlDsaPolynomials.multiplyAdd(w[i], a[i][j], yHat[j]);
            }
            MlDsaPolynomials.reduceAll(w[i]);
            MlDsaPolynomials.inverseNtt(w[i]);
            for (int c = 0; c < N; c++) {
                w[i][c] = MlDsaPolynomials.freeze(w[i][c]);
                w1[c] = MlDsaPolynomials.highBits(w[i][c], gamma2);
            }
            MlDsaPacking.pack(w1, w1Bits, w1Encoded, i * MlDsaPacking.length(w1Bits));
        }
        byte[] challenge = MlDsaMu.shake256(p.challengeLength(), mu, w1Encoded);
        int[] challengePoly = MlDsaSampling.sampleInBall(challenge, p.tau());
        int[] positions = new int[p.tau()];
        boolean[] negative = new boolean[p.tau()];
        for (int j = 0, t = 0; j < N; j++) {
            if (challengePoly[j] != 0) {
                positions[t] = j;
                negative[t++] = challengePoly[j] < 0;
            }
        }

        // The checks in order: z needs l challenge products, r0 k more, and ct0 k more, and each
        // rejects a share of attempts (for ML-DSA-65 about 38%, then 68% of the rest).
        int[] product = new int[N];
        int[][] z = y;
        for (int j = 0; j < l; j++) {
            MlDsaPolynomials.challengeProduct(product, positions, negative, s1[j]);
            for (int c = 0; c < N; c++) {
                z[j][c] += product[c];
            }
            if (MlDsaPolynomials.exceeds(z[j], p.gamma1() - p.beta())) {
                return null;
            }
        }
        int[][] r = w; // w - cs2, in [0, q)
        for (int i = 0; i < k; i++) {
            MlDsaPolynomials.challengeProduct(product, positions, negative, s2[i]);
            for (int c = 0; c < N; c++) {
                int v = MlDsaPolynomials.freeze(w[i][c] - product[c]);
                int r0 = MlDsaPolynomials.lowBits(v, gamma2);
                if (r0 >= gamma2 - p.beta() || -r0 >= gamma2 - p.beta()) {
                    return null;
                }
                r[i][c] = v;
            }
        }
        boolean[][] hint = new boolean[k][N];
        int ones = 0;
        int[] ct0 = product;
        for (int i = 0; i < k; i++) {
            MlDsaPolynomials.challengeProduct(ct0, positions, negative, t0[i]);
            for (int c = 0; c < N; c++) {
                if (ct0[c] >= gamma2 || -ct0[c] >= gamma2) {
                    return null;
                }
                // MakeHint(-ct0, w - cs2 + ct0): whether adding -ct0 changes the high bits
                int v = r[i][c];
                if (MlDsaPolynomials.highBits(MlDsaPolynomials.freeze(v + ct0[c]), gamma2) != MlDsaPolynomials.highBits(v, gamma2)) {
                    hint[i][c] = true;
                    ones++;
                }
            }
        }
        if (ones > p.omega()) {
            return null;
        }
        return encodeSignature(challenge, z, hint);
    }

    /** sigEncode (algorithm 26) with HintBitPack (algorithm 20). */
    private byte[] encodeSignature(byte[] challenge, int[][] z, boolean[][] hint) {
        byte[] sig = new byte[p.signatureLength()];
        System.arraycopy(challenge, 0, sig, 0, challenge.length);
        int offset = challenge.length;
        int zBits = p.zBits();
        int[] packed = new int[N];
        for (int[] zj : z) {
            for (int c = 0; c < N; c++) {
                packed[c] = p.gamma1() - zj[c];
            }
            MlDsaPacking.pack(packed, zBits, sig, offset);
            offset += MlDsaPacking.length(zBits);
        }
        int index = 0;
        for (int i = 0; i < p.k(); i++) {
            for (int c = 0; c < N; c++) {
                if (hint[i][c]) {
                    sig[offset + index++] = (byte) c;
                }
            }
            sig[offset + p.omega() + i] = (byte) index;
        }
        return sig;
    }

    /** Wipes K and the transformed secret vectors; later signing throws {@link IllegalStateException}. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
        for (int[][] vector : new int[][][] {s1, s2, t0}) {
            for (int[] poly : vector) {
                Arrays.fill(poly, 0);
            }
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "MlDsaPrivateKey[" + p.algorithm().id() + (destroyed ? ", destroyed]" : "]");
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("the " + p.algorithm().id() + " private key was destroyed and cannot sign");
        }
    }
}
