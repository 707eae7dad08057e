package io.qgate.crypto.sig;

import io.qgate.crypto.InvalidPrivateKeyException;

/**
 * Checks of the FIPS 204 expanded private key encoding (skEncode: rho, K, tr, s1, s2, t0) that
 * the backends themselves skip: every coefficient of s1 and s2 must lie in [-eta, eta].
 */
final class MlDsaPrivateKeyEncoding {
    private static final int HEADER = 32 + 32 + 64;
    private static final int COEFFICIENTS = 256;

    private MlDsaPrivateKeyEncoding() {
    }

    /**
     * @throws IllegalArgumentException if the length is wrong
     * @throws InvalidPrivateKeyException if s1 or s2 holds a coefficient out of range
     */
    static void check(SignatureAlgorithm algorithm, byte[] expanded) {
        SignatureInputs.checkLength(expanded, algorithm.expandedPrivateKeyLength(), algorithm.id() + " expanded private key");
        int eta;
        int vectors;
        switch (algorithm) {
            case ML_DSA_44 -> { eta = 2; vectors = 4 + 4; }
            case ML_DSA_65 -> { eta = 4; vectors = 5 + 6; }
            case ML_DSA_87 -> { eta = 2; vectors = 7 + 8; }
            default -> throw new IllegalArgumentException(algorithm.id() + " is not ML-DSA");
        }
        int bits = eta == 2 ? 3 : 4;
        int count = vectors * COEFFICIENTS;
        int bad = 0;
        long buffer = 0;
        int buffered = 0;
        int offset = HEADER;
        for (int i = 0; i < count; i++) {
            while (buffered < bits) {
                buffer |= (long) (expanded[offset++] & 0xff) << buffered;
                buffered += 8;
            }
            int c = (int) (buffer & ((1 << bits) - 1));
            buffer >>>= bits;
            buffered -= bits;
            bad |= (2 * eta - c) >>> 31;
        }
        if (bad != 0) {
            throw new InvalidPrivateKeyException("the " + algorithm.id()
                + " private key has a secret coefficient out of range: it is corrupt or not an ML-DSA key");
        }
    }
}
