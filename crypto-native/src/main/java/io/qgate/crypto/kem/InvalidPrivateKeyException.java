package io.qgate.crypto.kem;

import io.qgate.crypto.CryptoException;

/**
 * An imported private key of the right length that is not a valid key: an ML-KEM decapsulation
 * key whose stored hash H(ek) does not match its embedded encapsulation key (FIPS 203 §7.3).
 */
public final class InvalidPrivateKeyException extends CryptoException {
    public InvalidPrivateKeyException(String message) {
        super(message);
    }

    public InvalidPrivateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
