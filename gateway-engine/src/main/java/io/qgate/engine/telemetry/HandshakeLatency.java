package io.qgate.engine.telemetry;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How long handshakes took, in an HdrHistogram, for the Prometheus histogram
 * {@code qgate_handshake_duration_seconds}.
 *
 * <p><b>Threads:</b> {@link #record} is wait-free and may be called from any thread (the control
 * thread does, once per completed handshake); {@link #snapshot} may be called from any thread
 * (the metrics server's): it swaps the {@link Recorder}'s interval histogram (HdrHistogram's
 * {@code WriterReaderPhaser} contract: the writer never waits) and folds it into the running
 * total, which only {@code snapshot} touches, under this object's lock.
 */
public final class HandshakeLatency {
    /** Longest recorded duration: one minute (longer ones are recorded as one minute). */
    static final long HIGHEST_MICROS = 60_000_000L;
    /** The Prometheus bucket bounds ({@code le}), in microseconds: 0.5 ms to 10 s. */
    static final long[] BOUNDS_MICROS = {500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000};

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private Histogram interval;

    /** Records a handshake that took {@code nanos} (ignored if negative: unknown). */
    public void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1_000)));
    }

    /**
     * Cumulative bucket counts of every handshake recorded so far.
     *
     * @param boundsSeconds the upper bounds ({@code le}), without {@code +Inf}
     * @param cumulative    how many took at most each bound
     * @param count         how many in all (the {@code +Inf} bucket)
     * @param sumSeconds    their total duration (HdrHistogram's 3-digit precision: within 0.1%)
     */
    public record Buckets(double[] boundsSeconds, long[] cumulative, long count, double sumSeconds) {
    }

    public synchronized Buckets snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        double[] bounds = new double[BOUNDS_MICROS.length];
        long[] cumulative = new long[BOUNDS_MICROS.length];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = BOUNDS_MICROS[i] / 1e6;
            cumulative[i] = total.getTotalCount() == 0 ? 0 : total.getCountBetweenValues(0, BOUNDS_MICROS[i]);
        }
        long count = total.getTotalCount();
        return new Buckets(bounds, cumulative, count, count == 0 ? 0 : total.getMean() * count / 1e6);
    }
}
