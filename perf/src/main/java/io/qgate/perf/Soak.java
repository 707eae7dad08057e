package io.qgate.perf;

import io.qgate.engine.config.GatewayConfig.IoBackend;
import io.qgate.engine.telemetry.CountersFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak ({@code perf/bin/soak}, {@code qgate bench soak}): two qgate gateways in fresh
 * namespaces with {@code rekey_after} set short, steady UDP traffic both ways through them
 * ({@code iperf3 -u -b RATE --bidir}) and a ping a second, for a fixed time; every sample interval
 * each gateway's resident memory, threads, file descriptors, heap after GC and counters. At the
 * end {@code samples.csv}, {@code report.md}, {@code curves.svg}, the gateways' GC logs
 * ({@code gc/}) and their own logs ({@code logs/}) in the output directory, and the verdict of
 * {@link SoakVerdict}.
 *
 * <p>Every loop is bounded: the samples by their count, each wait by a deadline. Everything the
 * run creates is removed when it ends, when a step fails, and on SIGINT/SIGTERM through the
 * shutdown hook ({@link Cleanup}); {@code samples.csv} is written as the run goes, so an
 * interrupted run keeps its samples.
 *
 * <p>Exit status: 0 when the run was flat and every check passed, 1 when a check failed or the
 * run could not be completed, 2 for a usage error.
 */
public final class Soak {
    /** UDP payload: with the 28 bytes of IPv4 and UDP headers it fits qgate's 1420-byte MTU unfragmented. */
    static final int UDP_PAYLOAD = 1350;
    /** The directory {@code qgate up} keeps its counters file in by default (docs/OPERATIONS.md). */
    static final Path RUN_DIRECTORY = Path.of("/run/qgate");
    /** Beyond the run's own length: ping's last reply and its summary line. */
    private static final Duration PING_SLACK = Duration.ofSeconds(10);

    private final SoakOptions options;
    private final PrintStream out;
    private final Cleanup cleanup = new Cleanup();

