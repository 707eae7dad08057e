package io.qgate.crypto.kem;

import io.qgate.crypto.InvalidPublicKeyException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.SecretBytes;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class X25519Test {
    @Test
    void bothSidesAgreeOnTheSameSecret() {
        try (SecretBytes a = X25519.generatePrivateKey(); SecretBytes b = X25519.generatePrivateKey()) {
            byte[] pa = X25519.publicKey(a);
            byte[] pb = X25519.publicKey(b);
            assertFalse(java.util.Arrays.equals(pa, pb));
            try (SecretBytes ab = X25519.agree(a, pb); SecretBytes ba = X25519.agree(b, pa)) {
                assertTrue(ab.equalsConstantTime(ba));
                assertEquals(32, ab.length());
            }
        }
    }

    @Test
    void publicKeyIsDeterministicAndIgnoresClampedBits() {
        byte[] k = KemRoundTripTest.random(32);
        byte[] clampedAway = k.clone();
        clampedAway[0] ^= 0x07; // the three low bits are cleared by clamping (RFC 7748 section 5)
        assertArrayEquals(X25519.publicKey(k), X25519.publicKey(k.clone()));
        assertArrayEquals(X25519.publicKey(k), X25519.publicKey(clampedAway));
    }

    @Test
    void rejectsSmallOrderPointsThatGiveAnAllZeroSecret() {
        byte[] k = KemRoundTripTest.random(32);
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class, () -> X25519.agree(k, zero));
        assertTrue(e.getMessage().contains("small-order"), e.getMessage());
        assertThrows(InvalidPublicKeyException.class, () -> X25519.agree(k, one));
    }

    @Test
    void rejectsKeysOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[31], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> X25519.agree(new byte[32], new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> X25519.publicKey(new byte[0]));
    }

    @Test
    void decodesLittleEndianMasksTheTopBitAndReducesModuloP() {
        byte[] u = new byte[32];
        u[0] = 9;
        assertEquals(BigInteger.valueOf(9), X25519.decodeU(u));
        u[31] = (byte) 0x80;
        assertEquals(BigInteger.valueOf(9), X25519.decodeU(u), "the top bit is masked");
        byte[] pPlusTwo = new byte[32];
        java.util.Arrays.fill(pPlusTwo, (byte) 0xff);
        pPlusTwo[0] = (byte) 0xed + 2; // p = 2^255 - 19 is ed ff .. ff 7f little-endian
        pPlusTwo[31] = 0x7f;
        assertEquals(BigInteger.TWO, X25519.decodeU(pPlusTwo), "a non-canonical u is reduced modulo p");
    }
}
