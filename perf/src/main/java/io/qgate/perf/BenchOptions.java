package io.qgate.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link TunnelBench}.
 *
 * @param tunnels  the tunnels to measure, in order
 * @param seconds  length of each iperf3 transfer
 * @param repeat   runs per tunnel; each run uses fresh namespaces and a fresh tunnel
 * @param streams  parallel TCP streams (iperf3 -P)
 * @param json     where to write the results as JSON, or {@code null}
 * @param gcLogDir where JVM tunnels write their GC logs, or {@code null} for no GC logs
 * @param repo     the qgate checkout whose {@code ./qgate} the qgate tunnel runs
 */
public record BenchOptions(List<String> tunnels, int seconds, int repeat, int streams, Path json, Path gcLogDir, Path repo) {
    /** The tunnels the harness knows. */
    public static final List<String> KNOWN_TUNNELS = List.of(PlainTunnel.NAME, WireguardGoTunnel.NAME, OpenVpnTunnel.NAME,
        IpsecTunnel.NAME, QgateTunnel.NAME, QgateTunnel.NAME_IO_URING);

    public static final String USAGE = """
        Usage: tunnel-bench [--tunnels plain,wireguard-go,qgate] [--seconds 10] [--repeat 3]
                            [--streams 1] [--json results/file.json] [--gc-log DIR] [--repo DIR]
        Measures one iperf3 TCP transfer through each tunnel between two fresh network namespaces
        (needs root) and prints throughput and the CPU the tunnel's processes used.
          --tunnels  comma-separated, from: plain (veth, no tunnel), wireguard-go, openvpn,
                     ipsec (kernel ESP), qgate, qgate-io_uring
          --seconds  length of each transfer (default 10)
          --repeat   runs per tunnel, each in new namespaces; the table shows medians (default 3)
          --streams  parallel TCP streams, iperf3 -P (default 1)
          --json     also write every run and the summary to this file
          --gc-log   JVM tunnels (qgate) log GC to DIR/qgate-<namespace>.log, and the table
                     reports the GC cycles during the transfers
          --repo     qgate checkout for the qgate tunnel (default: found from the working directory)
        """;

    public BenchOptions {
        tunnels = List.copyOf(tunnels);
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with one sentence naming the bad argument
     */
    public static BenchOptions parse(String... args) {
        List<String> tunnels = List.of(PlainTunnel.NAME, WireguardGoTunnel.NAME);
        int seconds = 10;
        int repeat = 3;
        int streams = 1;
        Path json = null;
        Path gcLogDir = null;
        Path repo = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--")
                    ? option + " needs a value." : "unknown argument " + option + ".");
            }
            String value = args[++i];
            switch (option) {
                case "--tunnels" -> tunnels = tunnels(value);
                case "--seconds" -> seconds = positive(option, value, 3600);
                case "--repeat" -> repeat = positive(option, value, 100);
                case "--streams" -> streams = positive(option, value, 128);
                case "--json" -> json = Path.of(value);
                case "--gc-log" -> gcLogDir = Path.of(value);
                case "--repo" -> repo = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + ".");
            }
        }
        return new BenchOptions(tunnels, seconds, repeat, streams, json, gcLogDir,
            repo != null ? repo : findRepo(Path.of("").toAbsolutePath()));
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

    private static int positive(String option, String value, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not \"" + value + "\".", e);
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(option + " must be between 1 and " + max + ", not " + n + ".");
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
