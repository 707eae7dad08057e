package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HandshakeRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long INTERVAL = SECOND / Protocol.HANDSHAKE_RATE_PER_SECOND;
    private static final InetAddress ALICE = Datagrams.source("192.0.2.1", 1).getAddress();

    private final HandshakeRateLimiter limiter = new HandshakeRateLimiter();

    @Test
    void allowsABurstOfFiveThenRefuses() {
        for (int i = 0; i < Protocol.HANDSHAKE_RATE_BURST; i++) {
            assertTrue(limiter.tryAcquire(ALICE, 0), "initiation " + i);
        }
        assertFalse(limiter.tryAcquire(ALICE, 0));
        assertFalse(limiter.tryAcquire(ALICE, INTERVAL - 1));
    }

    @Test
    void refillsTwentyPerSecondAfterTheBurst() {
        for (int i = 0; i < Protocol.HANDSHAKE_RATE_BURST; i++) {
            limiter.tryAcquire(ALICE, 0);
        }
        int allowed = 0;
        for (long t = 0; t <= SECOND; t += INTERVAL / 10) {
            allowed += limiter.tryAcquire(ALICE, t) ? 1 : 0;
        }
        assertEquals(Protocol.HANDSHAKE_RATE_PER_SECOND, allowed);
        assertTrue(limiter.tryAcquire(ALICE, SECOND + INTERVAL));
        assertFalse(limiter.tryAcquire(ALICE, SECOND + INTERVAL));
    }

    @Test
    void aLongSilenceRestoresOnlyTheBurst() {
        limiter.tryAcquire(ALICE, 0);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += limiter.tryAcquire(ALICE, 3_600 * SECOND) ? 1 : 0;
        }
        assertEquals(Protocol.HANDSHAKE_RATE_BURST, allowed);
    }

    @Test
    void limitsAnIpv4AddressWhateverThePortAndOthersIndependently() {
        for (int i = 0; i < Protocol.HANDSHAKE_RATE_BURST; i++) {
            limiter.tryAcquire(ALICE, 0);
        }
        assertFalse(limiter.tryAcquire(Datagrams.source("192.0.2.1", 9).getAddress(), 0));
        assertTrue(limiter.tryAcquire(Datagrams.source("192.0.2.2", 1).getAddress(), 0));
    }

    @Test
    void limitsAnIpv6Slash64AsOneSource() {
        for (int i = 0; i < Protocol.HANDSHAKE_RATE_BURST; i++) {
            assertTrue(limiter.tryAcquire(Datagrams.source("2001:db8:0:1::" + (i + 1), 1).getAddress(), 0));
        }
        assertFalse(limiter.tryAcquire(Datagrams.source("2001:db8:0:1:ffff::9", 1).getAddress(), 0));
        assertTrue(limiter.tryAcquire(Datagrams.source("2001:db8:0:2::1", 1).getAddress(), 0));
    }

    @Test
    void aFullTableRefusesNewSourcesUntilSomeHaveBeenIdleForASecond() {
        for (int n = 0; n < HandshakeRateLimiter.MAX_SOURCES; n++) {
            assertTrue(limiter.tryAcquire(Datagrams.ipv4(n).getAddress(), 0));
        }
        assertEquals(HandshakeRateLimiter.MAX_SOURCES, limiter.size());
        InetAddress newcomer = Datagrams.ipv4(HandshakeRateLimiter.MAX_SOURCES).getAddress();
        assertFalse(limiter.tryAcquire(newcomer, HandshakeRateLimiter.IDLE_TIMEOUT));
        assertEquals(1, limiter.refusedForFullTable());
        assertTrue(limiter.tryAcquire(Datagrams.ipv4(7).getAddress(), HandshakeRateLimiter.IDLE_TIMEOUT),
            "a known source keeps its rate while the table is full");

        assertTrue(limiter.tryAcquire(newcomer, HandshakeRateLimiter.IDLE_TIMEOUT + 1));
        assertEquals(2, limiter.size(), "every source idle for more than a second was forgotten");
        assertEquals(1, limiter.refusedForFullTable());
    }

    @Test
    void expireForgetsOnlySourcesIdleForMoreThanASecond() {
        limiter.tryAcquire(ALICE, 0);
        limiter.tryAcquire(Datagrams.ipv4(1).getAddress(), SECOND / 2);
        limiter.expire(HandshakeRateLimiter.IDLE_TIMEOUT);
        assertEquals(2, limiter.size());
        limiter.expire(HandshakeRateLimiter.IDLE_TIMEOUT + 1);
        assertEquals(1, limiter.size());
        limiter.tryAcquire(Datagrams.ipv4(1).getAddress(), 2 * SECOND);
        limiter.expire(2 * SECOND + 1);
        assertEquals(1, limiter.size());
    }
}
