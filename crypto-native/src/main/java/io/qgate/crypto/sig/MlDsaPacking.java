package io.qgate.crypto.sig;

import static io.qgate.crypto.sig.MlDsaParameters.N;

/**
 * The bit packing of FIPS 204 section 7.1 (SimpleBitPack, BitUnpack and their kin, algorithms 16
 * to 19): 256 coefficients of {@code bits} bits each, least significant bit first. Callers map
 * signed ranges to unsigned ones (BitPack encodes b - w). Stateless and thread-safe.
 */
final class MlDsaPacking {
    private MlDsaPacking() {
    }

    /** Writes 256 values, each in [0, 2^bits), as {@code 32 · bits} bytes at {@code offset}. */
    static void pack(int[] values, int bits, byte[] out, int offset) {
        long buffer = 0;
        int buffered = 0;
        int o = offset;
        for (int j = 0; j < N; j++) {
            buffer |= (long) values[j] << buffered;
            buffered += bits;
            while (buffered >= 8) {
                out[o++] = (byte) buffer;
                buffer >>>= 8;
                buffered -= 8;
            }
        }
    }

    /** Reads 256 values of {@code bits} bits each from {@code 32 · bits} bytes at {@code offset}. */
    static void unpack(byte[] in, int offset, int bits, int[] values) {
        long buffer = 0;
        int buffered = 0;
        int i = offset;
        int mask = (1 << bits) - 1;
        for (int j = 0; j < N; j++) {
            while (buffered < bits) {
                buffer |= (long) (in[i++] & 0xff) << buffered;
                buffered += 8;
            }
            values[j] = (int) buffer & mask;
            buffer >>>= bits;
            buffered -= bits;
        }
    }

    /** BitUnpack with range [-a, b]: b - v for each packed value v. */
    static void unpackCentred(byte[] in, int offset, int bits, int b, int[] values) {
        unpack(in, offset, bits, values);
        for (int j = 0; j < N; j++) {
            values[j] = b - values[j];
        }
    }

    /** Bytes of one packed polynomial. */
    static int length(int bits) {
        return N * bits / 8;
    }
}
