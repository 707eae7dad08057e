package io.qgate.engine.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.0/24} or {@code fd00::/64}, with the host bits
 * cleared. Parsed from literals only (never a DNS lookup).
 *
 * @param address the network address, 4 or 16 bytes, host bits zero
 * @param length the prefix length, 0..32 or 0..128
 */
public record IpPrefix(byte[] address, int length) {
    public IpPrefix {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + address.length * 8);
        }
        address = mask(address.clone(), length);
    }

    /**
     * Parses {@code a.b.c.d/n}, {@code x:y::z/n}, or an address alone (a host prefix, /32 or /128).
     *
     * @throws IllegalArgumentException naming the text if it is not a prefix literal
     */
    public static IpPrefix parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = parseAddress(addressText, text);
        int length = bytes.length * 8;
        if (slash >= 0) {
            String lengthText = t.substring(slash + 1);
            if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("'" + text + "' is not an IP prefix: the length after '/' must be a number");
            }
            length = Integer.parseInt(lengthText);
            if (length > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' is not an IP prefix: the length must be at most " + bytes.length * 8);
            }
        }
        return new IpPrefix(bytes, length);
    }

    /** The bytes of an IPv4 or IPv6 literal; never resolves a name. */
    static byte[] parseAddress(String literal, String context) {
        boolean v4 = !literal.isEmpty() && literal.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = literal.indexOf(':') >= 0 && literal.chars().allMatch(c -> c == ':' || c == '.'
            || Character.digit(c, 16) >= 0);
        if (v4) {
            String[] parts = literal.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + context + "' is not an IP address or prefix");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || Integer.parseInt(parts[i]) > 255) {
                    throw new IllegalArgumentException("'" + context + "' is not an IP address or prefix");
                }
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return bytes;
        }
        if (v6) {
            try {
                InetAddress parsed = InetAddress.ofLiteral(literal);
                byte[] bytes = parsed.getAddress();
                if (parsed instanceof Inet4Address) {
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xFF;
                    mapped[11] = (byte) 0xFF;
                    System.arraycopy(bytes, 0, mapped, 12, 4);
                    return mapped;
                }
                return bytes;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + context + "' is not an IP address or prefix");
            }
        }
        throw new IllegalArgumentException("'" + context + "' is not an IP address or prefix");
    }

    private static byte[] mask(byte[] bytes, int length) {
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        return bytes;
    }

    /** Whether this is an IPv4 prefix. */
    public boolean isV4() {
        return address.length == 4;
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** The network address as an {@link InetAddress}. */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    /** Whether {@code other} (4 or 16 bytes) lies inside this prefix. */
    public boolean contains(byte[] other) {
        if (other.length != address.length) {
            return false;
        }
        return Arrays.equals(mask(other.clone(), length), address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + length;
    }

    @Override
    public String toString() {
        return format(address) + "/" + length;
    }

    /**
     * An address as text: dotted IPv4, or IPv6 with its longest run of two or more zero groups
     * written as {@code ::} (RFC 5952), such as {@code fd41::1}.
     */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
