package io.qgate.crypto.kem;

import io.qgate.crypto.KeyErasure;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import javax.security.auth.Destroyable;

/**
 * A KEM decapsulation key on one backend.
 *
 * <p>It holds its material in {@link SecretBytes}: the key generation seed when the key was
 * generated or derived here (d||z for ML-KEM, the 32-byte seed for X-Wing), and for ML-KEM the
 * expanded FIPS 203 decapsulation key dk. It also holds the backend's own key object (a JDK
 * {@code PrivateKey}, a Bouncy Castle parameter object, liboqs bytes), which {@link #destroy()}
 * destroys too. It never prints key material.
 *
 * <p>Thread-safety: any number of threads may decapsulate with one key at the same time; the
 * owner must not destroy it while another thread still uses it.
 */
public final class KemPrivateKey implements Destroyable, AutoCloseable {
    private final KemAlgorithm algorithm;
    private final Backend backend;
    private final SecretBytes seed;
    private final SecretBytes encoded;
    private final Object backendKey;
    private volatile boolean destroyed;

    /**
     * @param seed the key generation seed, or null when the key was imported without one
     * @param encoded the form {@link Kem#importPrivateKey} accepts: dk for ML-KEM, the seed for X-Wing
     * @param backendKey the backend's key object; destroyed with this key when it is
     *     {@link Destroyable} or {@link AutoCloseable}
     */
    KemPrivateKey(KemAlgorithm algorithm, Backend backend, SecretBytes seed, SecretBytes encoded, Object backendKey) {
        this.algorithm = algorithm;
        this.backend = backend;
        this.seed = seed;
        this.encoded = encoded;
        this.backendKey = backendKey;
    }

    public KemAlgorithm algorithm() {
        return algorithm;
    }

    /** The backend whose {@link Kem} made or imported this key; only that backend can use it. */
    public Backend backend() {
        return backend;
    }

    /** Whether this key holds its key generation seed (it does unless it was imported expanded). */
    public boolean hasSeed() {
        return seed != null;
    }

    /**
     * The key generation seed (d||z for ML-KEM, 32 bytes for X-Wing), the compact form to store.
     * The returned object belongs to this key and is wiped when it is destroyed.
     *
     * @throws IllegalStateException if the key was imported in expanded form or is destroyed
     */
    public SecretBytes seed() {
        checkLive();
        if (seed == null) {
            throw new IllegalStateException(algorithm.id() + " private key was imported in expanded form and holds no seed;"
                + " store its encoded() form instead");
        }
        return seed;
    }

    /**
     * The encoding {@link Kem#importPrivateKey} accepts: the expanded FIPS 203 decapsulation key dk
     * for ML-KEM, the 32-byte seed for X-Wing. It belongs to this key and is wiped when it is destroyed.
     */
    public SecretBytes encoded() {
        checkLive();
        return encoded;
    }

    /** The backend's key object, for the backend that made it. */
    <T> T backendKey(Class<T> type) {
        checkLive();
        return type.cast(backendKey);
    }

    @Override
    public void destroy() {
        destroyed = true;
        if (seed != null) {
            seed.destroy();
        }
        encoded.destroy();
        KeyErasure.destroyBackendKey(backendKey);
    }


    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}, for try-with-resources. */
    @Override
    public void close() {
        destroy();
    }

    void checkLive() {
        if (destroyed) {
            throw new IllegalStateException(algorithm.id() + " private key was used after it was destroyed");
        }
    }

    @Override
    public String toString() {
        return "KemPrivateKey[" + algorithm.id() + ", " + backend.id() + (seed != null ? ", with seed" : ", expanded")
            + (destroyed ? ", destroyed]" : "]");
    }
}
