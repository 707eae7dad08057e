package io.qgate.engine.protocol;

/**
 * The sealed part of a {@code CONFIRM} (C in section 5.4 of {@code docs/PROTOCOL.md}): in mutual
 * mode the initiator's certificate and its signature over TH5, always its finished MAC over TH6.
 * The CONFIRM body itself is just {@code u32 sealed_length ‖ sealed}.
 *
 * @param certificate the initiator's certificate, or {@code null} when it does not authenticate
 * @param signature its signature, {@code null} exactly when {@code certificate} is
 */
public record ConfirmPayload(byte[] certificate, byte[] signature, byte[] finished) {
    public ConfirmPayload {
        if ((certificate == null) != (signature == null)) {
            throw new IllegalArgumentException("certificate and signature come together");
        }
        if (certificate != null && (certificate.length < 1 || certificate.length > 0xFFFF || signature.length < 1
                || signature.length > 0xFFFF)) {
            throw new IllegalArgumentException("a certificate and a signature are 1 to 65535 bytes each, as parse requires");
        }
        if (finished.length != Protocol.FINISHED_LENGTH) {
            throw new IllegalArgumentException("finished must be 32 bytes");
        }
    }

    public boolean authenticated() {
        return certificate != null;
    }

    /** Transcript step 6 after the header: the flag and, if authenticated, the certificate field. */
    public static byte[] identityField(byte[] certificate) {
        WireWriter out = new WireWriter(3 + (certificate == null ? 0 : certificate.length));
        out.u8(certificate == null ? 0 : 1);
        if (certificate != null) {
            out.u16Prefixed(certificate);
        }
        return out.toByteArray();
    }

    public byte[] encode() {
        WireWriter out = new WireWriter(64 + (authenticated() ? certificate.length + signature.length : 0));
        out.u8(authenticated() ? 1 : 0);
        if (authenticated()) {
            out.u16Prefixed(certificate).u16Prefixed(signature);
        }
        return out.bytes(finished).toByteArray();
    }

    /** @throws ProtocolException {@code MALFORMED_MESSAGE} if a field does not fit */
    public static ConfirmPayload parse(byte[] plaintext) throws ProtocolException {
        WireReader in = new WireReader(plaintext, ErrorCode.MALFORMED_MESSAGE, "confirm payload");
        int authenticated = in.u8("authenticated flag");
        WireReader.checkRange(authenticated, 0, 1, "authenticated flag");
        byte[] certificate = null;
        byte[] signature = null;
        if (authenticated == 1) {
            certificate = in.u16Prefixed(1, 0xFFFF, "initiator certificate");
            signature = in.u16Prefixed(1, 0xFFFF, "initiator signature");
        }
        byte[] finished = in.bytes(Protocol.FINISHED_LENGTH, "initiator finished");
        in.end();
        return new ConfirmPayload(certificate, signature, finished);
    }

    /** The CONFIRM body around a sealed payload. */
    public static byte[] confirmBody(byte[] sealed) {
        return new WireWriter(4 + sealed.length).u32Prefixed(sealed).toByteArray();
    }

    /** The sealed payload inside a CONFIRM body. */
    public static byte[] sealedOfConfirmBody(byte[] body) throws ProtocolException {
        WireReader in = new WireReader(body, ErrorCode.MALFORMED_MESSAGE, "confirm");
        byte[] sealed = in.u32Prefixed(Protocol.TAG_LENGTH, Protocol.MAX_HANDSHAKE_MESSAGE, "sealed payload");
        in.end();
        return sealed;
    }
}
