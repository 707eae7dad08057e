package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.D;
import static io.qgate.crypto.sig.MlDsaParameters.N;
import static io.qgate.crypto.sig.MlDsaParameters.SEED_LENGTH;

import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.kdf.Shake256;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An ML-DSA public key decoded once, with what every verification under it repeats computed in
 * advance: the matrix A expanded from rho (k · l SHAKE128 rejection samplings, about half of a
 * verification), the NTT of t1 · 2^d and the key hash tr. For keys that verify many signatures,
 * such as a root that signs every client certificate.
 *
 * <p>Written from FIPS 204 (ML-DSA.Verify, algorithms 3 and 8); it accepts exactly what the
 * standard accepts, checked against the NIST ACVP and Wycheproof vectors and against the JDK's
 * ML-DSA. It holds 1 KiB per polynomial: 37 KiB for ML-DSA-65 (A has 30, t1 6).
 *
 * <p>Thread-safe: immutable after construction; each verification uses its own scratch arrays.
 */
public final class MlDsaPublicKey {
    private final MlDsaParameters p;
    private final byte[] encoded;
    private final int[][][] a;
    private final int[][] t1Hat;
    private final byte[] tr;

    private MlDsaPublicKey(MlDsaParameters p, byte[] encoded) {
        this.p = p;
        this.encoded = encoded.clone();
        this.a = MlDsaSampling.expandA(Arrays.copyOf(encoded, SEED_LENGTH), p.k(), p.l());
        this.t1Hat = new int[p.k()][N];
        for (int i = 0; i < p.k(); i++) {
            MlDsaPacking.unpack(encoded, SEED_LENGTH + i * MlDsaPacking.length(10), 10, t1Hat[i]);
            for (int j = 0; j < N; j++) {
                t1Hat[i][j] <<= D;
            }
            MlDsaPolynomials.ntt(t1Hat[i]);
            MlDsaPolynomials.reduceAll(t1Hat[i]);
        }
        this.tr = MlDsaMu.publicKeyHash(encoded);
    }

    /**
     * Decodes a raw FIPS 204 public key (pkEncode) and expands it.
     *
     * @throws IllegalArgumentException if {@code algorithm} is not ML-DSA
     * @throws InvalidPublicKeyException if the key has the wrong length for {@code algorithm}
     */
    public static MlDsaPublicKey decode(SignatureAlgorithm algorithm, byte[] publicKey) {
        MlDsaParameters p = MlDsaParameters.of(algorithm);
        SignatureInputs.checkPublicKey(algorithm, publicKey);
        return new MlDsaPublicKey(p, publicKey);
    }

    public SignatureAlgorithm algorithm() {
        return p.algorithm();
    }

    /** Whether {@code publicKey} is this key's encoding. */
    public boolean matches(byte[] publicKey) {
        return Arrays.equals(encoded, publicKey);
    }

    /**
     * Pure ML-DSA.Verify: whether {@code signature} signs {@code message} under {@code context}.
     * A signature of any wrong length or content gives false.
     *
     * @throws IllegalArgumentException if the context is longer than 255 bytes
     */
    public boolean verify(byte[] message, byte[] context, byte[] signature) {
        SignatureInputs.checkSignInputs(message, context);
        return verifyMu(MlDsaMu.pureFromHash(tr, message, context), signature);
    }

    /** ML-DSA.Verify_internal on the 64-byte message representative mu (see {@link MlDsaMu}). */
    public boolean verifyMu(byte[] mu, byte[] signature) {
        SignatureInputs.checkLength(mu, MlDsaInternal.MU_LENGTH, "ML-DSA mu");
        if (signature == null || signature.length != p.algorithm().signatureLength()) {
            return false;
        }
        int zBits = p.zBits();
        int[][] z = new int[p.l()][N];
        int offset = p.challengeLength();
        for (int j = 0; j < p.l(); j++) {
            MlDsaPacking.unpackCentred(signature, offset, zBits, p.gamma1(), z[j]);
            offset += MlDsaPacking.length(zBits);
            if (MlDsaPolynomials.exceeds(z[j], p.gamma1() - p.beta())) {
                return false;
            }
        }
        boolean[][] hint = hintUnpack(signature, offset);
        if (hint == null) {
            return false;
        }
        byte[] challenge = Arrays.copyOf(signature, p.challengeLength());
        int[] cHat = MlDsaSampling.sampleInBall(challenge, p.tau());
        MlDsaPolynomials.ntt(cHat);
        for (int j = 0; j < p.l(); j++) {
            MlDsaPolynomials.ntt(z[j]);
        }
        int w1Bits = p.w1Bits();
        byte[] w1 = new byte[p.k() * MlDsaPacking.length(w1Bits)];
        int[] w = new int[N];
        for (int i = 0; i < p.k(); i++) {
            Arrays.fill(w, 0);
            for (int j = 0; j < p.l(); j++) {
                MlDsaPolynomials.multiplyAdd(w, a[i][j], z[j]);
            }
            MlDsaPolynomials.multiplySubtract(w, cHat, t1Hat[i]);
            MlDsaPolynomials.reduceAll(w);
            MlDsaPolynomials.inverseNtt(w);
            for (int j = 0; j < N; j++) {
                w[j] = MlDsaPolynomials.useHint(hint[i][j], MlDsaPolynomials.freeze(w[j]), p.gamma2());
            }
            MlDsaPacking.pack(w, w1Bits, w1, i * MlDsaPacking.length(w1Bits));
        }
        byte[] expected = Shake256.hash(p.challengeLength(), mu, w1);
        return MessageDigest.isEqual(expected, challenge);
    }

    /** HintBitUnpack (algorithm 21), or null when the encoding is malformed. */
    private boolean[][] hintUnpack(byte[] signature, int offset) {
        int omega = p.omega();
        boolean[][] h = new boolean[p.k()][N];
        int index = 0;
        for (int i = 0; i < p.k(); i++) {
            int end = signature[offset + omega + i] & 0xff;
            if (end < index || end > omega) {
                return null;
            }
            int first = index;
            while (index < end) {
                int position = signature[offset + index] & 0xff;
                if (index > first && (signature[offset + index - 1] & 0xff) >= position) {
                    return null;
                }
                h[i][position] = true;
                index++;
            }
        }
        for (int i = index; i < omega; i++) {
            if (signature[offset + i] != 0) {
                return null;
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "MlDsaPublicKey[" + p.algorithm().id() + "]";
    }
}
