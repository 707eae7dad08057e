package io.qgate.engine.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The unit that per-source bounds count (section 7 of {@code docs/PROTOCOL.md}): an IPv4 address,
 * or the /64 prefix of an IPv6 address. Anyone who holds one IPv6 address usually holds its whole
 * /64 (2^64 addresses), so a bound per IPv6 address would bound nothing; wireguard's
 * {@code ratelimiter.c} groups IPv6 sources by /64 for the same reason. An IPv4-mapped IPv6
 * address ({@code ::ffff:a.b.c.d}) is its IPv4 address.
 *
 * @param ipv6 whether {@code bits} are the upper 64 bits of an IPv6 address
 * @param bits the IPv4 address (unsigned, in the low 32 bits) or the IPv6 /64 prefix
 */
public record SourcePrefix(boolean ipv6, long bits) {
    private static final int IPV4_MAPPED_PREFIX = 12;

    /** The prefix {@code address} belongs to. */
    public static SourcePrefix of(InetAddress address) {
        byte[] raw = addressBytes(address);
        long bits = 0;
        for (int i = 0; i < Math.min(raw.length, Long.BYTES); i++) {
            bits = bits << 8 | (raw[i] & 0xFF);
        }
        return new SourcePrefix(raw.length == 16, bits);
    }

    /**
     * The address as it goes into a cookie: 4 bytes for IPv4 (and IPv4-mapped IPv6), 16 for
     * IPv6. The scope of a link-local IPv6 address is not part of it.
     */
    static byte[] addressBytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(raw)) {
            byte[] ipv4 = new byte[4];
            System.arraycopy(raw, IPV4_MAPPED_PREFIX, ipv4, 0, 4);
            return ipv4;
        }
        if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("a source address must be IPv4 or IPv6, not " + address);
        }
        return raw;
    }

    private static boolean isIpv4Mapped(byte[] raw) {
        for (int i = 0; i < 10; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
    }
}
