package io.qgate.crypto.aead;

import static io.qgate.crypto.aead.AeadTestSupport.assertZero;
import static io.qgate.crypto.aead.AeadTestSupport.bytes;
import static io.qgate.crypto.aead.AeadTestSupport.nonce;
import static io.qgate.crypto.aead.AeadTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadTestSupport.Kind;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a caller or an attacker can get seal and open wrong. Each case checks the exception
 * type and that the buffer holds no plaintext afterwards: a rejected open leaves either the
 * untouched ciphertext (argument errors, found before any decryption) or zeros (authentication
 * failures); a rejected seal leaves the caller's buffer untouched.
 */
class AeadBadInputTest {
    private static final int SIZE = 100;
    private static final int SEALED = SIZE + AeadAlgorithm.TAG_LENGTH;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : AeadTestSupport.BACKENDS) {
            for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
                for (Kind kind : List.of(Kind.HEAP, Kind.OFFHEAP)) {
                    out.add(Arguments.of(backend, algorithm, kind));
                }
            }
        }
        return out.stream();
    }

    /** A sealed packet and what went into it. */
    private record Packet(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext, byte[] sealed) {
    }

    private static Packet packet(Backend backend, AeadAlgorithm algorithm) {
        SplittableRandom random = new SplittableRandom(backend.ordinal() * 7L + algorithm.ordinal());
        byte[] key = random(random, 32);
        byte[] nonce = nonce(42);
        byte[] aad = random(random, 24);
        byte[] plaintext = random(random, SIZE);
        MemorySegment buffer = Kind.HEAP.of(plaintext, SEALED);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key)) {
            cipher.seal(MemorySegment.ofArray(nonce), MemorySegment.ofArray(aad), buffer, SIZE);
        }
        return new Packet(key, nonce, aad, plaintext, bytes(buffer, SEALED));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void wrongKeySize(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        for (int length : new int[] {0, 16, 24, 31, 33, 64}) {
            try (SecretBytes key = SecretBytes.wrap(new byte[length])) {
                var e = assertThrows(IllegalArgumentException.class, () -> Aeads.create(backend, algorithm, key));
                assertTrue(e.getMessage().contains("32-byte key"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void wrongNonceSize(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        Packet p = packet(backend, algorithm);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, p.key())) {
            for (int length : new int[] {0, 8, 11, 13, 16, 24}) {
                MemorySegment badNonce = kind.of(new byte[length]);

                MemorySegment toSeal = kind.of(p.plaintext(), SEALED);
                var e = assertThrows(IllegalArgumentException.class,
                    () -> cipher.seal(badNonce, kind.of(p.aad()), toSeal, SIZE));
                assertTrue(e.getMessage().contains("nonce must be 12 bytes"), e.getMessage());
                assertArrayEquals(p.plaintext(), bytes(toSeal, SIZE), "seal left the buffer untouched");

                MemorySegment toOpen = kind.of(p.sealed());
                assertThrows(IllegalArgumentException.class,
                    () -> cipher.open(badNonce, kind.of(p.aad()), toOpen, SEALED));
                assertArrayEquals(p.sealed(), bytes(toOpen, SEALED), "open left the ciphertext, no plaintext");
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void shortBufferAndBadLengths(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        Packet p = packet(backend, algorithm);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, p.key())) {
            MemorySegment nonce = kind.of(p.nonce());
            MemorySegment aad = kind.of(p.aad());
            // No room for the tag, or for part of it.
            for (int capacity : new int[] {SIZE, SIZE + 1, SEALED - 1}) {
                MemorySegment buffer = kind.of(p.plaintext(), capacity);
                var e = assertThrows(IllegalArgumentException.class, () -> cipher.seal(nonce, aad, buffer, SIZE));
                assertTrue(e.getMessage().contains("too short"), e.getMessage());
                assertArrayEquals(p.plaintext(), bytes(buffer, SIZE), "seal left the buffer untouched");
            }
            MemorySegment sealBuffer = kind.of(p.plaintext(), SEALED);
            assertThrows(IllegalArgumentException.class, () -> cipher.seal(nonce, aad, sealBuffer, -1));
            assertArrayEquals(p.plaintext(), bytes(sealBuffer, SIZE));

            // A ciphertext length beyond the buffer, or negative.
            MemorySegment packet = kind.of(p.sealed());
            assertThrows(IllegalArgumentException.class, () -> cipher.open(nonce, aad, packet, SEALED + 1));
            assertThrows(IllegalArgumentException.class, () -> cipher.open(nonce, aad, packet, -1));
            assertArrayEquals(p.sealed(), bytes(packet, SEALED), "open left the ciphertext, no plaintext");

            // Read-only buffers cannot be processed in place.
            MemorySegment readOnly = kind.of(p.sealed()).asReadOnly();
            assertThrows(IllegalArgumentException.class, () -> cipher.open(nonce, aad, readOnly, SEALED));
            assertThrows(IllegalArgumentException.class, () -> cipher.seal(nonce, aad, readOnly, SIZE));
            assertArrayEquals(p.sealed(), bytes(readOnly, SEALED));

            // The cipher still works after all those rejections.
            MemorySegment good = kind.of(p.sealed());
            assertEquals(SIZE, cipher.open(nonce, aad, good, SEALED));
            assertArrayEquals(p.plaintext(), bytes(good, SIZE));
        }
    }

    /** Bits flipped in the tag, the ciphertext, the aad and the nonce: each is an authentication failure. */
    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void alteredPacketsAreRejectedAndZeroed(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        Packet p = packet(backend, algorithm);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, p.key())) {
            int tagBit0 = SIZE * 8;
            // Tag: first, a middle and the last bit. Ciphertext: first, middle, last bit.
            for (int bit : new int[] {tagBit0, tagBit0 + 7, tagBit0 + 64, SEALED * 8 - 1, 0, SIZE * 4 + 3, SIZE * 8 - 1}) {
                byte[] altered = p.sealed().clone();
                altered[bit / 8] ^= (byte) (1 << (bit % 8));
                MemorySegment packet = kind.of(altered);
                assertThrows(AeadAuthenticationException.class,
                    () -> cipher.open(kind.of(p.nonce()), kind.of(p.aad()), packet, SEALED), "bit " + bit);
                assertZero(packet, SEALED, "bit " + bit + " flipped");
            }
            // AAD: first and last bit, and aad dropped or extended.
            for (int bit : new int[] {0, p.aad().length * 8 - 1}) {
                byte[] aad = p.aad().clone();
                aad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertRejected(cipher, kind.of(p.nonce()), kind.of(aad), kind.of(p.sealed()), "aad bit " + bit);
            }
            assertRejected(cipher, kind.of(p.nonce()), kind.of(new byte[0]), kind.of(p.sealed()), "aad dropped");
            assertRejected(cipher, kind.of(p.nonce()), kind.of(AeadTestSupport.concat(p.aad(), new byte[1])),
                kind.of(p.sealed()), "aad extended");
            // Nonce: a different counter.
            assertRejected(cipher, kind.of(nonce(43)), kind.of(p.aad()), kind.of(p.sealed()), "other nonce");

            // Still opens the genuine packet.
            MemorySegment good = kind.of(p.sealed());
            assertEquals(SIZE, cipher.open(kind.of(p.nonce()), kind.of(p.aad()), good, SEALED));
            assertArrayEquals(p.plaintext(), bytes(good, SIZE));
        }
        // A different key.
        byte[] otherKey = p.key().clone();
        otherKey[0] ^= 1;
        try (AeadCipher other = AeadTestSupport.cipher(backend, algorithm, otherKey)) {
            assertRejected(other, kind.of(p.nonce()), kind.of(p.aad()), kind.of(p.sealed()), "other key");
        }
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void truncatedPacketsAreRejectedAndZeroed(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        Packet p = packet(backend, algorithm);
        try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, p.key())) {
            // Shorter than a tag: cannot be authentic.
            for (int length : new int[] {0, 1, 15}) {
                MemorySegment packet = kind.of(p.sealed());
                var e = assertThrows(AeadAuthenticationException.class,
                    () -> cipher.open(kind.of(p.nonce()), kind.of(p.aad()), packet, length));
                assertTrue(e.getMessage().contains("shorter than the 16-byte tag"), e.getMessage());
                assertZero(packet, length, "truncated to " + length);
                assertArrayEquals(java.util.Arrays.copyOfRange(p.sealed(), length, SEALED),
                    java.util.Arrays.copyOfRange(bytes(packet, SEALED), length, SEALED), "bytes past the length untouched");
            }
            // Long enough, but cut: the last byte, the whole tag but one block, exactly the tag.
            for (int length : new int[] {SEALED - 1, SEALED - 17, 16}) {
                assertRejected(cipher, kind.of(p.nonce()), kind.of(p.aad()), kind.of(p.sealed()), length,
                    "truncated to " + length);
            }
        }
    }

    private static void assertRejected(AeadCipher cipher, MemorySegment nonce, MemorySegment aad,
                                       MemorySegment packet, String what) {
        assertRejected(cipher, nonce, aad, packet, SEALED, what);
    }

    private static void assertRejected(AeadCipher cipher, MemorySegment nonce, MemorySegment aad,
                                       MemorySegment packet, int length, String what) {
        var e = assertThrows(AeadAuthenticationException.class, () -> cipher.open(nonce, aad, packet, length), what);
        assertTrue(e.getMessage().contains("tag mismatch"), e.getMessage());
        assertEquals(0, e.getStackTrace().length, "authentication failures carry no stack trace");
        assertZero(packet, length, what);
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void useAfterClose(Backend backend, AeadAlgorithm algorithm, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        Packet p = packet(backend, algorithm);
        AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, p.key());
        cipher.close();
        cipher.close(); // idempotent
        MemorySegment toSeal = kind.of(p.plaintext(), SEALED);
        assertThrows(IllegalStateException.class, () -> cipher.seal(kind.of(nonce(1)), kind.of(p.aad()), toSeal, SIZE));
        assertArrayEquals(p.plaintext(), bytes(toSeal, SIZE), "seal after close left the buffer untouched");
        MemorySegment toOpen = kind.of(p.sealed());
        var e = assertThrows(IllegalStateException.class,
            () -> cipher.open(kind.of(p.nonce()), kind.of(p.aad()), toOpen, SEALED));
        assertTrue(e.getMessage().contains("after close()"), e.getMessage());
        assertArrayEquals(p.sealed(), bytes(toOpen, SEALED), "open after close released no plaintext");
    }

    @Test
    void jdkRefusesToSealTwiceWithTheSameNonce() {
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            try (AeadCipher cipher = AeadTestSupport.cipher(Backend.JDK, algorithm, new byte[32])) {
                MemorySegment nonce = MemorySegment.ofArray(nonce(7));
                MemorySegment aad = MemorySegment.ofArray(new byte[0]);
                cipher.seal(nonce, aad, MemorySegment.ofArray(new byte[SEALED]), SIZE);
                byte[] plaintext = new byte[SEALED];
                plaintext[0] = 1;
                var e = assertThrows(IllegalArgumentException.class,
                    () -> cipher.seal(nonce, aad, MemorySegment.ofArray(plaintext), SIZE));
                assertTrue(e.getMessage().startsWith("nonce reuse"), e.getMessage());
                // A fresh nonce works again.
                assertEquals(SEALED, cipher.seal(MemorySegment.ofArray(nonce(8)), aad, MemorySegment.ofArray(plaintext), SIZE));
            }
        }
    }

    @Test
    void backendsWithoutAead() {
        for (Backend backend : List.of(Backend.BOUNCY_CASTLE, Backend.LIBOQS)) {
            assertFalse(Aeads.isAvailable(backend));
            String reason = Aeads.unavailableReason(backend);
            assertTrue(reason.contains("does not implement AEAD") && reason.contains("jdk") && reason.contains("openssl"),
                reason);
            try (SecretBytes key = SecretBytes.wrap(new byte[32])) {
                var e = assertThrows(BackendUnavailableException.class,
                    () -> Aeads.create(backend, AeadAlgorithm.AES_256_GCM, key));
                assertEquals(reason, e.getMessage());
                assertTrue(e instanceof CryptoException);
            }
        }
        assertTrue(Aeads.isAvailable(Backend.JDK));
        assertNull(Aeads.unavailableReason(Backend.JDK));
    }

    @Test
    void destroyedKeyIsRefused() {
        SecretBytes key = SecretBytes.wrap(new byte[32]);
        key.destroy();
        assertThrows(IllegalStateException.class, () -> Aeads.create(Backend.JDK, AeadAlgorithm.AES_256_GCM, key));
    }
}
