package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.crypto.aead.AeadAuthenticationException;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.crypto.kem.InvalidCiphertextException;
import io.qgate.crypto.kem.Kem;
import io.qgate.crypto.kem.KemAlgorithm;
import io.qgate.crypto.kem.KemEncapsulation;
import io.qgate.crypto.kem.KemKeyPair;
import io.qgate.crypto.kem.Kems;
import io.qgate.crypto.kem.X25519;
import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.crypto.sig.SignatureScheme;
import io.qgate.crypto.sig.SignatureSchemes;
import io.qgate.crypto.sig.SigningKeyPair;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random bytes, of random and of exactly the right lengths, fed to everything that decodes what
 * a peer sends: public keys, KEM ciphertexts, signatures, sealed packets. Each input must either
 * be accepted or be refused with the exception its interface documents; anything else (another
 * exception type, a released plaintext, a verified forgery) fails with the seed that reproduces
 * it. Bounded: a fixed number of inputs per algorithm and backend, from fixed seeds.
 */
class HostileInputTest {
    private static final int ROUNDS = 150;
    private static final byte[] MESSAGE = {'q', 'g', 'a', 't', 'e'};
    private static final byte[] NO_CONTEXT = new byte[0];

    /** Lengths around {@code right}: exact (most often), off by one, empty, or anything up to twice it. */
    private static int hostileLength(SplittableRandom random, int right) {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> right;
            case 3 -> Math.max(0, right + (random.nextBoolean() ? 1 : -1));
            case 4 -> 0;
            default -> random.nextInt(2 * right + 2);
        };
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static void expectOnly(String what, long seed, Runnable action, List<Class<? extends RuntimeException>> allowed) {
        try {
            action.run();
        } catch (RuntimeException e) {
            for (Class<? extends RuntimeException> type : allowed) {
                if (type.isInstance(e)) {
                    return;
                }
            }
            fail(what + " (seed " + seed + ") threw an undocumented " + e, e);
        }
    }

    @TestFactory
    Stream<DynamicTest> kemDecodersAcceptOrRefuseAsDocumented() {
        List<DynamicTest> tests = new ArrayList<>();
        for (KemAlgorithm algorithm : KemAlgorithm.values()) {
            for (Backend backend : List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS)) {
                if (!Kems.isAvailable(backend, algorithm)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(algorithm.id() + " [" + backend.id() + "]", () -> {
                    Kem kem = Kems.create(backend, algorithm);
                    try (KemKeyPair pair = kem.generateKeyPair()) {
                        KemEncapsulation honest = kem.encapsulate(pair.publicKey());
                        for (int i = 0; i < ROUNDS; i++) {
                            long seed = 1000L * algorithm.ordinal() + i;
                            SplittableRandom random = new SplittableRandom(seed);
                            byte[] publicKey = bytes(random, hostileLength(random, algorithm.publicKeyLength()));
                            expectOnly("checkPublicKey", seed, () -> kem.checkPublicKey(publicKey),
                                List.of(IllegalArgumentException.class, InvalidPublicKeyException.class));
                            expectOnly("encapsulate", seed, () -> kem.encapsulate(publicKey).sharedSecret().destroy(),
                                List.of(IllegalArgumentException.class, InvalidPublicKeyException.class));

                            byte[] ciphertext = bytes(random, hostileLength(random, algorithm.ciphertextLength()));
                            expectOnly("decapsulate", seed, () -> {
                                try (SecretBytes secret = kem.decapsulate(pair.privateKey(), ciphertext)) {
                                    assertFalse(secret.equalsConstantTime(honest.sharedSecret()),
                                        "a random ciphertext decapsulated to the honest secret");
                                }
                            }, List.of(IllegalArgumentException.class, InvalidCiphertextException.class));
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void x25519RefusesOnlyWrongLengthsAndSmallOrderPoints() {
        try (SecretBytes mine = X25519.generatePrivateKey()) {
            for (int i = 0; i < ROUNDS; i++) {
                SplittableRandom random = new SplittableRandom(i);
                byte[] peer = bytes(random, hostileLength(random, X25519.KEY_LENGTH));
                long seed = i;
                expectOnly("X25519.agree", seed, () -> X25519.agree(mine, peer).destroy(),
                    List.of(IllegalArgumentException.class, InvalidPublicKeyException.class));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> signatureVerifierNeverAcceptsRandomSignaturesOrThrowsUndocumented() {
        List<DynamicTest> tests = new ArrayList<>();
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
            for (Backend backend : List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS)) {
                if (!SignatureSchemes.isAvailable(backend, algorithm)) {
                    continue;
                }
                // SLH-DSA verification costs milliseconds: fewer rounds keep the test run short.
                int rounds = algorithm.family() == SignatureAlgorithm.Family.SLH_DSA ? 15 : ROUNDS;
                tests.add(DynamicTest.dynamicTest(algorithm.id() + " [" + backend.id() + "]", () -> {
                    SignatureScheme scheme = SignatureSchemes.create(backend, algorithm);
                    try (SigningKeyPair pair = scheme.generateKeyPair()) {
                        for (int i = 0; i < rounds; i++) {
                            long seed = 2000L * algorithm.ordinal() + i;
                            SplittableRandom random = new SplittableRandom(seed);
                            byte[] signature = bytes(random, hostileLength(random, algorithm.signatureLength()));
                            assertFalse(scheme.verify(pair.publicKey(), MESSAGE, NO_CONTEXT, signature),
                                "a random signature verified (seed " + seed + ")");
                            byte[] publicKey = bytes(random, hostileLength(random, algorithm.publicKeyLength()));
                            expectOnly("verify with a random public key", seed, () -> assertFalse(
                                scheme.verify(publicKey, MESSAGE, NO_CONTEXT, signature), "forgery verified"),
                                List.of(InvalidPublicKeyException.class));
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aeadOpenRejectsRandomPacketsAndReleasesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            for (Backend backend : List.of(Backend.JDK, Backend.OPENSSL)) {
                if (!Aeads.isAvailable(backend)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(algorithm.id() + " [" + backend.id() + "]", () -> {
                    try (SecretBytes key = SecretBytes.wrap(bytes(new SplittableRandom(7), AeadAlgorithm.KEY_LENGTH));
                         AeadCipher cipher = Aeads.create(backend, algorithm, key)) {
                        for (int i = 0; i < ROUNDS; i++) {
                            SplittableRandom random = new SplittableRandom(3000L + i);
                            int length = hostileLength(random, 1420 + AeadAlgorithm.TAG_LENGTH);
                            byte[] packet = bytes(random, length);
                            MemorySegment buffer = MemorySegment.ofArray(packet);
                            MemorySegment nonce = MemorySegment.ofArray(bytes(random, AeadAlgorithm.NONCE_LENGTH));
                            MemorySegment aad = MemorySegment.ofArray(bytes(random, 16));
                            long seed = 3000L + i;
                            assertThrows(AeadAuthenticationException.class, () -> cipher.open(nonce, aad, buffer, length),
                                "a random packet opened (seed " + seed + ")");
                            for (byte b : packet) {
                                assertEquals(0, b, "a refused packet left bytes in the buffer (seed " + seed + ")");
                            }
                        }
                    }
                }));
            }
        }
        assertTrue(!tests.isEmpty(), "no AEAD backend available");
        return tests.stream();
    }
}
