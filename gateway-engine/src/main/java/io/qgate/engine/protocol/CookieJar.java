package io.qgate.engine.protocol;

import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.kdf.Kmac256;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The responder's stateless cookies, section 7 of {@code docs/PROTOCOL.md}:
 * {@code cookie = KMAC256(cookie_secret, source_ip ‖ u16 source_port ‖ u32 sender_index, 128,
 * "qgate-v1 cookie")}, IPv4 addresses as 4 bytes, IPv6 as 16. The secret is 32 random bytes,
 * replaced every {@link Protocol#COOKIE_SECRET_LIFETIME} on a fixed schedule from construction; a
 * cookie made with the current or the previous secret is valid, so a cookie lives between one
 * and two lifetimes. A secret exists only as keyed KMAC state, which is destroyed when the secret
 * is retired (or when the jar is closed), so nothing here can recompute an old cookie.
 *
 * <p>Not thread-safe: one thread (the control thread) owns an instance. Times are
 * {@link System#nanoTime()} values and must not go backwards.
 */
public final class CookieJar implements AutoCloseable {
    private static final byte[] CUSTOMIZATION = "qgate-v1 cookie".getBytes(StandardCharsets.US_ASCII);
    private static final int SECRET_LENGTH = 32;

    private final SecureRandom random;
    private Kmac256 current;
    private Kmac256 previous;
    private long currentSinceNanos;

    /** A jar whose first secret, drawn from {@code random}, starts its lifetime at {@code nowNanos}. */
    public CookieJar(SecureRandom random, long nowNanos) {
        this.random = random;
        this.current = newSecret();
        this.currentSinceNanos = nowNanos;
    }

    /** The 16-byte cookie for {@code source} and the initiator's {@code senderIndex}, under the current secret. */
    public byte[] cookie(InetSocketAddress source, int senderIndex, long nowNanos) {
        byte[] input = input(source, senderIndex);
        rotateIfDue(nowNanos);
        return current.mac(input, Protocol.COOKIE_LENGTH);
    }

    /**
     * Whether {@code cookie} is the cookie of {@code source} and {@code senderIndex} under the
     * current or the previous secret, compared in constant time. A cookie of another length
     * (including the all-zero "no cookie" of an initiation, which is 16 bytes but never matches
     * except by a 2^-128 chance) is simply invalid.
     */
    public boolean isValid(byte[] cookie, InetSocketAddress source, int senderIndex, long nowNanos) {
        byte[] input = input(source, senderIndex);
        if (cookie == null || cookie.length != Protocol.COOKIE_LENGTH) {
            return false;
        }
        rotateIfDue(nowNanos);
        boolean valid = current.verify(input, cookie);
        if (previous != null) {
            valid |= previous.verify(input, cookie);
        }
        return valid;
    }

    /** Destroys both secrets; the jar cannot be used afterwards. */
    @Override
    public void close() {
        retire(previous);
        retire(current);
        previous = null;
    }

    /** The keyed state of the current secret, for tests that check it is destroyed. */
    Kmac256 currentSecret() {
        return current;
    }

    private void rotateIfDue(long nowNanos) {
        long age = nowNanos - currentSinceNanos;
        if (age < Protocol.COOKIE_SECRET_LIFETIME) {
            return;
        }
        long periods = age / Protocol.COOKIE_SECRET_LIFETIME;
        retire(previous);
        if (periods == 1) {
            previous = current;
        } else {
            retire(current);
            previous = null;
        }
        current = newSecret();
        currentSinceNanos += periods * Protocol.COOKIE_SECRET_LIFETIME;
    }

    private Kmac256 newSecret() {
        byte[] secret = new byte[SECRET_LENGTH];
        random.nextBytes(secret);
        try (SecretBytes key = SecretBytes.wrap(secret)) {
            return Kmac256.keyed(key, CUSTOMIZATION);
        }
    }

    private static void retire(Kmac256 secret) {
        if (secret != null) {
            secret.destroy();
        }
    }

    private static byte[] input(InetSocketAddress source, int senderIndex) {
        InetAddress address = source.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("source " + source + " is unresolved: cookies bind an IP address");
        }
        byte[] ip = SourcePrefix.addressBytes(address);
        byte[] input = new byte[ip.length + Short.BYTES + Integer.BYTES];
        System.arraycopy(ip, 0, input, 0, ip.length);
        MemorySegment out = MemorySegment.ofArray(input);
        WireFormat.putU16(out, ip.length, source.getPort());
        WireFormat.putU32(out, ip.length + Short.BYTES, senderIndex);
        return input;
    }
}
