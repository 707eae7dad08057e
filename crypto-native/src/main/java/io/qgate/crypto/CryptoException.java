package io.qgate.crypto;

/** Base of every error that qgate's cryptographic layer reports. Messages never contain secrets. */
public class CryptoException extends RuntimeException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
