package io.qgate.engine.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerifiedSignatureCacheTest {
    @Test
    void remembersIdsByContentNotByArray() {
        VerifiedSignatureCache cache = new VerifiedSignatureCache(4);
        cache.add(id(1));
        assertTrue(cache.contains(id(1)));
        assertFalse(cache.contains(id(2)));
    }

    @Test
    void forgetsTheLeastRecentlyUsedIdWhenFull() {
        VerifiedSignatureCache cache = new VerifiedSignatureCache(2);
        cache.add(id(1));
        cache.add(id(2));
        assertTrue(cache.contains(id(1)));
        cache.add(id(3));
        assertEquals(2, cache.size());
        assertTrue(cache.contains(id(1)), "recently used");
        assertFalse(cache.contains(id(2)), "least recently used");
        assertTrue(cache.contains(id(3)));
    }

    @Test
    void staysBoundedUnderManyIds() {
        VerifiedSignatureCache cache = new VerifiedSignatureCache(TrustStore.VERIFIED_CACHE_CAPACITY);
        for (int i = 0; i < 3 * TrustStore.VERIFIED_CACHE_CAPACITY; i++) {
            cache.add(id(i));
        }
        assertEquals(TrustStore.VERIFIED_CACHE_CAPACITY, cache.size());
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new VerifiedSignatureCache(0));
    }

    private static byte[] id(int n) {
        byte[] id = new byte[Certificate.ID_LENGTH];
        java.nio.ByteBuffer.wrap(id).putInt(n);
        return id;
    }
}
