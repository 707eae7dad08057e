package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} over a {@link MemorySegment}
 * (layouts from {@code <netinet/in.h>} / {@code linux/in.h}, {@code linux/in6.h}).
 *
 * <pre>
 *   sockaddr_in  (16 bytes): family u16 (host order) | port u16 (network order) | addr[4]  | zero[8]
 *   sockaddr_in6 (28 bytes): family u16 (host order) | port u16 (network order) | flowinfo u32 (network)
 *                            | addr[16] | scope_id u32 (host order)
 * </pre>
 *
 * <p><b>IPv4 on dual-stack sockets.</b> A dual-stack ({@code IPV6_V6ONLY=0}) socket reports an
 * IPv4 peer as an IPv4-mapped {@code sockaddr_in6} ({@code ::ffff:a.b.c.d}). This class treats
 * such an address as the IPv4 address it stands for: {@link #decode} returns an
 * {@link Inet4Address}, and {@link #equals} finds a mapped {@code sockaddr_in6} equal to the
 * {@code sockaddr_in} with the same address and port. {@link #of} always encodes an IPv4 address as
 * a plain {@code sockaddr_in}, which Linux accepts as a destination on a dual-stack IPv6 socket too,
 * so a peer table can hold one encoding per peer whatever the socket's family.
 */
public final class Sockaddr {
    /** {@code AF_INET} ({@code bits/socket.h}). */
    public static final int AF_INET = 2;
    /** {@code AF_INET6} ({@code bits/socket.h}). */
    public static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_BYTES = 16;
    /** {@code sizeof(struct sockaddr_in6)}; also enough room for either family. */
    public static final int IN6_BYTES = 28;

    private static final ValueLayout.OfShort FAMILY = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final long PORT_OFFSET = 2;
    private static final long IN_ADDR_OFFSET = 4;
    private static final long IN6_ADDR_OFFSET = 8;
    private static final long IN6_SCOPE_OFFSET = 24;
    /** The 4 bytes of a mapped IPv4 address sit at the end of the 16-byte IPv6 address. */
    private static final long IN6_MAPPED_V4_OFFSET = IN6_ADDR_OFFSET + 12;
    /** Bytes 8..11 of an IPv4-mapped address: 00 00 ff ff, read as one native int. */
    private static final int MAPPED_MARKER = MemorySegment.ofArray(new byte[] {0, 0, (byte) 0xff, (byte) 0xff})
        .get(ValueLayout.JAVA_INT_UNALIGNED, 0);

    private Sockaddr() {
    }

    /** The byte length of {@code address} encoded: {@link #IN_BYTES} or {@link #IN6_BYTES}. */
    public static int length(InetSocketAddress address) {
        return resolved(address) instanceof Inet4Address ? IN_BYTES : IN6_BYTES;
    }

    /** {@code address} encoded in a new segment of exactly {@link #length} bytes from {@code arena}. */
    public static MemorySegment of(InetSocketAddress address, Arena arena) {
        MemorySegment segment = arena.allocate(length(address), 4);
        write(address, segment);
        return segment;
    }

    /**
     * Encodes {@code address} at the start of {@code target} and returns its length. Bytes of
     * {@code target} past that length are left as they were.
     *
     * @throws IllegalArgumentException if the address is unresolved or {@code target} is too small
     */
    public static int write(InetSocketAddress address, MemorySegment target) {
        InetAddress ip = resolved(address);
        int length = ip instanceof Inet4Address ? IN_BYTES : IN6_BYTES;
        if (target.byteSize() < length) {
            throw new IllegalArgumentException("a sockaddr for " + address + " needs " + length
                + " bytes, the target has " + target.byteSize());
        }
        target.asSlice(0, length).fill((byte) 0);
        target.set(PORT, PORT_OFFSET, (short) address.getPort());
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            target.set(FAMILY, 0, (short) AF_INET);
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, IN_ADDR_OFFSET, 4);
        } else {
            target.set(FAMILY, 0, (short) AF_INET6);
            MemorySegment.copy(bytes, 0, target, ValueLayout.JAVA_BYTE, IN6_ADDR_OFFSET, 16);
            target.set(INT, IN6_SCOPE_OFFSET, ((Inet6Address) ip).getScopeId());
        }
        return length;
    }

    /**
     * Decodes the first {@code length} bytes of {@code segment} (cold path: allocates). An
     * IPv4-mapped IPv6 address comes back as an {@link Inet4Address}.
     *
     * @throws IllegalArgumentException if the family is neither IPv4 nor IPv6, or the length is
     *     too short for the family
     */
    public static InetSocketAddress decode(MemorySegment segment, int length) {
        if (length < 2 || segment.byteSize() < length) {
            throw new IllegalArgumentException("a sockaddr of " + length + " bytes cannot be decoded from "
                + segment.byteSize() + " bytes");
        }
        int family = family(segment);
        int port = Short.toUnsignedInt(segment.get(PORT, PORT_OFFSET));
        try {
            if (family == AF_INET && length >= IN_BYTES) {
                byte[] ip = segment.asSlice(IN_ADDR_OFFSET, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port);
            }
            if (family == AF_INET6 && length >= IN6_BYTES) {
                byte[] ip = segment.asSlice(IN6_ADDR_OFFSET, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = segment.get(INT, IN6_SCOPE_OFFSET);
                // A mapped address becomes an Inet4Address here; scope 0 means none, not "%0".
                InetAddress address = isMapped(segment) || scope == 0
                    ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, port);
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        throw new IllegalArgumentException("sockaddr family " + family + " with length " + length
            + " is not IPv4 (" + AF_INET + ", " + IN_BYTES + " bytes) or IPv6 (" + AF_INET6 + ", " + IN6_BYTES + " bytes)");
    }

    /** The address family ({@link #AF_INET}, {@link #AF_INET6}, or another) at the start of {@code segment}. */
    public static int family(MemorySegment segment) {
        return Short.toUnsignedInt(segment.get(FAMILY, 0));
    }

    /** The port of an IPv4 or IPv6 sockaddr. */
    public static int port(MemorySegment segment) {
        return Short.toUnsignedInt(segment.get(PORT, PORT_OFFSET));
    }

    /**
     * Whether {@code a} and {@code b} name the same endpoint: same family, port and address, and for
     * IPv6 the same scope id; the IPv6 flow label and the padding are ignored. An IPv4-mapped
     * {@code sockaddr_in6} (scope 0) equals the {@code sockaddr_in} it maps. Segments too short for
     * the family they claim, and families other than IPv4 and IPv6, are equal to nothing.
     *
     * <p>Hot path: no allocation; a handful of word compares.
     */
    public static boolean equals(MemorySegment a, MemorySegment b) {
        if (a.byteSize() < IN_BYTES || b.byteSize() < IN_BYTES) {
            return false;
        }
        int familyA = family(a);
        int familyB = family(b);
        if (familyA == familyB) {
            if (familyA == AF_INET) {
                // family + port, then the address
                return a.get(INT, 0) == b.get(INT, 0) && a.get(INT, IN_ADDR_OFFSET) == b.get(INT, IN_ADDR_OFFSET);
            }
            return familyA == AF_INET6
                && a.byteSize() >= IN6_BYTES && b.byteSize() >= IN6_BYTES
                && a.get(INT, 0) == b.get(INT, 0)
                && a.get(LONG, IN6_ADDR_OFFSET) == b.get(LONG, IN6_ADDR_OFFSET)
                && a.get(LONG, IN6_ADDR_OFFSET + 8) == b.get(LONG, IN6_ADDR_OFFSET + 8)
                && a.get(INT, IN6_SCOPE_OFFSET) == b.get(INT, IN6_SCOPE_OFFSET);
        }
        if (familyA == AF_INET && familyB == AF_INET6) {
            return mappedEquals(b, a);
        }
        if (familyA == AF_INET6 && familyB == AF_INET) {
            return mappedEquals(a, b);
        }
        return false;
    }

    private static boolean mappedEquals(MemorySegment v6, MemorySegment v4) {
        return v6.byteSize() >= IN6_BYTES
            && isMapped(v6)
            && v6.get(INT, IN6_SCOPE_OFFSET) == 0
            && v6.get(PORT, PORT_OFFSET) == v4.get(PORT, PORT_OFFSET)
            && v6.get(INT, IN6_MAPPED_V4_OFFSET) == v4.get(INT, IN_ADDR_OFFSET);
    }

    private static boolean isMapped(MemorySegment v6) {
        return v6.get(LONG, IN6_ADDR_OFFSET) == 0 && v6.get(INT, IN6_ADDR_OFFSET + 8) == MAPPED_MARKER;
    }

    private static InetAddress resolved(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("the socket address " + address
                + " is unresolved: resolve the host name before opening or sending");
        }
        return ip;
    }
}
