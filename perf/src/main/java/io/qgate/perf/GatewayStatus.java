package io.qgate.perf;

import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.PeerCounter;
import java.nio.file.Path;

/**
 * What a soak reads from a gateway with one peer, taken from its counters file by the gateway's
 * own reader ({@link GatewaySnapshot}) and named as {@code qgate show --json} names them
 * ({@code docs/OPERATIONS.md}): its pid and state, and its peer's handshake, traffic and drop
 * counters. The drops named here are the ones a rekey could cause: a packet sent while no key
 * was usable ({@code dropped_no_keys}), one arriving for a session index the receiver no longer
 * knows (the gateway's {@code dropped_unknown_index}), one whose key had expired or whose epoch was
 * wrong ({@code dropped_rejected}), one taken for a replay ({@code replay_rejects}).
 *
 * @param pid               the gateway's process, from the counters file's header
 * @param state             "running", "stale" or "dead"
 * @param handshakes        handshakes completed with the peer, rekeys included
 * @param rekeys            handshakes completed while a session was up
 * @param handshakeFailures handshake attempts that failed
 * @param rxBytes           inner bytes received from the peer
 * @param txBytes           inner bytes sent to the peer
 * @param droppedNoKeys     the peer's {@code dropped_no_keys}
 * @param droppedUnknownIndex the gateway's {@code dropped_unknown_index}
 * @param droppedRejected   the peer's {@code dropped_rejected}
 * @param replayRejects     the peer's {@code replay_rejects}
 */
public record GatewayStatus(long pid, String state, long handshakes, long rekeys, long handshakeFailures, long rxBytes,
                            long txBytes, long droppedNoKeys, long droppedUnknownIndex, long droppedRejected,
                            long replayRejects) {
    /** The gateway-wide counter of packets for a session index the gateway does not know. */
    static final String DROPPED_UNKNOWN_INDEX = "dropped_unknown_index";

    /** The drops a rekey could cause, summed. */
    public long rekeyDrops() {
        return droppedNoKeys + droppedUnknownIndex + droppedRejected + replayRejects;
    }

    /**
     * Reads the counters file of a running gateway, as {@code qgate show --json INTERFACE} would,
     * in this process: a second JVM every sample would disturb the machine being measured.
     *
     * @throws BenchException when the file is missing, unreadable or not a counters file, or does
     *                        not hold one gateway with one peer
     */
    public static GatewayStatus read(Path countersFile) {
        try {
            return of(GatewaySnapshot.read(countersFile, System.currentTimeMillis()));
        } catch (IllegalArgumentException e) {
            throw new BenchException(e.getMessage(), e);
        }
    }

    /**
     * The figures of a gateway with one peer, under the names {@code qgate show --json} gives them.
     *
     * @throws IllegalArgumentException when the gateway does not have exactly one peer or lacks
     *                                  the {@code dropped_unknown_index} counter
     */
    public static GatewayStatus of(GatewaySnapshot gateway) {
        if (gateway.peers().size() != 1) {
            throw new IllegalArgumentException("the gateway " + gateway.interfaceName() + " should have exactly one peer here, not "
                + gateway.peers().size() + ".");
        }
        GatewaySnapshot.Peer peer = gateway.peers().getFirst();
        Long unknownIndex = gateway.counters().get(DROPPED_UNKNOWN_INDEX);
        if (unknownIndex == null) {
            throw new IllegalArgumentException("the gateway " + gateway.interfaceName() + " has no " + DROPPED_UNKNOWN_INDEX
                + " counter: is its qgate older than this harness?");
        }
        return new GatewayStatus(gateway.pid(), gateway.state().label(), peer.get(PeerCounter.HANDSHAKES),
            peer.get(PeerCounter.REKEYS), peer.get(PeerCounter.HANDSHAKE_FAILURES), peer.get(PeerCounter.RX_BYTES),
            peer.get(PeerCounter.TX_BYTES), peer.get(PeerCounter.DROPPED_NO_KEYS), unknownIndex,
            peer.get(PeerCounter.DROPPED_REJECTED), peer.get(PeerCounter.REPLAY_REJECTS));
    }
}
