package io.qgate.crypto.aead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.ffm.openssl.LibCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Algorithm names, backend selection and the OpenSSL binding's identity. */
class AeadsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Aeads.BACKEND_PROPERTY);
    }

    @Test
    void algorithmIds() {
        assertEquals(AeadAlgorithm.AES_256_GCM, AeadAlgorithm.fromId("aes-256-gcm"));
        assertEquals(AeadAlgorithm.CHACHA20_POLY1305, AeadAlgorithm.fromId(" ChaCha20-Poly1305 "));
        assertEquals("aes-256-gcm", AeadAlgorithm.AES_256_GCM.id());
        var e = assertThrows(IllegalArgumentException.class, () -> AeadAlgorithm.fromId("aes-128-gcm"));
        assertEquals("unknown AEAD algorithm 'aes-128-gcm': use one of aes-256-gcm, chacha20-poly1305", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AeadAlgorithm.fromId(null));
        assertEquals(32, AeadAlgorithm.KEY_LENGTH);
        assertEquals(12, AeadAlgorithm.NONCE_LENGTH);
        assertEquals(16, AeadAlgorithm.TAG_LENGTH);
    }

    @Test
    void defaultBackendWithoutConfiguration() {
        Backend expected = Aeads.isAvailable(Aeads.DEFAULT_BACKEND) ? Aeads.DEFAULT_BACKEND : Backend.JDK;
        assertEquals(expected, Aeads.defaultBackend());
    }

    @Test
    void defaultBackendFromProperty() {
        System.setProperty(Aeads.BACKEND_PROPERTY, "jdk");
        assertEquals(Backend.JDK, Aeads.defaultBackend());
        System.setProperty(Aeads.BACKEND_PROPERTY, " OpenSSL ");
        if (Aeads.isAvailable(Backend.OPENSSL)) {
            assertEquals(Backend.OPENSSL, Aeads.defaultBackend());
        } else {
            assertThrows(BackendUnavailableException.class, Aeads::defaultBackend);
        }
        for (String wrong : new String[] {"bouncycastle", "liboqs", "boringssl"}) {
            System.setProperty(Aeads.BACKEND_PROPERTY, wrong);
            var e = assertThrows(IllegalArgumentException.class, Aeads::defaultBackend, wrong);
            assertTrue(e.getMessage().contains("use jdk or openssl"), e.getMessage());
        }
    }

    @Test
    void openSslBindingIdentity() {
        AeadTestSupport.assumeAvailable(Backend.OPENSSL);
        LibCrypto lib = LibCrypto.get();
        System.out.println("AEAD openssl backend: " + lib.version() + " (" + lib.soname() + ", version number 0x"
            + Long.toHexString(lib.versionNumber()) + ")");
        assertTrue(lib.version().startsWith("OpenSSL "), lib.version());
        assertTrue(lib.versionNumber() >= 0x1010100fL, "OpenSSL 1.1.1 or newer");
        assertEquals("no OpenSSL error queued", lib.lastErrors());
    }
}
