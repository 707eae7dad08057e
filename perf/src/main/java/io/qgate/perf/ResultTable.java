package io.qgate.perf;

import java.util.List;
import java.util.Locale;

/**
 * The short table the harness prints: one row per tunnel with the medians of its first TCP
 * transfer ({@code streams} streams) and its ratios to wireguard-go (throughput: higher is better; cores per Gbit/s: lower is better). Ratios are
 * shown only when wireguard-go was measured in the same run.
 */
public final class ResultTable {
    private static final String ROW = "%-14s %8s %13s %17s %14s %13s %19s%n";

    private ResultTable() {
    }

    /** @param streams the stream count of the TCP transfer the table summarises */
    public static String render(List<TunnelOutcome> outcomes, int streams) {
        Metric gbit = Metric.tcpGbit(streams);
        Metric cores = Metric.tunnelCores(streams);
        Metric perGbit = Metric.coresPerGbit(streams);
        TunnelOutcome reference = null;
        for (TunnelOutcome o : outcomes) {
            if (o.tunnel().equals(WireguardGoTunnel.NAME) && !o.runs().isEmpty()) {
                reference = o;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "tunnel", "Gbit/s", "tunnel cores", "cores per Gbit/s",
            "machine cores", "Gbit/s vs wg", "cores/Gbit/s vs wg"));
        for (TunnelOutcome o : outcomes) {
            if (o.runs().isEmpty()) {
                String why = o.skipped() != null ? "skipped: " + o.skipped() : "failed: " + o.failure();
                out.append(String.format(Locale.ROOT, "%-14s %s%n", o.tunnel(), why));
                continue;
            }
            boolean hasCpu = o.metrics().contains(cores);
            out.append(String.format(Locale.ROOT, ROW, o.tunnel(),
                MarkdownTable.number(o.median(gbit), 2),
                hasCpu ? MarkdownTable.number(o.median(cores), 2) : "-",
                hasCpu ? MarkdownTable.number(o.median(perGbit), 3) : "-",
                MarkdownTable.number(o.median(Metric.machineCores(streams)), 2),
                reference == null ? "-" : ratio(o.median(gbit), reference.median(gbit)),
                reference == null || !hasCpu ? "-" : ratio(o.median(perGbit), reference.median(perGbit))));
            if (o.failure() != null) {
                out.append(String.format(Locale.ROOT, "%-14s stopped after %d run(s): %s%n", "", o.runs().size(), o.failure()));
            }
            if (o.gcCycles() >= 0) {
                out.append(String.format(Locale.ROOT, "%-14s GC cycles during the run: %d%n", "", o.gcCycles()));
            }
        }
        return out.toString();
    }

    private static String ratio(double value, double reference) {
        return reference > 0 && !Double.isNaN(value) ? String.format(Locale.ROOT, "%.2fx", value / reference) : "-";
    }
}
