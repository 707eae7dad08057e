package io.qgate.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Latency through a tunnel: iputils {@code ping} from A to B's inner address every 10 ms
 * ({@code -i 0.01}, which needs root), for a bounded count and time, read by {@link PingStats}.
 */
public final class Ping {
    /** The interval between pings, in seconds as ping's -i takes it. */
    static final String INTERVAL = "0.01";
    /** Pings sent per second at that interval. */
    static final int PER_SECOND = 100;

    private Ping() {
    }

    /** ping's arguments: numeric output, {@code count} pings, at most {@code deadlineSeconds} in all. */
    static List<String> command(int count, int deadlineSeconds) {
        return List.of("ping", "-n", "-i", INTERVAL, "-c", Integer.toString(count), "-w", Integer.toString(deadlineSeconds),
            Side.B.innerAddress4());
    }

    /** The deadline for {@code count} pings: their own length and 2 s for the last answers. */
    static int deadlineFor(int count) {
        return (count + PER_SECOND - 1) / PER_SECOND + 2;
    }

    /** Starts {@code count} pings in A; {@link #finish} reads them. */
    public static BackgroundProcess start(NamespacePair pair, String label, int count, int deadlineSeconds, Path workDir,
                                          Cleanup cleanup) {
        return BackgroundProcess.start("ping (" + label + ") in " + pair.namespace(Side.A), workDir.resolve("ping-" + label + ".log"),
            Map.of(), pair.exec(Side.A, command(count, deadlineSeconds).toArray(String[]::new)), cleanup);
    }

    /**
     * Waits for a ping started with {@code deadlineSeconds} and reads its times.
     *
     * @throws BenchException when no ping was answered
     */
    public static PingStats finish(BackgroundProcess ping, int deadlineSeconds) {
        ping.waitFor(Duration.ofSeconds(deadlineSeconds + 5L));
        PingStats stats = PingStats.parse(ping.log());
        if (stats.replies() == 0) {
            throw new BenchException("no ping through the tunnel was answered during the latency measurement; "
                + ping.describe() + " printed: " + ping.logTail(300));
        }
        return stats;
    }
}
