package io.qgate.crypto;

/**
 * A public key (or a public value such as an X-Wing ciphertext's X25519 part) that is not a valid
 * encoding for its algorithm: wrong content for its length, an ML-KEM key failing the FIPS 203
 * modulus check, an X25519 point of small order. The message never contains key bytes.
 */
public final class InvalidPublicKeyException extends CryptoException {
    public InvalidPublicKeyException(String message) {
        super(message);
    }

    public InvalidPublicKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
