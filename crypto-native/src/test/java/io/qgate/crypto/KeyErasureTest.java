package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;
import org.junit.jupiter.api.Test;

class KeyErasureTest {
    @Test
    void destroysDestroyableKeys() {
        byte[] bytes = {1, 2};
        SecretBytes key = SecretBytes.wrap(bytes);
        KeyErasure.destroyBackendKey(key);
        assertTrue(key.isDestroyed());
        assertArrayEquals(new byte[2], bytes);
    }

    @Test
    void closesNativeKeyHolders() {
        AtomicBoolean closed = new AtomicBoolean();
        KeyErasure.destroyBackendKey((AutoCloseable) () -> closed.set(true));
        assertTrue(closed.get());
    }

    @Test
    void toleratesBackendsThatCannotWipeAndIgnoresNull() {
        Destroyable stubborn = new Destroyable() {
            @Override
            public void destroy() throws DestroyFailedException {
                throw new DestroyFailedException("cannot");
            }
        };
        KeyErasure.destroyBackendKey(stubborn);
        KeyErasure.destroyBackendKey(null);
        KeyErasure.destroyBackendKey("not a key");
    }

    @Test
    void aFailedNativeCloseIsReported() {
        AutoCloseable failing = () -> {
            throw new java.io.IOException("munmap failed");
        };
        var e = assertThrows(IllegalStateException.class, () -> KeyErasure.destroyBackendKey(failing));
        assertTrue(e.getMessage().startsWith("could not destroy the "), e.getMessage());
        assertEquals("munmap failed", e.getCause().getMessage());
    }
}
