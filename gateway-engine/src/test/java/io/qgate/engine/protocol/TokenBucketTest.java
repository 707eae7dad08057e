package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long MS = 1_000_000L;

    @Test
    void allowsTheBurstAtOnceThenOneEventPerIntervalAndNeverMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 3, 0); // one per 100 ms, three at once
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryTake(0), "burst event " + i);
        }
        assertFalse(bucket.tryTake(0), "the burst is spent");
        assertFalse(bucket.tryTake(99 * MS), "99 ms earn less than one event");
        assertTrue(bucket.tryTake(100 * MS));
        assertFalse(bucket.tryTake(100 * MS));
        int taken = 0;
        while (bucket.tryTake(60_000 * MS)) { // a minute idle refills to the burst, not beyond
            taken++;
        }
        assertEquals(3, taken);
        assertEquals(60_000 * MS, bucket.lastNanos());
    }

    @Test
    void aTimeBeforeTheLastAddsNoCredit() {
        TokenBucket bucket = new TokenBucket(1, 1, 1_000 * MS);
        assertTrue(bucket.tryTake(1_000 * MS));
        assertFalse(bucket.tryTake(0), "going back in time earns nothing");
    }

    @Test
    void refusesARateOrBurstBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 5, 0));
        assertEquals("a token bucket needs a rate and a burst of at least 1, not 0 and 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(5, 0, 0));
    }
}
