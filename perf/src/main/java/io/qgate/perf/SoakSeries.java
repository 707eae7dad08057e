package io.qgate.perf;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The curves of a soak: each is a value per gateway per sample, shown in the report's table
 * (start, end, minimum, maximum) and, when {@link #plotted}, as a panel of the SVG.
 */
public enum SoakSeries {
    RSS("resident memory", "MiB", 1, true, SoakSample::rssMib),
    OUTSIDE_HEAP("resident outside the Java heap", "MiB", 1, true, SoakSample::outsideHeapMib),
    HEAP_RESIDENT("Java heap resident", "MiB", 1, false, SoakSample::heapRssMib),
    FDS("open file descriptors", "", 0, true, s -> s.process().fds()),
    THREADS("threads", "", 0, true, s -> s.process().threads()),
    THROUGHPUT("received through the tunnel", "Mbit/s", 1, true, SoakSample::rxMbitPerSecond),
    HEAP("heap after the last GC", "MiB", 1, true, SoakSample::heapAfterGcMib),
    GC_CYCLES("GC cycles", "", 0, false, s -> s.gcCycles()),
    REKEYS("rekeys", "", 0, false, s -> s.status().rekeys()),
    REKEY_DROPS("drops a rekey could cause", "", 0, false, s -> s.status().rekeyDrops());

    private final String label;
    private final String unit;
    private final int decimals;
    private final boolean plotted;
    private final ToDoubleFunction<SoakSample> value;

    SoakSeries(String label, String unit, int decimals, boolean plotted, ToDoubleFunction<SoakSample> value) {
        this.label = label;
        this.unit = unit;
        this.decimals = decimals;
        this.plotted = plotted;
        this.value = value;
    }

    /** "resident memory (MiB)". */
    public String heading() {
        return unit.isEmpty() ? label : label + " (" + unit + ")";
    }

    public int decimals() {
        return decimals;
    }

    /** Whether the SVG has a panel for it. */
    public boolean plotted() {
        return plotted;
    }

    /** Its value in {@code sample}; NaN when the sample has none (a first throughput, a heap before any GC). */
    public double of(SoakSample sample) {
        return value.applyAsDouble(sample);
    }

    /** Its largest value in {@code samples}, ignoring NaN; NaN when there is none. */
    public double max(List<SoakSample> samples) {
        return samples.stream().mapToDouble(this::of).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    /** Its smallest value in {@code samples}, ignoring NaN; NaN when there is none. */
    public double min(List<SoakSample> samples) {
        return samples.stream().mapToDouble(this::of).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }
}
