package io.qgate.crypto.sig;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.ffm.oqs.LibOqs;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@link SignatureScheme} for an algorithm on a backend.
 *
 * <p>Support: the JDK has ML-DSA only (no context strings); Bouncy Castle has every algorithm;
 * liboqs has every algorithm when it is installed. The default backend is the JDK for ML-DSA and
 * Bouncy Castle otherwise; the system property {@value #BACKEND_PROPERTY} (a backend id) overrides
 * it for every algorithm that backend supports.
 */
public final class SignatureSchemes {
    /** System property naming the preferred signature backend, such as {@code bouncycastle}. */
    public static final String BACKEND_PROPERTY = "qgate.crypto.sig.backend";

    private SignatureSchemes() {
    }

    /**
     * How the JDK backend signs ML-DSA in this JVM, in one line for {@code qgate selfcheck}: with
     * each key's matrix A and NTTs computed once (from its second signature on), or, and why,
     * decoding and expanding the key for every signature.
     */
    public static String jdkMlDsaSigning() {
        String why = !JdkMlDsa.PRECOMPUTE ? "turned off with -Dqgate.mldsa.precompute=false" : JdkMlDsaPrecomputed.unavailableReason();
        if (why == null) {
            // what a key does here: sign twice with a fresh one and look
            JdkMlDsa scheme = new JdkMlDsa(SignatureAlgorithm.ML_DSA_65);
            try (SigningKeyPair pair = scheme.generateKeyPair()) {
                byte[] message = {0};
                scheme.sign(pair.privateKey(), message, new byte[0]);
                scheme.sign(pair.privateKey(), message, new byte[0]);
                if (!(pair.privateKey().precomputed(scheme) instanceof JdkMlDsaPrecomputed)) {
                    why = "this JDK's ML-DSA key encoding or arithmetic is not JDK 25's (a precomputed key's check signature"
                        + " disagreed with the JDK's)";
                }
            }
        }
        return why == null ? "precomputed keys (matrix A and the key's NTTs once per key)"
            : "the key expanded for every signature, because " + why;
    }

    /**
     * The scheme for {@code algorithm} on {@code backend}.
     *
     * @throws BackendUnavailableException if the backend is absent or lacks the algorithm; the message names what is supported
     */
    public static SignatureScheme create(Backend backend, SignatureAlgorithm algorithm) {
        String reason = unavailableReason(backend, algorithm);
        if (reason != null) {
            throw new BackendUnavailableException(reason);
        }
        return switch (backend) {
            case JDK -> new JdkMlDsa(algorithm);
            case BOUNCY_CASTLE -> switch (algorithm.family()) {
                case ML_DSA -> new BouncyCastleMlDsa(algorithm);
                case SLH_DSA -> new BouncyCastleSlhDsa(algorithm);
                case FALCON -> new BouncyCastleFalcon();
            };
            case LIBOQS -> new LiboqsSignature(algorithm);
            case OPENSSL -> throw new BackendUnavailableException(reason(backend, algorithm));
        };
    }

    /** The scheme for {@code algorithm} on its {@link #defaultBackend default backend}. */
    public static SignatureScheme create(SignatureAlgorithm algorithm) {
        return create(defaultBackend(algorithm), algorithm);
    }

    /** Whether {@link #create} would succeed. */
    public static boolean isAvailable(Backend backend, SignatureAlgorithm algorithm) {
        return unavailableReason(backend, algorithm) == null;
    }

    /** Why {@code backend} cannot run {@code algorithm}, or null when it can. */
    public static String unavailableReason(Backend backend, SignatureAlgorithm algorithm) {
        if (!implementsAlgorithm(backend, algorithm)) {
            return reason(backend, algorithm);
        }
        if (backend == Backend.LIBOQS && !LibOqs.isAvailable()) {
            return LibOqs.unavailableReason();
        }
        return null;
    }

    /**
     * The backend used when none is named: the JDK for ML-DSA, Bouncy Castle for SLH-DSA and Falcon,
     * unless {@value #BACKEND_PROPERTY} names a backend that supports the algorithm.
     *
     * @throws IllegalArgumentException if the property names no known backend
     */
    public static Backend defaultBackend(SignatureAlgorithm algorithm) {
        String configured = System.getProperty(BACKEND_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Backend preferred = Backend.fromId(configured);
            if (isAvailable(preferred, algorithm)) {
                return preferred;
            }
        }
        return algorithm.family() == SignatureAlgorithm.Family.ML_DSA ? Backend.JDK : Backend.BOUNCY_CASTLE;
    }

    private static boolean implementsAlgorithm(Backend backend, SignatureAlgorithm algorithm) {
        return switch (backend) {
            case JDK -> algorithm.family() == SignatureAlgorithm.Family.ML_DSA;
            case BOUNCY_CASTLE, LIBOQS -> true;
            case OPENSSL -> false;
        };
    }

    private static String reason(Backend backend, SignatureAlgorithm algorithm) {
        List<String> supporting = new ArrayList<>();
        for (Backend b : Backend.values()) {
            if (implementsAlgorithm(b, algorithm)) {
                supporting.add(b.id());
            }
        }
        return "backend " + backend.id() + " has no " + algorithm.id() + " signatures: use one of "
            + String.join(", ", supporting);
    }
}
