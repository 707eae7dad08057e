package io.qgate.engine.gateway;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerTraffic;
import io.qgate.ffm.linux.Sockaddr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The data plane's view of one configured peer: its id in the allowed-IP table, the control
 * plane's {@link Peer} (whose keypairs the workers read), and the peer's current UDP address as a
 * ready-made {@code sockaddr}.
 *
 * <p><b>Threads:</b> the control thread replaces {@link #destination} (a volatile publication of
 * an immutable segment) when the peer's address changes; workers read it. Segments are never
 * freed while the gateway runs (an address change is rare: roaming), and all are freed with the
 * gateway's arena.
 */
final class DataPeer {
    final int id;
    final String name;
    final Peer peer;
    final PeerTraffic traffic;
    /** Its configuration; the control thread replaces it when a reload changes the peer's ranges or address. */
    volatile GatewayConfig.PeerSection section;
    private final Arena arena;
    /** Where to send: null until the peer's address is known. */
    volatile MemorySegment destination;
    /** The address {@link #destination} encodes (control thread only). */
    private InetSocketAddress shown;

    DataPeer(int id, GatewayConfig.PeerSection section, Peer peer, Arena arena) {
        this.id = id;
        this.name = section.name();
        this.section = section;
        this.peer = peer;
        this.traffic = peer.traffic();
        this.arena = arena;
        refreshDestination();
    }

    /** Control thread: republishes {@link #destination} if the control plane's address for the peer changed. */
    void refreshDestination() {
        InetSocketAddress now = peer.endpoint();
        if (now != null && !now.equals(shown)) {
            destination = Sockaddr.of(now, arena);
            shown = now;
        }
    }
}
