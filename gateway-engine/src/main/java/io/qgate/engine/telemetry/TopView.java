package io.qgate.engine.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The screen of {@code qgate top}: one line per gateway and one per peer with receive and send
 * rates (from the difference between two snapshots), totals, the latest handshake and drops.
 * Plain text in a fixed width, so it works in any terminal and over ssh; the command adds the
 * ANSI "home and clear" in front. Not thread-safe: one per command.
 */
public final class TopView {
    /** Per gateway and peer, the last byte and packet counts seen, for the rates. */
    private final Map<String, long[]> last = new HashMap<>();
    private long lastMillis;

    /**
     * Renders {@code gateways} as read at {@code nowMillis}; rates are per second since the
     * previous call (blank on the first).
     */
    public String render(List<GatewaySnapshot> gateways, long nowMillis) {
        double seconds = lastMillis == 0 ? 0 : (nowMillis - lastMillis) / 1000.0;
        lastMillis = nowMillis;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "qgate top - %d gateway(s); Ctrl-C quits%n%n", gateways.size()));
        out.append(String.format(Locale.ROOT, "%-16s %-24s %11s %11s %10s %10s %9s %8s%n",
            "PEER", "ENDPOINT", "RX/s", "TX/s", "RX", "TX", "HANDSHAKE", "DROPPED"));
        for (GatewaySnapshot g : gateways) {
            out.append(String.format(Locale.ROOT, "%s (%s, pid %d)%n", g.interfaceName(), g.state().label(), g.pid()));
            for (GatewaySnapshot.Peer p : g.peers()) {
                long rx = p.get(PeerCounter.RX_BYTES);
                long tx = p.get(PeerCounter.TX_BYTES);
                long[] before = last.put(g.interfaceName() + "/" + p.name(), new long[] {rx, tx});
                String rxRate = "";
                String txRate = "";
                if (before != null && seconds > 0) {
                    rxRate = rate(Math.max(0, rx - before[0]) / seconds);
                    txRate = rate(Math.max(0, tx - before[1]) / seconds);
                }
                long latest = p.get(PeerCounter.LATEST_HANDSHAKE_MS);
                String handshake = latest == 0 ? "never" : age((nowMillis - latest) / 1000);
                long dropped = p.get(PeerCounter.DROPPED_SOURCE) + p.get(PeerCounter.DROPPED_NO_KEYS)
                    + p.get(PeerCounter.DROPPED_REJECTED) + p.get(PeerCounter.REPLAY_REJECTS);
                out.append(String.format(Locale.ROOT, "  %-14s %-24s %11s %11s %10s %10s %9s %8d%n",
                    cut(p.name(), 14), cut(p.endpoint() == null ? "-" : p.endpoint(), 24), rxRate, txRate,
                    StatusText.bytes(rx), StatusText.bytes(tx), handshake, dropped));
            }
        }
        return out.toString();
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    /** Bits per second in SI units, as link rates are quoted. */
    static String rate(double bytesPerSecond) {
        double bits = bytesPerSecond * 8;
        String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
        int u = 0;
        while (bits >= 1000 && u < units.length - 1) {
            bits /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", bits, units[u]);
    }

    /** A short age: {@code 42s}, {@code 3m}, {@code 2h}, {@code 5d}. */
    static String age(long seconds) {
        long s = Math.max(0, seconds);
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m ago" : s < 86_400 ? s / 3600 + "h ago" : s / 86_400 + "d ago";
    }
}
