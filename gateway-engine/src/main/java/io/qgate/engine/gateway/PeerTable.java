package io.qgate.engine.gateway;

import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPrefix;

/**
 * The peers as the data plane sees them: {@code peers[id]} (null for a removed peer's id: ids are
 * never reused while the gateway runs) and the allowed-IP table that maps an address to an id.
 * Immutable; the control thread publishes a new one (one volatile write) when peers change, and
 * a worker reads it once per batch, so the routes and the peers it uses always belong together.
 */
record PeerTable(AllowedIps routes, DataPeer[] peers) {
    static final PeerTable EMPTY = new PeerTable(AllowedIps.empty(), new DataPeer[0]);

    /** The table over {@code peers}, each routed by its section's allowed IPs. */
    static PeerTable of(DataPeer[] peers) {
        AllowedIps.Builder routes = AllowedIps.builder();
        for (DataPeer peer : peers) {
            if (peer != null) {
                for (IpPrefix prefix : peer.section.allowedIps()) {
                    routes.add(prefix, peer.id);
                }
            }
        }
        return new PeerTable(routes.build(), peers);
    }

    /** The live peer named {@code name}, or null. */
    DataPeer named(String name) {
        for (DataPeer peer : peers) {
            if (peer != null && peer.name.equals(name)) {
                return peer;
            }
        }
        return null;
    }
}
