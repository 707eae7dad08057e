package io.qgate.crypto.sig;

import io.qgate.crypto.KeyErasure;
import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.Destroyable;

/**
 * A private signing key bound to one algorithm and one backend.
 *
 * <p>It holds the key material in {@link SecretBytes} (the key-generation seed where there is one,
 * otherwise the expanded private key) and the backend's own key object. {@link #destroy()} wipes
 * both; afterwards every use fails. It never prints its contents.
 *
 * <p>Thread safety: signing from many threads at once is allowed; destroying while another thread
 * signs is not.
 */
public final class SigningKey implements Destroyable, AutoCloseable {
    private final SignatureAlgorithm algorithm;
    private final Backend backend;
    private final SecretBytes material;
    private final boolean materialIsSeed;
    private final Object backendKey;
    /** What the backend computed once from the key to sign faster (see {@link #precomputed}); null until then. */
    private final AtomicReference<Destroyable> precomputed = new AtomicReference<>();
    private final AtomicInteger signatures = new AtomicInteger();
    private volatile boolean destroyed;

    SigningKey(SignatureAlgorithm algorithm, Backend backend, SecretBytes material, boolean materialIsSeed, Object backendKey) {
        this.algorithm = algorithm;
        this.backend = backend;
        this.material = material;
        this.materialIsSeed = materialIsSeed;
        this.backendKey = backendKey;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** The backend whose scheme created this key; only that backend signs with it. */
    public Backend backend() {
        return backend;
    }

    /** Whether this key was made from a seed, so {@link #seed()} can export it. */
    public boolean hasSeed() {
        return materialIsSeed;
    }

    /**
     * A copy of the key-generation seed, which the caller must wipe. Import it into another backend
     * with {@link SignatureScheme#deriveKeyPair(byte[])}.
     *
     * @throws IllegalStateException if the key was imported in expanded form or is destroyed
     */
    public byte[] seed() {
        if (!materialIsSeed) {
            throw new IllegalStateException("this " + algorithm.id() + " key was imported in expanded form and has no seed to export");
        }
        checkLive();
        return material.copy();
    }

    /** A copy of the expanded private key when the key was imported in that form; the caller must wipe it. */
    public byte[] expanded() {
        if (materialIsSeed) {
            throw new IllegalStateException("this " + algorithm.id() + " key was made from a seed: export the seed instead");
        }
        checkLive();
        return material.copy();
    }

    SecretBytes material() {
        checkLive();
        return material;
    }

    /** The backend key object, checked to belong to {@code scheme}. */
    <T> T backendKey(SignatureScheme scheme, Class<T> type) {
        if (scheme.algorithm() != algorithm || scheme.backend() != backend) {
            throw new IllegalArgumentException("this is a " + algorithm.id() + " key of backend " + backend.id()
                + " and cannot sign with " + scheme.algorithm().id() + " on " + scheme.backend().id()
                + ": export its seed and derive the key on that backend");
        }
        checkLive();
        return type.cast(backendKey);
    }

    /**
     * Counts a signature and returns how many this key has made, this one included: a backend
     * precomputes only for keys that sign more than once.
     */
    int countSignature() {
        return signatures.incrementAndGet();
    }

    /** The backend's precomputed state for this key, or null; checked to belong to {@code scheme} like {@link #backendKey}. */
    Destroyable precomputed(SignatureScheme scheme) {
        backendKey(scheme, Object.class);
        return precomputed.get();
    }

    /**
     * Keeps {@code state} unless another thread kept its own first, in which case {@code state}
     * is destroyed and the other one returned. Destroyed with the key.
     */
    Destroyable keepPrecomputed(Destroyable state) {
        if (precomputed.compareAndSet(null, state)) {
            if (destroyed) {
                KeyErasure.destroyBackendKey(state);
            }
            return state;
        }
        KeyErasure.destroyBackendKey(state);
        return precomputed.get();
    }

    @Override
    public void destroy() {
        destroyed = true;
        material.destroy();
        KeyErasure.destroyBackendKey(backendKey);
        KeyErasure.destroyBackendKey(precomputed.get());
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

    @Override
    public String toString() {
        return "SigningKey[" + algorithm.id() + ", " + backend.id() + (materialIsSeed ? ", seed" : ", expanded")
            + (destroyed ? ", destroyed]" : "]");
    }

    private void checkLive() {
        if (destroyed) {
            throw new IllegalStateException("the " + algorithm.id() + " signing key was destroyed and cannot be used");
        }
    }
}
