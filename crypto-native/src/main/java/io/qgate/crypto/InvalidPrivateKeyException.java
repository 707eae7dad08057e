package io.qgate.crypto;

/**
 * A private key of the right length whose content is not a valid key: an ML-KEM decapsulation key
 * whose stored H(ek) does not match its embedded encapsulation key (FIPS 203 §7.3), an ML-DSA key
 * with a secret coefficient out of range. The message never contains key bytes.
 */
public final class InvalidPrivateKeyException extends CryptoException {
    public InvalidPrivateKeyException(String message) {
        super(message);
    }

    public InvalidPrivateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
