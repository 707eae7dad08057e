package io.qgate.crypto.aead;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.ffm.openssl.LibCrypto;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Creates {@link AeadCipher}s on a chosen backend and says which backends can run here.
 *
 * <p>Two backends implement AEAD: {@link Backend#JDK} (SunJCE, always present) and
 * {@link Backend#OPENSSL} (libcrypto through FFM, when installed). Both produce identical
 * ciphertexts and tags for the same key, nonce, associated data and plaintext, so the two ends
 * of a tunnel may use different backends.
 */
public final class Aeads {
    /** System property that names one backend for every algorithm: {@code jdk} or {@code openssl}. */
    public static final String BACKEND_PROPERTY = "qgate.crypto.aead.backend";

    private Aeads() {
    }

    /**
     * A cipher bound to a copy of {@code key}; the caller keeps ownership of {@code key} and may
     * destroy it right away.
     *
     * @throws IllegalArgumentException if the key is not {@value AeadAlgorithm#KEY_LENGTH} bytes
     * @throws BackendUnavailableException if {@code backend} does not implement AEAD, or is not
     *     installed here; the message says which backends do and why this one is missing
     * @throws IllegalStateException if {@code key} has been destroyed
     */
    public static AeadCipher create(Backend backend, AeadAlgorithm algorithm, SecretBytes key) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        String reason = unavailableReason(backend);
        if (reason != null) {
            throw new BackendUnavailableException(reason);
        }
        if (key.length() != AeadAlgorithm.KEY_LENGTH) {
            throw new IllegalArgumentException(algorithm.id() + " needs a " + AeadAlgorithm.KEY_LENGTH
                + "-byte key, not " + key.length() + " bytes");
        }
        return switch (backend) {
            case JDK -> new JdkAeadCipher(algorithm, key.copy());
            case OPENSSL -> new OpenSslAeadCipher(LibCrypto.get(), algorithm, key.bytes());
            default -> throw new AssertionError(backend);
        };
    }

    /** Whether {@code backend} implements AEAD and can run here. */
    public static boolean isAvailable(Backend backend) {
        return unavailableReason(backend) == null;
    }

    /** Why {@code backend} cannot create AEAD ciphers here, or null when it can. */
    public static String unavailableReason(Backend backend) {
        return switch (Objects.requireNonNull(backend, "backend")) {
            case JDK -> JdkCheck.REASON;
            case OPENSSL -> LibCrypto.isAvailable() ? null
                : "the openssl AEAD backend is unavailable: " + LibCrypto.unavailableReason();
            default -> "the " + backend.id() + " backend does not implement AEAD: use "
                + Backend.JDK.id() + " or " + Backend.OPENSSL.id();
        };
    }

    /**
     * The backend for {@code algorithm} when configuration does not name one.
     *
     * <p>The system property {@value #BACKEND_PROPERTY} ({@code jdk} or {@code openssl}) wins for
     * every algorithm; a backend named there that is not available is an error, not a silent
     * fallback. Otherwise the fastest here (docs/PERFORMANCE.md, "AEAD"): AES-256-GCM on the JDK
     * when it runs without the JCA ({@link JdkAesGcm}: the JDK's AES-GCM intrinsics, nothing
     * allocated per packet), ChaCha20-Poly1305 and the JCA's AES-256-GCM on OpenSSL, and the JDK
     * when OpenSSL is not installed.
     *
     * @throws IllegalArgumentException if the property names no AEAD backend
     * @throws BackendUnavailableException if the property names a backend that is not available
     */
    public static Backend defaultBackend(AeadAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        Backend configured = configuredBackend();
        if (configured != null) {
            return configured;
        }
        if (algorithm == AeadAlgorithm.AES_256_GCM && JdkAesGcm.unavailableReason() == null) {
            return Backend.JDK;
        }
        return isAvailable(Backend.OPENSSL) ? Backend.OPENSSL : Backend.JDK;
    }

    /**
     * {@link #defaultBackend(AeadAlgorithm)} for every algorithm, with {@value #BACKEND_PROPERTY}
     * checked now, so that a wrong value stops a gateway at start rather than at its first session.
     * {@link JdkAesGcm}'s once-per-JVM check (about 0.1 s) runs now too, not in the first handshake.
     *
     * @throws IllegalArgumentException if the property names no AEAD backend
     * @throws BackendUnavailableException if the property names a backend that is not available
     */
    public static AeadBackends defaultBackends() {
        Backend configured = configuredBackend();
        if (configured != null) {
            return AeadBackends.only(configured);
        }
        JdkAesGcm.unavailableReason(); // the check, now
        return Aeads::defaultBackend;
    }

    /**
     * How the JDK backend runs AES-256-GCM here, for {@code qgate selfcheck}: without the JCA
     * ({@link JdkAesGcm}), or through it and why.
     */
    public static String jdkAesGcm() {
        String reason = JdkAesGcm.unavailableReason();
        return reason == null ? "without the JCA (the JDK's AES-GCM intrinsics, nothing allocated per packet)"
            : "through the JCA (about 1 KB allocated per packet), because " + reason;
    }

    /** The backend {@value #BACKEND_PROPERTY} names, checked, or null when it is not set. */
    private static Backend configuredBackend() {
        String configured = System.getProperty(BACKEND_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return null;
        }
        Backend backend;
        try {
            backend = Backend.fromId(configured);
        } catch (IllegalArgumentException e) {
            backend = null;
        }
        if (backend != Backend.JDK && backend != Backend.OPENSSL) {
            throw new IllegalArgumentException(BACKEND_PROPERTY + "='" + configured
                + "' is not an AEAD backend: use " + Backend.JDK.id() + " or " + Backend.OPENSSL.id());
        }
        String reason = unavailableReason(backend);
        if (reason != null) {
            throw new BackendUnavailableException(BACKEND_PROPERTY + "=" + configured + ": " + reason);
        }
        return backend;
    }

    /** Whether SunJCE offers both transformations, checked once. */
    private static final class JdkCheck {
        static final String REASON = check();

        private static String check() {
            for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
                try {
                    JdkAeadCipher.newCipher(algorithm);
                } catch (GeneralSecurityException e) {
                    return "the jdk AEAD backend is unavailable: provider " + JdkAeadCipher.PROVIDER + " has no "
                        + JdkAeadCipher.transformation(algorithm) + " (" + e.getMessage() + ")";
                }
            }
            return null;
        }
    }
}
