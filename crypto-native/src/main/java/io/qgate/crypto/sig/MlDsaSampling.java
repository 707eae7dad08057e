package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.N;
import static io.qgate.crypto.sig.MlDsaParameters.Q;

import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * The pseudorandom sampling of FIPS 204 section 7.3 on SHAKE (Bouncy Castle's Keccak as a
 * library): ExpandA with RejNTTPoly (algorithms 32 and 30) and SampleInBall (29).
 * Stateless and thread-safe.
 */
final class MlDsaSampling {
    private static final int SHAKE128_RATE = 168;
    private static final int SHAKE256_RATE = 136;

    private MlDsaSampling() {
    }

    /** The matrix A-hat (k × l polynomials, already in the NTT domain, coefficients in [0, q)) from rho. */
    static int[][][] expandA(byte[] rho, int k, int l) {
        int[][][] a = new int[k][l][];
        byte[] seed = new byte[rho.length + 2];
        System.arraycopy(rho, 0, seed, 0, rho.length);
        byte[] block = new byte[SHAKE128_RATE];
        for (int r = 0; r < k; r++) {
            for (int s = 0; s < l; s++) {
                seed[rho.length] = (byte) s;
                seed[rho.length + 1] = (byte) r;
                SHAKEDigest shake = new SHAKEDigest(128);
                shake.update(seed, 0, seed.length);
                a[r][s] = rejectionNttPoly(shake, block);
            }
        }
        return a;
    }

    /** RejNTTPoly: 3-byte little-endian candidates with the top bit cleared, kept when below q. */
    private static int[] rejectionNttPoly(SHAKEDigest shake, byte[] block) {
        int[] poly = new int[N];
        int j = 0;
        while (j < N) {
            shake.doOutput(block, 0, block.length);
            for (int i = 0; i + 3 <= block.length && j < N; i += 3) {
                int z = (block[i] & 0xff) | (block[i + 1] & 0xff) << 8 | (block[i + 2] & 0x7f) << 16;
                if (z < Q) {
                    poly[j++] = z;
                }
            }
        }
        return poly;
    }

    /** SampleInBall(c~): the challenge, tau coefficients of ±1 and the rest 0. */
    static int[] sampleInBall(byte[] challenge, int tau) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(challenge, 0, challenge.length);
        byte[] block = new byte[SHAKE256_RATE];
        shake.doOutput(block, 0, block.length);
        long signs = 0;
        for (int i = 0; i < 8; i++) {
            signs |= (long) (block[i] & 0xff) << (8 * i);
        }
        int position = 8;
        int[] c = new int[N];
        for (int i = N - tau; i < N; i++) {
            int j;
            do {
                if (position == block.length) {
                    shake.doOutput(block, 0, block.length);
                    position = 0;
                }
                j = block[position++] & 0xff;
            } while (j > i);
            c[i] = c[j];
            c[j] = 1 - 2 * (int) (signs & 1);
            signs >>>= 1;
        }
        return c;
    }
}
