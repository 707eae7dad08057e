package io.qgate.crypto.kdf;

/**
 * The string encodings of NIST SP 800-185, section 2.3: {@code left_encode}, {@code right_encode},
 * {@code encode_string} and {@code bytepad}, for lengths that fit in a {@code long}.
 */
final class Sp800185 {
    /** The cSHAKE256/KMAC256 rate in bytes, the {@code w} of {@code bytepad}. */
    static final int RATE_256 = 136;

    private Sp800185() {
    }

    static byte[] leftEncode(long value) {
        int n = byteCount(value);
        byte[] out = new byte[n + 1];
        out[0] = (byte) n;
        writeBigEndian(value, out, 1, n);
        return out;
    }

    static byte[] rightEncode(long value) {
        int n = byteCount(value);
        byte[] out = new byte[n + 1];
        writeBigEndian(value, out, 0, n);
        out[n] = (byte) n;
        return out;
    }

    /**
     * {@code bytepad(encode_string(key), w)}: the first block(s) KMAC absorbs. The result holds
     * the key, so the caller wipes it.
     */
    static byte[] bytepadEncodedString(byte[] key, int w) {
        byte[] encodedW = leftEncode(w);
        byte[] encodedBits = leftEncode(key.length * 8L);
        int used = encodedW.length + encodedBits.length + key.length;
        byte[] out = new byte[(used + w - 1) / w * w];
        System.arraycopy(encodedW, 0, out, 0, encodedW.length);
        System.arraycopy(encodedBits, 0, out, encodedW.length, encodedBits.length);
        System.arraycopy(key, 0, out, encodedW.length + encodedBits.length, key.length);
        return out;
    }

    private static int byteCount(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("SP 800-185 encodings take non-negative values, got " + value);
        }
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8);
    }

    private static void writeBigEndian(long value, byte[] out, int offset, int n) {
        for (int i = 0; i < n; i++) {
            out[offset + i] = (byte) (value >>> (8 * (n - 1 - i)));
        }
    }
}
