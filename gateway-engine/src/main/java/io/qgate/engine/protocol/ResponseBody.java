package io.qgate.engine.protocol;

/**
 * The body of a {@code RESPONSE} message (section 5.3 of {@code docs/PROTOCOL.md}): the
 * responder's random, the KEM ciphertext, and the sealed responder payload
 * ({@link ResponsePayload}).
 */
public record ResponseBody(byte[] random, byte[] ciphertext, byte[] sealed) {
    public ResponseBody {
        if (random.length != Protocol.RANDOM_LENGTH) {
            throw new IllegalArgumentException("random must be 32 bytes");
        }
        if (ciphertext.length < 1 || ciphertext.length > 0xFFFF || sealed.length < Protocol.TAG_LENGTH) {
            throw new IllegalArgumentException("ciphertext or sealed payload length out of range");
        }
    }

    /** The transcript bytes of this body before the sealed part (section 5.5, step 2). */
    public byte[] transcriptPrefix() {
        return new WireWriter(2 + Protocol.RANDOM_LENGTH + ciphertext.length)
                .bytes(random).u16Prefixed(ciphertext).toByteArray();
    }

    public byte[] encode() {
        return new WireWriter(Protocol.RANDOM_LENGTH + 6 + ciphertext.length + sealed.length)
                .bytes(random).u16Prefixed(ciphertext).u32Prefixed(sealed).toByteArray();
    }

    /**
     * Parses a response body for {@code suite} (whose KEM fixes the ciphertext length).
     *
     * @throws ProtocolException {@code MALFORMED_MESSAGE} if a length does not fit or match
     */
    public static ResponseBody parse(byte[] body, Suite suite) throws ProtocolException {
        WireReader in = new WireReader(body, ErrorCode.MALFORMED_MESSAGE, "response");
        byte[] random = in.bytes(Protocol.RANDOM_LENGTH, "responder random");
        int ctLength = suite.kem().ciphertextLength();
        byte[] ciphertext = in.u16Prefixed(ctLength, ctLength, "KEM ciphertext");
        byte[] sealed = in.u32Prefixed(Protocol.TAG_LENGTH, Protocol.MAX_HANDSHAKE_MESSAGE, "sealed payload");
        in.end();
        return new ResponseBody(random, ciphertext, sealed);
    }
}
