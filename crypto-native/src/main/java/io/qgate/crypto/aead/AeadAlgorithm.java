package io.qgate.crypto.aead;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The AEAD algorithms of qgate's data plane. Both take a 256-bit key and a 96-bit nonce and
 * produce a 128-bit tag, so the packet layout does not depend on the choice.
 */
public enum AeadAlgorithm {
    /** AES-256 in Galois/Counter Mode (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag. */
    AES_256_GCM("aes-256-gcm"),
    /** ChaCha20-Poly1305 (RFC 8439). */
    CHACHA20_POLY1305("chacha20-poly1305");

    /** Key length in bytes, for both algorithms. */
    public static final int KEY_LENGTH = 32;
    /** Nonce length in bytes, for both algorithms; qgate's protocol fixes it. */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bytes, for both algorithms; the tag follows the ciphertext in a packet. */
    public static final int TAG_LENGTH = 16;

    private final String id;

    AeadAlgorithm(String id) {
        this.id = id;
    }

    /** The name used in configuration files and on the command line, such as {@code aes-256-gcm}. */
    public String id() {
        return id;
    }

    /**
     * Parses a configuration name such as {@code chacha20-poly1305} (case and surrounding spaces ignored).
     *
     * @throws IllegalArgumentException naming the valid ids if {@code id} is none of them
     */
    public static AeadAlgorithm fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (AeadAlgorithm a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown AEAD algorithm '" + id + "': use one of "
            + Arrays.stream(values()).map(AeadAlgorithm::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
