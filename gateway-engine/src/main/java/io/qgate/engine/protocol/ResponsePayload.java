package io.qgate.engine.protocol;

/**
 * The sealed part of a {@code RESPONSE} (R in section 5.3 of {@code docs/PROTOCOL.md}): the
 * responder's certificate, its signature over TH2 and its finished MAC over TH3.
 */
public record ResponsePayload(byte[] certificate, byte[] signature, byte[] finished) {
    public ResponsePayload {
        if (certificate.length < 1 || certificate.length > 0xFFFF || signature.length < 1
                || signature.length > 0xFFFF || finished.length != Protocol.FINISHED_LENGTH) {
            throw new IllegalArgumentException("response payload field length out of range");
        }
    }

    public byte[] encode() {
        return new WireWriter(6 + certificate.length + signature.length + finished.length)
                .u16Prefixed(certificate).u16Prefixed(signature).bytes(finished).toByteArray();
    }

    /** Transcript step 3: the length-prefixed certificate. */
    public static byte[] certificateField(byte[] certificate) {
        return new WireWriter(2 + certificate.length).u16Prefixed(certificate).toByteArray();
    }

    /** Transcript step 4 (and 7): the length-prefixed signature. */
    public static byte[] signatureField(byte[] signature) {
        return new WireWriter(2 + signature.length).u16Prefixed(signature).toByteArray();
    }

    /** @throws ProtocolException {@code MALFORMED_MESSAGE} if a length does not fit */
    public static ResponsePayload parse(byte[] plaintext) throws ProtocolException {
        WireReader in = new WireReader(plaintext, ErrorCode.MALFORMED_MESSAGE, "response payload");
        byte[] certificate = in.u16Prefixed(1, 0xFFFF, "responder certificate");
        byte[] signature = in.u16Prefixed(1, 0xFFFF, "responder signature");
        byte[] finished = in.bytes(Protocol.FINISHED_LENGTH, "responder finished");
        in.end();
        return new ResponsePayload(certificate, signature, finished);
    }
}
