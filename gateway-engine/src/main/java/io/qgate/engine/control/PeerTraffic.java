package io.qgate.engine.control;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the data plane reports about one peer's traffic, for the {@link Endpoint}'s timers and
 * for status. Data-plane threads write it once per batch (not per packet); the endpoint's thread
 * reads it at each tick.
 *
 * <p><b>Threads:</b> the {@code last*} fields are volatile and only move forward in practice
 * (several workers may race to store nearly equal {@link System#nanoTime()} values; the
 * endpoint tolerates that, its timers being seconds). Counters are atomic.
 */
public final class PeerTraffic {
    /** Last authenticated data packet (a keepalive too) opened by the data plane. */
    public volatile long lastReceivedNanos = Long.MIN_VALUE;
    /** Last authenticated data packet with a payload. */
    public volatile long lastPayloadReceivedNanos = Long.MIN_VALUE;
    /** Last packet sealed by the data plane. */
    public volatile long lastSentNanos = Long.MIN_VALUE;
    /** Last packet with a payload sealed by the data plane. */
    public volatile long lastPayloadSentNanos = Long.MIN_VALUE;

    public final AtomicLong packetsReceived = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();
    public final AtomicLong packetsSent = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    /** Authenticated packets whose inner source address is not in the peer's allowed ranges. */
    public final AtomicLong droppedSource = new AtomicLong();
    /** Packets for this peer dropped because it had no usable keys and the staging queue was full. */
    public final AtomicLong droppedNoKeys = new AtomicLong();

    /** The endpoint's own bookkeeping of what it already folded in. */
    long absorbedSentNanos = Long.MIN_VALUE;
    long absorbedPayloadReceivedNanos = Long.MIN_VALUE;

    /** Records a batch of {@code packets} received ({@code bytes} of inner packets), {@code payload} of them non-empty. */
    public void received(long nowNanos, int packets, long bytes, boolean payload) {
        packetsReceived.addAndGet(packets);
        bytesReceived.addAndGet(bytes);
        lastReceivedNanos = nowNanos;
        if (payload) {
            lastPayloadReceivedNanos = nowNanos;
        }
    }

    /** Records a batch of {@code packets} sealed and sent. */
    public void sent(long nowNanos, int packets, long bytes) {
        packetsSent.addAndGet(packets);
        bytesSent.addAndGet(bytes);
        lastSentNanos = nowNanos;
        if (bytes > 0) {
            lastPayloadSentNanos = nowNanos;
        }
    }
}
