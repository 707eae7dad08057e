package io.qgate.crypto.sig;

import io.qgate.crypto.CryptoException;

/** A public key that is not a valid encoding for its algorithm (wrong length or malformed content). */
public final class InvalidPublicKeyException extends CryptoException {
    public InvalidPublicKeyException(String message) {
        super(message);
    }

    public InvalidPublicKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
