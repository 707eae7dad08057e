package io.qgate.perf;

import java.util.List;
import java.util.Locale;

/**
 * A soak's {@code report.md}: what was run, the verdict with each rule and what was measured, the
 * start, end, minimum and maximum of every series per gateway, and the traffic as the senders saw
 * it. The files next to it: {@link #CSV} (every sample) and {@link #CHART} (the curves).
 */
public final class SoakReport {
    public static final String REPORT = "report.md";
    public static final String CSV = "samples.csv";
    public static final String CHART = "curves.svg";

    private SoakReport() {
    }

    /**
     * The report's text.
     *
     * @param header lines about the run (command, start time, machine), each printed as is
     */
    public static String render(List<String> header, SoakOptions options, List<SoakSample> samples, SoakVerdict verdict,
                                SoakTraffic traffic) {
        StringBuilder md = new StringBuilder("# qgate soak: ").append(options.describe()).append("\n\n");
        for (String line : header) {
            md.append(line).append("  \n");
        }
        md.append("\n## Verdict: ").append(verdict.flat() ? "flat" : "NOT flat")
            .append(verdict.passed() ? ", every check passed" : ", a check FAILED").append("\n\n");
        md.append("The first quarter of the run (").append(SoakVerdict.number(options.duration().toSeconds() / 4.0))
            .append(" s) is warm-up; \"steady part\" is the rest. Rules: `SoakVerdict` and docs/PERFORMANCE.md, \"Soak\".\n\n");
        md.append("| check | rule | measured | result |\n|---|---|---|---|\n");
        for (SoakVerdict.Check c : verdict.checks()) {
            md.append("| ").append(c.name()).append(" | ").append(c.rule()).append(" | ").append(c.measured()).append(" | ")
                .append(c.passed() ? "pass" : "**FAIL**").append(" |\n");
        }
        md.append("\n## Series\n\n| series | gateway | start | end | min | max |\n|---|---|---|---|---|---|\n");
        for (SoakSeries series : SoakSeries.values()) {
            for (Side side : Side.values()) {
                List<SoakSample> mine = samples.stream().filter(s -> s.side() == side).toList();
                md.append("| ").append(series.heading()).append(" | ").append(side.suffix()).append(" | ")
                    .append(first(mine, series, false)).append(" | ").append(first(mine, series, true)).append(" | ")
                    .append(MarkdownTable.number(series.min(mine), series.decimals())).append(" | ")
                    .append(MarkdownTable.number(series.max(mine), series.decimals())).append(" |\n");
            }
        }
        md.append("\nStart and end are the first and last samples that have a value (throughput starts at the second"
            + " sample; the heap after GC at the first GC).\n");
        md.append("\n## Traffic, as the senders saw it\n\n");
        md.append(udp("a to b", traffic.aToB())).append(udp("b to a", traffic.bToA()));
        if (traffic.ping() != null) {
            md.append(String.format(Locale.ROOT, "- ping a to b, one a second: %d sent, %d answered, %d lost; round trip p50 %s ms,"
                    + " p99 %s ms%n", traffic.ping().transmitted(), traffic.ping().received(), traffic.ping().lost(),
                MarkdownTable.number(traffic.pingTimes().percentile(50), 3),
                MarkdownTable.number(traffic.pingTimes().percentile(99), 3)));
        }
        for (String problem : traffic.problems()) {
            md.append("- ").append(problem).append('\n');
        }
        md.append("\niperf3 counts a datagram lost when it did not arrive for any reason (a full socket buffer on a"
            + " busy machine included); the verdict counts only what the gateways dropped and why.\n");
        md.append("\nFiles: `").append(CSV).append("` (every sample), `").append(CHART).append("` (the curves).\n");
        return md.toString();
    }

    private static String udp(String direction, UdpReport r) {
        if (r == null) {
            return "";
        }
        return String.format(Locale.ROOT, "- iperf3 UDP %s: %d datagrams sent, %d lost (%.4f%%), %.0f received per second%n",
            direction, r.packets(), r.lost(), r.lossPercent(), r.receivedPerSecond());
    }

    /** The first (or, with {@code last}, the last) value of {@code series} that is not NaN, formatted; "-" if none. */
    private static String first(List<SoakSample> samples, SoakSeries series, boolean last) {
        double found = Double.NaN;
        for (SoakSample s : samples) {
            double v = series.of(s);
            if (!Double.isNaN(v)) {
                found = v;
                if (!last) {
                    break;
                }
            }
        }
        return MarkdownTable.number(found, series.decimals());
    }
}
