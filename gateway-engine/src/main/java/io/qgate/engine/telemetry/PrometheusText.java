package io.qgate.engine.telemetry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway's metrics in the Prometheus text exposition format, version 0.0.4: per family one
 * {@code # HELP} and one {@code # TYPE} line, then its samples; label values escaped
 * ({@code \\}, {@code \"}, {@code \n}). Counter families end in {@code _total}; the handshake
 * latency is a histogram ({@code _bucket{le=...}} cumulative, ending with {@code le="+Inf"},
 * then {@code _sum} and {@code _count}).
 */
public final class PrometheusText {
    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Family(String help, String type, List<String> samples) {
    }

    private PrometheusText() {
    }

    /** The exposition of {@code snapshot} and {@code latency}, at {@code nowMillis} (for key ages). */
    public static String render(GatewaySnapshot snapshot, HandshakeLatency.Buckets latency, long nowMillis) {
        PrometheusText t = new PrometheusText();
        String iface = "interface=\"" + escape(snapshot.interfaceName()) + "\"";
        t.sample("qgate_up", "gauge", "1 while the gateway runs and updates its counters", iface,
            snapshot.state() == GatewaySnapshot.State.RUNNING ? "1" : "0");
        snapshot.counters().forEach((name, value) -> {
            if (name.startsWith(GatewayTelemetry.CONTROL_DROPPED)) {
                t.sample("qgate_control_dropped_total", "counter", "Datagrams the control plane (handshakes) dropped, by reason",
                    iface + ",reason=\"" + escape(name.substring(GatewayTelemetry.CONTROL_DROPPED.length())) + "\"", value);
            } else if (name.equals(GatewayTelemetry.UNDER_LOAD)) {
                t.sample("qgate_handshakes_under_load", "gauge",
                    "1 while new handshakes need a cookie because the gateway is under load, else 0", iface, value);
            } else if (name.startsWith("dropped_")) {
                t.sample("qgate_dropped_packets_total", "counter", "Packets the data plane dropped, by reason",
                    iface + ",reason=\"" + escape(name.substring("dropped_".length())) + "\"", value);
            } else {
                t.sample("qgate_" + name + "_total", "counter", "The gateway's " + name.replace('_', ' ') + " counter", iface, value);
            }
        });
        for (GatewaySnapshot.Peer peer : snapshot.peers()) {
            String labels = iface + ",peer=\"" + escape(peer.name()) + "\"";
            t.sample("qgate_peer_info", "gauge", "1 per peer, with its current endpoint and suite as labels",
                labels + ",endpoint=\"" + escape(orNone(peer.endpoint())) + "\",suite=\"" + escape(orNone(peer.suite())) + "\"", "1");
            t.sample("qgate_peer_rx_bytes_total", "counter", "Inner bytes received from the peer", labels, peer.get(PeerCounter.RX_BYTES));
            t.sample("qgate_peer_tx_bytes_total", "counter", "Inner bytes sent to the peer", labels, peer.get(PeerCounter.TX_BYTES));
            t.sample("qgate_peer_rx_packets_total", "counter", "Data packets received from the peer (keepalives included)", labels,
                peer.get(PeerCounter.RX_PACKETS));
            t.sample("qgate_peer_tx_packets_total", "counter", "Data packets sent to the peer (keepalives included)", labels,
                peer.get(PeerCounter.TX_PACKETS));
            t.sample("qgate_peer_handshakes_total", "counter", "Handshakes completed with the peer, rekeys included", labels,
                peer.get(PeerCounter.HANDSHAKES));
            t.sample("qgate_peer_rekeys_total", "counter", "Handshakes completed while a session was up", labels, peer.get(PeerCounter.REKEYS));
            t.sample("qgate_peer_handshake_failures_total", "counter", "Handshake attempts with the peer that failed", labels,
                peer.get(PeerCounter.HANDSHAKE_FAILURES));
            t.sample("qgate_peer_replay_rejects_total", "counter", "Packets from the peer refused by the replay window", labels,
                peer.get(PeerCounter.REPLAY_REJECTS));
            for (PeerCounter drop : new PeerCounter[] {PeerCounter.DROPPED_SOURCE, PeerCounter.DROPPED_NO_KEYS, PeerCounter.DROPPED_REJECTED}) {
                t.sample("qgate_peer_dropped_packets_total", "counter", "Packets of the peer dropped, by reason",
                    labels + ",reason=\"" + drop.label().substring("dropped_".length()) + "\"", peer.get(drop));
            }
            long latest = peer.get(PeerCounter.LATEST_HANDSHAKE_MS);
            t.sample("qgate_peer_latest_handshake_seconds", "gauge", "Unix time of the latest completed handshake; 0 if none",
                labels, seconds(latest));
            long created = peer.get(PeerCounter.KEY_CREATED_MS);
            if (created > 0) {
                t.sample("qgate_peer_key_age_seconds", "gauge", "Age of the keys in use", labels, seconds(Math.max(0, nowMillis - created)));
            }
        }
        String name = "qgate_handshake_duration_seconds";
        Family histogram = t.family(name, "histogram", "Time to complete a handshake (initiator: first initiation to session)");
        for (int i = 0; i < latency.boundsSeconds().length; i++) {
            histogram.samples().add(name + "_bucket{" + iface + ",le=\"" + BigDecimal.valueOf(latency.boundsSeconds()[i]).toPlainString()
                + "\"} " + latency.cumulative()[i]);
        }
        histogram.samples().add(name + "_bucket{" + iface + ",le=\"+Inf\"} " + latency.count());
        histogram.samples().add(name + "_sum{" + iface + "} " + latency.sumSeconds());
        histogram.samples().add(name + "_count{" + iface + "} " + latency.count());

        StringBuilder out = new StringBuilder();
        t.families.forEach((family, f) -> {
            out.append("# HELP ").append(family).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(family).append(' ').append(f.type()).append('\n');
            f.samples().forEach(s -> out.append(s).append('\n'));
        });
        return out.toString();
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    private static String orNone(String s) {
        return s == null ? "" : s;
    }

    private Family family(String name, String type, String help) {
        return families.computeIfAbsent(name, n -> new Family(help, type, new ArrayList<>()));
    }

    private void sample(String name, String type, String help, String labels, Object value) {
        family(name, type, help).samples().add(name + "{" + labels + "} " + value);
    }

    /** A label value escaped as the format requires. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
