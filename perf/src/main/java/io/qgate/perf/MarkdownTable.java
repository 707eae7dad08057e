package io.qgate.perf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The results as Markdown: a header with the machine and the settings, one row per metric and
 * one column per measured tunnel, each cell "median (min–max)" over the runs, then qgate's ratios
 * to wireguard-go and OpenVPN, and a line per tunnel that was skipped or failed, saying why.
 */
public final class MarkdownTable {
    /** The tunnel whose ratios to the others are shown. */
    static final String SUBJECT = QgateTunnel.NAME;
    /** The tunnels qgate is compared with in the ratio table, as the issue names them. */
    static final List<String> REFERENCES = List.of(WireguardGoTunnel.NAME, OpenVpnTunnel.NAME);

    private MarkdownTable() {
    }

    /** The whole document. */
    public static String render(BenchOptions options, BenchEnvironment env, List<TunnelOutcome> outcomes) {
        List<TunnelOutcome> measured = outcomes.stream().filter(o -> !o.runs().isEmpty()).toList();
        StringBuilder md = new StringBuilder("# Tunnel comparison\n\n");
        md.append(env.describe()).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Measured: %s; TCP %d s with %s stream(s), UDP %d s at %s-byte payloads, %d pings;"
                + " %d repeat(s), each in new namespaces with a new tunnel, %s. Each cell: median (min–max) over the runs.%n%n",
            String.join(", ", options.measurements().stream().map(Measurement::option).toList()), options.seconds(),
            options.streams(), options.udpSeconds(), options.udpSizes(), options.pings(), options.repeat(),
            options.warmupSeconds() == 0 ? "measured as it comes up (no warm-up)"
                : "after " + options.warmupSeconds() + " s of one-stream TCP through it, not recorded"));
        md.append(figures(measured));
        md.append(ratios(measured));
        for (TunnelOutcome o : outcomes) {
            if (o.skipped() != null) {
                md.append("- ").append(o.tunnel()).append(" was not measured: ").append(o.skipped()).append('\n');
            } else if (o.failure() != null) {
                md.append("- ").append(o.tunnel()).append(" stopped after ").append(o.runs().size()).append(" run(s): ")
                    .append(o.failure()).append('\n');
            }
        }
        return md.toString();
    }

    /** The main table: metrics down, tunnels across. */
    static String figures(List<TunnelOutcome> measured) {
        if (measured.isEmpty()) {
            return "No tunnel was measured.\n\n";
        }
        StringBuilder md = new StringBuilder("| measurement |");
        StringBuilder rule = new StringBuilder("|---|");
        for (TunnelOutcome o : measured) {
            md.append(' ').append(o.tunnel()).append(" |");
            rule.append("---|");
        }
        md.append('\n').append(rule).append('\n');
        for (Metric m : metrics(measured)) {
            md.append("| ").append(m.heading()).append(" |");
            for (TunnelOutcome o : measured) {
                md.append(' ').append(cell(o, m)).append(" |");
            }
            md.append('\n');
        }
        if (measured.stream().anyMatch(o -> o.gcCycles() >= 0)) {
            md.append("| GC cycles during the runs |");
            for (TunnelOutcome o : measured) {
                md.append(' ').append(o.gcCycles() >= 0 ? Integer.toString(o.gcCycles()) : "-").append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    /** "median (min–max)", just the value for one run, "-" when not measured. */
    static String cell(TunnelOutcome o, Metric m) {
        double median = o.median(m);
        if (Double.isNaN(median)) {
            return "-";
        }
        if (o.runs().size() == 1) {
            return number(median, m.decimals());
        }
        return number(median, m.decimals()) + " (" + number(o.min(m), m.decimals()) + "–" + number(o.max(m), m.decimals()) + ")";
    }

    /** qgate's medians divided by wireguard-go's and OpenVPN's, for the figures both have. */
    static String ratios(List<TunnelOutcome> measured) {
        TunnelOutcome subject = find(measured, SUBJECT);
        List<TunnelOutcome> references = new ArrayList<>();
        for (String name : REFERENCES) {
            TunnelOutcome r = find(measured, name);
            if (r != null) {
                references.add(r);
            }
        }
        if (subject == null || references.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Ratios of qgate's medians to the others' (throughput and packet rates: higher is"
            + " better for qgate; time, CPU and memory: lower is better):\n\n| measurement |");
        StringBuilder rule = new StringBuilder("|---|");
        for (TunnelOutcome r : references) {
            md.append(" qgate / ").append(r.tunnel()).append(" |");
            rule.append("---|");
        }
        md.append('\n').append(rule).append('\n');
        for (Metric m : metrics(List.of(subject))) {
            if (m.kind() == Metric.Kind.UDP_LOSS) {
                continue; // a ratio of two loss percentages means little, and one of them is often 0
            }
            md.append("| ").append(m.label()).append(" |");
            for (TunnelOutcome r : references) {
                double ref = r.median(m);
                double mine = subject.median(m);
                md.append(' ').append(ref > 0 && !Double.isNaN(mine) ? number(mine / ref, 2) + "x" : "-").append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    /** Every metric any tunnel measured, by {@link Metric.Kind}, then in the order first measured. */
    static List<Metric> metrics(List<TunnelOutcome> outcomes) {
        LinkedHashSet<Metric> all = new LinkedHashSet<>();
        for (TunnelOutcome o : outcomes) {
            all.addAll(o.metrics());
        }
        List<Metric> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Metric::kind)); // stable: keeps the measured order within a kind
        return sorted;
    }

    private static TunnelOutcome find(List<TunnelOutcome> outcomes, String name) {
        return outcomes.stream().filter(o -> o.tunnel().equals(name)).findFirst().orElse(null);
    }

    /** {@code value} with {@code decimals} decimals; "-" for NaN (not measured). */
    static String number(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
