package io.qgate.crypto.aead;

import io.qgate.crypto.Backend;
import java.lang.foreign.MemorySegment;

/**
 * An AEAD cipher bound to one key, sealing and opening packets in place.
 *
 * <h2>Packet layout</h2>
 * The data-plane layout: the ciphertext immediately followed by the
 * {@value AeadAlgorithm#TAG_LENGTH}-byte tag, in one buffer. {@link #seal} turns
 * {@code buffer[0, n)} of plaintext into {@code buffer[0, n + 16)} of ciphertext and tag;
 * {@link #open} turns it back. The nonce ({@value AeadAlgorithm#NONCE_LENGTH} bytes) and the
 * associated data are separate segments, never encrypted. Any of the three may be a heap segment
 * ({@link MemorySegment#ofArray(byte[])}) or a native one; the buffer must be writable.
 *
 * <h2>Threads</h2>
 * An instance is <b>not thread-safe</b>: it is used by one thread at a time (it may move between
 * threads with a happens-before hand-over, as through a queue). Give each worker its own cipher
 * for the same key; they are cheap.
 *
 * <h2>Nonces</h2>
 * The caller provides a nonce that is never repeated under the same key (for example a packet
 * counter); the cipher cannot check that. Reusing one breaks confidentiality and, for both
 * algorithms, lets an attacker forge packets. The JDK backend additionally refuses to seal twice
 * in a row with the same nonce ({@link IllegalArgumentException}).
 *
 * <h2>Lifetime</h2>
 * {@link #close()} erases the key; every later call throws {@link IllegalStateException}.
 */
public interface AeadCipher extends AutoCloseable {
    /**
     * Encrypts {@code buffer[0, plaintextLength)} in place and writes the tag right after it.
     *
     * @param nonce exactly {@value AeadAlgorithm#NONCE_LENGTH} bytes, never reused with this key
     * @param aad the associated data, authenticated but not encrypted; may be empty
     * @param buffer holds the plaintext at offset 0 and has room for the tag after it
     * @param plaintextLength how many bytes to encrypt, 0 or more
     * @return {@code plaintextLength + 16}, the length of ciphertext and tag
     * @throws IllegalArgumentException if the nonce is not 12 bytes, {@code plaintextLength} is
     *     negative, the buffer is shorter than {@code plaintextLength + 16} or read-only; the
     *     buffer is left untouched
     * @throws IllegalStateException after {@link #close()}
     * @throws io.qgate.crypto.CryptoException if the backend fails
     */
    int seal(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int plaintextLength);

    /**
     * Verifies and decrypts {@code buffer[0, ciphertextLength)} (ciphertext then tag) in place.
     *
     * @param nonce the 12-byte nonce the packet was sealed with
     * @param aad the associated data it was sealed with
     * @param buffer holds ciphertext and tag at offset 0; on success its first
     *     {@code ciphertextLength - 16} bytes hold the plaintext and the tag bytes are left as they were
     * @param ciphertextLength the length of ciphertext and tag together
     * @return {@code ciphertextLength - 16}, the plaintext length
     * @throws AeadAuthenticationException if the tag does not match (wrong key, nonce or aad, or
     *     altered data), or {@code ciphertextLength} is less than 16; {@code buffer[0,
     *     ciphertextLength)} has then been zeroed, so no unauthenticated plaintext is left in it
     * @throws IllegalArgumentException if the nonce is not 12 bytes, {@code ciphertextLength} is
     *     negative or larger than the buffer, or the buffer is read-only; the buffer is left untouched
     * @throws IllegalStateException after {@link #close()}
     * @throws io.qgate.crypto.CryptoException if the backend fails otherwise (buffer zeroed)
     */
    int open(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int ciphertextLength);

    /** What {@link #openOrReject} returns for a packet that does not authenticate. */
    int REJECTED = -1;

    /**
     * {@link #open}, except that a tag that does not match (or a {@code ciphertextLength} below 16)
     * returns {@link #REJECTED} instead of throwing, with {@code buffer[0, ciphertextLength)} zeroed
     * the same way. For the data path, where forged packets are routine: the OpenSSL backend
     * allocates nothing for them; the JDK backend still allocates inside SunJCE.
     *
     * @return the plaintext length, or {@link #REJECTED}
     * @throws IllegalArgumentException, IllegalStateException, io.qgate.crypto.CryptoException as {@link #open}
     */
    default int openOrReject(MemorySegment nonce, MemorySegment aad, MemorySegment buffer, int ciphertextLength) {
        try {
            return open(nonce, aad, buffer, ciphertextLength);
        } catch (AeadAuthenticationException rejected) {
            return REJECTED;
        }
    }

    /** The algorithm this cipher runs. */
    AeadAlgorithm algorithm();

    /** The backend that implements it ({@link Backend#JDK} or {@link Backend#OPENSSL}). */
    Backend backend();

    /**
     * Erases the key and releases native resources. Idempotent. Later {@link #seal} and
     * {@link #open} calls throw {@link IllegalStateException}.
     */
    @Override
    void close();
}
