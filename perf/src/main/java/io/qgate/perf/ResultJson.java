package io.qgate.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Writes a benchmark's settings, environment, every run and the summary as one JSON file. */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
    }

    /** The document, for {@link #write} and tests. */
    public static ObjectNode document(BenchOptions options, BenchEnvironment env, List<TunnelOutcome> outcomes) {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", Instant.now().toString());
        ObjectNode settings = root.putObject("settings");
        settings.put("seconds", options.seconds());
        settings.put("repeat", options.repeat());
        settings.put("streams", options.streams());
        ObjectNode environment = root.putObject("environment");
        environment.put("wireguard-go", env.wireguardGo());
        environment.put("iperf3", env.iperf3());
        environment.put("kernel", env.kernel());
        environment.put("cpus", env.cpus());
        environment.put("cpu-model", env.cpuModel());
        environment.put("load-average-1min", env.loadAverage());
        ArrayNode tunnels = root.putArray("tunnels");
        for (TunnelOutcome o : outcomes) {
            ObjectNode t = tunnels.addObject();
            t.put("tunnel", o.tunnel());
            if (o.skipped() != null) {
                t.put("skipped", o.skipped());
            }
            if (o.failure() != null) {
                t.put("failure", o.failure());
            }
            if (!o.runs().isEmpty()) {
                t.put("median-gbit-per-second", o.medianGbitPerSecond());
                t.put("median-tunnel-cores", o.medianTunnelCores());
                t.put("median-cores-per-gbit", o.medianCoresPerGbit());
                t.put("median-machine-cores", o.medianMachineCores());
            }
            if (o.gcCycles() >= 0) {
                t.put("gc-cycles", o.gcCycles());
            }
            ArrayNode runs = t.putArray("runs");
            for (RunResult r : o.runs()) {
                ObjectNode run = runs.addObject();
                run.put("repeat", r.repeat());
                run.put("gbit-per-second", r.gbitPerSecond());
                run.put("tunnel-cores", r.tunnelCores());
                run.put("cores-per-gbit", r.coresPerGbit());
                run.put("machine-cores", r.machineCores());
                if (r.gcCycles() >= 0) {
                    run.put("gc-cycles", r.gcCycles());
                }
            }
        }
        return root;
    }

    /** Writes {@link #document} to {@code file}, creating its directory. */
    public static void write(Path file, BenchOptions options, BenchEnvironment env, List<TunnelOutcome> outcomes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document(options, env, outcomes)) + "\n");
        } catch (IOException e) {
            throw new BenchException("cannot write the results to " + file + ": " + e.getMessage(), e);
        }
    }
}
