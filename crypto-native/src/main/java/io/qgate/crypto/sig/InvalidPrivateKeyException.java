package io.qgate.crypto.sig;

import io.qgate.crypto.CryptoException;

/**
 * A private key of the right length whose content is not a valid key (for example an ML-DSA
 * key with a secret coefficient out of range). The message never contains key bytes.
 */
public final class InvalidPrivateKeyException extends CryptoException {
    public InvalidPrivateKeyException(String message) {
        super(message);
    }

    public InvalidPrivateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
