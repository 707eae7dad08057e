package io.qgate.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Comparisons whose running time depends only on the lengths compared, never on where the
 * contents first differ. Use them for tags, MACs, key confirmations and any other secret.
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** Whether {@code a} and {@code b} hold the same bytes; false (early) only when lengths differ. */
    public static boolean equals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }

    /** Whether two segments hold the same bytes; false (early) only when sizes differ. */
    public static boolean equals(MemorySegment a, MemorySegment b) {
        long n = a.byteSize();
        if (n != b.byteSize()) {
            return false;
        }
        int diff = 0;
        for (long i = 0; i < n; i++) {
            diff |= a.get(ValueLayout.JAVA_BYTE, i) ^ b.get(ValueLayout.JAVA_BYTE, i);
        }
        return diff == 0;
    }
}
