package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPublicKeyException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.Backend;
import io.qgate.crypto.SecretBytes;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * JDK and Bouncy Castle agree with each other on every algorithm. For X-Wing this checks qgate's
 * own composition ({@link ComposedXWing} on the JDK) against Bouncy Castle's independent X-Wing.
 */
class CrossBackendTest {
    private final byte[] seedBytes = KemRoundTripTest.random(64);

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void sameSeedGivesSamePublicAndPrivateKey(KemAlgorithm algorithm) {
        Kem jdk = Kems.create(Backend.JDK, algorithm);
        Kem bc = Kems.create(Backend.BOUNCY_CASTLE, algorithm);
        byte[] seed = Arrays.copyOf(seedBytes, algorithm.seedLength());
        try (KemKeyPair a = jdk.deriveKeyPair(seed); KemKeyPair b = bc.deriveKeyPair(seed)) {
            assertArrayEquals(a.publicKey(), b.publicKey());
            assertTrue(a.privateKey().encoded().equalsConstantTime(b.privateKey().encoded()));
        }
    }

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void jdkKeysBouncyCastleEncapsulatesJdkDecapsulates(KemAlgorithm algorithm) {
        crossRoundTrip(Kems.create(Backend.JDK, algorithm), Kems.create(Backend.BOUNCY_CASTLE, algorithm));
    }

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void bouncyCastleKeysJdkEncapsulatesBouncyCastleDecapsulates(KemAlgorithm algorithm) {
        crossRoundTrip(Kems.create(Backend.BOUNCY_CASTLE, algorithm), Kems.create(Backend.JDK, algorithm));
    }

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void sameRandomnessGivesSameCiphertextAndSecret(KemAlgorithm algorithm) {
        Kem jdk = Kems.create(Backend.JDK, algorithm);
        Kem bc = Kems.create(Backend.BOUNCY_CASTLE, algorithm);
        byte[] randomness = KemRoundTripTest.random(algorithm.encapsulationRandomnessLength());
        try (KemKeyPair pair = jdk.generateKeyPair()) {
            KemEncapsulation a = jdk.encapsulate(pair.publicKey(), randomness);
            KemEncapsulation b = bc.encapsulate(pair.publicKey(), randomness);
            assertArrayEquals(a.ciphertext(), b.ciphertext());
            assertTrue(a.sharedSecret().equalsConstantTime(b.sharedSecret()));
        }
    }

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void implicitRejectionKeysAgree(KemAlgorithm algorithm) {
        Kem jdk = Kems.create(Backend.JDK, algorithm);
        Kem bc = Kems.create(Backend.BOUNCY_CASTLE, algorithm);
        byte[] seed = Arrays.copyOf(seedBytes, algorithm.seedLength());
        try (KemKeyPair a = jdk.deriveKeyPair(seed); KemKeyPair b = bc.deriveKeyPair(seed)) {
            byte[] ct = jdk.encapsulate(a.publicKey()).ciphertext();
            ct[ct.length / 3] ^= 1;
            try (SecretBytes x = jdk.decapsulate(a.privateKey(), ct); SecretBytes y = bc.decapsulate(b.privateKey(), ct)) {
                assertTrue(x.equalsConstantTime(y), "both backends must derive the same FIPS 203 implicit-rejection key");
            }
        }
    }

    @Test
    void privateKeyOfAnotherBackendIsRefusedWithAClearMessage() {
        Kem jdk = Kems.create(Backend.JDK, KemAlgorithm.ML_KEM_768);
        Kem bc = Kems.create(Backend.BOUNCY_CASTLE, KemAlgorithm.ML_KEM_768);
        try (KemKeyPair pair = bc.generateKeyPair()) {
            byte[] ct = bc.encapsulate(pair.publicKey()).ciphertext();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jdk.decapsulate(pair.privateKey(), ct));
            assertTrue(e.getMessage().contains("import"), e.getMessage());
        }
    }

    @Test
    void xWingRejectsSmallOrderX25519PartOnTheJdk() {
        Kem jdk = Kems.create(Backend.JDK, KemAlgorithm.X25519_ML_KEM_768);
        try (KemKeyPair pair = jdk.generateKeyPair()) {
            byte[] pk = pair.publicKey().clone();
            Arrays.fill(pk, 1184, 1216, (byte) 0); // u = 0 is a small-order point
            assertThrows(InvalidPublicKeyException.class, () -> jdk.encapsulate(pk));
            byte[] ct = jdk.encapsulate(pair.publicKey()).ciphertext();
            Arrays.fill(ct, 1088, 1120, (byte) 0);
            assertThrows(InvalidCiphertextException.class, () -> jdk.decapsulate(pair.privateKey(), ct));
        }
    }

    private static void crossRoundTrip(Kem keyOwner, Kem sender) {
        try (KemKeyPair pair = keyOwner.generateKeyPair()) {
            KemEncapsulation sent = sender.encapsulate(pair.publicKey());
            try (SecretBytes s = sent.sharedSecret(); SecretBytes r = keyOwner.decapsulate(pair.privateKey(), sent.ciphertext())) {
                assertTrue(s.equalsConstantTime(r), keyOwner + " must decapsulate what " + sender + " encapsulated");
            }
            try (KemPrivateKey moved = sender.importPrivateKey(pair.privateKey().encoded().copy());
                 SecretBytes s2 = sender.decapsulate(moved, sent.ciphertext());
                 SecretBytes r2 = keyOwner.decapsulate(pair.privateKey(), sent.ciphertext())) {
                assertTrue(s2.equalsConstantTime(r2), "a private key exported from one backend works on the other");
            }
        }
    }
}
