package io.qgate.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link TunnelBench}.
 *
 * @param tunnels      the tunnels to measure, in order
 * @param seconds      length of each iperf3 TCP transfer
 * @param repeat       runs per tunnel; each run uses fresh namespaces and a fresh tunnel
 * @param streams      the TCP transfers: one per count of parallel streams (iperf3 -P), in order
 * @param json         where to write the results as JSON, or {@code null}
 * @param gcLogDir     where JVM tunnels write their GC logs, or {@code null} for no GC logs
 * @param repo         the qgate checkout whose {@code ./qgate} the qgate tunnel runs
 * @param measurements what to measure through each tunnel
 * @param udpSizes     UDP payload sizes in bytes (iperf3 -l)
 * @param udpSeconds   length of each UDP flood
 * @param pings        pings per latency measurement (one every 10 ms)
 * @param warmupSeconds length of the one-stream TCP transfer through each tunnel before anything is
 *                     measured (JIT compilation for a JVM tunnel, caches and neighbour entries for
 *                     all); 0 for none, which measures a tunnel as it comes up
 * @param out          where to write the Markdown table, the SVG chart and the JSON, or {@code null}
 */
public record BenchOptions(List<String> tunnels, int seconds, int repeat, List<Integer> streams, Path json, Path gcLogDir,
                           Path repo, List<Measurement> measurements, List<Integer> udpSizes, int udpSeconds, int pings,
                           int warmupSeconds, Path out) {
    /** The tunnels the harness knows. */
    public static final List<String> KNOWN_TUNNELS = List.of(PlainTunnel.NAME, WireguardGoTunnel.NAME, OpenVpnTunnel.NAME,
        IpsecTunnel.NAME, QgateTunnel.NAME, QgateTunnel.NAME_IO_URING,
        QgateTunnel.NAME_NO_OFFLOAD, QgateTunnel.NAME_THREADED, QgateTunnel.NAME_OPENSSL);
    /** The first argument that selects the full comparison preset. */
    public static final String COMPARE = "compare";

    public static final String USAGE = """
        Usage: tunnel-bench [compare] [--tunnels plain,wireguard-go,...] [--measure tcp,udp,ping-idle,ping-load]
                            [--seconds 10] [--repeat 3] [--streams 1,4] [--udp-sizes 64,512,1420]
                            [--udp-seconds 3] [--pings 200] [--warmup 10] [--out DIR] [--json FILE] [--gc-log DIR]
                            [--repo DIR]
        Measures tunnels between two fresh network namespaces (needs root): iperf3 TCP throughput with
        the CPU the tunnel's processes used, UDP packet rates, ping latency, the tunnel's memory.
          compare    preset (first argument): every tunnel, every measurement, streams 1,4, 5 s TCP,
                     3 repeats, GC logs, output to perf/results/<date>-compare/; later options override
          --tunnels  comma-separated, from: plain (veth, no tunnel), wireguard-go, openvpn,
                     ipsec (kernel ESP), qgate, qgate-io_uring, qgate-no-offload, qgate-threaded,
                     qgate-openssl
          --measure  comma-separated, from: tcp, udp, ping-idle, ping-load (default tcp)
          --seconds  length of each TCP transfer (default 10)
          --repeat   runs per tunnel, each in new namespaces; the table shows medians (default 3)
          --streams  one TCP transfer per count of parallel streams, iperf3 -P (default 1)
          --udp-sizes    UDP payload sizes in bytes, iperf3 -u -b 0 -l N (default 64,512,1420)
          --udp-seconds  length of each UDP flood (default 3)
          --pings    pings per latency measurement, one every 10 ms (default 200)
          --warmup   seconds of one-stream TCP through each tunnel before its first measurement,
                     not recorded; 0 measures each tunnel as it comes up (default 10)
          --out      write results.md (table), chart.svg and results.json to this directory
          --json     also write every run and the summary to this file
          --gc-log   JVM tunnels (qgate) log GC to DIR/qgate-<namespace>.log, and the table
                     reports the GC cycles during the measurements
          --repo     qgate checkout for the qgate tunnel (default: found from the working directory)
        """;

    public BenchOptions {
        tunnels = List.copyOf(tunnels);
        streams = List.copyOf(streams);
        measurements = List.copyOf(measurements);
        udpSizes = List.copyOf(udpSizes);
    }

    /** Whether {@code m} was asked for. */
    public boolean measures(Measurement m) {
        return measurements.contains(m);
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with one sentence naming the bad argument
     */
    public static BenchOptions parse(String... args) {
        boolean compare = args.length > 0 && args[0].equals(COMPARE);
        List<String> tunnels = compare ? KNOWN_TUNNELS : List.of(PlainTunnel.NAME, WireguardGoTunnel.NAME);
        int seconds = compare ? 5 : 10;
        int repeat = 3;
        List<Integer> streams = compare ? List.of(1, 4) : List.of(1);
        List<Measurement> measurements = compare ? List.of(Measurement.values()) : List.of(Measurement.TCP);
        List<Integer> udpSizes = List.of(64, 512, 1420);
        int udpSeconds = 3;
        int pings = 200;
        int warmup = 10;
        Path json = null;
        Path gcLogDir = null;
        Path repo = null;
        Path out = null;
        for (int i = compare ? 1 : 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--")
                    ? option + " needs a value." : "unknown argument " + option + ".");
            }
            String value = args[++i];
            switch (option) {
                case "--tunnels" -> tunnels = tunnels(value);
                case "--measure" -> measurements = Measurement.parseList(value);
                case "--seconds" -> seconds = positive(option, value, 3600);
                case "--repeat" -> repeat = positive(option, value, 100);
                case "--streams" -> streams = positives(option, value, 128);
                case "--udp-sizes" -> udpSizes = positives(option, value, 65_507);
                case "--udp-seconds" -> udpSeconds = positive(option, value, 3600);
                case "--pings" -> pings = positive(option, value, 100_000);
                case "--warmup" -> warmup = between(option, value, 0, 600);
                case "--out" -> out = Path.of(value);
                case "--json" -> json = Path.of(value);
                case "--gc-log" -> gcLogDir = Path.of(value);
                case "--repo" -> repo = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + ".");
            }
        }
        Path checkout = repo != null ? repo : findRepo(Path.of("").toAbsolutePath());
        if (compare && out == null) {
            out = checkout.resolve("perf/results/" + LocalDate.now() + "-compare");
        }
        if (compare && gcLogDir == null) {
            gcLogDir = out.resolve("gc");
        }
        if (out != null && json == null) {
            json = out.resolve("results.json");
        }
        return new BenchOptions(tunnels, seconds, repeat, streams, json, gcLogDir, checkout, measurements, udpSizes,
            udpSeconds, pings, warmup, out);
    }

    private static List<Integer> positives(String option, String value, int max) {
        List<Integer> numbers = new ArrayList<>();
        for (String part : value.split(",")) {
            int n = positive(option, part.strip(), max);
            if (!numbers.contains(n)) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    private static List<String> tunnels(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            String t = name.strip();
            if (!KNOWN_TUNNELS.contains(t)) {
                throw new IllegalArgumentException("unknown tunnel \"" + t + "\" in --tunnels: choose from "
                    + String.join(", ", KNOWN_TUNNELS) + ".");
            }
            if (!names.contains(t)) {
                names.add(t);
            }
        }
        return names;
    }

    static int positive(String option, String value, int max) {
        return between(option, value, 1, max);
    }

    /** {@code value} as a whole number from {@code min} to {@code max}, or one sentence naming {@code option}. */
    static int between(String option, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not \"" + value + "\".", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", not " + n + ".");
        }
        return n;
    }

    /**
     * The qgate checkout: the system property {@code qgate.repo} (set by perf/bin/tunnel-bench),
     * else the nearest directory at or above {@code from} that has both a pom.xml and a qgate
     * launcher, else {@code from}.
     */
    static Path findRepo(Path from) {
        String property = System.getProperty("qgate.repo");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("qgate"))) {
                return dir;
            }
        }
        return from;
    }
}
