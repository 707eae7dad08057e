package io.qgate.engine.protocol;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadAuthenticationException;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.SigningIdentity;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The AEAD and signature steps both handshake roles share (sections 5.3 to 5.5). */
final class HandshakeCrypto {
    static final byte[] RESPONDER_SIGNATURE_CONTEXT = ascii("qgate-v1 responder signature");
    static final byte[] INITIATOR_SIGNATURE_CONTEXT = ascii("qgate-v1 initiator signature");
    static final String RESPONDER_FINISHED = "responder finished";
    static final String INITIATOR_FINISHED = "initiator finished";
    private static final byte[] ZERO_NONCE = new byte[12];

    private HandshakeCrypto() {
    }

    /**
     * The backend for handshake messages. Each handshake key seals or opens a single message, so
     * what costs is creating and closing the cipher, not the bulk data: create, seal 8.7 KB and
     * close take about 2 µs with the JDK and about 70 µs with OpenSSL, mostly closing the shared
     * arena of its scratch buffers, which synchronises with every thread
     * ({@code docs/PERFORMANCE.md}, section Handshake).
     */
    static final Backend AEAD_BACKEND = Backend.JDK;

    /** Seals a handshake payload under a single-use key with the all-zero nonce. */
    static byte[] seal(Suite suite, SecretBytes key, byte[] transcriptHash, byte[] plaintext) {
        byte[] buffer = Arrays.copyOf(plaintext, plaintext.length + Protocol.TAG_LENGTH);
        try (AeadCipher aead = Aeads.create(AEAD_BACKEND, suite.aead(), key)) {
            aead.seal(MemorySegment.ofArray(ZERO_NONCE), MemorySegment.ofArray(transcriptHash),
                    MemorySegment.ofArray(buffer), plaintext.length);
        }
        return buffer;
    }

    /** Opens a sealed handshake payload, or fails with {@code KEY_CONFIRMATION_FAILED}. */
    static byte[] open(Suite suite, SecretBytes key, byte[] transcriptHash, byte[] sealed, String what)
            throws ProtocolException {
        byte[] buffer = sealed.clone();
        try (AeadCipher aead = Aeads.create(AEAD_BACKEND, suite.aead(), key)) {
            int length = aead.open(MemorySegment.ofArray(ZERO_NONCE), MemorySegment.ofArray(transcriptHash),
                    MemorySegment.ofArray(buffer), buffer.length);
            return Arrays.copyOf(buffer, length);
        } catch (AeadAuthenticationException e) {
            throw new ProtocolException(ErrorCode.KEY_CONFIRMATION_FAILED,
                    "the " + what + " did not decrypt: the peer does not hold the handshake keys");
        }
    }

    /** Signs a transcript hash under {@code label} (section 5.3: {@code label ‖ TH}, empty context). */
    static byte[] sign(SigningIdentity identity, byte[] label, byte[] transcriptHash) {
        return identity.sign(transcriptHash, label);
    }

    /** Verifies {@code certificate}'s signature over a transcript hash, or fails with {@code BAD_SIGNATURE}. */
    static void verifySignature(Certificate certificate, byte[] transcriptHash, byte[] label, byte[] signature,
            String who) throws ProtocolException {
        if (!certificate.verifiesSignature(transcriptHash, label, signature)) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE,
                    "the " + who + " signature over the handshake transcript did not verify");
        }
    }

    /** Fails with {@code KEY_CONFIRMATION_FAILED} unless {@code received} is the expected finished MAC. */
    static void checkFinished(SecretBytes key, String label, byte[] transcriptHash, byte[] received)
            throws ProtocolException {
        byte[] expected = KeySchedule.finished(key, label, transcriptHash);
        try {
            if (!io.qgate.crypto.ConstantTime.equals(expected, received)) {
                throw new ProtocolException(ErrorCode.KEY_CONFIRMATION_FAILED,
                        "the " + label + " MAC did not verify: key confirmation failed");
            }
        } finally {
            Arrays.fill(expected, (byte) 0);
        }
    }

    /** The 12-byte canonical header of a message (section 5.1). */
    static byte[] canonicalHeader(MessageType type, int bodyLength, int senderIndex, int receiverIndex) {
        return new WireWriter(Protocol.CANONICAL_HEADER_LENGTH).u8(type.code()).u8(Protocol.VERSION)
                .u16(bodyLength).u32(senderIndex).u32(receiverIndex).toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
