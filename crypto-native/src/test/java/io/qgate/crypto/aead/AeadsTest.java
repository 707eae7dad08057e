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
    void defaultBackendWithoutConfigurationIsTheFastestPerAlgorithm() {
        Backend openSslOrJdk = Aeads.isAvailable(Backend.OPENSSL) ? Backend.OPENSSL : Backend.JDK;
        // the build's JVMs run with pom.xml's --add-opens, so AES-256-GCM runs on the JDK without the JCA
        assertEquals(Backend.JDK, Aeads.defaultBackend(AeadAlgorithm.AES_256_GCM));
        assertEquals(openSslOrJdk, Aeads.defaultBackend(AeadAlgorithm.CHACHA20_POLY1305));
        AeadBackends defaults = Aeads.defaultBackends();
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            assertEquals(Aeads.defaultBackend(algorithm), defaults.backendFor(algorithm));
        }
    }

    @Test
    void defaultBackendFromProperty() {
        System.setProperty(Aeads.BACKEND_PROPERTY, "jdk");
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            assertEquals(Backend.JDK, Aeads.defaultBackend(algorithm));
            assertEquals(Backend.JDK, Aeads.defaultBackends().backendFor(algorithm));
        }
        System.setProperty(Aeads.BACKEND_PROPERTY, " OpenSSL ");
        if (Aeads.isAvailable(Backend.OPENSSL)) {
            assertEquals(Backend.OPENSSL, Aeads.defaultBackend(AeadAlgorithm.AES_256_GCM));
            assertEquals(Backend.OPENSSL, Aeads.defaultBackends().backendFor(AeadAlgorithm.AES_256_GCM));
        } else {
            assertThrows(BackendUnavailableException.class, () -> Aeads.defaultBackend(AeadAlgorithm.AES_256_GCM));
            assertThrows(BackendUnavailableException.class, Aeads::defaultBackends);
        }
        for (String wrong : new String[] {"bouncycastle", "liboqs", "boringssl"}) {
            System.setProperty(Aeads.BACKEND_PROPERTY, wrong);
            var e = assertThrows(IllegalArgumentException.class, () -> Aeads.defaultBackend(AeadAlgorithm.AES_256_GCM), wrong);
            assertTrue(e.getMessage().contains("use jdk or openssl"), e.getMessage());
            // checked when the choice is made, not at the first session
            assertThrows(IllegalArgumentException.class, Aeads::defaultBackends, wrong);
        }
    }

    @Test
    void oneBackendForAll() {
        AeadBackends only = AeadBackends.only(Backend.OPENSSL);
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            assertEquals(Backend.OPENSSL, only.backendFor(algorithm));
        }
        assertThrows(NullPointerException.class, () -> AeadBackends.only(null));
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
