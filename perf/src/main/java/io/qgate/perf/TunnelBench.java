package io.qgate.perf;

import io.qgate.engine.config.GatewayConfig.IoBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The namespace tunnel benchmark: for each repeat and each tunnel, two fresh namespaces joined
 * by veth, the tunnel between them, one {@code iperf3} transfer through it, and the CPU the
 * tunnel's processes and the machine used meanwhile; then a table of medians. Repeats are
 * interleaved (plain, wireguard-go, qgate, plain, ...) so that a slow phase of a shared machine
 * does not fall on one tunnel only.
 *
 * <p>Everything a run creates (namespaces, processes, files) is removed after the run, also when
 * a step fails, and by a shutdown hook on SIGINT/SIGTERM ({@link Cleanup}).
 *
 * <p>Exit status: 0 when every requested tunnel was measured or skipped, 1 when one failed or
 * the harness cannot run here, 2 for a usage error.
 */
public final class TunnelBench {
    private final BenchOptions options;
    private final PrintStream out;
    private final Cleanup cleanup = new Cleanup();

    public TunnelBench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            System.exit(0);
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tunnel-bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            List<TunnelOutcome> outcomes = new TunnelBench(options, System.out).run();
            System.exit(outcomes.stream().anyMatch(o -> o.failure() != null) ? 1 : 0);
        } catch (BenchException e) {
            System.err.println("tunnel-bench: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs the whole benchmark, prints progress and the table to {@code out}, and writes the JSON
     * file if one was asked for.
     *
     * @return one outcome per requested tunnel, in the requested order
     * @throws BenchException when the harness cannot run at all here (not root, no iperf3)
     */
    public List<TunnelOutcome> run() {
        requireRootAndIperf3("tunnel-bench");
        long ticksPerSecond = ProcStat.clockTicksPerSecond();
        BenchEnvironment env = BenchEnvironment.detect();
        out.println("tunnel-bench: " + env.describe());
        out.printf("tunnel-bench: measuring %s; TCP %d s with %s stream(s), UDP %d s at %s bytes, %d pings; %d repeat(s)%n",
            options.measurements().stream().map(Measurement::option).toList(), options.seconds(), options.streams(),
            options.udpSeconds(), options.udpSizes(), options.pings(), options.repeat());
        if (options.gcLogDir() != null) {
            WorkFiles.createDirectories(options.gcLogDir());
        }
        List<Tunnel> tunnels = new ArrayList<>();
        List<TunnelOutcome> outcomes = new ArrayList<>();
        for (String name : options.tunnels()) {
            Tunnel tunnel = tunnel(name);
            TunnelOutcome outcome = new TunnelOutcome(name);
            String reason = tunnel.unavailableReason();
            if (reason != null) {
                outcome.skip(reason);
                out.println("tunnel-bench: " + name + " skipped: " + reason);
            }
            tunnels.add(tunnel);
            outcomes.add(outcome);
        }
        Thread hook = new Thread(cleanup::shutDown, "tunnel-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int repeat = 1; repeat <= options.repeat(); repeat++) {
                for (int i = 0; i < tunnels.size(); i++) {
                    if (outcomes.get(i).active()) {
                        runOnce(tunnels.get(i), outcomes.get(i), repeat, ticksPerSecond);
                    }
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running and cleans up.
            }
        }
        out.println();
        out.print(ResultTable.render(outcomes, options.streams().getFirst()));
        if (options.json() != null) {
            ResultJson.write(options.json(), options, env, outcomes);
            out.println("tunnel-bench: results written to " + options.json());
        }
        if (options.out() != null) {
            Report.write(options.out(), options, env, outcomes);
            out.println("tunnel-bench: table and chart written to " + options.out().resolve(Report.TABLE) + " and "
                + options.out().resolve(Report.CHART));
        }
        return outcomes;
    }

    private void runOnce(Tunnel tunnel, TunnelOutcome outcome, int repeat, long ticksPerSecond) {
        String label = tunnel.name() + " run " + repeat + "/" + options.repeat();
        try {
            Path workDir = WorkFiles.createWorkDir();
            cleanup.register("remove " + workDir, () -> WorkFiles.deleteTree(workDir));
            NamespacePair pair = NamespacePair.create(cleanup);
            RunningTunnel running = tunnel.start(pair, workDir, cleanup);
            Iperf3.startServer(pair, workDir, cleanup);
            TunnelRun run = new TunnelRun(options, ticksPerSecond, pair, running, workDir, cleanup);
            double warm = run.warmUp();
            if (!Double.isNaN(warm)) {
                out.printf(Locale.ROOT, "tunnel-bench: %-24s warm-up %d s at %.2f Gbit/s (not recorded)%n", label,
                    options.warmupSeconds(), warm);
            }
            int gcBefore = gcCycles(running);
            Map<Metric, Double> values = run.measure();
            int gc = running.gcLogs().isEmpty() ? -1 : gcCycles(running) - gcBefore;
            RunResult result = new RunResult(repeat, values, gc);
            outcome.add(result);
            out.printf("tunnel-bench: %-24s %s%s%n", label, summary(result), gc >= 0 ? ", " + gc + " GC cycle(s)" : "");
        } catch (BenchException e) {
            outcome.fail(e.getMessage());
            out.println("tunnel-bench: " + label + " failed: " + e.getMessage());
        } finally {
            String failure = cleanup.runAll();
            if (failure != null) {
                outcome.fail(failure);
                out.println("tunnel-bench: " + label + ": " + failure);
            }
        }
    }

    /** The run's figures on one line: "TCP, 1 stream: 1.23 Gbit/s; ...". */
    static String summary(RunResult result) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<Metric, Double> e : result.values().entrySet()) {
            if (!line.isEmpty()) {
                line.append("; ");
            }
            line.append(e.getKey().label()).append(": ")
                .append(MarkdownTable.number(e.getValue(), e.getKey().decimals()))
                .append(' ').append(e.getKey().unit());
        }
        return line.toString();
    }

    private Tunnel tunnel(String name) {
        return switch (name) {
            case PlainTunnel.NAME -> new PlainTunnel();
            case WireguardGoTunnel.NAME -> new WireguardGoTunnel();
            case OpenVpnTunnel.NAME -> new OpenVpnTunnel();
            case IpsecTunnel.NAME -> new IpsecTunnel();
            case QgateTunnel.NAME -> new QgateTunnel(options.repo(), options.gcLogDir());
            case QgateTunnel.NAME_IO_URING -> new QgateTunnel(options.repo(), options.gcLogDir(), IoBackend.IO_URING);
            case QgateTunnel.NAME_NO_OFFLOAD -> new QgateTunnel(options.repo(), options.gcLogDir(), IoBackend.BATCHED,
                QgateConfig.DEFAULT_REKEY, false);
            case QgateTunnel.NAME_THREADED -> new QgateTunnel(QgateTunnel.NAME_THREADED, options.repo(), options.gcLogDir(),
                IoBackend.BATCHED, QgateConfig.DEFAULT_REKEY, true, 1);
            case QgateTunnel.NAME_OPENSSL -> new QgateTunnel(QgateTunnel.NAME_OPENSSL, options.repo(), options.gcLogDir(),
                IoBackend.BATCHED, QgateConfig.DEFAULT_REKEY, true, QgateConfig.DEFAULT_WORKERS, QgateTunnel.OPENSSL_AEAD);
            default -> throw new IllegalArgumentException("unknown tunnel " + name);
        };
    }

    private static int gcCycles(RunningTunnel running) {
        int sum = 0;
        for (Path log : running.gcLogs()) {
            sum += GcLog.cycles(log);
        }
        return sum;
    }

    /** Whether this process runs as root; namespaces, veth and TUN need CAP_NET_ADMIN. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * @param tool the command's name, for the message
     * @throws BenchException when this process is not root or ip, iperf3 or ping is missing
     */
    static void requireRootAndIperf3(String tool) {
        if (!isRoot()) {
            throw new BenchException(tool + " needs root (CAP_NET_ADMIN) to create network namespaces and"
                + " tunnel interfaces: run it as root.");
        }
        for (String program : new String[] {"ip", "iperf3", "ping"}) {
            if (!ExternalCommand.isInstalled(program)) {
                throw new BenchException(program + " is not installed: run perf/bin/install-deps as root.");
            }
        }
    }
}
