package io.qgate.engine.protocol;

/**
 * A protocol failure with its {@link ErrorCode}: a malformed message, a refused certificate, a
 * failed key confirmation. The message names the cause in one sentence; it never contains key
 * material.
 */
public class ProtocolException extends Exception {
    private final ErrorCode error;

    public ProtocolException(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ProtocolException(ErrorCode error) {
        this(error, error.description());
    }

    /** Why it failed. */
    public ErrorCode error() {
        return error;
    }
}
