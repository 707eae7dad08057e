package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBytesTest {
    @Test
    void destroyWipesTheWrappedArrayAndBlocksLaterUse() {
        byte[] owned = {1, 2, 3, 4};
        SecretBytes secret = SecretBytes.wrap(owned);
        secret.destroy();
        assertArrayEquals(new byte[4], owned);
        assertTrue(secret.isDestroyed());
        assertThrows(IllegalStateException.class, secret::bytes);
        assertThrows(IllegalStateException.class, secret::copy);
    }

    @Test
    void copyOfDoesNotShareTheCallersArray() {
        byte[] source = {9, 9};
        try (SecretBytes secret = SecretBytes.copyOf(source)) {
            source[0] = 0;
            assertEquals(9, secret.bytes()[0]);
        }
        assertEquals(0, source[0]);
    }

    @Test
    void closeDestroys() {
        SecretBytes secret = SecretBytes.copyOf(new byte[] {5});
        secret.close();
        assertTrue(secret.isDestroyed());
    }

    @Test
    void toStringNeverShowsContents() {
        SecretBytes secret = SecretBytes.copyOf(new byte[] {0x41, 0x42, 0x43});
        String text = secret.toString();
        assertEquals("SecretBytes[3 bytes]", text);
        secret.destroy();
        assertEquals("SecretBytes[3 bytes, destroyed]", secret.toString());
    }

    @Test
    void equalsConstantTimeComparesContents() {
        SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2, 3});
        assertTrue(a.equalsConstantTime(SecretBytes.copyOf(new byte[] {1, 2, 3})));
        assertFalse(a.equalsConstantTime(SecretBytes.copyOf(new byte[] {1, 2, 4})));
        assertFalse(a.equalsConstantTime(SecretBytes.copyOf(new byte[] {1, 2})));
    }
}
