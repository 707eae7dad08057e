package io.qgate.engine.protocol;

import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.kem.Kem;
import io.qgate.crypto.kem.KemEncapsulation;
import io.qgate.crypto.kem.Kems;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateRole;
import java.util.Arrays;
import java.util.Set;

/**
 * One handshake as responder (section 8 of {@code docs/PROTOCOL.md}). {@link #check} refuses an
 * initiation cheaply (suite, downgrade, timestamp, authentication policy) before any public-key
 * work; {@link #respond} encapsulates, signs and builds the RESPONSE, returning the pending state
 * that {@link #onConfirm} completes. Single-threaded; {@link #close()} erases the handshake keys.
 *
 * <p>Randomness is drawn in a fixed order (responder index, responder random, encapsulation
 * randomness) so that a deterministic random reproduces the test vectors.
 */
public final class ResponderHandshake implements AutoCloseable {
    private final HandshakeConfig config;
    private final Suite suite;
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiatorWillAuthenticate;
    private final KeySchedule.HandshakeSecrets secrets;
    private final Transcript transcript;
    private final byte[] th4;
    private final HandshakeMessage response;
    private boolean done;

    private ResponderHandshake(HandshakeConfig config, Suite suite, int localIndex, int remoteIndex,
            boolean initiatorWillAuthenticate, KeySchedule.HandshakeSecrets secrets, Transcript transcript,
            byte[] th4, HandshakeMessage response) {
        this.config = config;
        this.suite = suite;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.initiatorWillAuthenticate = initiatorWillAuthenticate;
        this.secrets = secrets;
        this.transcript = transcript;
        this.th4 = th4;
        this.response = response;
    }

