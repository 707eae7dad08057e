package io.qgate.crypto.sig;

/**
 * The FIPS 204 parameter sets (table 1 of section 4) and the coefficient widths they imply, for
 * {@link MlDsaPublicKey} and {@link MlDsaPrivateKeyEncoding}; the key and signature lengths are
 * {@link SignatureAlgorithm}'s.
 *
 * @param k rows of the matrix A
 * @param l columns of A
 * @param eta bound of the secret vectors' coefficients
 * @param tau number of ±1 coefficients of the challenge c
 * @param gamma1 range of the masking vector y
 * @param gamma2 low-order rounding range
 * @param omega maximum number of 1s in the hint h
 * @param challengeLength length of c~ (lambda / 4 bytes)
 */
record MlDsaParameters(SignatureAlgorithm algorithm, int k, int l, int eta, int tau, int gamma1, int gamma2,
        int omega, int challengeLength) {
    /** The modulus q = 2^23 - 2^13 + 1. */
    static final int Q = 8_380_417;
    /** Bits dropped from t (d). */
    static final int D = 13;
    static final int N = 256;
    /** Bytes of rho. */
    static final int SEED_LENGTH = 32;
    /** gamma2 of ML-DSA-44, (q - 1) / 88. */
    static final int GAMMA2_88 = (Q - 1) / 88;
    /** gamma2 of ML-DSA-65 and ML-DSA-87, (q - 1) / 32. */
    static final int GAMMA2_32 = (Q - 1) / 32;

    static MlDsaParameters of(SignatureAlgorithm algorithm) {
        return switch (algorithm) {
            case ML_DSA_44 -> new MlDsaParameters(algorithm, 4, 4, 2, 39, 1 << 17, GAMMA2_88, 80, 32);
            case ML_DSA_65 -> new MlDsaParameters(algorithm, 6, 5, 4, 49, 1 << 19, GAMMA2_32, 55, 48);
            case ML_DSA_87 -> new MlDsaParameters(algorithm, 8, 7, 2, 60, 1 << 19, GAMMA2_32, 75, 64);
            default -> throw new IllegalArgumentException(algorithm.id() + " is not ML-DSA");
        };
    }

    /** beta = tau · eta, the bound on c · s1: verification wants |z| < gamma1 - beta. */
    int beta() {
        return tau * eta;
    }

    /** Bits per coefficient of s1 and s2: bitlen(2 eta). */
    int etaBits() {
        return eta == 2 ? 3 : 4;
    }

    /** Bits per coefficient of z: 1 + bitlen(gamma1 - 1). */
    int zBits() {
        return gamma1 == 1 << 17 ? 18 : 20;
    }

    /** Bits per coefficient of w1: bitlen((q - 1) / (2 gamma2) - 1). */
    int w1Bits() {
        return gamma2 == GAMMA2_88 ? 6 : 4;
    }
}
