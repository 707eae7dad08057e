package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixedRandomTest {
    @Test
    void servesTheConcatenatedPartsInOrderAcrossDraws() {
        FixedRandom random = FixedRandom.of(new byte[] {1, 2, 3}, new byte[] {4, 5});
        byte[] first = new byte[2];
        byte[] second = new byte[3];
        random.nextBytes(first);
        assertFalse(random.consumed());
        random.nextBytes(second);
        assertArrayEquals(new byte[] {1, 2}, first);
        assertArrayEquals(new byte[] {3, 4, 5}, second);
        assertTrue(random.consumed());
        random.finish("test");
    }

    @Test
    void refusesToServeMoreThanItWasGiven() {
        FixedRandom random = FixedRandom.zeros(4);
        var e = assertThrows(CryptoException.class, () -> random.nextBytes(new byte[5]));
        assertEquals("the provider asked for 5 random bytes where only 4 of the given 4 remain:"
            + " this provider derives keys differently, use the bouncycastle backend", e.getMessage());
    }

    @Test
    void finishFailsOnLeftoverBytesAndWipesThem() {
        byte[] seed = {7, 7, 7, 7};
        FixedRandom random = FixedRandom.of(seed);
        random.nextBytes(new byte[1]);
        var e = assertThrows(CryptoException.class, () -> random.finish("key generation"));
        assertEquals("key generation drew 1 of the 4 bytes it was given: this provider derives keys differently,"
            + " use the bouncycastle backend", e.getMessage());
        assertArrayEquals(new byte[] {7, 7, 7, 7}, seed, "the caller's array is not touched");
        byte[] after = new byte[3];
        assertThrows(CryptoException.class, () -> random.nextBytes(new byte[4]));
        random.nextBytes(after);
        assertArrayEquals(new byte[3], after, "the held copy was wiped");
    }
}
