package io.qgate.engine.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable output of {@code qgate status} and {@code qgate show} (like {@code wg show}). */
public final class StatusText {
    private StatusText() {
    }

    /** One line per gateway, then its counters indented. */
    public static String status(List<GatewaySnapshot> gateways) {
        StringBuilder out = new StringBuilder();
        for (GatewaySnapshot g : gateways) {
            long sessions = g.peers().stream().filter(p -> p.get(PeerCounter.KEY_CREATED_MS) != 0).count();
            long rx = g.peers().stream().mapToLong(p -> p.get(PeerCounter.RX_BYTES)).sum();
            long tx = g.peers().stream().mapToLong(p -> p.get(PeerCounter.TX_BYTES)).sum();
            out.append(g.interfaceName()).append(": ").append(g.state().label()).append(" (pid ").append(g.pid()).append("), ")
                .append(sessions).append(" of ").append(g.peers().size()).append(" peer(s) with a session, ")
                .append(bytes(rx)).append(" received, ").append(bytes(tx)).append(" sent\n");
            g.counters().forEach((name, value) -> out.append("  ").append(name).append(' ').append(value).append('\n'));
        }
        return out.toString();
    }

    /** The interface, then per peer: endpoint, latest handshake, transfer, suite, key age and counts. */
    public static String show(List<GatewaySnapshot> gateways, long nowMillis) {
        StringBuilder out = new StringBuilder();
        for (GatewaySnapshot g : gateways) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("interface: ").append(g.interfaceName()).append('\n')
                .append("  state: ").append(g.state().label()).append(" (pid ").append(g.pid()).append(")\n");
            if (g.listen() != null) {
                out.append("  listening on: ").append(g.listen()).append('\n');
            }
            for (GatewaySnapshot.Peer p : g.peers()) {
                out.append("\npeer: ").append(p.name()).append('\n');
                if (p.endpoint() != null) {
                    out.append("  endpoint: ").append(p.endpoint()).append('\n');
                }
                long latest = p.get(PeerCounter.LATEST_HANDSHAKE_MS);
                out.append("  latest handshake: ").append(latest == 0 ? "never" : duration((nowMillis - latest) / 1000) + " ago").append('\n');
                out.append("  transfer: ").append(bytes(p.get(PeerCounter.RX_BYTES))).append(" received, ")
                    .append(bytes(p.get(PeerCounter.TX_BYTES))).append(" sent\n");
                if (p.suite() != null) {
                    out.append("  suite: ").append(p.suite()).append('\n');
                }
                long created = p.get(PeerCounter.KEY_CREATED_MS);
                if (created != 0) {
                    out.append("  key age: ").append(duration((nowMillis - created) / 1000)).append('\n');
                }
                out.append("  handshakes: ").append(p.get(PeerCounter.HANDSHAKES)).append(" (").append(p.get(PeerCounter.REKEYS))
                    .append(" rekeys, ").append(p.get(PeerCounter.HANDSHAKE_FAILURES)).append(" failed)\n");
                out.append("  dropped: ").append(p.get(PeerCounter.DROPPED_SOURCE)).append(" source, ")
                    .append(p.get(PeerCounter.DROPPED_NO_KEYS)).append(" no keys, ").append(p.get(PeerCounter.DROPPED_REJECTED))
                    .append(" rejected, ").append(p.get(PeerCounter.REPLAY_REJECTS)).append(" replayed\n");
            }
        }
        return out.toString();
    }

    /** {@code 1 minute, 12 seconds} (as {@code wg show} writes it). */
    static String duration(long seconds) {
        long s = Math.max(0, seconds);
        List<String> parts = new ArrayList<>();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            long n = s / sizes[i];
            s %= sizes[i];
            if (n > 0) {
                parts.add(n + " " + units[i] + (n == 1 ? "" : "s"));
            }
        }
        return parts.isEmpty() ? "0 seconds" : String.join(", ", parts);
    }

    /** {@code 512 B}, {@code 1.20 KiB}, {@code 3.40 MiB} (as {@code wg show} writes it). */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[unit]);
    }
}
