package io.qgate.crypto.aead;

import static io.qgate.crypto.aead.AeadTestSupport.nonce;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code close()} destroys the key, and a cipher owns its own copy of the key. */
class AeadCloseTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 0x42);
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void jdkCloseZeroesTheHeldKey(AeadAlgorithm algorithm) {
        JdkAeadCipher cipher = (JdkAeadCipher) AeadTestSupport.cipher(Backend.JDK, algorithm, KEY);
        byte[] held = cipher.keyBytesForTest();
        assertArrayEquals(KEY, held, "the cipher holds the key before close");
        cipher.seal(MemorySegment.ofArray(nonce(1)), MemorySegment.ofArray(new byte[3]),
            MemorySegment.ofArray(new byte[64 + 16]), 64);
        cipher.close();
        assertArrayEquals(new byte[32], held, "close() zeroed the held key");
        assertThrows(IllegalStateException.class, () -> cipher.open(MemorySegment.ofArray(nonce(1)),
            MemorySegment.ofArray(new byte[3]), MemorySegment.ofArray(new byte[64 + 16]), 64 + 16));
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void everyBackendRefusesUseAfterClose(AeadAlgorithm algorithm) {
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, KEY);
            cipher.close();
            assertThrows(IllegalStateException.class, () -> cipher.seal(MemorySegment.ofArray(nonce(2)),
                MemorySegment.NULL, MemorySegment.ofArray(new byte[16]), 0), backend.id());
            assertThrows(IllegalStateException.class, () -> cipher.open(MemorySegment.ofArray(nonce(2)),
                MemorySegment.NULL, MemorySegment.ofArray(new byte[16]), 16), backend.id());
            cipher.close();
        }
    }

    /** The caller may destroy its SecretBytes right after create: the cipher keeps working on its copy. */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void cipherOwnsACopyOfTheKey(AeadAlgorithm algorithm) {
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            SecretBytes secret = SecretBytes.copyOf(KEY);
            try (AeadCipher cipher = Aeads.create(backend, algorithm, secret);
                 AeadCipher reference = AeadTestSupport.cipher(Backend.JDK, algorithm, KEY)) {
                secret.destroy();
                byte[] a = new byte[100 + 16];
                byte[] b = new byte[100 + 16];
                cipher.seal(MemorySegment.ofArray(nonce(3)), MemorySegment.NULL, MemorySegment.ofArray(a), 100);
                reference.seal(MemorySegment.ofArray(nonce(3)), MemorySegment.NULL, MemorySegment.ofArray(b), 100);
                assertArrayEquals(b, a, backend.id() + " still seals with the original key");
                assertEquals(100, cipher.open(MemorySegment.ofArray(nonce(3)), MemorySegment.NULL,
                    MemorySegment.ofArray(a), 116));
                assertTrue(secret.isDestroyed());
            }
        }
    }

    /**
     * A data plane makes a keypair's ciphers on the control thread, uses them on a worker and
     * closes them from another: every backend works across threads, and the tag written on one
     * thread is the one the next reads.
     */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void madeUsedAndClosedOnThreeThreads(AeadAlgorithm algorithm) throws Exception {
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            AeadCipher[] made = new AeadCipher[1];
            Thread maker = Thread.ofPlatform().start(() -> made[0] = AeadTestSupport.cipher(backend, algorithm, KEY));
            maker.join();
            byte[] buffer = new byte[100 + 16];
            Arrays.fill(buffer, 0, 100, (byte) 7);
            int[] opened = new int[1];
            Thread user = Thread.ofPlatform().start(() -> {
                made[0].seal(MemorySegment.ofArray(nonce(9)), MemorySegment.ofArray(new byte[4]), MemorySegment.ofArray(buffer), 100);
                opened[0] = made[0].open(MemorySegment.ofArray(nonce(9)), MemorySegment.ofArray(new byte[4]),
                    MemorySegment.ofArray(buffer), 116);
            });
            user.join();
            assertEquals(100, opened[0], backend.id());
            assertEquals(7, buffer[99], backend.id());
            Thread closer = Thread.ofPlatform().start(made[0]::close);
            closer.join();
            assertThrows(IllegalStateException.class, () -> made[0].seal(MemorySegment.ofArray(nonce(10)), MemorySegment.NULL,
                MemorySegment.ofArray(new byte[16]), 0), backend.id());
        }
    }
}
