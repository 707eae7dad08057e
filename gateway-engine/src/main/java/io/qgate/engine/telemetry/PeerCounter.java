package io.qgate.engine.telemetry;

import java.util.Locale;

/**
 * The counters every peer has in the counters file, each under its {@link #label()} (the
 * Agrona counter label, and the JSON field name of {@code qgate show --json}). The data plane
 * adds to the traffic ones once per batch; the control thread sets the others.
 */
public enum PeerCounter {
    RX_PACKETS,
    RX_BYTES,
    TX_PACKETS,
    TX_BYTES,
    /** Authenticated packets whose inner source lies outside the peer's allowed ranges. */
    DROPPED_SOURCE,
    /** Packets dropped because the peer had no usable keys and too many were waiting. */
    DROPPED_NO_KEYS,
    /** Packets that failed the AEAD tag, epoch or expiry checks (replays are counted apart). */
    DROPPED_REJECTED,
    /** Packets whose counter the replay window had already accepted or left behind. */
    REPLAY_REJECTS,
    /** Handshakes completed, rekeys included. */
    HANDSHAKES,
    /** Handshakes completed while a session was up. */
    REKEYS,
    /** Handshake attempts that failed (either side refused). */
    HANDSHAKE_FAILURES,
    /** Wall-clock time of the latest completed handshake, milliseconds since the epoch; 0 if none. */
    LATEST_HANDSHAKE_MS,
    /** Wall-clock time the keys in use were made, milliseconds since the epoch; 0 if none. */
    KEY_CREATED_MS;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** The counter with {@code label}, or null. */
    public static PeerCounter ofLabel(String label) {
        for (PeerCounter c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }
}
