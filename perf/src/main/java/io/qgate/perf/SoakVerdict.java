package io.qgate.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a soak stayed flat, by rules fixed before the run:
 * <ol>
 *   <li>The first quarter of the run is warm-up (JIT compilation, heap sizing, buffer pools). Over
 *       the rest, the "steady part", memory may rise at most {@code --rss-growth-mib} above its
 *       value at the start of that part in each of the two places a leak can be: the resident
 *       memory outside the Java heap (native memory: FFM arenas, libcrypto, threads, code; the
 *       whole resident memory when the heap's range is unknown) and the live heap, the heap in
 *       use after each collection. Open file descriptors and threads must not change at all.
 *       The resident part of the heap itself is not judged: G1 touches more of its reserved
 *       heap as it sizes the young generation, up to the heap's bounds, whatever is live
 *       (docs/PERFORMANCE.md, "Soak"). When no collection happens in the steady part, the
 *       heap's resident part is judged instead of the live heap.</li>
 *   <li>Each gateway completes at least {@value #MIN_REKEY_SHARE} of the expected rekeys (run
 *       length / {@code rekey_after}; a rekey starts at the first 50 ms tick after the key is old
 *       enough and takes a handshake, so a few fewer is normal), and no handshake fails.</li>
 *   <li>No packet is dropped for a reason a rekey could cause ({@link GatewayStatus#rekeyDrops()}),
 *       summed over both gateways from the first sample to the last.</li>
 * </ol>
 * "Flat" is rule 1; the run passes when all three hold.
 *
 * @param checks every check, in the order above, per gateway where it applies
 */
public record SoakVerdict(List<Check> checks) {
    /** The share of the expected rekeys each gateway must complete. */
    public static final double MIN_REKEY_SHARE = 0.8;

    /**
     * One rule applied to the samples.
     *
     * @param name     e.g. "resident memory, gateway a"
     * @param rule     the rule in words, e.g. "grows at most 32 MiB"
     * @param measured what the samples show, e.g. "+1.3 MiB"
     * @param flatness whether it belongs to rule 1 (flat) rather than to the rekey rules
     */
    public record Check(String name, String rule, String measured, boolean passed, boolean flatness) {
    }

    public SoakVerdict {
        checks = List.copyOf(checks);
    }

    /** Memory outside the heap, the live heap, file descriptors and threads held still over the steady part. */
    public boolean flat() {
        return checks.stream().filter(Check::flatness).allMatch(Check::passed);
    }

    /** Every check passed. */
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * Applies the rules to the samples of a run.
     *
     * @param samples both gateways' samples in time order
     * @throws IllegalArgumentException when a gateway has fewer than two samples in the steady part
     */
    public static SoakVerdict judge(List<SoakSample> samples, SoakOptions options) {
        double steadyFrom = options.duration().toSeconds() / 4.0;
        List<Check> checks = new ArrayList<>();
        long rekeyDrops = 0;
        for (Side side : Side.values()) {
            List<SoakSample> all = samples.stream().filter(s -> s.side() == side).toList();
            List<SoakSample> steady = all.stream().filter(s -> s.elapsedSeconds() >= steadyFrom).toList();
            if (steady.size() < 2) {
                throw new IllegalArgumentException("gateway " + side.suffix() + " has " + steady.size()
                    + " sample(s) after the first quarter of the run; the verdict needs two: take samples more often.");
            }
            String gw = ", gateway " + side.suffix();
            String bound = "grows at most " + number(options.rssGrowthMib()) + " MiB in the steady part";
            checks.add(growth("resident memory outside the Java heap" + gw, bound, SoakSeries.OUTSIDE_HEAP, steady, options));
            checks.add(liveHeap("live heap" + gw, bound, steady, options));
            for (SoakSeries constant : List.of(SoakSeries.FDS, SoakSeries.THREADS)) {
                double low = constant.min(steady);
                double high = constant.max(steady);
                checks.add(new Check(constant.heading() + gw, "constant in the steady part",
                    low == high ? "always " + number(low) : "from " + number(low) + " to " + number(high), low == high, true));
            }
            SoakSample first = all.getFirst();
            SoakSample last = all.getLast();
            long rekeys = last.status().rekeys() - first.status().rekeys();
            double expected = options.expectedRekeys();
            checks.add(new Check("rekeys" + gw, String.format(Locale.ROOT, "at least %.0f%% of %s", MIN_REKEY_SHARE * 100,
                number(expected)), String.format(Locale.ROOT, "%d (%.0f%%)", rekeys, 100 * rekeys / expected),
                rekeys >= MIN_REKEY_SHARE * expected, false));
            long failures = last.status().handshakeFailures() - first.status().handshakeFailures();
            checks.add(new Check("failed handshakes" + gw, "none", Long.toString(failures), failures == 0, false));
            rekeyDrops += last.status().rekeyDrops() - first.status().rekeyDrops();
        }
        checks.add(new Check("packets dropped for a reason a rekey could cause, both gateways",
            "none (dropped_no_keys + dropped_unknown_index + dropped_rejected + replay_rejects)", Long.toString(rekeyDrops),
            rekeyDrops == 0, false));
        return new SoakVerdict(checks);
    }

    /** How far {@code series} rose above its first value in {@code steady}; fails when above the bound or unmeasured. */
    private static Check growth(String name, String rule, SoakSeries series, List<SoakSample> steady, SoakOptions options) {
        double start = series.of(steady.getFirst());
        double max = series.max(steady);
        if (Double.isNaN(start) || Double.isNaN(max)) {
            return new Check(name, rule, "not measured", false, true);
        }
        double growth = max - start;
        return new Check(name, rule, String.format(Locale.ROOT, "%+.1f MiB (%.1f to at most %.1f)", growth, start, max),
            growth <= options.rssGrowthMib(), true);
    }

    /**
     * The live heap's growth: the heap after each collection in the steady part against the one
     * before it (the last collection of the warm-up, else the first of the steady part). Without
     * any collection in the steady part, the heap's resident part is judged instead; when that is
     * unknown too, the heap is already inside the resident memory judged as "outside the heap".
     */
    private static Check liveHeap(String name, String rule, List<SoakSample> steady, SoakOptions options) {
        List<SoakSample> collected = steady.stream().filter(s -> !Double.isNaN(s.heapAfterGcMib())).toList();
        if (collected.isEmpty() || steady.getFirst().gcCycles() == steady.getLast().gcCycles()) {
            if (steady.stream().anyMatch(s -> Double.isNaN(s.heapRssMib()))) {
                return new Check(name, rule, "no collection in the steady part; the heap's range is unknown, so the whole resident"
                    + " memory was judged above", true, true);
            }
            Check resident = growth(name, rule, SoakSeries.HEAP_RESIDENT, steady, options);
            return new Check(name, rule, "no collection in the steady part; heap resident " + resident.measured(), resident.passed(),
                true);
        }
        double start = SoakSeries.HEAP.of(collected.getFirst());
        double max = SoakSeries.HEAP.max(collected);
        double growth = max - start;
        return new Check(name, rule, String.format(Locale.ROOT, "%+.1f MiB (%.1f to at most %.1f after %d collection(s))", growth,
            start, max, steady.getLast().gcCycles() - steady.getFirst().gcCycles()), growth <= options.rssGrowthMib(), true);
    }

    /** A whole number without decimals, anything else with one. */
    static String number(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.1f", n);
    }
}
