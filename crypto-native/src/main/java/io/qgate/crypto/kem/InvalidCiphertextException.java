package io.qgate.crypto.kem;

import io.qgate.crypto.CryptoException;

/**
 * A ciphertext of the right length that cannot be decapsulated: an X-Wing ciphertext whose X25519
 * part is a small-order point. (A modified ML-KEM ciphertext is not an error: FIPS 203 returns
 * the implicit-rejection key.)
 */
public final class InvalidCiphertextException extends CryptoException {
    public InvalidCiphertextException(String message, Throwable cause) {
        super(message, cause);
    }
}
