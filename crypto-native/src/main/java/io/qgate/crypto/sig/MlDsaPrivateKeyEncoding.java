package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.N;

import io.qgate.crypto.InvalidPrivateKeyException;
import java.util.Arrays;

/**
 * Checks of the FIPS 204 expanded private key encoding (skEncode: rho, K, tr, s1, s2, t0) that
 * the backends themselves skip: every coefficient of s1 and s2 must lie in [-eta, eta].
 */
final class MlDsaPrivateKeyEncoding {
    /** rho, K and tr. */
    private static final int HEADER = 32 + 32 + 64;

    private MlDsaPrivateKeyEncoding() {
    }

    /**
     * @throws IllegalArgumentException if the length is wrong
     * @throws InvalidPrivateKeyException if s1 or s2 holds a coefficient out of range
     */
    static void check(SignatureAlgorithm algorithm, byte[] expanded) {
        SignatureInputs.checkLength(expanded, algorithm.expandedPrivateKeyLength(), algorithm.id() + " expanded private key");
        MlDsaParameters p = MlDsaParameters.of(algorithm);
        int bits = p.etaBits();
        int[] coefficients = new int[N];
        int bad = 0;
        for (int i = 0; i < p.l() + p.k(); i++) {
            MlDsaPacking.unpack(expanded, HEADER + i * MlDsaPacking.length(bits), bits, coefficients);
            for (int c : coefficients) {
                bad |= (2 * p.eta() - c) >>> 31;
            }
        }
        Arrays.fill(coefficients, 0);
        if (bad != 0) {
            throw new InvalidPrivateKeyException("the " + algorithm.id()
                + " private key has a secret coefficient out of range: it is corrupt or not an ML-DSA key");
        }
    }
}
