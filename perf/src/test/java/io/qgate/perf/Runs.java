package io.qgate.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds runs and outcomes for the table, chart and JSON tests. */
final class Runs {
    static final Metric TCP1 = Metric.tcpGbit(1);

    private Runs() {
    }

    /** A one-stream TCP run; {@code tunnelCores} 0 means a tunnel without processes. */
    static RunResult tcp(int repeat, double gbit, double tunnelCores, double machineCores, int gc) {
        Map<Metric, Double> values = new LinkedHashMap<>();
        values.put(TCP1, gbit);
        if (tunnelCores > 0) {
            values.put(Metric.tunnelCores(1), tunnelCores);
            values.put(Metric.coresPerGbit(1), tunnelCores / gbit);
        }
        values.put(Metric.machineCores(1), machineCores);
        return new RunResult(repeat, values, gc);
    }

    static TunnelOutcome outcome(String name, RunResult... runs) {
        TunnelOutcome o = new TunnelOutcome(name);
        for (RunResult r : runs) {
            o.add(r);
        }
        return o;
    }
}
