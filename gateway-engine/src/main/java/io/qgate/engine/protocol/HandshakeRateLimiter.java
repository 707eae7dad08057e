package io.qgate.engine.protocol;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-source limit on initiations, section 7 of {@code docs/PROTOCOL.md}: a token bucket per
 * {@link SourcePrefix} (IPv4 address or IPv6 /64; the port is ignored) that allows a burst of
 * {@value Protocol#HANDSHAKE_RATE_BURST} and then {@value Protocol#HANDSHAKE_RATE_PER_SECOND} per
 * second, as wireguard's {@code ratelimiter.c}. Tokens are kept in nanoseconds of credit: one
 * initiation costs {@code 1 s / rate}, and the bucket holds at most {@code burst} initiations'
 * worth.
 *
 * <p>The table is bounded to {@value #MAX_SOURCES} sources. A source idle for more than
 * {@link #IDLE_TIMEOUT} has a full bucket, so forgetting it changes nothing; when the table is full,
 * such sources are dropped, and <b>if it is still full, a new source is refused, that is treated as
 * limited</b>: under a flood from more sources than the table holds, new sources wait until the
 * table drains, while known sources keep their rate. The least recently seen source is found in
 * constant time (the table is kept in access order), so a full table costs no scan.
 *
 * <p>Not thread-safe: one thread (the control thread) owns an instance. Times are
 * {@link System#nanoTime()} values and must not go backwards.
 */
public final class HandshakeRateLimiter {
    /** Sources tracked at most. */
    public static final int MAX_SOURCES = 65_536;
    /** A source not seen for longer than this (nanoseconds) is forgotten when room is needed. */
    public static final long IDLE_TIMEOUT = 1_000_000_000L;

    private final LinkedHashMap<SourcePrefix, TokenBucket> buckets = new LinkedHashMap<>(1024, 0.75f, true);
    private long refusedForFullTable;

    /**
     * Whether {@code source} may start an initiation now; if so, it is charged one.
     *
     * @return false if the source's bucket is empty, or if the table is full of sources seen
     *     within {@link #IDLE_TIMEOUT} and {@code source} is not one of them
     */
    public boolean tryAcquire(InetAddress source, long nowNanos) {
        SourcePrefix prefix = SourcePrefix.of(source);
        TokenBucket bucket = buckets.get(prefix);
        if (bucket == null) {
            if (buckets.size() >= MAX_SOURCES) {
                expire(nowNanos);
                if (buckets.size() >= MAX_SOURCES) {
                    refusedForFullTable++;
                    return false;
                }
            }
            bucket = new TokenBucket(Protocol.HANDSHAKE_RATE_PER_SECOND, Protocol.HANDSHAKE_RATE_BURST, nowNanos);
            buckets.put(prefix, bucket);
        }
        return bucket.tryTake(nowNanos);
    }

    /** Forgets every source not seen for longer than {@link #IDLE_TIMEOUT}; call it now and then. */
    public void expire(long nowNanos) {
        Iterator<Map.Entry<SourcePrefix, TokenBucket>> oldestFirst = buckets.entrySet().iterator();
        while (oldestFirst.hasNext()) {
            if (nowNanos - oldestFirst.next().getValue().lastNanos() <= IDLE_TIMEOUT) {
                return;
            }
            oldestFirst.remove();
        }
    }

    /** Sources tracked now. */
    public int size() {
        return buckets.size();
    }

    /** New sources refused because the table was full of active ones, since creation. */
    public long refusedForFullTable() {
        return refusedForFullTable;
    }
}
