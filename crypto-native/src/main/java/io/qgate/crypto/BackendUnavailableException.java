package io.qgate.crypto;

/** The chosen backend is not installed here, or does not implement the requested algorithm. */
public final class BackendUnavailableException extends CryptoException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
