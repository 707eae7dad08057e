package io.qgate.perf;

/**
 * One figure the harness reports per run, such as "TCP, 4 streams" in Gbit/s. Metrics are values:
 * two made by the same factory with the same argument are equal, which is how runs, medians, the
 * table and the chart find the same figure.
 *
 * @param kind           what sort of figure it is; tables and charts list metrics in this order
 * @param key            stable name for JSON, e.g. {@code tcp-4-gbit-per-second}
 * @param label          for the table and the chart, e.g. "TCP, 4 streams"
 * @param unit           e.g. "Gbit/s"
 * @param decimals       digits after the point in the table
 * @param higherIsBetter whether a larger value is the better one (throughput) or not (latency, CPU)
 */
public record Metric(Kind kind, String key, String label, String unit, int decimals, boolean higherIsBetter) {
    /** The sorts of figure, in the order tables and charts show them. */
    public enum Kind {
        TCP_GBIT, CORES_PER_GBIT, TUNNEL_CORES, MACHINE_CORES, UDP_RATE, UDP_LOSS, PING_IDLE, PING_LOADED, MEMORY
    }

    /** Receiver throughput of an iperf3 TCP transfer with {@code streams} streams. */
    public static Metric tcpGbit(int streams) {
        return new Metric(Kind.TCP_GBIT, "tcp-" + streams + "-gbit-per-second", "TCP, " + streams + " stream" + plural(streams),
            "Gbit/s", 2, true);
    }

    /** Cores the tunnel's own processes used during that transfer. */
    public static Metric tunnelCores(int streams) {
        return new Metric(Kind.TUNNEL_CORES, "tcp-" + streams + "-tunnel-cores", "tunnel cores, TCP " + streams, "cores", 2, false);
    }

    /** Tunnel cores per Gbit/s of that transfer: the CPU cost of throughput. */
    public static Metric coresPerGbit(int streams) {
        return new Metric(Kind.CORES_PER_GBIT, "tcp-" + streams + "-cores-per-gbit", "tunnel cores per Gbit/s, TCP " + streams,
            "cores per Gbit/s", 3, false);
    }

    /** Cores the whole machine used during that transfer (iperf3 and softirq included). */
    public static Metric machineCores(int streams) {
        return new Metric(Kind.MACHINE_CORES, "tcp-" + streams + "-machine-cores", "machine cores, TCP " + streams, "cores", 2, false);
    }

    /** Datagrams per second that arrived in an iperf3 UDP flood of {@code bytes}-byte payloads. */
    public static Metric udpPacketsPerSecond(int bytes) {
        return new Metric(Kind.UDP_RATE, "udp-" + bytes + "-kpps", "UDP " + bytes + " B received", "k packets/s", 1, true);
    }

    /** Share of those datagrams that were lost. */
    public static Metric udpLoss(int bytes) {
        return new Metric(Kind.UDP_LOSS, "udp-" + bytes + "-loss-percent", "UDP " + bytes + " B loss", "%", 1, false);
    }

    /** A ping round-trip time percentile, idle or during a TCP transfer. */
    public static Metric pingMillis(boolean loaded, int percentile) {
        String when = loaded ? "loaded" : "idle";
        return new Metric(loaded ? Kind.PING_LOADED : Kind.PING_IDLE, "ping-" + when + "-p" + percentile + "-ms",
            "ping p" + percentile + ", " + when, "ms", 3, false);
    }

    /** Resident memory per tunnel process (VmRSS) after the first TCP transfer. */
    public static Metric rssMib() {
        return new Metric(Kind.MEMORY, "rss-mib", "memory per tunnel process, VmRSS", "MiB", 0, false);
    }

    /** "label (unit)", the row heading of the table. */
    public String heading() {
        return label + " (" + unit + ")";
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
