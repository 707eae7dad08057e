package io.qgate.engine.telemetry;

import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code qgate status --json} and {@code qgate show --json} (documented, and kept
 * stable, in {@code docs/OPERATIONS.md}): {@code {"gateways": [GATEWAY, ...]}}, where a gateway
 * is
 *
 * <pre>
 * {"interface": "qg0", "state": "running"|"stale"|"dead", "pid": 1234, "listen": "0.0.0.0:51820"|null,
 *  "started_ms": ..., "heartbeat_ms": ..., "counters": {"tun_packets_read": 12, ...},
 *  "peers": PEERS}
 * </pre>
 *
 * with {@code PEERS} a count ({@code status}) or ({@code show}) a list of
 *
 * <pre>
 * {"name": "gw-b", "endpoint": "192.0.2.7:51820"|null, "suite": "mlkem768-..."|null,
 *  "latest_handshake_age_s": 12|null, "key_age_s": 12|null,
 *  "rx_packets": 1, "rx_bytes": 84, "tx_packets": 1, "tx_bytes": 84, "dropped_source": 0, ... (every PeerCounter label)}
 * </pre>
 *
 * Times are milliseconds since the epoch; ages are whole seconds. New fields may be added;
 * existing ones keep their name and meaning.
 */
public final class StatusJson {
    private StatusJson() {
    }

    /** {@code {"gateways": [...]}} with each gateway's peers as a count ({@code details} false) or a list. */
    public static String render(List<GatewaySnapshot> gateways, boolean details, long nowMillis) {
        StringBuilder out = new StringBuilder("{\"gateways\":[");
        for (int i = 0; i < gateways.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            gateway(out, gateways.get(i), details, nowMillis);
        }
        return out.append("]}").toString();
    }

    private static void gateway(StringBuilder out, GatewaySnapshot g, boolean details, long now) {
        out.append("{\"interface\":").append(string(g.interfaceName()))
            .append(",\"state\":").append(string(g.state().label()))
            .append(",\"pid\":").append(g.pid())
            .append(",\"listen\":").append(string(g.listen()))
            .append(",\"started_ms\":").append(g.startedMillis())
            .append(",\"heartbeat_ms\":").append(g.heartbeatMillis())
            .append(",\"counters\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : g.counters().entrySet()) {
            out.append(first ? "" : ",").append(string(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        out.append("},\"peers\":");
        if (!details) {
            out.append(g.peers().size()).append('}');
            return;
        }
        out.append('[');
        for (int i = 0; i < g.peers().size(); i++) {
            GatewaySnapshot.Peer p = g.peers().get(i);
            out.append(i > 0 ? "," : "").append("{\"name\":").append(string(p.name()))
                .append(",\"endpoint\":").append(string(p.endpoint()))
                .append(",\"suite\":").append(string(p.suite()))
                .append(",\"latest_handshake_age_s\":").append(age(p.get(PeerCounter.LATEST_HANDSHAKE_MS), now))
                .append(",\"key_age_s\":").append(age(p.get(PeerCounter.KEY_CREATED_MS), now));
            for (PeerCounter c : PeerCounter.values()) {
                out.append(',').append(string(c.label())).append(':').append(p.get(c));
            }
            out.append('}');
        }
        out.append("]}");
    }

    /** Whole seconds since {@code epochMillis}, or {@code null} when it is 0 (never). */
    private static String age(long epochMillis, long now) {
        return epochMillis == 0 ? "null" : Long.toString(Math.max(0, now - epochMillis) / 1000);
    }

    /** {@code text} as a JSON string ({@code null} for null), control characters escaped. */
    static String string(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
