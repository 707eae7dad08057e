package io.qgate.crypto.aead;

import io.qgate.crypto.Backend;
import java.util.Objects;

/**
 * Which backend seals and opens each AEAD algorithm's packets: the fastest one differs by
 * algorithm ({@link Aeads#defaultBackends()}), or one backend is named for all.
 */
@FunctionalInterface
public interface AeadBackends {
    /** The backend for {@code algorithm}. */
    Backend backendFor(AeadAlgorithm algorithm);

    /** {@code backend} for every algorithm. */
    static AeadBackends only(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        return algorithm -> backend;
    }
}
