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
        ArrayNode streams = settings.putArray("streams");
        options.streams().forEach(streams::add);
        ArrayNode measurements = settings.putArray("measurements");
        options.measurements().forEach(m -> measurements.add(m.option()));
        ArrayNode udpSizes = settings.putArray("udp-sizes");
        options.udpSizes().forEach(udpSizes::add);
        settings.put("udp-seconds", options.udpSeconds());
        settings.put("pings", options.pings());
        settings.put("warmup-seconds", options.warmupSeconds());
        ObjectNode environment = root.putObject("environment");
        environment.put("wireguard-go", env.wireguardGo());
        environment.put("iperf3", env.iperf3());
        environment.put("openvpn", env.openvpn());
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
            ObjectNode summary = t.putObject("summary");
            for (Metric m : o.metrics()) {
                ObjectNode figure = summary.putObject(m.key());
                figure.put("unit", m.unit());
                figure.put("median", o.median(m));
                figure.put("min", o.min(m));
                figure.put("max", o.max(m));
            }
            if (o.gcCycles() >= 0) {
                t.put("gc-cycles", o.gcCycles());
            }
            ArrayNode runs = t.putArray("runs");
            for (RunResult r : o.runs()) {
                ObjectNode run = runs.addObject();
                run.put("repeat", r.repeat());
                ObjectNode values = run.putObject("values");
                r.values().forEach((m, v) -> values.put(m.key(), v));
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
