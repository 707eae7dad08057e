package io.qgate.crypto.kem;

import io.qgate.crypto.SecretBytes;

/**
 * The result of encapsulation: the ciphertext to send to the key's owner and the shared secret
 * to keep. The caller owns {@code sharedSecret} and destroys it once the key schedule has used it.
 *
 * @param ciphertext the encapsulation, {@link KemAlgorithm#ciphertextLength()} bytes
 * @param sharedSecret the 32-byte shared secret
 */
public record KemEncapsulation(byte[] ciphertext, SecretBytes sharedSecret) {
    @Override
    public String toString() {
        return "KemEncapsulation[ciphertext " + ciphertext.length + " bytes, " + sharedSecret + "]";
    }
}
