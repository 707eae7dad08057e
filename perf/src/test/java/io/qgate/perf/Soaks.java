package io.qgate.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Samples made up for the soak's report, verdict and chart tests. */
final class Soaks {
    private Soaks() {
    }

    /** A 40-s run, rekey_after 5 s, a sample every 10 s, growth bound 32 MiB: steady from 10 s. */
    static SoakOptions options() {
        return SoakOptions.parse("--minutes", "0.6666667", "--sample-seconds", "10", "--repo", "/r");
    }

    /** 100 MiB of the resident memory in the heap; a collection before every sample after the first, 4 MiB live after each. */
    static SoakSample sample(double t, Side side, long rssKib, int fds, int threads, long rekeys, long unknownIndex) {
        return sample(t, side, rssKib, HEAP_RSS_KIB, t == 0 ? GcLog.NO_GC : 4096, (int) (t / 10), fds, threads, rekeys, unknownIndex);
    }

    static final long HEAP_RSS_KIB = 100 * 1024;

    static SoakSample sample(double t, Side side, long rssKib, long heapRssKib, long heapAfterGcKib, int gcCycles, int fds,
                             int threads, long rekeys, long unknownIndex) {
        return new SoakSample(t, side, new ProcessGauges(rssKib, threads, fds), heapRssKib, heapAfterGcKib, gcCycles,
            new GatewayStatus(4242 + side.ordinal(), "running", rekeys + 1, rekeys, 0, (long) (t * 25_000_000), 0, 0,
                unknownIndex, 0, 0), t == 0 ? Double.NaN : 200);
    }

    /** Five samples per gateway at 0, 10, ..., 40 s: 200 MiB, 25 fds, 29 threads, a rekey every 5 s, nothing dropped. */
    static List<SoakSample> flat() {
        return series((k, side) -> sample(k * 10, side, 200 * 1024 + k * 100, 25, 29, 2L * k, 0));
    }

    /** Samples {@code k} = 0 to 4 (at {@code 10 k} s) of each gateway, in time order, as {@code sample} makes them. */
    static List<SoakSample> series(BiFunction<Integer, Side, SoakSample> sample) {
        List<SoakSample> samples = new ArrayList<>();
        for (int k = 0; k <= 4; k++) {
            for (Side side : Side.values()) {
                samples.add(sample.apply(k, side));
            }
        }
        return samples;
    }

    /** {@link #flat()} with the sample of {@code side} at {@code index} (0 to 4) replaced. */
    static List<SoakSample> with(int index, SoakSample replacement) {
        List<SoakSample> samples = new ArrayList<>(flat());
        samples.set(index * 2 + replacement.side().ordinal(), replacement);
        return samples;
    }
}
