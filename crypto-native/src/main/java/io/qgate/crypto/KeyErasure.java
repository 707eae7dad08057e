package io.qgate.crypto;

import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/** Erasing the key objects that backends (JDK, Bouncy Castle, liboqs) keep beside qgate's own copy. */
public final class KeyErasure {
    private KeyErasure() {
    }

    /**
     * Destroys a backend's key object: {@link Destroyable#destroy()} when it is destroyable,
     * {@link AutoCloseable#close()} when it owns native memory, nothing otherwise. A backend that
     * refuses ({@link DestroyFailedException}, as the JDK's XDH keys do) is left as it is: qgate's
     * own copy is wiped and the owner refuses further use, which is all that can be done.
     *
     * @param backendKey the object, or null
     * @throws IllegalStateException if closing native key memory failed
     */
    public static void destroyBackendKey(Object backendKey) {
        try {
            if (backendKey instanceof Destroyable d && !d.isDestroyed()) {
                d.destroy();
            } else if (backendKey instanceof AutoCloseable c) {
                c.close();
            }
        } catch (DestroyFailedException e) {
            // see the javadoc: the backend cannot wipe its copy
        } catch (Exception e) {
            throw new IllegalStateException("could not destroy the " + backendKey.getClass().getSimpleName() + " key object", e);
        }
    }
}
