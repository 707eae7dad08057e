package io.qgate.perf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one run through one tunnel: one fresh pair of namespaces, one tunnel brought up,
 * the chosen measurements made through it in turn.
 *
 * @param repeat   1-based number of the repeat
 * @param values   every figure measured, in the order measured; a figure that does not apply
 *                 (tunnel cores of a tunnel without processes) is absent
 * @param gcCycles GC cycles the tunnel's JVMs logged during the measurements, or -1 when no GC log
 *                 was kept (not a JVM tunnel, or no {@code --gc-log})
 */
public record RunResult(int repeat, Map<Metric, Double> values, int gcCycles) {
    public RunResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The figure, or NaN when this run did not measure it. */
    public double value(Metric metric) {
        Double v = values.get(metric);
        return v == null ? Double.NaN : v;
    }

    /** The metrics of this run, in the order measured. */
    public List<Metric> metrics() {
        return List.copyOf(values.keySet());
    }
}
