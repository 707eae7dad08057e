package io.qgate.crypto.kem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.ffm.oqs.LibOqs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KemsTest {
    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void jdkAndBouncyCastleOfferEveryAlgorithm(KemAlgorithm algorithm) {
        for (Backend b : new Backend[] {Backend.JDK, Backend.BOUNCY_CASTLE}) {
            assertTrue(Kems.isAvailable(b, algorithm));
            assertNull(Kems.unavailableReason(b, algorithm));
            Kem kem = Kems.create(b, algorithm);
            assertEquals(algorithm, kem.algorithm());
            assertEquals(b, kem.backend());
        }
    }

    @Test
    void opensslOffersNoKemAndSaysWhatDoes() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
            () -> Kems.create(Backend.OPENSSL, KemAlgorithm.ML_KEM_768));
        assertTrue(e.getMessage().contains("jdk") && e.getMessage().contains("bouncycastle"), e.getMessage());
    }

    @Test
    void liboqsDoesNotOfferXWing() {
        assertFalse(Kems.isAvailable(Backend.LIBOQS, KemAlgorithm.X25519_ML_KEM_768));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
            () -> Kems.create(Backend.LIBOQS, KemAlgorithm.X25519_ML_KEM_768));
        assertTrue(e.getMessage().contains("jdk or bouncycastle"), e.getMessage());
    }

    @Test
    void absentLiboqsIsReportedWithItsReason() {
        assumeFalse(LibOqs.isAvailable(), "liboqs is installed here");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
            () -> Kems.create(Backend.LIBOQS, KemAlgorithm.ML_KEM_768));
        assertEquals(LibOqs.unavailableReason(), e.getMessage());
    }

    @Test
    void defaultBackendIsTheFastestPerAlgorithmAndFollowsTheSystemProperty() {
        String old = System.getProperty(Kems.BACKEND_PROPERTY);
        try {
            System.clearProperty(Kems.BACKEND_PROPERTY);
            assertEquals(Backend.JDK, Kems.defaultBackend(KemAlgorithm.ML_KEM_768));
            assertEquals(Backend.BOUNCY_CASTLE, Kems.defaultBackend(KemAlgorithm.X25519_ML_KEM_768));
            assertEquals(Backend.BOUNCY_CASTLE, Kems.create(KemAlgorithm.X25519_ML_KEM_768).backend());
            System.setProperty(Kems.BACKEND_PROPERTY, "jdk");
            assertEquals(Backend.JDK, Kems.defaultBackend(KemAlgorithm.X25519_ML_KEM_768));
            System.setProperty(Kems.BACKEND_PROPERTY, "bouncycastle");
            assertEquals(Backend.BOUNCY_CASTLE, Kems.defaultBackend(KemAlgorithm.ML_KEM_768));
            assertEquals(Backend.BOUNCY_CASTLE, Kems.create(KemAlgorithm.ML_KEM_512).backend());
            System.setProperty(Kems.BACKEND_PROPERTY, "nonsense");
            assertThrows(IllegalArgumentException.class, () -> Kems.defaultBackend(KemAlgorithm.ML_KEM_768));
        } finally {
            if (old == null) {
                System.clearProperty(Kems.BACKEND_PROPERTY);
            } else {
                System.setProperty(Kems.BACKEND_PROPERTY, old);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KemAlgorithm.class)
    void algorithmIdsRoundTrip(KemAlgorithm algorithm) {
        assertEquals(algorithm, KemAlgorithm.fromId(algorithm.id()));
        assertEquals(algorithm, KemAlgorithm.fromId(" " + algorithm.id().toUpperCase() + " "));
        assertEquals(32, algorithm.sharedSecretLength());
    }

    @Test
    void unknownAlgorithmIdListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KemAlgorithm.fromId("kyber768"));
        assertTrue(e.getMessage().contains("x25519-ml-kem-768") && e.getMessage().contains("kyber768"), e.getMessage());
    }
}
