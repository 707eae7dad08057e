package io.qgate.engine.control;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * Where an {@link Endpoint} puts what it produces. The endpoint never touches a socket or a TUN
 * device: the data plane (or a test) implements this. Each call's segment is only valid during
 * the call; copy what must outlive it.
 */
public interface EndpointOutput {
    /** Send {@code datagram[0, length)} to {@code destination} over UDP. */
    void transmit(InetSocketAddress destination, MemorySegment datagram, int length);

    /** An authenticated inner packet from {@code peer}: {@code packet[offset, offset + length)}. */
    void deliver(Peer peer, MemorySegment packet, int offset, int length);

    /** Something happened to a peer or a handshake. */
    void event(PeerEvent event);
}
