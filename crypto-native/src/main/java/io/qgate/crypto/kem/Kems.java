package io.qgate.crypto.kem;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.ffm.oqs.LibOqs;

/**
 * Creates {@link Kem}s. Which backend offers what:
 *
 * <table>
 * <caption>KEM support per backend</caption>
 * <tr><th>backend</th><th>ML-KEM-512/768/1024</th><th>X-Wing (x25519-ml-kem-768)</th></tr>
 * <tr><td>jdk</td><td>built-in provider</td><td>composed from JDK ML-KEM-768 and X25519</td></tr>
 * <tr><td>bouncycastle</td><td>lightweight API</td><td>Bouncy Castle's X-Wing</td></tr>
 * <tr><td>liboqs</td><td>when liboqs is installed</td><td>not offered</td></tr>
 * <tr><td>openssl</td><td>not offered</td><td>not offered</td></tr>
 * </table>
 */
public final class Kems {
    /** System property naming the default backend ({@link Backend#id()}); {@code jdk} when unset. */
    public static final String BACKEND_PROPERTY = "qgate.crypto.kem.backend";

    private Kems() {
    }

    /**
     * {@code algorithm} on {@code backend}.
     *
     * @throws BackendUnavailableException naming what is supported, if the backend does not offer it here
     */
    public static Kem create(Backend backend, KemAlgorithm algorithm) {
        String reason = unavailableReason(backend, algorithm);
        if (reason != null) {
            throw new BackendUnavailableException(reason);
        }
        return switch (backend) {
            case JDK -> algorithm.isMlKem() ? new JdkMlKem(algorithm) : new ComposedXWing(new JdkMlKem(KemAlgorithm.ML_KEM_768));
            case BOUNCY_CASTLE -> algorithm.isMlKem() ? new BcMlKem(algorithm) : new BcXWing();
            case LIBOQS -> new OqsMlKem(algorithm);
            case OPENSSL -> throw new BackendUnavailableException(reason);
        };
    }

    /** {@code algorithm} on {@link #defaultBackend(KemAlgorithm) its default backend}. */
    public static Kem create(KemAlgorithm algorithm) {
        return create(defaultBackend(algorithm), algorithm);
    }

    /** Whether {@link #create} would succeed. */
    public static boolean isAvailable(Backend backend, KemAlgorithm algorithm) {
        return unavailableReason(backend, algorithm) == null;
    }

    /** Why {@code algorithm} is not available on {@code backend}, in one sentence; null when it is. */
    public static String unavailableReason(Backend backend, KemAlgorithm algorithm) {
        return switch (backend) {
            case JDK, BOUNCY_CASTLE -> null;
            case OPENSSL -> "the openssl backend offers no KEM (OpenSSL 3.0 has no ML-KEM):"
                + " use the jdk, bouncycastle or liboqs backend for " + algorithm.id();
            case LIBOQS -> !algorithm.isMlKem()
                ? "the liboqs backend does not offer " + algorithm.id() + " (X-Wing):"
                    + " use the jdk or bouncycastle backend, or ml-kem-512/768/1024 on liboqs"
                : LibOqs.isAvailable() ? null : LibOqs.unavailableReason();
        };
    }

    /**
     * The backend named by the system property {@value #BACKEND_PROPERTY}; without it, the fastest
     * here by JMH ({@code docs/PERFORMANCE.md}): the JDK for ML-KEM (1.3x to 1.9x faster than
     * Bouncy Castle), Bouncy Castle for X-Wing (about 2x faster than the JDK composition, whose
     * cost is the JDK's X25519).
     *
     * @throws IllegalArgumentException if the property names no backend
     */
    public static Backend defaultBackend(KemAlgorithm algorithm) {
        String configured = System.getProperty(BACKEND_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Backend.fromId(configured);
        }
        return algorithm.isMlKem() ? Backend.JDK : Backend.BOUNCY_CASTLE;
    }
}
