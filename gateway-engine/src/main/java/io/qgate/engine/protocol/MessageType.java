package io.qgate.engine.protocol;

/** The first byte of every datagram (section 4 of {@code docs/PROTOCOL.md}). */
public enum MessageType {
    INITIATION(1),
    RESPONSE(2),
    CONFIRM(3),
    DATA(4),
    COOKIE_REPLY(5),
    HANDSHAKE_ERROR(6),
    CLOSE(7);

    private static final MessageType[] BY_CODE = new MessageType[8];

    static {
        for (MessageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** Whether datagrams of this type are handshake fragments (section 5.1). */
    public boolean isFragmented() {
        return this == INITIATION || this == RESPONSE || this == CONFIRM;
    }

    /** The type with wire value {@code code}, or {@code null} if there is none. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
