package io.qgate.perf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of one run through a tunnel that is up, after {@link #warmUp}, in this order: idle ping (while the
 * tunnel is quiet), the TCP transfers (the first one-stream transfer also carries the loaded ping
 * and is followed by reading the tunnel's memory), then the UDP floods (last, because a flood can
 * leave queues that would disturb what follows).
 *
 * <p>Not thread-safe: one run, one thread.
 */
final class TunnelRun {
    /** Percentiles of ping times reported. */
    private static final int[] PERCENTILES = {50, 99};
    /** Ping under load starts this long after the transfer so that it sees a full pipe. */
    private static final long LOAD_PING_DELAY_MS = 1_000;

    private final BenchOptions options;
    private final long ticksPerSecond;
    private final NamespacePair pair;
    private final RunningTunnel running;
    private final Path workDir;
    private final Cleanup cleanup;
    private final Map<Metric, Double> values = new LinkedHashMap<>();

    TunnelRun(BenchOptions options, long ticksPerSecond, NamespacePair pair, RunningTunnel running, Path workDir, Cleanup cleanup) {
        this.options = options;
        this.ticksPerSecond = ticksPerSecond;
        this.pair = pair;
        this.running = running;
        this.workDir = workDir;
        this.cleanup = cleanup;
    }

    /**
     * The warm-up before the measurements ({@code --warmup} seconds of one-stream TCP, not
     * recorded); nothing when it is 0.
     *
     * @return its throughput in Gbit/s, NaN when there was none
     * @throws BenchException when the transfer fails or the tunnel stops during it
     */
    double warmUp() {
        int seconds = options.warmupSeconds();
        if (seconds == 0) {
            return Double.NaN;
        }
        String json = Iperf3.finish(Iperf3.startClient(pair, "warmup", Iperf3.tcpArguments(seconds, 1), workDir, cleanup), seconds);
        running.requireAlive("carrying the warm-up transfer");
        return Iperf3.tcpReport(json).gbitPerSecond();
    }

    /** Makes every chosen measurement and returns the figures in the order measured. */
    Map<Metric, Double> measure() {
        if (options.measures(Measurement.PING_IDLE)) {
            int count = options.pings();
            int deadline = Ping.deadlineFor(count);
            putPercentiles(false, Ping.finish(Ping.start(pair, "idle", count, deadline, workDir, cleanup), deadline));
        }
        boolean loadPingPending = options.measures(Measurement.PING_LOAD);
        if (options.measures(Measurement.TCP)) {
            for (int streams : options.streams()) {
                tcp(streams, loadPingPending && streams == 1, true);
                loadPingPending &= streams != 1;
            }
        }
        if (loadPingPending) {
            tcp(1, true, false); // the load for the ping only; its throughput is not asked for
        }
        if (options.measures(Measurement.UDP)) {
            for (int bytes : options.udpSizes()) {
                UdpReport udp = Iperf3.udp(pair, options.udpSeconds(), bytes, workDir, cleanup);
                running.requireAlive("carrying the UDP flood");
                values.put(Metric.udpPacketsPerSecond(bytes), udp.receivedPerSecond() / 1e3);
                values.put(Metric.udpLoss(bytes), udp.lossPercent());
            }
        }
        return values;
    }

    private void tcp(int streams, boolean withPing, boolean record) {
        int seconds = options.seconds();
        List<Long> pids = running.processes().stream().map(BackgroundProcess::pid).toList();
        CpuMeter meter = CpuMeter.start(pids, ticksPerSecond);
        BackgroundProcess client = Iperf3.startClient(pair, "tcp-" + streams + (record ? "" : "-load"),
            Iperf3.tcpArguments(seconds, streams), workDir, cleanup);
        PingStats loaded = withPing ? pingDuring(seconds) : null;
        Iperf3Report report = Iperf3.tcpReport(Iperf3.finish(client, seconds));
        CpuMeter.Usage usage = meter.stop();
        running.requireAlive("carrying the TCP transfer");
        if (record) {
            values.put(Metric.tcpGbit(streams), report.gbitPerSecond());
            if (!pids.isEmpty()) {
                values.put(Metric.tunnelCores(streams), usage.processCores());
                values.put(Metric.coresPerGbit(streams), report.gbitPerSecond() > 0 ? usage.processCores() / report.gbitPerSecond() : 0);
            }
            values.put(Metric.machineCores(streams), usage.machineCores());
        }
        if (loaded != null) {
            putPercentiles(true, loaded);
        }
        if (!pids.isEmpty() && !values.containsKey(Metric.rssMib())) {
            long kib = 0;
            for (long pid : pids) {
                kib += ProcStatus.vmRssKib(pid);
            }
            values.put(Metric.rssMib(), kib / 1024.0 / pids.size());
        }
    }

    /**
     * Pings during a transfer of {@code seconds} that has just started: from 1 s in (when the
     * transfer is long enough) until about 1 s before it ends, so every ping meets a full pipe.
     */
    private PingStats pingDuring(int seconds) {
        boolean delay = seconds >= 3;
        if (delay) {
            Pause.millis(LOAD_PING_DELAY_MS);
        }
        int window = Math.max(1, seconds - (delay ? 2 : 1));
        int count = Math.min(options.pings(), window * Ping.PER_SECOND);
        return Ping.finish(Ping.start(pair, "loaded", count, window, workDir, cleanup), window);
    }

    private void putPercentiles(boolean loaded, PingStats stats) {
        for (int p : PERCENTILES) {
            values.put(Metric.pingMillis(loaded, p), stats.percentile(p));
        }
    }
}
