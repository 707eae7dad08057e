package io.qgate.crypto.aead;

import java.lang.foreign.MemorySegment;

/** Argument checks shared by the backends, so that both reject the same inputs with the same messages. */
final class AeadArgs {
    private AeadArgs() {
    }

    static void checkNotClosed(boolean closed, AeadAlgorithm algorithm) {
        if (closed) {
            throw new IllegalStateException(algorithm.id() + " cipher used after close(): its key has been erased");
        }
    }

    static void checkNonce(MemorySegment nonce) {
        if (nonce.byteSize() != AeadAlgorithm.NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be " + AeadAlgorithm.NONCE_LENGTH
                + " bytes, not " + nonce.byteSize());
        }
    }

    /** The aad length as an int (the EVP and JCA interfaces take int lengths). */
    static int aadLength(MemorySegment aad) {
        long n = aad.byteSize();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("associated data of " + n + " bytes is too long (at most "
                + Integer.MAX_VALUE + ")");
        }
        return (int) n;
    }

    static void checkSeal(MemorySegment buffer, int plaintextLength) {
        if (plaintextLength < 0) {
            throw new IllegalArgumentException("plaintextLength must not be negative, got " + plaintextLength);
        }
        if (plaintextLength > Integer.MAX_VALUE - AeadAlgorithm.TAG_LENGTH) {
            throw new IllegalArgumentException("plaintextLength " + plaintextLength + " leaves no room for the tag");
        }
        long needed = (long) plaintextLength + AeadAlgorithm.TAG_LENGTH;
        if (buffer.byteSize() < needed) {
            throw new IllegalArgumentException("buffer of " + buffer.byteSize() + " bytes is too short to seal "
                + plaintextLength + " bytes: it needs " + needed + " (plaintext + " + AeadAlgorithm.TAG_LENGTH
                + "-byte tag)");
        }
        checkWritable(buffer);
    }

    /**
     * Checks the caller's arguments for {@code open}. A ciphertext shorter than a tag is not a
     * caller error but a packet that cannot be authentic: the caller turns it into an
     * {@link AeadAuthenticationException} after zeroing.
     */
    static void checkOpen(MemorySegment buffer, int ciphertextLength) {
        if (ciphertextLength < 0) {
            throw new IllegalArgumentException("ciphertextLength must not be negative, got " + ciphertextLength);
        }
        if (buffer.byteSize() < ciphertextLength) {
            throw new IllegalArgumentException("buffer of " + buffer.byteSize()
                + " bytes is shorter than ciphertextLength " + ciphertextLength);
        }
        checkWritable(buffer);
    }

    private static void checkWritable(MemorySegment buffer) {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("buffer is read-only: seal and open work in place");
        }
    }

    static AeadAuthenticationException truncated(int ciphertextLength) {
        return new AeadAuthenticationException("packet of " + ciphertextLength + " bytes is shorter than the "
            + AeadAlgorithm.TAG_LENGTH + "-byte tag: not authentic");
    }

    static AeadAuthenticationException badTag(AeadAlgorithm algorithm) {
        return new AeadAuthenticationException(algorithm.id() + " tag mismatch: wrong key, nonce or associated"
            + " data, or the packet was altered");
    }

    /** Zeroes {@code buffer[0, length)} after a failed open. */
    static void wipe(MemorySegment buffer, int length) {
        buffer.asSlice(0, length).fill((byte) 0);
    }
}
