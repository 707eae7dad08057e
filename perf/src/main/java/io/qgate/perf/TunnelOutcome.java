package io.qgate.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

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

    public double medianGbitPerSecond() {
        return median(RunResult::gbitPerSecond);
    }

    public double medianTunnelCores() {
        return median(RunResult::tunnelCores);
    }

    public double medianMachineCores() {
        return median(RunResult::machineCores);
    }

    public double medianCoresPerGbit() {
        return median(RunResult::coresPerGbit);
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

    private double median(ToDoubleFunction<RunResult> figure) {
        return median(runs.stream().mapToDouble(figure).toArray());
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
