package io.qgate.engine.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Longest-prefix match from IP addresses to peer ids (small non-negative ints), for both
 * directions of the data plane: outbound, the destination picks the peer; inbound, the source
 * must map back to the peer the packet came from.
 *
 * <p>One hash table per prefix length in use, probed from the longest length down: a lookup is
 * at most (number of distinct lengths) probes, with no allocation. IPv6 prefixes key on the
 * masked high 64 bits and keep the low 64 bits in a chain.
 *
 * <p><b>Threads:</b> immutable once built ({@link Builder#build}), so any number of data-plane
 * threads may look up concurrently; a new table replaces an old one by publication (a volatile
 * field in the owner).
 */
public final class AllowedIps {
    /** What {@link #lookup4} and {@link #lookup6} return when no prefix matches. */
    public static final int NONE = -1;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int[] lengths4;
    private final Int2IntHashMap[] tables4;
    private final int[] lengths6;
    private final Long2ObjectHashMap<?>[] tables6;
    private final List<Entry> entries;

    /** One prefix and its peer. */
    public record Entry(IpPrefix prefix, int peer) {
    }

    private record V6(long low, int peer, V6 next) {
    }

    private AllowedIps(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        boolean[] used4 = new boolean[33];
        boolean[] used6 = new boolean[129];
        for (Entry e : entries) {
            (e.prefix().isV4() ? used4 : used6)[e.prefix().length()] = true;
        }
        lengths4 = descending(used4);
        lengths6 = descending(used6);
        tables4 = new Int2IntHashMap[33];
        tables6 = new Long2ObjectHashMap<?>[129];
        for (Entry e : entries) {
            byte[] a = e.prefix().address();
            int len = e.prefix().length();
            if (a.length == 4) {
                Int2IntHashMap t = tables4[len];
                if (t == null) {
                    t = tables4[len] = new Int2IntHashMap(NONE);
                }
                t.put(toInt(a, 0), e.peer());
            } else {
                @SuppressWarnings("unchecked")
                Long2ObjectHashMap<V6> t = (Long2ObjectHashMap<V6>) tables6[len];
                if (t == null) {
                    t = new Long2ObjectHashMap<>();
                    tables6[len] = t;
                }
                long high = toLong(a, 0);
                t.put(high, new V6(toLong(a, 8), e.peer(), t.get(high)));
            }
        }
    }

    /** An empty table. */
    public static AllowedIps empty() {
        return new AllowedIps(List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The prefixes in this table. */
    public List<Entry> entries() {
        return entries;
    }

    /** The peer whose prefix is the longest match for the IPv4 address at {@code segment[offset]}, or {@link #NONE}. */
    public int lookup4(MemorySegment segment, long offset) {
        return lookup4(segment.get(U32, offset));
    }

    /** The longest match for an IPv4 address given as a big-endian int. */
    public int lookup4(int address) {
        for (int len : lengths4) {
            int masked = len == 0 ? 0 : address & (int) (0xFFFF_FFFFL << (32 - len));
            int peer = tables4[len].get(masked);
            if (peer != NONE) {
                return peer;
            }
        }
        return NONE;
    }

    /** The peer whose prefix is the longest match for the IPv6 address at {@code segment[offset]}, or {@link #NONE}. */
    public int lookup6(MemorySegment segment, long offset) {
        return lookup6(segment.get(U64, offset), segment.get(U64, offset + 8));
    }

    /** The longest match for an IPv6 address given as two big-endian longs. */
    public int lookup6(long high, long low) {
        for (int len : lengths6) {
            long maskHigh = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
            long maskLow = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
            @SuppressWarnings("unchecked")
            V6 v = ((Long2ObjectHashMap<V6>) tables6[len]).get(high & maskHigh);
            long low2 = low & maskLow;
            for (; v != null; v = v.next()) {
                if (v.low() == low2) {
                    return v.peer();
                }
            }
        }
        return NONE;
    }

    /** The longest match for an address of 4 or 16 bytes (cold path: tests, configuration checks). */
    public int lookup(byte[] address) {
        return switch (address.length) {
            case 4 -> lookup4(toInt(address, 0));
            case 16 -> lookup6(toLong(address, 0), toLong(address, 8));
            default -> throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        };
    }

    private static int[] descending(boolean[] used) {
        int[] out = new int[used.length];
        int n = 0;
        for (int len = used.length - 1; len >= 0; len--) {
            if (used[len]) {
                out[n++] = len;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int toInt(byte[] a, int off) {
        return (a[off] & 0xFF) << 24 | (a[off + 1] & 0xFF) << 16 | (a[off + 2] & 0xFF) << 8 | (a[off + 3] & 0xFF);
    }

    private static long toLong(byte[] a, int off) {
        return (long) toInt(a, off) << 32 | (toInt(a, off + 4) & 0xFFFF_FFFFL);
    }

    /** Collects prefixes; a prefix given twice is an error (two peers cannot own one range). */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        /**
         * Adds {@code prefix} for {@code peer}.
         *
         * @throws IllegalArgumentException if the prefix is already owned (naming both) or peer is negative
         */
        public Builder add(IpPrefix prefix, int peer) {
            if (peer < 0) {
                throw new IllegalArgumentException("peer id " + peer + " is negative");
            }
            for (Entry e : entries) {
                if (e.prefix().equals(prefix)) {
                    throw new IllegalArgumentException("allowed IP range " + prefix + " appears twice (a range belongs to one peer, once)");
                }
            }
            entries.add(new Entry(prefix, peer));
            return this;
        }

        public AllowedIps build() {
            return new AllowedIps(entries);
        }
    }
}
