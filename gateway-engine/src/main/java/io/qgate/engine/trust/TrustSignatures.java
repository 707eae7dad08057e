package io.qgate.engine.trust;

import io.qgate.crypto.Backend;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The signatures of the trust layer: their labels and the backends that make and check them.
 *
 * <p>Every certificate and revocation list signature is over {@code label ‖ bytes} with the empty
 * FIPS 204/205 context (section 3.1): the label separates the two kinds, and each from handshake
 * signatures, as a context string would, while letting the JDK's ML-DSA (which has no context
 * parameter and verifies about 1.3x faster than Bouncy Castle's) check them. Keys are derived on
 * Bouncy Castle (liboqs cannot derive a key from its stored seed); {@link SigningIdentity} signs on
 * the fastest backend. Falcon-512 cannot sign qgate objects: its keys cannot be reloaded.
 *
 * <p>Thread-safe: the schemes are built once and are themselves thread-safe.
 */
final class TrustSignatures {
    /** Label of a certificate signature over its TBS bytes. */
    static final byte[] CERTIFICATE_CONTEXT = "qgate-v1 certificate".getBytes(StandardCharsets.US_ASCII);
    /** Label of a revocation list signature over everything before its signature. */
    static final byte[] REVOCATION_LIST_CONTEXT = "qgate-v1 revocation list".getBytes(StandardCharsets.US_ASCII);

    private static final Map<SignatureAlgorithm, SignatureScheme> SCHEMES = new EnumMap<>(SignatureAlgorithm.class);

    /** The empty FIPS 204/205 context every trust signature is made with: the label takes its place. */
    static final byte[] NO_CONTEXT = new byte[0];

    private static final Map<SignatureAlgorithm, SignatureScheme> VERIFIERS = new EnumMap<>(SignatureAlgorithm.class);

    static {
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
            if (canSign(algorithm)) {
                SCHEMES.put(algorithm, SignatureSchemes.create(Backend.BOUNCY_CASTLE, algorithm));
                VERIFIERS.put(algorithm, SignatureSchemes.create(SignatureSchemes.defaultBackend(algorithm), algorithm));
            }
        }
    }

    private TrustSignatures() {
    }

    /** Whether keys of {@code algorithm} can sign certificates and revocation lists. */
    static boolean canSign(SignatureAlgorithm algorithm) {
        return algorithm.family() != SignatureAlgorithm.Family.FALCON;
    }

    /**
     * The scheme that signs and verifies {@code algorithm} with context strings.
     *
     * @throws IllegalArgumentException for Falcon-512, naming the algorithms to use instead
     */
    static SignatureScheme scheme(SignatureAlgorithm algorithm) {
        SignatureScheme scheme = SCHEMES.get(algorithm);
        if (scheme == null) {
            throw new IllegalArgumentException(algorithm.id() + " cannot sign qgate certificates or revocation lists"
                + " because it takes no context string: use ml-dsa-65, ml-dsa-87 or slh-dsa-shake-128s");
        }
        return scheme;
    }

    /** {@code tbs ‖ u16 signature_length ‖ signature}: a signed certificate or revocation list. */
    static byte[] append(byte[] tbs, byte[] signature) {
        return ByteBuffer.allocate(tbs.length + 2 + signature.length)
            .put(tbs).putShort((short) signature.length).put(signature).array();
    }

    /** {@code label ‖ message}: what is signed, with the empty FIPS 204/205 context (section 3.1). */
    static byte[] labelled(byte[] label, byte[] message) {
        byte[] out = Arrays.copyOf(label, label.length + message.length);
        System.arraycopy(message, 0, out, label.length, message.length);
        return out;
    }

    /**
     * Whether {@code signature} signs {@code label ‖ message} with the empty context; false, never
     * an exception, for a Falcon key, a public key the backend rejects or a signature of the wrong
     * length. Verifies on the fastest backend (the JDK's ML-DSA, which verifies about 1.3x faster
     * than Bouncy Castle's; Bouncy Castle for SLH-DSA).
     */
    static boolean verifies(SignatureAlgorithm algorithm, byte[] publicKey, byte[] label, byte[] message, byte[] signature) {
        SignatureScheme scheme = VERIFIERS.get(algorithm);
        if (scheme == null) {
            return false;
        }
        try {
            return scheme.verify(publicKey, labelled(label, message), NO_CONTEXT, signature);
        } catch (InvalidPublicKeyException | IllegalArgumentException malformed) {
            return false;
        }
    }
}
