package io.qgate.engine.protocol;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.trust.Certificate;

/**
 * Message sizes the amplification rule needs (section 7 of {@code docs/PROTOCOL.md}): how long a
 * RESPONSE is, the longest it can be, and how much an initiator must pad so that 3× its
 * initiation covers the response.
 */
public final class HandshakeSizes {
    private HandshakeSizes() {
    }

    /** The RESPONSE body length for a responder certificate of {@code certificateLength} bytes. */
    public static int responseBodyLength(Suite suite, int certificateLength) {
        int payload = 2 + certificateLength + 2 + suite.signature().signatureLength() + Protocol.FINISHED_LENGTH;
        return Protocol.RANDOM_LENGTH + 2 + suite.kem().ciphertextLength() + 4 + payload + Protocol.TAG_LENGTH;
    }

    /** The CONFIRM body length, with an initiator certificate of that length or none ({@code -1}). */
    public static int confirmBodyLength(Suite suite, int certificateLength) {
        int payload = 1 + Protocol.FINISHED_LENGTH
                + (certificateLength < 0 ? 0 : 2 + certificateLength + 2 + suite.signature().signatureLength());
        return 4 + payload + Protocol.TAG_LENGTH;
    }

    /** Bytes on the wire of a message with a body of {@code bodyLength}, fragment headers included. */
    public static int datagramBytes(int bodyLength) {
        return Fragmenter.datagramBytes(bodyLength, Protocol.MAX_HANDSHAKE_DATAGRAM);
    }

    /** The largest RESPONSE on the wire for a responder whose root signs with {@code rootAlgorithm}. */
    public static int maxResponseBytes(Suite suite, SignatureAlgorithm rootAlgorithm) {
        return datagramBytes(responseBodyLength(suite, Certificate.maxEncodedLength(suite.signature(), rootAlgorithm)));
    }

    /**
     * The padding an initiation of {@code suite} offering {@code offeredCount} suites needs so that
     * its datagrams carry at least a third of {@code responseBytes}.
     */
    public static int initiationPadding(Suite suite, int offeredCount, int responseBytes) {
        int needed = (responseBytes + Protocol.AMPLIFICATION_FACTOR - 1) / Protocol.AMPLIFICATION_FACTOR;
        int unpadded = Initiation.unpaddedLength(suite, offeredCount);
        int padding = 0;
        while (datagramBytes(unpadded + padding) < needed) {
            padding += Math.max(1, needed - datagramBytes(unpadded + padding));
        }
        return Math.min(padding, Protocol.MAX_HANDSHAKE_MESSAGE - unpadded);
    }
}
