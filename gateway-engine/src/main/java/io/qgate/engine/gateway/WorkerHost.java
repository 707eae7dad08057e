package io.qgate.engine.gateway;

import java.lang.foreign.MemorySegment;

/**
 * What the data-plane workers ({@link Outbound}, {@link Inbound}) use of their gateway: the peer
 * table, the receiver-index map, and the control plane for what they cannot handle. The
 * {@link Gateway} is the one production host; naming the few things the workers need lets their
 * per-packet code run, unchanged, without TUN or socket (the in-memory pipeline benchmark).
 *
 * <p><b>Threads:</b> every method is called by worker threads, concurrently. {@link #table()}
 * and {@link #byIndex} read what the control thread publishes (volatile reads, no locks, no
 * allocation); the two hand-offs to the control plane are the cold paths and may allocate.
 */
interface WorkerHost {
    /** The peers and their routes as published now; a worker reads it once per batch. */
    PeerTable table();

    /** The peer that owns local receiver index {@code receiverIndex}, or null; read per packet. */
    DataPeer byIndex(int receiverIndex);

    /**
     * Whether {@code receiverIndex}, just missed by {@link #byIndex}, may still be known to the
     * control plane: the map was republished since, or it is behind the endpoint's indexes (the
     * control thread republishes it after the handshake that made them, and the peer may already
     * be sending on the new keys). Called only after a miss, whose datagram then goes to the
     * control plane, which knows every index, instead of being dropped.
     */
    boolean indexesBehind(int receiverIndex);

    /** Hands a datagram the inbound workers do not open themselves (a handshake, a new keypair, a moved peer) to the control plane. */
    void toControl(MemorySegment sockaddr, int sockaddrLength, MemorySegment datagram, int length);

    /** Hands an inner packet for a peer without usable keys to the control plane, which handshakes. */
    void stage(DataPeer peer, MemorySegment inner, int length);
}
