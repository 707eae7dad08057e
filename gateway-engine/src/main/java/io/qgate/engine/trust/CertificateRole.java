package io.qgate.engine.trust;

/** What a certificate's key may do: sign other certificates, or authenticate one end of a handshake (section 3.1). */
public enum CertificateRole {
    /** A self-signed trust anchor that issues gateway and client certificates. */
    ROOT(1),
    /** A gateway: the responder of a handshake, or either end of a site-to-site link. */
    GATEWAY(2),
    /** A client: the initiator of a remote-access handshake. */
    CLIENT(3);

    private final int code;

    CertificateRole(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The role with wire value {@code code}, or {@code null} if there is none. */
    public static CertificateRole fromCode(int code) {
        for (CertificateRole role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
