package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.GAMMA2_32;
import static io.qgate.crypto.sig.MlDsaParameters.GAMMA2_88;
import static io.qgate.crypto.sig.MlDsaParameters.N;
import static io.qgate.crypto.sig.MlDsaParameters.Q;

/**
 * Arithmetic on ML-DSA polynomials (256 coefficients mod q), written from FIPS 204 sections 7.4
 * and 7.5: the number-theoretic transform and its inverse (algorithms 41 and 42), Montgomery
 * multiplication, and Decompose, HighBits, LowBits and UseHint (algorithms 36 to 38 and 40), as
 * verification needs them.
 *
 * <p>Domains: products of NTT-domain polynomials use Montgomery reduction (R = 2^32), so a
 * pointwise product carries a factor R^-1; {@link #inverseNtt} multiplies by R/256 and so undoes
 * it. Every function is stateless and thread-safe; arrays are the caller's.
 */
final class MlDsaPolynomials {
    /** q^-1 mod 2^32. */
    private static final int Q_INVERSE = inverseModPowerOfTwo(Q);
    /** zeta^BitRev8(m) · 2^32 mod q, with zeta = 1753 the 512th root of unity of FIPS 204 (appendix B). */
    private static final int[] ZETAS = zetas();
    /** 2^64 / 256 mod q: the 1/256 of the inverse transform together with the R that cancels a pointwise R^-1. */
    private static final int INVERSE_SCALE = (int) powMod(2, 56);

    private MlDsaPolynomials() {
    }

    /** a · 2^-32 mod q, in (-q, q), for |a| < 2^31 · q. */
    static int montgomery(long a) {
        int t = (int) a * Q_INVERSE;
        return (int) ((a - (long) t * Q) >> 32);
    }

    /** A representative of a mod q in about [-0.75 q, 0.75 q], for |a| < 2^31 - 2^22. */
    static int reduce(int a) {
        int t = (a + (1 << 22)) >> 23;
        return a - t * Q;
    }

    /** a mod q in [0, q), for a in (-q, 2^31 - 2^22). */
    static int freeze(int a) {
        int r = reduce(a);
        return r + ((r >> 31) & Q);
    }

    /** In place: the NTT of a polynomial whose coefficients are below q in absolute value; outputs below 9q. */
    static void ntt(int[] w) {
        int m = 0;
        for (int len = 128; len >= 1; len >>= 1) {
            for (int start = 0; start < N; start += 2 * len) {
                long zeta = ZETAS[++m];
                for (int j = start; j < start + len; j++) {
                    int t = montgomery(zeta * w[j + len]);
                    w[j + len] = w[j] - t;
                    w[j] = w[j] + t;
                }
            }
        }
    }

    /**
     * In place: the inverse NTT times R, for inputs below q in absolute value (reduce sums of
     * products first); outputs lie in (-q, q).
     */
    static void inverseNtt(int[] w) {
        int m = N;
        for (int len = 1; len < N; len <<= 1) {
            for (int start = 0; start < N; start += 2 * len) {
                long zeta = -ZETAS[--m];
                for (int j = start; j < start + len; j++) {
                    int t = w[j];
                    w[j] = t + w[j + len];
                    w[j + len] = montgomery(zeta * (t - w[j + len]));
                }
            }
        }
        for (int j = 0; j < N; j++) {
            w[j] = montgomery((long) INVERSE_SCALE * w[j]);
        }
    }

    /** acc += a ∘ b (NTT domain, with the Montgomery factor R^-1). */
    static void multiplyAdd(int[] acc, int[] a, int[] b) {
        for (int j = 0; j < N; j++) {
            acc[j] += montgomery((long) a[j] * b[j]);
        }
    }

    /** acc -= a ∘ b (NTT domain, with the Montgomery factor R^-1). */
    static void multiplySubtract(int[] acc, int[] a, int[] b) {
        for (int j = 0; j < N; j++) {
            acc[j] -= montgomery((long) a[j] * b[j]);
        }
    }

    /** In place: every coefficient reduced with {@link #reduce}. */
    static void reduceAll(int[] w) {
        for (int j = 0; j < N; j++) {
            w[j] = reduce(w[j]);
        }
    }

    /**
     * The unadjusted high part of r in [0, q): the r1 with r = r1 · 2 gamma2 + r0 and r0 in
     * (-gamma2, gamma2], which is floor((r + gamma2 - 1) / (2 gamma2)). Dividing by a constant
     * lets the JIT multiply instead; r1 = (q - 1) / (2 gamma2) is the wrap-around case of
     * algorithm 36.
     */
    private static int quotient(int r, int gamma2) {
        return gamma2 == GAMMA2_32 ? (r + GAMMA2_32 - 1) / (2 * GAMMA2_32) : (r + GAMMA2_88 - 1) / (2 * GAMMA2_88);
    }

    /** HighBits(r) for r in [0, q) (algorithm 37, with Decompose of algorithm 36). */
    private static int highBits(int r, int gamma2) {
        int r1 = quotient(r, gamma2);
        return r1 == (Q - 1) / (2 * gamma2) ? 0 : r1;
    }

    /** LowBits(r) for r in [0, q) (algorithm 38, with Decompose of algorithm 36). */
    private static int lowBits(int r, int gamma2) {
        int r1 = quotient(r, gamma2);
        int r0 = r - r1 * 2 * gamma2;
        return r1 == (Q - 1) / (2 * gamma2) ? r0 - 1 : r0;
    }

    /** UseHint(h, r) for r in [0, q) (algorithm 40). */
    static int useHint(boolean hint, int r, int gamma2) {
        int m = (Q - 1) / (2 * gamma2);
        int r1 = highBits(r, gamma2);
        if (!hint) {
            return r1;
        }
        int r0 = lowBits(r, gamma2);
        return r0 > 0 ? (r1 + 1) % m : (r1 - 1 + m) % m;
    }

    /** Whether any coefficient, each already centred (|w| < q / 2), has |w| ≥ bound: the infinity-norm check. */
    static boolean exceeds(int[] w, int bound) {
        for (int j = 0; j < N; j++) {
            int c = w[j];
            if (c >= bound || -c >= bound) {
                return true;
            }
        }
        return false;
    }

    private static int[] zetas() {
        int[] z = new int[N];
        for (int m = 0; m < N; m++) {
            int reversed = Integer.reverse(m) >>> 24;
            z[m] = (int) ((powMod(1753, reversed) << 32) % Q);
        }
        return z;
    }

    private static long powMod(long base, int exponent) {
        long result = 1;
        long b = base % Q;
        for (int e = exponent; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result = result * b % Q;
            }
            b = b * b % Q;
        }
        return result;
    }

    private static int inverseModPowerOfTwo(int odd) {
        int inverse = odd; // correct to 3 bits; each Newton step doubles that
        for (int i = 0; i < 5; i++) {
            inverse *= 2 - odd * inverse;
        }
        return inverse;
    }
}
