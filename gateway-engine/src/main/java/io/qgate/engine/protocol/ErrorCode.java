package io.qgate.engine.protocol;

/**
 * Why a handshake or session failed: the codes of {@code HANDSHAKE_ERROR} and {@code CLOSE}
 * (section 10 of {@code docs/PROTOCOL.md}), each with the sentence a user reads.
 */
public enum ErrorCode {
    UNSUPPORTED_VERSION(1, "the peer speaks a protocol version this build does not"),
    UNKNOWN_MESSAGE_TYPE(2, "a message of unknown type arrived"),
    MALFORMED_MESSAGE(3, "a message was malformed (a field out of range or a length that does not fit)"),
    UNSUPPORTED_SUITE(4, "no cipher suite is acceptable to both sides"),
    DOWNGRADE_DETECTED(5, "the suite chosen is not the best both sides support (downgrade attempt)"),
    INITIATION_TOO_SHORT(6, "the initiation was too short for the response (amplification limit)"),
    CERTIFICATE_EXPIRED(7, "the certificate has expired"),
    CERTIFICATE_NOT_YET_VALID(8, "the certificate is not yet valid"),
    CERTIFICATE_REVOKED(9, "the certificate is revoked"),
    UNKNOWN_ISSUER(10, "the certificate is not issued by a trusted root"),
    WRONG_ROLE(11, "the certificate has the wrong role"),
    SUITE_NOT_PERMITTED(12, "the suite is outside the certificate's or the root's policy"),
    BAD_SIGNATURE(13, "a signature did not verify"),
    KEY_CONFIRMATION_FAILED(14, "key confirmation failed (the peer does not hold the session keys)"),
    AUTHENTICATION_REQUIRED(15, "client authentication is required but the peer offered none"),
    TIMESTAMP_OUT_OF_WINDOW(16, "the initiation timestamp is too far from this clock"),
    COOKIE_REQUIRED(17, "the responder is under load and requires a cookie"),
    HANDSHAKE_TIMEOUT(18, "the handshake did not complete in time"),
    PEER_CLOSED(19, "the peer closed the session"),
    REVOCATION_LIST_EXPIRED(20, "the revocation list has expired"),
    BAD_CERTIFICATE(21, "the certificate is malformed or has the wrong key algorithm"),
    UNEXPECTED_PEER(22, "the certificate is valid but names a peer that was not expected"),
    PEER_DEAD(23, "the peer did not answer in time"),
    KEYS_EXPIRED(24, "the session keys have expired"),
    RATE_LIMITED(25, "too many handshakes from this source");

    private static final ErrorCode[] BY_CODE = new ErrorCode[32];

    static {
        for (ErrorCode error : values()) {
            BY_CODE[error.code] = error;
        }
    }

    private final int code;
    private final String description;

    ErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The wire value (u16). */
    public int code() {
        return code;
    }

    /** One sentence (no final period) saying what went wrong. */
    public String description() {
        return description;
    }

    /** The error with wire value {@code code}, or {@code null} if there is none. */
    public static ErrorCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
