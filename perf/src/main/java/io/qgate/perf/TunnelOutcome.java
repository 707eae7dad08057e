package io.qgate.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * What the harness learned about one tunnel: its runs, and why it was skipped or stopped early if
 * it was. The summary figures are medians over the runs, so that one disturbed run (the machine
 * is shared) does not move them.
 */
public final class TunnelOutcome {
    private final String tunnel;
    private final List<RunResult> runs = new ArrayList<>();
    private String skipped;
    private String failure;

    public TunnelOutcome(String tunnel) {
        this.tunnel = tunnel;
    }

    public String tunnel() {
        return tunnel;
    }

    public List<RunResult> runs() {
        return List.copyOf(runs);
    }

    /** Why the tunnel was not measured at all, or {@code null}. */
    public String skipped() {
        return skipped;
    }

    /** Why its runs stopped, or {@code null} when all of them completed. */
    public String failure() {
        return failure;
    }

    /** Whether more runs should be made. */
    public boolean active() {
        return skipped == null && failure == null;
    }

    void add(RunResult run) {
        runs.add(run);
    }

    void skip(String reason) {
        skipped = reason;
    }

    void fail(String reason) {
        failure = reason;
    }

    /** The median of {@code metric} over the runs that measured it; NaN when none did. */
    public double median(Metric metric) {
        return median(values(metric));
    }

    /** The smallest value of {@code metric} over the runs; NaN when none measured it. */
    public double min(Metric metric) {
        return DoubleStream.of(values(metric)).min().orElse(Double.NaN);
    }

    /** The largest value of {@code metric} over the runs; NaN when none measured it. */
    public double max(Metric metric) {
        return DoubleStream.of(values(metric)).max().orElse(Double.NaN);
    }

    /** Every metric any run measured, in the order first measured. */
    public List<Metric> metrics() {
        LinkedHashSet<Metric> all = new LinkedHashSet<>();
        for (RunResult r : runs) {
            all.addAll(r.metrics());
        }
        return List.copyOf(all);
    }

    private double[] values(Metric metric) {
        return runs.stream().mapToDouble(r -> r.value(metric)).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** GC cycles summed over all runs, or -1 when no run kept a GC log. */
    public int gcCycles() {
        int sum = -1;
        for (RunResult r : runs) {
            if (r.gcCycles() >= 0) {
                sum = Math.max(sum, 0) + r.gcCycles();
            }
        }
        return sum;
    }

    /** The middle value, or the mean of the two middle values; NaN for no values. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
