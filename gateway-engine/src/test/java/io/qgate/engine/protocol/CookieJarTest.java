package io.qgate.engine.protocol;

import static io.qgate.engine.protocol.Datagrams.source;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.FixedRandom;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kdf.Kmac256;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CookieJarTest {
    private static final long LIFETIME = Protocol.COOKIE_SECRET_LIFETIME;
    private static final InetSocketAddress ALICE = source("192.0.2.1", 51_820);
    private static final int INDEX = 0x01020304;

    private final CookieJar jar = new CookieJar(new SecureRandom(), 1_000);

    @Test
    void cookieIsKmacOfIpv4AddressPortAndIndex() {
        assertCookieIsKmacOf(ALICE, new byte[] {(byte) 192, 0, 2, 1, (byte) 0xCA, 0x6C, 1, 2, 3, 4});
    }

    @Test
    void cookieIsKmacOfIpv6AddressPortAndIndex() {
        assertCookieIsKmacOf(source("2001:db8::5", 443), new byte[] {
            0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0x01, (byte) 0xBB, 1, 2, 3, 4});
    }

    @Test
    void isValidForTheSameSourceAndIndexOnly() {
        byte[] cookie = jar.cookie(ALICE, INDEX, 1_000);
        assertEquals(Protocol.COOKIE_LENGTH, cookie.length);
        assertTrue(jar.isValid(cookie, ALICE, INDEX, 2_000));
        assertFalse(jar.isValid(cookie, source("192.0.2.1", 51_821), INDEX, 2_000));
        assertFalse(jar.isValid(cookie, source("192.0.2.2", 51_820), INDEX, 2_000));
        assertFalse(jar.isValid(cookie, source("::ffff:192.0.2.3", 51_820), INDEX, 2_000));
        assertFalse(jar.isValid(cookie, ALICE, INDEX + 1, 2_000));
        cookie[15] ^= 1;
        assertFalse(jar.isValid(cookie, ALICE, INDEX, 2_000));
    }

    @Test
    void anIpv4MappedIpv6SourceGetsItsIpv4Cookie() {
        byte[] cookie = jar.cookie(ALICE, INDEX, 1_000);
        assertTrue(jar.isValid(cookie, source("::ffff:192.0.2.1", 51_820), INDEX, 1_000));
    }

    @Test
    void rejectsCookiesOfAnotherLengthAndTheZeroCookie() {
        assertFalse(jar.isValid(null, ALICE, INDEX, 1_000));
        assertFalse(jar.isValid(new byte[15], ALICE, INDEX, 1_000));
        assertFalse(jar.isValid(new byte[32], ALICE, INDEX, 1_000));
        assertFalse(jar.isValid(new byte[16], ALICE, INDEX, 1_000));
    }

    @Test
    void staysValidAfterOneRotationAndNotAfterTwo() {
        byte[] cookie = jar.cookie(ALICE, INDEX, 1_000 + LIFETIME - 1);
        assertTrue(jar.isValid(cookie, ALICE, INDEX, 1_000 + LIFETIME));
        assertFalse(Arrays.equals(cookie, jar.cookie(ALICE, INDEX, 1_000 + LIFETIME)));
        assertTrue(jar.isValid(cookie, ALICE, INDEX, 1_000 + 2 * LIFETIME - 1));
        assertFalse(jar.isValid(cookie, ALICE, INDEX, 1_000 + 2 * LIFETIME));
    }

    @Test
    void rotatesOnAFixedScheduleFromConstruction() {
        byte[] early = jar.cookie(ALICE, INDEX, 1_000 + LIFETIME + LIFETIME / 2);
        assertTrue(jar.isValid(early, ALICE, INDEX, 1_000 + 3 * LIFETIME - 1));
        assertFalse(jar.isValid(early, ALICE, INDEX, 1_000 + 3 * LIFETIME));
    }

    @Test
    void wipesARetiredSecretAndBothAfterALongSilence() {
        Kmac256 first = jar.currentSecret();
        jar.cookie(ALICE, INDEX, 1_000 + LIFETIME);
        Kmac256 second = jar.currentSecret();
        assertNotSame(first, second);
        assertFalse(first.isDestroyed(), "the previous secret is still accepted");
        jar.cookie(ALICE, INDEX, 1_000 + 2 * LIFETIME);
        assertTrue(first.isDestroyed());
        assertFalse(second.isDestroyed());

        byte[] cookie = jar.cookie(ALICE, INDEX, 1_000 + 2 * LIFETIME);
        Kmac256 third = jar.currentSecret();
        jar.cookie(ALICE, INDEX, 1_000 + 10 * LIFETIME);
        assertTrue(second.isDestroyed());
        assertTrue(third.isDestroyed());
        assertFalse(jar.isValid(cookie, ALICE, INDEX, 1_000 + 10 * LIFETIME));
    }

    @Test
    void closeWipesBothSecrets() {
        Kmac256 first = jar.currentSecret();
        jar.cookie(ALICE, INDEX, 1_000 + LIFETIME);
        Kmac256 second = jar.currentSecret();
        jar.close();
        assertTrue(first.isDestroyed());
        assertTrue(second.isDestroyed());
        assertThrows(IllegalStateException.class, () -> jar.cookie(ALICE, INDEX, 1_000 + LIFETIME));
    }

    @Test
    void refusesAnUnresolvedSource() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("gateway.example", 443);
        assertThrows(IllegalArgumentException.class, () -> jar.cookie(unresolved, INDEX, 1_000));
        assertThrows(IllegalArgumentException.class, () -> jar.isValid(new byte[16], unresolved, INDEX, 1_000));
    }

    private static void assertCookieIsKmacOf(InetSocketAddress source, byte[] expectedInput) {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (0x40 + i);
        }
        byte[] expected = Kmac256.mac(SecretBytes.copyOf(secret), expectedInput, 16,
            "qgate-v1 cookie".getBytes(StandardCharsets.US_ASCII));
        CookieJar known = new CookieJar(FixedRandom.of(secret), 0);
        assertArrayEquals(expected, known.cookie(source, INDEX, 0));
    }
}
