package io.qgate.engine.protocol;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kdf.Kmac256;
import java.nio.charset.StandardCharsets;

/**
 * The key schedule of section 6 of {@code docs/PROTOCOL.md}: every secret a handshake derives
 * from the KEM shared secret and the transcript hashes, with KMAC256.
 *
 * <p>{@code Expand(secret, label, context, n) = KMAC256(secret, context, 8n, "qgate-v1 " ‖ label)}.
 */
public final class KeySchedule {
    static final String PREFIX = "qgate-v1 ";

    private KeySchedule() {
    }

    /** The customization string of {@code label}. */
    public static byte[] customization(String label) {
        return (PREFIX + label).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code Expand(secret, label, context, n)}. */
    public static byte[] expand(SecretBytes secret, String label, byte[] context, int length) {
        return Kmac256.mac(secret, context, length, customization(label));
    }

    /** {@code KMAC256(key, message, 256, "qgate-v1 " ‖ label)}: the finished MACs. */
    public static byte[] finished(SecretBytes key, String label, byte[] transcriptHash) {
        return Kmac256.mac(key, transcriptHash, Protocol.FINISHED_LENGTH, customization(label));
    }

    /**
     * The handshake secrets: {@code hs} from the shared secret and TH1, and the four keys
     * expanded from it. The shared secret is not consumed; the caller erases it.
     */
    public static HandshakeSecrets handshakeSecrets(SecretBytes sharedSecret, byte[] th1) {
        SecretBytes hs = SecretBytes.wrap(expand(sharedSecret, "handshake secret", th1, 32));
        return new HandshakeSecrets(
                SecretBytes.wrap(expand(hs, "responder handshake key", th1, 32)),
                SecretBytes.wrap(expand(hs, "initiator handshake key", th1, 32)),
                SecretBytes.wrap(expand(hs, "responder finished", th1, 32)),
                SecretBytes.wrap(expand(hs, "initiator finished", th1, 32)),
                hs);
    }

    /**
     * The traffic chains: {@code master = Expand(hs, "master", TH7)} then one chain per direction;
     * {@code master} is erased before returning, {@code hs} is not (the caller closes the secrets).
     */
    public static TrafficChains trafficChains(SecretBytes hs, byte[] th7) {
        try (SecretBytes master = SecretBytes.wrap(expand(hs, "master", th7, 32))) {
            return new TrafficChains(
                    SecretBytes.wrap(expand(master, "initiator to responder", th7, 32)),
                    SecretBytes.wrap(expand(master, "responder to initiator", th7, 32)));
        }
    }

    /**
     * The secrets of one handshake attempt: the four handshake keys and {@code hs} itself, kept
     * only until TH7 is known and the traffic chains are derived. {@link #close()} erases all.
     */
    public record HandshakeSecrets(SecretBytes responderKey, SecretBytes initiatorKey,
            SecretBytes responderFinished, SecretBytes initiatorFinished, SecretBytes handshakeSecret)
            implements AutoCloseable {
        @Override
        public void close() {
            responderKey.destroy();
            initiatorKey.destroy();
            responderFinished.destroy();
            initiatorFinished.destroy();
            handshakeSecret.destroy();
        }
    }

    /** The two directions' chain secrets {@code chain_0}. */
    public record TrafficChains(SecretBytes initiatorToResponder, SecretBytes responderToInitiator) {
    }
}