    /**
     * The cheap checks of section 8, responder step 1 (without rate limit, cookie and
     * amplification, which need the datagram's source and are the caller's).
     *
     * @return the parsed initiation
     * @throws ProtocolException {@code MALFORMED_MESSAGE}, {@code UNSUPPORTED_SUITE} (the
     *     message's detail is our preferred offered suite, see {@link #preferredOffered}),
     *     {@code DOWNGRADE_DETECTED}, {@code TIMESTAMP_OUT_OF_WINDOW} or {@code AUTHENTICATION_REQUIRED}
     */
    public static Initiation check(HandshakeConfig config, HandshakeMessage message) throws ProtocolException {
        if (config.certificate() == null) {
            throw new IllegalStateException("a responder needs a gateway certificate and its key");
        }
        if (message.type() != MessageType.INITIATION || message.receiverIndex() != 0) {
            throw WireReader.malformed("an initiation must have type 1 and receiver index 0");
        }
        Initiation initiation = Initiation.parse(message.body());
        Suite chosen = initiation.chosenSuite();
        Suite preferred = config.preferredAmong(initiation.offeredSuites());
        if (!config.suites().contains(chosen)) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_SUITE, preferred == null
                    ? "none of the offered suites is acceptable here"
                    : "suite " + chosen + " is not accepted here; " + preferred + " is");
        }
        if (preferred != chosen) {
            throw new ProtocolException(ErrorCode.DOWNGRADE_DETECTED, "the initiation chose " + chosen
                    + " although it offers " + preferred + ", which both sides prefer");
        }
        long window = config.timestampWindowMillis();
        if (window > 0 && Math.abs(config.wallClockMillis().getAsLong() - initiation.timestampMillis()) > window) {
            throw new ProtocolException(ErrorCode.TIMESTAMP_OUT_OF_WINDOW, "the initiation's timestamp is more than "
                    + window / 1000 + " s from this clock (replayed, or a clock is wrong)");
        }
        if (config.requireClientAuthentication() && !initiation.mutual()) {
            throw new ProtocolException(ErrorCode.AUTHENTICATION_REQUIRED,
                    "this gateway requires client certificates but the initiator offered none");
        }
        return initiation;
    }

    /** Our preferred suite among those an initiation offers, or {@code null}: the UNSUPPORTED_SUITE detail. */
    public static Suite preferredOffered(HandshakeConfig config, Initiation initiation) {
        return config.preferredAmong(initiation.offeredSuites());
    }

    /** The RESPONSE's length on the wire, known before any public-key work (for the amplification check). */
    public static int responseBytes(HandshakeConfig config, Suite suite) {
        return HandshakeSizes.datagramBytes(HandshakeSizes.responseBodyLength(suite, config.certificate().encoded().length));
    }

    /**
     * Encapsulates to the initiator's ephemeral key, signs and MACs the transcript and builds the
     * RESPONSE. The initiation must have passed {@link #check}.
     *
     * @throws ProtocolException {@code MALFORMED_MESSAGE} if the ephemeral key fails the KEM's
     *     public-key check
     */
    public static ResponderHandshake respond(HandshakeConfig config, HandshakeMessage message, Initiation initiation)
            throws ProtocolException {
        Suite suite = initiation.chosenSuite();
        int localIndex = config.newIndex();
        byte[] random = new byte[Protocol.RANDOM_LENGTH];
        config.random().nextBytes(random);
        byte[] coins = new byte[suite.kem().encapsulationRandomnessLength()];
        config.random().nextBytes(coins);
        Kem kem = Kems.create(Kems.defaultBackend(suite.kem()), suite.kem());
        KemEncapsulation encapsulation;
        try {
            encapsulation = kem.encapsulate(initiation.ephemeralKey(), coins);
        } catch (InvalidPublicKeyException e) {
            throw WireReader.malformed("the initiator's ephemeral key fails the " + suite.kem().id() + " key check");
        } finally {
            Arrays.fill(coins, (byte) 0);
        }
        byte[] certificate = config.certificate().encoded();
        int bodyLength = HandshakeSizes.responseBodyLength(suite, certificate.length);
        byte[] header = HandshakeCrypto.canonicalHeader(MessageType.RESPONSE, bodyLength, localIndex,
                message.senderIndex());
        byte[] prefix = new WireWriter(2 + Protocol.RANDOM_LENGTH + encapsulation.ciphertext().length)
                .bytes(random).u16Prefixed(encapsulation.ciphertext()).toByteArray();
        Transcript transcript = new Transcript().append(message.canonical()).append(header).append(prefix);
        byte[] th1 = transcript.hash();
        KeySchedule.HandshakeSecrets secrets;
        try (var shared = encapsulation.sharedSecret()) {
            secrets = KeySchedule.handshakeSecrets(shared, th1);
        }
        byte[] th2 = transcript.append(ResponsePayload.certificateField(certificate)).hash();
        byte[] signature = HandshakeCrypto.sign(config.identity(), HandshakeCrypto.RESPONDER_SIGNATURE_CONTEXT, th2);
        byte[] th3 = transcript.append(ResponsePayload.signatureField(signature)).hash();
        byte[] finished = KeySchedule.finished(secrets.responderFinished(), HandshakeCrypto.RESPONDER_FINISHED, th3);
        byte[] th4 = transcript.append(finished).hash();
        byte[] sealed = HandshakeCrypto.seal(suite, secrets.responderKey(), th1,
                new ResponsePayload(certificate, signature, finished).encode());
        byte[] body = new ResponseBody(random, encapsulation.ciphertext(), sealed).encode();
        if (body.length != bodyLength) {
            secrets.close();
            throw new IllegalStateException("response length " + body.length + " differs from " + bodyLength);
        }
        HandshakeMessage response = new HandshakeMessage(MessageType.RESPONSE, localIndex, message.senderIndex(), body);
        return new ResponderHandshake(config, suite, localIndex, message.senderIndex(), initiation.mutual(), secrets,
                transcript, th4, response);
    }

    /** The RESPONSE to send. */
    public HandshakeMessage response() {
        return response;
    }

    /** Our index for this session: CONFIRM and data packets carry it as receiver index. */
    public int localIndex() {
        return localIndex;
    }

    public int remoteIndex() {
        return remoteIndex;
    }

    public Suite suite() {
        return suite;
    }

    /**
     * Verifies the initiator's CONFIRM: key confirmation and, in mutual mode, its certificate and
     * signature.
     *
     * @throws ProtocolException naming why; the pending state is then spent (the caller closes it)
     */
    public Established onConfirm(HandshakeMessage confirm) throws ProtocolException {
        if (done) {
            throw new IllegalStateException("this handshake has already processed a confirm");
        }
        if (confirm.type() != MessageType.CONFIRM || confirm.receiverIndex() != localIndex
                || confirm.senderIndex() != remoteIndex) {
            throw WireReader.malformed("the message is not the confirm of this handshake");
        }
        done = true;
        try (secrets) {
            byte[] sealed = ConfirmPayload.sealedOfConfirmBody(confirm.body());
            ConfirmPayload payload = ConfirmPayload.parse(
                    HandshakeCrypto.open(suite, secrets.initiatorKey(), th4, sealed, "initiator's confirm"));
            if (payload.authenticated() != initiatorWillAuthenticate) {
                throw new ProtocolException(payload.authenticated() ? ErrorCode.MALFORMED_MESSAGE
                        : ErrorCode.AUTHENTICATION_REQUIRED,
                        "the confirm's authentication does not match the initiation's flag");
            }
            transcript.append(Arrays.copyOf(confirm.canonical(), Protocol.CANONICAL_HEADER_LENGTH))
                    .append(ConfirmPayload.identityField(payload.certificate()));
            Certificate peer = null;
            if (payload.authenticated()) {
                long nowSeconds = Math.floorDiv(config.wallClockMillis().getAsLong(), 1000L);
                peer = config.trust().verify(payload.certificate(),
                        Set.of(CertificateRole.CLIENT, CertificateRole.GATEWAY), suite, nowSeconds);
                HandshakeCrypto.verifySignature(peer, transcript.hash(),
                        HandshakeCrypto.INITIATOR_SIGNATURE_CONTEXT, payload.signature(), "initiator's");
                transcript.append(ResponsePayload.signatureField(payload.signature()));
            } else if (config.requireClientAuthentication()) {
                throw new ProtocolException(ErrorCode.AUTHENTICATION_REQUIRED,
                        "this gateway requires client certificates but the initiator sent none");
            }
            HandshakeCrypto.checkFinished(secrets.initiatorFinished(), HandshakeCrypto.INITIATOR_FINISHED,
                    transcript.hash(), payload.finished());
            byte[] th7 = transcript.append(payload.finished()).hash();
            return new Established(suite, false, localIndex, remoteIndex, peer,
                    KeySchedule.trafficChains(secrets.handshakeSecret(), th7), th7);
        }
    }

    /** Erases the handshake keys. Idempotent. */
    @Override
    public void close() {
        done = true;
        secrets.close();
    }
}
