package io.qgate.engine.control;

/** Why an {@link Endpoint} dropped a datagram: each reason has a counter ({@link Endpoint#dropped(Drop)}). */
public enum Drop {
    TOO_SHORT,
    UNKNOWN_TYPE,
    UNSUPPORTED_VERSION,
    UNKNOWN_RECEIVER,
    DATA_REJECTED,
    RATE_LIMITED,
    COOKIE_REQUIRED,
    /** An initiation without a cookie under load, when the cookie-reply budget of the second was spent. */
    COOKIE_BUDGET,
    FRAGMENT_REJECTED,
    HANDSHAKE_REFUSED,
    AMPLIFICATION_LIMIT,
    PENDING_FULL,
    UNEXPECTED_HANDSHAKE_MESSAGE,
    MALFORMED_CONTROL,
    STAGED_OVERFLOW
}
