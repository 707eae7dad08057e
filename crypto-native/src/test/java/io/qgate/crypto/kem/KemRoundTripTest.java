package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPrivateKeyException;
import io.qgate.crypto.InvalidPublicKeyException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Behaviour every {@link Kem} must show, for every algorithm on every backend that offers it. */
class KemRoundTripTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<Backend> BACKENDS = List.of(Backend.JDK, Backend.BOUNCY_CASTLE, Backend.LIBOQS);

    @TestFactory
    List<DynamicNode> everyAlgorithmOnEveryBackend() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (Backend backend : BACKENDS) {
            for (KemAlgorithm algorithm : KemAlgorithm.values()) {
                String name = algorithm.id() + " [" + backend.id() + "]";
                String reason = Kems.unavailableReason(backend, algorithm);
                if (reason != null) {
                    nodes.add(DynamicTest.dynamicTest(name + " skipped", () -> assumeTrue(false, reason)));
                    continue;
                }
                Kem kem = Kems.create(backend, algorithm);
                nodes.add(DynamicContainer.dynamicContainer(name, List.of(
                    DynamicTest.dynamicTest("round trip gives both sides the same secret", () -> roundTrip(kem)),
                    DynamicTest.dynamicTest("sizes are those of the algorithm", () -> sizes(kem)),
                    DynamicTest.dynamicTest("same seed derives the same key pair", () -> deterministicDerive(kem)),
                    DynamicTest.dynamicTest("same randomness encapsulates the same ciphertext", () -> deterministicEncaps(kem)),
                    DynamicTest.dynamicTest("imported private key decapsulates like the original", () -> importEncoded(kem)),
                    DynamicTest.dynamicTest("modified ciphertext gives a different secret", () -> modifiedCiphertext(kem)),
                    DynamicTest.dynamicTest("wrong lengths are rejected with IllegalArgumentException", () -> wrongLengths(kem)),
                    DynamicTest.dynamicTest("public key failing the modulus check is rejected", () -> modulusCheck(kem)),
                    DynamicTest.dynamicTest("destroyed private key cannot be used", () -> destroyedKey(kem)),
                    DynamicTest.dynamicTest("toString shows no key bytes", () -> noSecretsInToString(kem)))));
            }
        }
        return nodes;
    }

    private static void roundTrip(Kem kem) {
        try (KemKeyPair pair = kem.generateKeyPair()) {
            KemEncapsulation sent = kem.encapsulate(pair.publicKey());
            try (SecretBytes sender = sent.sharedSecret(); SecretBytes receiver = kem.decapsulate(pair.privateKey(), sent.ciphertext())) {
                assertTrue(sender.equalsConstantTime(receiver), "both sides must hold the same secret");
            }
            KemEncapsulation second = kem.encapsulate(pair.publicKey());
            assertFalse(java.util.Arrays.equals(sent.ciphertext(), second.ciphertext()), "fresh encapsulations must differ");
            assertTrue(pair.privateKey().hasSeed() || kem.backend() == Backend.LIBOQS, "generated keys keep their seed");
        }
    }

    private static void sizes(Kem kem) {
        KemAlgorithm a = kem.algorithm();
        try (KemKeyPair pair = kem.generateKeyPair()) {
            assertEquals(a.publicKeyLength(), pair.publicKey().length);
            assertEquals(a.privateKeyLength(), pair.privateKey().encoded().length());
            KemEncapsulation e = kem.encapsulate(pair.publicKey());
            assertEquals(a.ciphertextLength(), e.ciphertext().length);
            assertEquals(32, e.sharedSecret().length());
        }
    }

    private static void deterministicDerive(Kem kem) {
        byte[] seed = random(kem.algorithm().seedLength());
        try (KemKeyPair a = kem.deriveKeyPair(seed); KemKeyPair b = kem.deriveKeyPair(seed)) {
            assertArrayEquals(a.publicKey(), b.publicKey());
            assertTrue(a.privateKey().encoded().equalsConstantTime(b.privateKey().encoded()));
            assertArrayEquals(seed, a.privateKey().seed().copy(), "the key keeps the seed it was derived from");
        }
        seed[0] ^= 1;
        try (KemKeyPair c = kem.deriveKeyPair(seed); KemKeyPair d = kem.deriveKeyPair(random(seed.length))) {
            assertFalse(java.util.Arrays.equals(c.publicKey(), d.publicKey()));
        }
    }

    private static void deterministicEncaps(Kem kem) {
        byte[] m = random(kem.algorithm().encapsulationRandomnessLength());
        try (KemKeyPair pair = kem.generateKeyPair()) {
            KemEncapsulation a = kem.encapsulate(pair.publicKey(), m);
            KemEncapsulation b = kem.encapsulate(pair.publicKey(), m);
            assertArrayEquals(a.ciphertext(), b.ciphertext());
            assertTrue(a.sharedSecret().equalsConstantTime(b.sharedSecret()));
            try (SecretBytes r = kem.decapsulate(pair.privateKey(), a.ciphertext())) {
                assertTrue(r.equalsConstantTime(a.sharedSecret()));
            }
        }
    }

    private static void importEncoded(Kem kem) {
        try (KemKeyPair pair = kem.generateKeyPair();
             KemPrivateKey imported = kem.importPrivateKey(pair.privateKey().encoded().copy())) {
            KemEncapsulation e = kem.encapsulate(pair.publicKey());
            try (SecretBytes r = kem.decapsulate(imported, e.ciphertext())) {
                assertTrue(r.equalsConstantTime(e.sharedSecret()));
            }
            if (kem.algorithm().isMlKem()) {
                assertFalse(imported.hasSeed(), "an expanded import has no seed");
                assertThrows(IllegalStateException.class, imported::seed);
                byte[] corrupted = pair.privateKey().encoded().copy();
                corrupted[384 * kem.algorithm().rank() + 5] ^= 1; // inside the embedded ek, so H(ek) no longer matches
                assertThrows(InvalidPrivateKeyException.class, () -> kem.importPrivateKey(corrupted));
            }
        }
    }

    private static void modifiedCiphertext(Kem kem) {
        try (KemKeyPair pair = kem.generateKeyPair()) {
            KemEncapsulation e = kem.encapsulate(pair.publicKey());
            byte[] ct = e.ciphertext().clone();
            ct[3] ^= 0x40;
            try (SecretBytes rejected = kem.decapsulate(pair.privateKey(), ct);
                 SecretBytes again = kem.decapsulate(pair.privateKey(), ct)) {
                assertEquals(32, rejected.length());
                assertFalse(rejected.equalsConstantTime(e.sharedSecret()), "a modified ciphertext must not give the sender's secret");
                assertTrue(rejected.equalsConstantTime(again), "implicit rejection is deterministic");
            }
        }
    }

    private static void wrongLengths(Kem kem) {
        KemAlgorithm a = kem.algorithm();
        try (KemKeyPair pair = kem.generateKeyPair()) {
            byte[] pk = pair.publicKey();
            assertThrows(IllegalArgumentException.class, () -> kem.encapsulate(java.util.Arrays.copyOf(pk, pk.length - 1)));
            assertThrows(IllegalArgumentException.class, () -> kem.encapsulate(java.util.Arrays.copyOf(pk, pk.length + 1)));
            assertThrows(IllegalArgumentException.class, () -> kem.encapsulate(pk, new byte[a.encapsulationRandomnessLength() - 1]));
            assertThrows(IllegalArgumentException.class, () -> kem.deriveKeyPair(new byte[a.seedLength() + 1]));
            assertThrows(IllegalArgumentException.class, () -> kem.importPrivateKey(new byte[a.privateKeyLength() - 1]));
            assertThrows(IllegalArgumentException.class, () -> kem.decapsulate(pair.privateKey(), new byte[a.ciphertextLength() - 1]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kem.decapsulate(pair.privateKey(), new byte[a.ciphertextLength() + 1]));
            assertTrue(e.getMessage().contains(a.id()), "the message names the algorithm: " + e.getMessage());
        }
    }

    private static void modulusCheck(Kem kem) {
        try (KemKeyPair pair = kem.generateKeyPair()) {
            byte[] pk = pair.publicKey().clone();
            pk[0] = (byte) 0xff;
            pk[1] |= 0x0f; // first coefficient becomes 4095 >= q
            assertThrows(InvalidPublicKeyException.class, () -> kem.encapsulate(pk));
            assertThrows(InvalidPublicKeyException.class, () -> kem.checkPublicKey(pk));
            kem.checkPublicKey(pair.publicKey());
        }
    }

    private static void destroyedKey(Kem kem) {
        KemKeyPair pair = kem.generateKeyPair();
        KemEncapsulation e = kem.encapsulate(pair.publicKey());
        SecretBytes encoded = pair.privateKey().encoded();
        pair.privateKey().destroy();
        assertTrue(pair.privateKey().isDestroyed());
        assertThrows(IllegalStateException.class, () -> kem.decapsulate(pair.privateKey(), e.ciphertext()));
        assertThrows(IllegalStateException.class, encoded::bytes, "the key material is wiped and unusable");
        assertThrows(IllegalStateException.class, () -> pair.privateKey().seed());
    }

    private static void noSecretsInToString(Kem kem) {
        try (KemKeyPair pair = kem.generateKeyPair()) {
            String hex = HexFormat.of().formatHex(pair.privateKey().encoded().bytes(), 0, 8);
            String text = pair + " " + pair.privateKey() + " " + kem.encapsulate(pair.publicKey());
            assertFalse(text.toLowerCase().contains(hex), text);
            assertTrue(text.contains(kem.algorithm().id()), text);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
