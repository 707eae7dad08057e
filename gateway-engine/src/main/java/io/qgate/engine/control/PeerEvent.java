package io.qgate.engine.control;

import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.Suite;
import java.net.InetSocketAddress;

/** What an {@link Endpoint} reports about its peers and handshakes. */
public sealed interface PeerEvent {
    /** The peer the event is about, or {@code null} for a handshake no peer was found for yet. */
    Peer peer();

    /**
     * A handshake completed: new keys are in use. {@code durationNanos} is how long it took: for
     * the initiator from the first initiation of the attempt to the responder's first data
     * packet (retries included), for the responder from the initiation to the CONFIRM; -1 if
     * unknown.
     */
    record Established(Peer peer, Suite suite, boolean initiator, boolean rekey, long durationNanos) implements PeerEvent {
    }

    /**
     * A handshake attempt failed. {@code local} is true when we refused the peer, false when the
     * peer's (unauthenticated) HANDSHAKE_ERROR said it refused us.
     */
    record HandshakeFailed(Peer peer, InetSocketAddress source, ErrorCode error, String reason, boolean local)
            implements PeerEvent {
    }

    /** An authenticated packet came from a new address; the peer's endpoint moved there. */
    record Roamed(Peer peer, InetSocketAddress from, InetSocketAddress to) implements PeerEvent {
    }

    /** The session ended: an authenticated CLOSE ({@code PEER_CLOSED}), our close, or expired keys. */
    record Closed(Peer peer, ErrorCode reason) implements PeerEvent {
    }

    /** No handshake succeeded within {@code REKEY_ATTEMPT_TIME}: the peer is considered dead. */
    record Dead(Peer peer) implements PeerEvent {
    }
}
