package io.qgate.perf;

import java.util.Locale;

/**
 * The samples of a soak as CSV (RFC 4180, no quoting needed: every field is a number or a side
 * letter), one line per gateway per sample, written as the run goes so that an interrupted run
 * keeps what it measured. Empty fields are values a sample does not have (the first
 * throughput, the heap before any GC, the heap's resident part when its range is unknown).
 */
public final class SoakCsv {
    /** The first line. */
    public static final String HEADER = "elapsed_s,gateway,pid,rss_kib,heap_rss_kib,fds,threads,heap_after_gc_kib,gc_cycles,"
        + "handshakes,rekeys,handshake_failures,rx_bytes,tx_bytes,dropped_no_keys,dropped_unknown_index,"
        + "dropped_rejected,replay_rejects,rx_mbit_s";

    private SoakCsv() {
    }

    /** One line, without its line end. */
    public static String row(SoakSample s) {
        GatewayStatus g = s.status();
        return String.format(Locale.ROOT, "%.1f,%s,%d,%d,%s,%d,%d,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s", s.elapsedSeconds(),
            s.side().suffix(), g.pid(), s.process().rssKib(),
            s.heapRssKib() == SoakSample.UNKNOWN ? "" : Long.toString(s.heapRssKib()), s.process().fds(), s.process().threads(),
            s.heapAfterGcKib() == GcLog.NO_GC ? "" : Long.toString(s.heapAfterGcKib()), s.gcCycles(), g.handshakes(),
            g.rekeys(), g.handshakeFailures(), g.rxBytes(), g.txBytes(), g.droppedNoKeys(), g.droppedUnknownIndex(),
            g.droppedRejected(), g.replayRejects(),
            Double.isNaN(s.rxMbitPerSecond()) ? "" : String.format(Locale.ROOT, "%.2f", s.rxMbitPerSecond()));
    }
}
