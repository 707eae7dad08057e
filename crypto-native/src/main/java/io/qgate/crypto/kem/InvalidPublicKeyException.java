package io.qgate.crypto.kem;

import io.qgate.crypto.CryptoException;

/**
 * A public key of the right length that is not a valid key: an ML-KEM encapsulation key that
 * fails the FIPS 203 modulus check, or an X25519 key of small order (all-zero shared secret).
 */
public final class InvalidPublicKeyException extends CryptoException {
    public InvalidPublicKeyException(String message) {
        super(message);
    }

    public InvalidPublicKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
