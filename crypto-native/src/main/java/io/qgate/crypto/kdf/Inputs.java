package io.qgate.crypto.kdf;

/**
 * Argument checks shared by the hash and key-derivation entry points, so that every one of them
 * rejects bad input with the same kind of sentence: what was wrong and what to pass instead.
 * Messages name lengths and positions only, never contents.
 */
final class Inputs {
    /** Largest output one call may request from an XOF or KMAC: 1 MiB, far beyond any key. */
    static final int MAX_XOF_OUTPUT = 1 << 20;

    private Inputs() {
    }

    static int outputLength(String function, int length, int min, int max) {
        if (length < min || length > max) {
            throw new IllegalArgumentException(function + " output length must be between " + min
                + " and " + max + " bytes, got " + length + ": request a length in that range");
        }
        return length;
    }

    static byte[] notNull(String function, String what, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException(function + " " + what
                + " is null: pass an empty array when there is none");
        }
        return value;
    }

    static byte[][] parts(String function, byte[][] parts) {
        if (parts == null) {
            throw new IllegalArgumentException(function + " input parts are null: pass at least one array");
        }
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                throw new IllegalArgumentException(function + " input part " + i
                    + " is null: pass an empty array for an empty part");
            }
        }
        return parts;
    }

    static void range(String function, byte[] array, int offset, int length) {
        notNull(function, "input", array);
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException(function + " range [" + offset + ", +" + length
                + ") lies outside an array of " + array.length + " bytes: pass an offset and length inside it");
        }
    }
}
