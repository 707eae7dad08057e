package io.qgate.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Round-trip times read from the output of iputils {@code ping}, one per reply line
 * ({@code "64 bytes from 10.241.0.2: icmp_seq=1 ttl=64 time=0.045 ms"}), and their percentiles.
 * Lines without {@code time=} (the header, "no answer", the summary) are ignored; duplicates
 * ({@code (DUP!)}) count like other replies.
 *
 * @param millis every round-trip time, in the order received
 */
public record PingStats(double[] millis) {
    private static final Pattern TIME = Pattern.compile("\\btime[=<]([0-9]+(?:\\.[0-9]+)?) ms\\b");

    public PingStats {
        millis = millis.clone();
    }

    /** Reads every reply's time; an output without replies gives an empty result. */
    public static PingStats parse(String output) {
        List<Double> times = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = TIME.matcher(line);
            if (line.contains(" from ") && m.find()) {
                times.add(Double.parseDouble(m.group(1)));
            }
        }
        return new PingStats(times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public int replies() {
        return millis.length;
    }

    /**
     * The nearest-rank percentile: the smallest time that at least {@code p} percent of the
     * replies did not exceed; NaN when there were no replies.
     *
     * @throws IllegalArgumentException when {@code p} is not in (0, 100]
     */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100, not " + p + ".");
        }
        if (millis.length == 0) {
            return Double.NaN;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
