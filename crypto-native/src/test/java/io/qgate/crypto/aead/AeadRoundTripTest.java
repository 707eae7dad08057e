package io.qgate.crypto.aead;

import static io.qgate.crypto.aead.AeadTestSupport.bytes;
import static io.qgate.crypto.aead.AeadTestSupport.nonce;
import static io.qgate.crypto.aead.AeadTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qgate.crypto.Backend;
import io.qgate.crypto.aead.AeadTestSupport.Kind;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seal and open round trips at packet sizes around block and MTU boundaries, and agreement between backends. */
class AeadRoundTripTest {
    static final int[] SIZES = {0, 1, 15, 16, 17, 64, 512, 1420, 9000};
    /** Bytes past the packet that seal and open must not touch. */
    private static final int SLACK = 9;

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            for (Kind kind : Kind.values()) {
                for (int aadLength : new int[] {0, 13}) {
                    out.add(Arguments.of(algorithm, kind, aadLength));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(AeadAlgorithm.class)
    void freshCipherSealsFirstWithTheAllZeroNonce(AeadAlgorithm algorithm) {
        // A single-use key (the handshake's) seals once with nonce 0^12: no backend may refuse it.
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            byte[] key = random(new SplittableRandom(7), 32);
            byte[] plaintext = {1, 2, 3};
            MemorySegment buffer = MemorySegment.ofArray(Arrays.copyOf(plaintext, 3 + AeadAlgorithm.TAG_LENGTH));
            MemorySegment zero = MemorySegment.ofArray(new byte[AeadAlgorithm.NONCE_LENGTH]);
            try (AeadCipher sealer = AeadTestSupport.cipher(backend, algorithm, key.clone());
                    AeadCipher opener = AeadTestSupport.cipher(backend, algorithm, key.clone())) {
                assertEquals(3 + AeadAlgorithm.TAG_LENGTH, sealer.seal(zero, MemorySegment.ofArray(new byte[0]), buffer, 3),
                        backend.id());
                assertEquals(3, opener.open(zero, MemorySegment.ofArray(new byte[0]), buffer, 3 + AeadAlgorithm.TAG_LENGTH));
                assertArrayEquals(plaintext, bytes(buffer, 3), backend.id());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(AeadAlgorithm.class)
    void openOrRejectReturnsRejectedForAForgedPacketAndWipesIt(AeadAlgorithm algorithm) {
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            byte[] key = random(new SplittableRandom(11), 32);
            MemorySegment buffer = MemorySegment.ofArray(new byte[40]);
            MemorySegment aad = MemorySegment.ofArray(new byte[] {9});
            try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key)) {
                buffer.asSlice(0, 24).fill((byte) 7);
                assertEquals(40, cipher.seal(MemorySegment.ofArray(nonce(5)), aad, buffer, 24));
                buffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 39, (byte) (buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 39) ^ 1));
                assertEquals(AeadCipher.REJECTED, cipher.openOrReject(MemorySegment.ofArray(nonce(5)), aad, buffer, 40), backend.id());
                assertArrayEquals(new byte[40], bytes(buffer, 40), backend.id() + ": no unauthenticated plaintext left");
                assertEquals(AeadCipher.REJECTED, cipher.openOrReject(MemorySegment.ofArray(nonce(5)), aad, buffer, 15), backend.id() + ": truncated");
                buffer.asSlice(0, 24).fill((byte) 7);
                assertEquals(40, cipher.seal(MemorySegment.ofArray(nonce(6)), aad, buffer, 24));
                assertEquals(24, cipher.openOrReject(MemorySegment.ofArray(nonce(6)), aad, buffer, 40), backend.id());
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}, aad {2} bytes")
    @MethodSource("combinations")
    void roundTripOnEachBackend(AeadAlgorithm algorithm, Kind kind, int aadLength) {
        for (Backend backend : AeadTestSupport.BACKENDS) {
            AeadTestSupport.assumeAvailable(backend);
            SplittableRandom random = new SplittableRandom(31L * algorithm.ordinal() + aadLength);
            try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, random(random, 32))) {
                assertEquals(algorithm, cipher.algorithm());
                assertEquals(backend, cipher.backend());
                long counter = 0;
                for (int size : SIZES) {
                    String what = backend.id() + " " + size + " bytes";
                    byte[] plaintext = random(random, size);
                    byte[] aad = random(random, aadLength);
                    MemorySegment nonce = kind.of(nonce(++counter));
                    MemorySegment buffer = kind.of(plaintext, size + AeadAlgorithm.TAG_LENGTH + SLACK);

                    assertEquals(size + AeadAlgorithm.TAG_LENGTH, cipher.seal(nonce, kind.of(aad), buffer, size), what);
                    if (size > 0) {
                        assertFalse(Arrays.equals(plaintext, bytes(buffer, size)), what + ": seal encrypted");
                    }
                    assertSlackUntouched(buffer, size + AeadAlgorithm.TAG_LENGTH, what);

                    assertEquals(size, cipher.open(nonce, kind.of(aad), buffer, size + AeadAlgorithm.TAG_LENGTH), what);
                    assertArrayEquals(plaintext, bytes(buffer, size), what + ": open restored the plaintext");
                    assertSlackUntouched(buffer, size + AeadAlgorithm.TAG_LENGTH, what);
                }
            }
        }
    }

    /** JDK seals and OpenSSL opens, and the reverse; both seal to identical bytes. */
    @ParameterizedTest(name = "{0}, {1}, aad {2} bytes")
    @MethodSource("combinations")
    void backendsAgree(AeadAlgorithm algorithm, Kind kind, int aadLength) {
        AeadTestSupport.assumeAvailable(Backend.JDK);
        AeadTestSupport.assumeAvailable(Backend.OPENSSL);
        SplittableRandom random = new SplittableRandom(97L * algorithm.ordinal() + aadLength + kind.ordinal());
        byte[] key = random(random, 32);
        try (AeadCipher jdk = AeadTestSupport.cipher(Backend.JDK, algorithm, key);
             AeadCipher openssl = AeadTestSupport.cipher(Backend.OPENSSL, algorithm, key)) {
            long counter = 1000;
            for (int size : SIZES) {
                byte[] plaintext = random(random, size);
                byte[] aad = random(random, aadLength);
                MemorySegment nonce = kind.of(nonce(++counter));
                int sealedLength = size + AeadAlgorithm.TAG_LENGTH;

                MemorySegment byJdk = kind.of(plaintext, sealedLength);
                MemorySegment byOpenSsl = kind.of(plaintext, sealedLength);
                jdk.seal(nonce, kind.of(aad), byJdk, size);
                openssl.seal(nonce, kind.of(aad), byOpenSsl, size);
                assertArrayEquals(bytes(byJdk, sealedLength), bytes(byOpenSsl, sealedLength),
                    size + " bytes: identical ciphertext and tag from both backends");

                assertEquals(size, openssl.open(nonce, kind.of(aad), byJdk, sealedLength));
                assertArrayEquals(plaintext, bytes(byJdk, size), size + " bytes: OpenSSL opens what the JDK sealed");
                assertEquals(size, jdk.open(nonce, kind.of(aad), byOpenSsl, sealedLength));
                assertArrayEquals(plaintext, bytes(byOpenSsl, size), size + " bytes: the JDK opens what OpenSSL sealed");
            }
        }
    }

    /** Mixed kinds in one call: the nonce, aad and buffer need not live in the same kind of memory. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mixedKinds")
    void mixedSegmentKinds(Backend backend, Kind nonceKind, Kind aadKind, Kind bufferKind) {
        AeadTestSupport.assumeAvailable(backend);
        SplittableRandom random = new SplittableRandom(5);
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, random(random, 32))) {
                byte[] plaintext = random(random, 1420);
                byte[] aad = random(random, 20);
                MemorySegment buffer = bufferKind.of(plaintext, 1420 + 16);
                cipher.seal(nonceKind.of(nonce(1)), aadKind.of(aad), buffer, 1420);
                cipher.open(nonceKind.of(nonce(1)), aadKind.of(aad), buffer, 1436);
                assertArrayEquals(plaintext, bytes(buffer, 1420));
            }
        }
    }

    /** Nonce and aad only need to be readable: read-only segments of either kind are accepted. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("readOnlyCases")
    void readOnlyNonceAndAad(Backend backend, Kind kind) {
        AeadTestSupport.assumeAvailable(backend);
        SplittableRandom random = new SplittableRandom(11);
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            byte[] key = random(random, 32);
            try (AeadCipher cipher = AeadTestSupport.cipher(backend, algorithm, key);
                 AeadCipher reference = AeadTestSupport.cipher(backend, algorithm, key)) {
                byte[] plaintext = random(random, 300);
                byte[] aad = random(random, 21);
                MemorySegment buffer = kind.of(plaintext, 316);
                cipher.seal(kind.of(nonce(9)).asReadOnly(), kind.of(aad).asReadOnly(), buffer, 300);
                MemorySegment expected = kind.of(plaintext, 316);
                reference.seal(kind.of(nonce(9)), kind.of(aad), expected, 300);
                assertArrayEquals(bytes(expected, 316), bytes(buffer, 316));
                assertEquals(300, cipher.open(kind.of(nonce(9)).asReadOnly(), kind.of(aad).asReadOnly(), buffer, 316));
                assertArrayEquals(plaintext, bytes(buffer, 300));
            }
        }
    }

    static Stream<Arguments> readOnlyCases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : AeadTestSupport.BACKENDS) {
            for (Kind kind : Kind.values()) {
                out.add(Arguments.of(backend, kind));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> mixedKinds() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : AeadTestSupport.BACKENDS) {
            out.add(Arguments.of(backend, Kind.OFFHEAP, Kind.HEAP, Kind.HEAP_OFFSET));
            out.add(Arguments.of(backend, Kind.HEAP, Kind.OFFHEAP, Kind.OFFHEAP));
            out.add(Arguments.of(backend, Kind.HEAP_OFFSET, Kind.HEAP_OFFSET, Kind.OFFHEAP));
        }
        return out.stream();
    }

    private static void assertSlackUntouched(MemorySegment buffer, int end, String what) {
        byte[] slack = buffer.asSlice(end).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] expected = new byte[slack.length];
        Arrays.fill(expected, (byte) 0x5a);
        assertArrayEquals(expected, slack, what + ": bytes after the packet untouched");
    }
}
