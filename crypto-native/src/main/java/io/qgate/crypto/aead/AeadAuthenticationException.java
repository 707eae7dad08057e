package io.qgate.crypto.aead;

import io.qgate.crypto.CryptoException;

/**
 * A packet failed authentication: its tag does not match, or it is too short to hold one.
 * Whoever sent it does not hold the key or the packet was altered, so the data plane drops it.
 *
 * <p>When this is thrown, {@link AeadCipher#open} has already zeroed the packet's bytes, so no
 * unauthenticated plaintext is ever released.
 *
 * <p>The exception carries no stack trace: it is expected input from the network, its origin is
 * always {@code open}, and an attacker sending forged packets should not make the receiver
 * spend time walking the stack.
 */
public final class AeadAuthenticationException extends CryptoException {
    public AeadAuthenticationException(String message) {
        super(message);
    }

    /** No stack trace: see the class comment. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