    public Soak(SoakOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(SoakOptions.USAGE);
            System.exit(0);
        }
        SoakOptions options;
        try {
            options = SoakOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.print(SoakOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            SoakVerdict verdict = new Soak(options, System.out).run(String.join(" ", args));
            System.exit(verdict.passed() ? 0 : 1);
        } catch (BenchException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs the soak and writes its files.
     *
     * @param arguments the command line, for the report
     * @return the verdict (also in the report)
     * @throws BenchException when the soak cannot run here or a gateway stops during it
     */
    public SoakVerdict run(String arguments) {
        TunnelBench.requireRootAndIperf3("soak");
        QgateTunnel tunnel = new QgateTunnel(options.repo(), options.out().resolve("gc"), IoBackend.BATCHED,
            options.rekeyAfterSeconds());
        String unavailable = tunnel.unavailableReason();
        if (unavailable != null) {
            throw new BenchException(unavailable);
        }
        WorkFiles.createDirectories(options.out().resolve("gc"));
        List<String> header = List.of("Command: `perf/bin/soak " + arguments + "`",
            "Started: " + Instant.now().truncatedTo(ChronoUnit.SECONDS), "Machine: " + BenchEnvironment.detect().describe());
        out.println("soak: " + options.describe() + "; writing to " + options.out());
        Thread hook = new Thread(cleanup::shutDown, "soak-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        List<SoakSample> samples;
        SoakTraffic traffic;
        try {
            Path workDir = WorkFiles.createWorkDir();
            cleanup.register("remove " + workDir, () -> WorkFiles.deleteTree(workDir));
            // Registered after the removal, so it runs before it and after the gateways have stopped.
            cleanup.register("keep the gateways' logs", () -> keepLogs(workDir, options.out().resolve("logs")));
            NamespacePair pair = NamespacePair.create(cleanup);
            RunningTunnel running = tunnel.start(pair, workDir, cleanup);
            Iperf3.startServer(pair, workDir, cleanup);
            int seconds = Math.toIntExact(options.duration().toSeconds());
            BackgroundProcess iperf = Iperf3.startClient(pair, "soak", List.of("-u", "-b", Long.toString(options.rateBitsPerSecond()),
                "-l", Integer.toString(UDP_PAYLOAD), "--bidir", "-t", Integer.toString(seconds), "-i", "0", "-J"), workDir, cleanup);
            BackgroundProcess ping = BackgroundProcess.start("ping in " + pair.namespace(Side.A), workDir.resolve("ping.log"), Map.of(),
                pair.exec(Side.A, "ping", "-n", "-i", "1", "-w", Integer.toString(seconds), Side.B.innerAddress4()), cleanup);
            samples = sample(pair, running);
            traffic = traffic(iperf, ping, seconds);
        } finally {
            String failure = cleanup.runAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is already running and cleans up.
            }
            if (failure != null) {
                out.println("soak: " + failure);
            }
        }
        SoakVerdict verdict = SoakVerdict.judge(samples, options);
        WorkFiles.write(options.out().resolve(SoakReport.REPORT), SoakReport.render(header, options, samples, verdict, traffic));
        WorkFiles.write(options.out().resolve(SoakReport.CHART), SoakChart.render(samples));
        out.println("soak: " + (verdict.flat() ? "flat" : "NOT flat") + (verdict.passed() ? ", every check passed" : ", a check failed")
            + "; report in " + options.out().resolve(SoakReport.REPORT));
        for (SoakVerdict.Check c : verdict.checks()) {
            if (!c.passed()) {
                out.println("soak: FAILED " + c.name() + ": " + c.rule() + ", measured " + c.measured());
            }
        }
        return verdict;
    }

    /** Takes every sample on schedule, writing each to samples.csv at once. */
    private List<SoakSample> sample(NamespacePair pair, RunningTunnel running) {
        List<SoakSample> samples = new ArrayList<>();
        Map<Side, SoakSample> previous = new EnumMap<>(Side.class);
        Path csv = options.out().resolve(SoakReport.CSV);
        long start = System.nanoTime();
        try (BufferedWriter writer = Files.newBufferedWriter(csv)) {
            writer.write(SoakCsv.HEADER);
            writer.newLine();
            for (int k = 0; k < options.samples(); k++) {
                long due = start + Duration.ofSeconds((long) k * options.sampleSeconds()).toNanos();
                Pause.millis(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                running.requireAlive("soaking");
                double elapsed = (System.nanoTime() - start) / 1e9;
                for (Side side : Side.values()) {
                    SoakSample s = sample(pair, side, running.gcLogs().get(side.ordinal()), elapsed, previous.get(side));
                    previous.put(side, s);
                    samples.add(s);
                    writer.write(SoakCsv.row(s));
                    writer.newLine();
                }
                writer.flush();
                out.println(progress(previous));
            }
        } catch (IOException e) {
            throw new BenchException("cannot write " + csv + ": " + e.getMessage(), e);
        }
        return samples;
    }

    private static SoakSample sample(NamespacePair pair, Side side, Path gcLog, double elapsed, SoakSample previous) {
        GatewayStatus status = GatewayStatus.read(RUN_DIRECTORY.resolve(QgateTunnel.interfaceName(pair, side) + CountersFile.SUFFIX));
        ProcessGauges process = ProcessGauges.read(status.pid());
        String gc = GcLog.read(gcLog);
        return new SoakSample(elapsed, side, process, heapRssKib(status.pid(), GcLog.heapRange(gc)), GcLog.heapAfterLastGcKib(gc),
            GcLog.cycles(gc), status, SoakSample.rxMbitPerSecond(status, elapsed, previous));
    }

    /** The resident part of the heap's range; {@link SoakSample#UNKNOWN} when the GC log does not give the range. */
    private static long heapRssKib(long pid, GcLog.HeapRange heap) {
        if (heap == null) {
            return SoakSample.UNKNOWN;
        }
        try {
            return Smaps.residentKib(Smaps.read(pid), heap.start(), heap.end());
        } catch (IllegalArgumentException e) {
            throw new BenchException("/proc/" + pid + "/smaps: " + e.getMessage(), e);
        }
    }

    /** One console line per sample: both gateways' figures side by side, a / b. */
    static String progress(Map<Side, SoakSample> now) {
        SoakSample a = now.get(Side.A);
        SoakSample b = now.get(Side.B);
        return String.format(Locale.ROOT, "soak: %6.1f min  RSS %.1f/%.1f MiB (outside the heap %.1f/%.1f)  fds %d/%d"
                + "  threads %d/%d  rekeys %d/%d  rx %s/%s Mbit/s  rekey drops %d", a.elapsedSeconds() / 60, a.rssMib(), b.rssMib(),
            a.outsideHeapMib(), b.outsideHeapMib(), a.process().fds(),
            b.process().fds(), a.process().threads(), b.process().threads(), a.status().rekeys(), b.status().rekeys(),
            MarkdownTable.number(a.rxMbitPerSecond(), 1), MarkdownTable.number(b.rxMbitPerSecond(), 1),
            a.status().rekeyDrops() + b.status().rekeyDrops());
    }

    /** Waits for iperf3 and ping (started with the run's length) and reads what they saw. */
    private static SoakTraffic traffic(BackgroundProcess iperf, BackgroundProcess ping, int seconds) {
        List<String> problems = new ArrayList<>();
        UdpReport aToB = null;
        UdpReport bToA = null;
        try {
            String json = Iperf3.finish(iperf, seconds);
            aToB = UdpReport.parse(json);
            bToA = UdpReport.parseBidirReverse(json);
        } catch (BenchException | IllegalArgumentException e) {
            problems.add("iperf3: " + e.getMessage());
        }
        PingSummary pings = null;
        PingStats times = new PingStats(new double[0]);
        try {
            ping.waitFor(Duration.ofSeconds(seconds).plus(PING_SLACK));
            pings = PingSummary.parse(ping.log());
            times = PingStats.parse(ping.log());
        } catch (BenchException | IllegalArgumentException e) {
            problems.add("ping: " + e.getMessage());
        }
        return new SoakTraffic(aToB, bToA, pings, times, problems);
    }

    /** Copies the gateways' own logs ({@code qgate-a.log}, {@code qgate-b.log}) out of the run's directory. */
    static void keepLogs(Path workDir, Path logs) {
        try {
            Files.createDirectories(logs);
            for (Side side : Side.values()) {
                Path log = workDir.resolve("qgate-" + side.suffix() + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, logs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new BenchException("cannot copy the gateways' logs to " + logs + ": " + e.getMessage(), e);
        }
    }
}
