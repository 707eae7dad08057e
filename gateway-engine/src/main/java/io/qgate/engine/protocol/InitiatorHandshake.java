package io.qgate.engine.protocol;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kem.Kem;
import io.qgate.crypto.kem.KemKeyPair;
import io.qgate.crypto.kem.Kems;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateRole;
import java.util.Arrays;
import java.util.Set;

/**
 * One handshake attempt as initiator (section 8 of {@code docs/PROTOCOL.md}): it builds the
 * INITIATION with a fresh ephemeral KEM key, and turns the peer's RESPONSE into a CONFIRM and
 * the session's {@link Established} keys. Single-use and single-threaded; {@link #close()} erases
 * the ephemeral private key.
 *
 * <p>Randomness is drawn from the configuration's {@code SecureRandom} in a fixed order (sender
 * index, initiator random, KEM seed) so that a deterministic random reproduces the test vectors.
 */
public final class InitiatorHandshake implements AutoCloseable {
    private final HandshakeConfig config;
    private final Suite suite;
    private final String expectedPeer;
    private final Kem kem;
    private final KemKeyPair ephemeral;
    private final Initiation initiation;
    private final HandshakeMessage message;
    private boolean used;

    private InitiatorHandshake(HandshakeConfig config, Suite suite, String expectedPeer, Kem kem,
            KemKeyPair ephemeral, Initiation initiation, HandshakeMessage message) {
        this.config = config;
        this.suite = suite;
        this.expectedPeer = expectedPeer;
        this.kem = kem;
        this.ephemeral = ephemeral;
        this.initiation = initiation;
        this.message = message;
    }

