package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

class JcaSecretKeyTest {
    @Test
    void destroyZeroesTheOwnedArrayAndBlocksGetEncoded() {
        byte[] owned = {1, 2, 3};
        JcaSecretKey key = JcaSecretKey.owning(owned, "AES");
        assertArrayEquals(new byte[] {1, 2, 3}, key.getEncoded());
        assertNotSame(owned, key.getEncoded());
        key.destroy();
        assertTrue(key.isDestroyed());
        assertArrayEquals(new byte[3], owned);
        var e = assertThrows(IllegalStateException.class, key::getEncoded);
        assertEquals("AES key material was used after it was destroyed", e.getMessage());
    }

    @Test
    void copyOfLeavesTheCallersArrayAlone() {
        byte[] mine = {9, 9};
        JcaSecretKey.copyOf(mine, "Generic").destroy();
        assertArrayEquals(new byte[] {9, 9}, mine);
    }

    @Test
    void worksAsAKeyForTheJdkAndNeverShowsOrSerialisesItsBytes() throws Exception {
        JcaSecretKey key = JcaSecretKey.copyOf(new byte[32], "AES");
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
        assertEquals(16, gcm.doFinal().length);
        assertEquals("JcaSecretKey[AES, 32 bytes]", key.toString());
        assertThrows(NotSerializableException.class,
            () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(key));
    }
}
