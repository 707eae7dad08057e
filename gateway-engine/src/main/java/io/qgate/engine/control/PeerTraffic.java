package io.qgate.engine.control;

import io.qgate.engine.session.Keypair;
import io.qgate.engine.telemetry.LiveCounter;
import io.qgate.engine.telemetry.PeerCounter;
import java.util.function.Function;

/**
 * What the data plane reports about one peer's traffic, for the {@link Endpoint}'s timers and
 * for status. Data-plane threads write it once per batch (not per packet); the endpoint's thread
 * reads it at each tick.
 *
 * <p><b>Threads:</b> the {@code last*} fields are volatile and only move forward in practice
 * (several workers may race to store nearly equal {@link System#nanoTime()} values; the
 * endpoint tolerates that, its timers being seconds). Counters are {@link LiveCounter}s: in a
 * gateway, slots of its memory-mapped counters file that other processes read.
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

    public final LiveCounter packetsReceived;
    public final LiveCounter bytesReceived;
    public final LiveCounter packetsSent;
    public final LiveCounter bytesSent;
    /** Authenticated packets whose inner source address is not in the peer's allowed ranges. */
    public final LiveCounter droppedSource;
    /** Packets for this peer dropped because it had no usable keys and the staging queue was full. */
    public final LiveCounter droppedNoKeys;
    /** Packets refused by the tag, epoch or expiry checks. */
    public final LiveCounter droppedRejected;
    /** Packets refused by the replay window. */
    public final LiveCounter replayRejects;

    /** Counters of its own, in no file (an endpoint without a gateway, as in tests). */
    public PeerTraffic() {
        this(which -> LiveCounter.standalone());
    }

    /** Counters from {@code counters} (a peer's slots in the gateway's counters file). */
    public PeerTraffic(Function<PeerCounter, LiveCounter> counters) {
        packetsReceived = counters.apply(PeerCounter.RX_PACKETS);
        bytesReceived = counters.apply(PeerCounter.RX_BYTES);
        packetsSent = counters.apply(PeerCounter.TX_PACKETS);
        bytesSent = counters.apply(PeerCounter.TX_BYTES);
        droppedSource = counters.apply(PeerCounter.DROPPED_SOURCE);
        droppedNoKeys = counters.apply(PeerCounter.DROPPED_NO_KEYS);
        droppedRejected = counters.apply(PeerCounter.DROPPED_REJECTED);
        replayRejects = counters.apply(PeerCounter.REPLAY_REJECTS);
    }

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

    /** Counts one packet that {@link Keypair#open} refused with {@code code} (a drop path, not the steady state). */
    public void rejected(int code) {
        (code == Keypair.REPLAYED ? replayRejects : droppedRejected).incrementAndGet();
    }
}