    /**
     * Starts an attempt.
     *
     * @param suite the suite to try (normally our most preferred)
     * @param expectedPeer the subject the responder's certificate must name, or {@code null} for any
     *     gateway certificate the trust store accepts
     * @param cookie 16 bytes from a COOKIE_REPLY, or {@code null}
     * @param paddingLength zero bytes to pad with ({@link HandshakeSizes#initiationPadding})
     */
    public static InitiatorHandshake start(HandshakeConfig config, Suite suite, String expectedPeer, byte[] cookie,
            int paddingLength) {
        if (!config.suites().contains(suite)) {
            throw new IllegalArgumentException("suite " + suite + " is not in this side's suite list");
        }
        int senderIndex = config.newIndex();
        byte[] random = new byte[Protocol.RANDOM_LENGTH];
        config.random().nextBytes(random);
        Kem kem = Kems.create(Kems.defaultBackend(suite.kem()), suite.kem());
        byte[] seed = new byte[suite.kem().seedLength()];
        config.random().nextBytes(seed);
        KemKeyPair ephemeral;
        try {
            ephemeral = kem.deriveKeyPair(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        int flags = config.certificate() != null ? Initiation.FLAG_MUTUAL : 0;
        Initiation initiation = new Initiation(cookie == null ? new byte[Protocol.COOKIE_LENGTH] : cookie,
                config.wallClockMillis().getAsLong(), random, flags, suite, config.offeredIds(),
                ephemeral.publicKey(), paddingLength);
        HandshakeMessage message = new HandshakeMessage(MessageType.INITIATION, senderIndex, 0, initiation.encode());
        return new InitiatorHandshake(config, suite, expectedPeer, kem, ephemeral, initiation, message);
    }

    /** The INITIATION to send (fragment it with {@link Fragmenter}). */
    public HandshakeMessage initiation() {
        return message;
    }

    /** The parsed body we sent. */
    public Initiation initiationBody() {
        return initiation;
    }

    public Suite suite() {
        return suite;
    }

    /** Our index: the receiver index the RESPONSE must carry. */
    public int senderIndex() {
        return message.senderIndex();
    }

    /**
     * Verifies the responder's RESPONSE and builds our CONFIRM.
     *
     * @return the session keys and the CONFIRM message to send
     * @throws ProtocolException with the error that names why the response was refused; this
     *     attempt is then over (the caller closes it)
     */
    public Completion onResponse(HandshakeMessage response) throws ProtocolException {
        if (used) {
            throw new IllegalStateException("this handshake attempt has already processed a response");
        }
        if (response.type() != MessageType.RESPONSE || response.receiverIndex() != senderIndex()) {
            throw new ProtocolException(ErrorCode.MALFORMED_MESSAGE, "the message is not a response to this initiation");
        }
        used = true;
        ResponseBody body = ResponseBody.parse(response.body(), suite);
        Transcript transcript = new Transcript().append(message.canonical())
                .append(Arrays.copyOf(response.canonical(), Protocol.CANONICAL_HEADER_LENGTH))
                .append(body.transcriptPrefix());
        byte[] th1 = transcript.hash();
        KeySchedule.HandshakeSecrets secrets;
        try (SecretBytes shared = kem.decapsulate(ephemeral.privateKey(), body.ciphertext())) {
            secrets = KeySchedule.handshakeSecrets(shared, th1);
        } finally {
            ephemeral.close();
        }
        try (secrets) {
            ResponsePayload payload = ResponsePayload.parse(
                    HandshakeCrypto.open(suite, secrets.responderKey(), th1, body.sealed(), "responder's payload"));
            byte[] th2 = transcript.append(ResponsePayload.certificateField(payload.certificate())).hash();
            long nowSeconds = Math.floorDiv(config.wallClockMillis().getAsLong(), 1000L);
            Certificate peer = config.trust().verify(payload.certificate(), Set.of(CertificateRole.GATEWAY), suite,
                    nowSeconds);
            if (expectedPeer != null && !expectedPeer.equals(peer.subject())) {
                throw new ProtocolException(ErrorCode.UNEXPECTED_PEER, "the responder's certificate names '"
                        + peer.subject() + "', not the expected peer '" + expectedPeer + "'");
            }
            HandshakeCrypto.verifySignature(peer, th2, HandshakeCrypto.RESPONDER_SIGNATURE_CONTEXT,
                    payload.signature(), "responder's");
            byte[] th3 = transcript.append(ResponsePayload.signatureField(payload.signature())).hash();
            HandshakeCrypto.checkFinished(secrets.responderFinished(), HandshakeCrypto.RESPONDER_FINISHED, th3,
                    payload.finished());
            byte[] th4 = transcript.append(payload.finished()).hash();

            Certificate own = config.certificate();
            byte[] ownEncoded = own == null ? null : own.encoded();
            int bodyLength = HandshakeSizes.confirmBodyLength(suite, own == null ? -1 : ownEncoded.length);
            transcript.append(HandshakeCrypto.canonicalHeader(MessageType.CONFIRM, bodyLength, senderIndex(),
                    response.senderIndex())).append(ConfirmPayload.identityField(ownEncoded));
            byte[] signature = null;
            if (own != null) {
                signature = HandshakeCrypto.sign(config.identity(), HandshakeCrypto.INITIATOR_SIGNATURE_CONTEXT, transcript.hash());
                transcript.append(ResponsePayload.signatureField(signature));
            }
            byte[] th6 = transcript.hash();
            byte[] finished = KeySchedule.finished(secrets.initiatorFinished(), HandshakeCrypto.INITIATOR_FINISHED, th6);
            byte[] th7 = transcript.append(finished).hash();
            byte[] sealed = HandshakeCrypto.seal(suite, secrets.initiatorKey(), th4,
                    new ConfirmPayload(ownEncoded, signature, finished).encode());
            byte[] confirmBody = ConfirmPayload.confirmBody(sealed);
            if (confirmBody.length != bodyLength) {
                throw new IllegalStateException("confirm length " + confirmBody.length + " differs from " + bodyLength);
            }
            HandshakeMessage confirm = new HandshakeMessage(MessageType.CONFIRM, senderIndex(), response.senderIndex(),
                    confirmBody);
            Established established = new Established(suite, true, senderIndex(), response.senderIndex(), peer,
                    KeySchedule.trafficChains(secrets.handshakeSecret(), th7), th7);
            return new Completion(established, confirm);
        }
    }

    /** Erases the ephemeral private key. Idempotent. */
    @Override
    public void close() {
        ephemeral.close();
    }

    /** What a verified RESPONSE yields: the keys and the CONFIRM to send. */
    public record Completion(Established established, HandshakeMessage confirm) {
    }
}
