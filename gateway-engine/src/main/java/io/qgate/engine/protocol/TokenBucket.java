package io.qgate.engine.protocol;

/**
 * A token bucket kept in nanoseconds of credit, as wireguard's {@code ratelimiter.c} keeps it:
 * one event costs {@code 1 s / rate}, credit grows with elapsed time, and the bucket holds at most
 * {@code burst} events' worth. It starts full. Used per source for initiations
 * ({@link HandshakeRateLimiter}) and once per responder for cookie replies.
 *
 * <p>Not thread-safe: one thread owns an instance. Times are {@link System#nanoTime()} values
 * and must not go backwards (one that does adds no credit).
 */
public final class TokenBucket {
    private final long cost;
    private final long capacity;
    private long credit;
    private long lastNanos;

    /**
     * @param perSecond events per second once the burst is spent, at least 1
     * @param burst events the full bucket allows at once, at least 1
     */
    public TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate and a burst of at least 1, not " + perSecond + " and " + burst);
        }
        this.cost = 1_000_000_000L / perSecond;
        this.capacity = cost * burst;
        this.credit = capacity;
        this.lastNanos = nowNanos;
    }

    /** Whether an event may happen now; if so, it is charged. */
    public boolean tryTake(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastNanos);
        lastNanos = nowNanos;
        credit = elapsed >= capacity ? capacity : Math.min(capacity, credit + elapsed);
        if (credit < cost) {
            return false;
        }
        credit -= cost;
        return true;
    }

    /** When the bucket was last asked. */
    public long lastNanos() {
        return lastNanos;
    }
}
