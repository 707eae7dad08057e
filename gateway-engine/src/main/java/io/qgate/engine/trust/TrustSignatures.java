package io.qgate.engine.trust;

import io.qgate.crypto.Backend;
import io.qgate.crypto.InvalidPublicKeyException;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The signatures of the trust layer: their context strings and the backend that makes them.
 *
 * <p>Every certificate and revocation list signature carries a context string (section 3), so the
 * backend must support FIPS 204/205 contexts: the JDK's ML-DSA has none, and liboqs cannot derive
 * a key from its stored seed, so the trust layer signs and verifies on Bouncy Castle. Falcon-512
 * takes no context string at all and cannot sign qgate objects.
 *
 * <p>Thread-safe: the schemes are built once and are themselves thread-safe.
 */
final class TrustSignatures {
    /** Context of a certificate signature over its TBS bytes. */
    static final byte[] CERTIFICATE_CONTEXT = "qgate-v1 certificate".getBytes(StandardCharsets.US_ASCII);
    /** Context of a revocation list signature over everything before its signature. */
    static final byte[] REVOCATION_LIST_CONTEXT = "qgate-v1 revocation list".getBytes(StandardCharsets.US_ASCII);

    private static final Map<SignatureAlgorithm, SignatureScheme> SCHEMES = new EnumMap<>(SignatureAlgorithm.class);

    static {
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
            if (canSign(algorithm)) {
                SCHEMES.put(algorithm, SignatureSchemes.create(Backend.BOUNCY_CASTLE, algorithm));
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

    /**
     * Whether {@code signature} signs {@code message} under {@code context}; false, never an
     * exception, for a Falcon key or a public key the backend rejects.
     */
    static boolean verifies(SignatureAlgorithm algorithm, byte[] publicKey, byte[] context, byte[] message, byte[] signature) {
        SignatureScheme scheme = SCHEMES.get(algorithm);
        if (scheme == null) {
            return false;
        }
        try {
            return scheme.verify(publicKey, message, context, signature);
        } catch (InvalidPublicKeyException malformed) {
            return false;
        }
    }
}
