package io.qgate.perf;

/**
 * One gateway at one moment of a soak.
 *
 * @param elapsedSeconds  since the first sample
 * @param side            which gateway: A (runs the iperf3 client and the pings) or B
 * @param process         its resident memory, threads and open file descriptors
 * @param heapRssKib      the resident part of its Java heap's reserved range ({@code /proc/<pid>/smaps}),
 *                        or {@link #UNKNOWN} when its GC log does not give the range
 * @param heapAfterGcKib  heap in use after the last GC its log shows, or {@link GcLog#NO_GC}
 * @param gcCycles        GC cycles its log shows so far
 * @param status          its counters, as {@code qgate show --json} gives them
 * @param rxMbitPerSecond inner traffic received from the peer since the previous sample, Mbit/s;
 *                        NaN for the first sample
 */
public record SoakSample(double elapsedSeconds, Side side, ProcessGauges process, long heapRssKib, long heapAfterGcKib,
                         int gcCycles, GatewayStatus status, double rxMbitPerSecond) {
    /** {@link #heapRssKib} when the heap's range is not known. */
    public static final long UNKNOWN = -1;
    private static final double KIB_PER_MIB = 1024.0;

    /** Resident memory in MiB. */
    public double rssMib() {
        return process.rssKib() / KIB_PER_MIB;
    }

    /** The resident part of the Java heap's range in MiB, NaN when unknown. */
    public double heapRssMib() {
        return heapRssKib == UNKNOWN ? Double.NaN : heapRssKib / KIB_PER_MIB;
    }

    /**
     * Resident memory outside the Java heap in MiB: native memory (the JVM's own, FFM arenas,
     * libcrypto's contexts, thread stacks, code). The whole resident memory when the heap's
     * range is unknown, so that a check of it is never weaker for want of the range.
     */
    public double outsideHeapMib() {
        return (process.rssKib() - (heapRssKib == UNKNOWN ? 0 : heapRssKib)) / KIB_PER_MIB;
    }

    /** Heap in use after the last GC in MiB, NaN before the first GC. */
    public double heapAfterGcMib() {
        return heapAfterGcKib == GcLog.NO_GC ? Double.NaN : heapAfterGcKib / KIB_PER_MIB;
    }

    /**
     * The rate {@code status} shows relative to {@code previous} of the same gateway.
     *
     * @return Mbit/s of inner bytes received; NaN when {@code previous} is null or no time passed
     */
    public static double rxMbitPerSecond(GatewayStatus status, double elapsedSeconds, SoakSample previous) {
        if (previous == null || elapsedSeconds <= previous.elapsedSeconds) {
            return Double.NaN;
        }
        return (status.rxBytes() - previous.status.rxBytes()) * 8.0 / (elapsedSeconds - previous.elapsedSeconds) / 1e6;
    }
}
