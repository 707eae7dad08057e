package io.qgate.engine.control;

import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateRole;
import java.util.HexFormat;

/**
 * What a session keeps of the certificate its peer proved in the handshake: its subject, serial,
 * role and end of validity. The certificate itself (some 5 KiB of ML-DSA public key and signature,
 * plus its encoding) is not kept: a gateway with 10,000 sessions would hold 100 MiB of them, and
 * nothing after the handshake needs more than these fields (the next handshake verifies a fresh
 * certificate).
 *
 * @param serial the certificate's serial (a copy)
 * @param notAfter end of validity, seconds since the epoch
 */
public record PeerIdentity(String subject, byte[] serial, CertificateRole role, long notAfter) {
    /** The identity of {@code certificate}, or null for none (an anonymous peer). */
    static PeerIdentity of(Certificate certificate) {
        return certificate == null ? null
            : new PeerIdentity(certificate.subject(), certificate.serial().clone(), certificate.role(), certificate.notAfter());
    }

    /** The serial in hex, as {@code qgate cert show} prints it. */
    public String serialHex() {
        return HexFormat.of().formatHex(serial);
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + subject + ", serial " + serialHex() + ", " + role + "]";
    }
}
