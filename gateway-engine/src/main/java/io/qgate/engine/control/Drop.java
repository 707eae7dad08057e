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
    /**
     * The peer's CONFIRM of a handshake it started while ours with it was still running, refused
     * because ours goes on (section 8: of two crossing handshakes, the one started by the side
     * whose certificate subject sorts first is kept).
     */
    HANDSHAKE_COLLISION,
    HANDSHAKE_REFUSED,
    AMPLIFICATION_LIMIT,
    PENDING_FULL,
    UNEXPECTED_HANDSHAKE_MESSAGE,
    MALFORMED_CONTROL,
    STAGED_OVERFLOW
}
