package io.qgate.perf;

import io.qgate.engine.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;

/**
 * The command line of {@link Soak}.
 *
 * @param duration          how long traffic runs and samples are taken
 * @param rateBitsPerSecond iperf3's {@code -b}: the UDP rate in each direction
 * @param rekeyAfterSeconds both gateways' {@code rekey_after}
 * @param sampleSeconds     the interval between samples
 * @param rssGrowthMib      the verdict's bound on the growth of resident memory outside the heap and of the
 *                          live heap over the last 3/4 of the run
 * @param out               where the CSV, the report and the curves go
 * @param repo              the qgate checkout whose {@code ./qgate} runs the gateways
 */
public record SoakOptions(Duration duration, long rateBitsPerSecond, int rekeyAfterSeconds, int sampleSeconds,
                          double rssGrowthMib, Path out, Path repo) {
    /** The bounds {@code rekey_after} accepts (docs/CONFIG.md), the gateway's own. */
    static final int MIN_REKEY = GatewayConfig.MIN_REKEY_AFTER_SECONDS;
    static final int MAX_REKEY = GatewayConfig.DEFAULT_REKEY_AFTER_SECONDS;
    /** At most a day: every loop of the soak is bounded by its samples. */
    static final double MAX_MINUTES = 24 * 60;

    public static final String USAGE = """
        Usage: soak [--minutes 60] [--rate 200M] [--rekey-after 5] [--sample-seconds 10]
                    [--rss-growth-mib 32] [--out DIR] [--repo DIR]
        Runs two qgate gateways in fresh network namespaces (needs root) with steady UDP traffic both
        ways and a rekey every few seconds, samples each gateway's memory, file descriptors, threads
        and counters, and writes samples.csv, report.md and curves.svg. Exit status 0 when memory
        outside the heap, the live heap, file descriptors and threads stayed flat and no rekey lost
        a packet, 1 otherwise.
          --minutes         length of the run; decimals allowed, e.g. 0.5 (default 60)
          --rate            iperf3 -b in each direction, bits/s with K, M or G (default 200M)
          --rekey-after     both gateways' rekey_after in seconds, 5 to 120 (default 5)
          --sample-seconds  interval between samples (default 10)
          --rss-growth-mib  most the resident memory outside the Java heap, and the live heap after
                            collections, may each grow over the last 3/4 of the run (default 32)
          --out             output directory (default perf/results/<date>-soak)
          --repo            qgate checkout (default: found from the working directory)
        """;

    /** Samples taken: one at the start and one per interval up to the end. */
    public int samples() {
        return Math.toIntExact(duration.toSeconds() / sampleSeconds) + 1;
    }

    /** The rekeys a gateway should complete in the run: one per {@code rekeyAfterSeconds}. */
    public double expectedRekeys() {
        return (double) duration.toSeconds() / rekeyAfterSeconds;
    }

    /** "10 min at 200 Mbit/s each way, rekey_after 5 s, a sample every 10 s". */
    public String describe() {
        long s = duration.toSeconds();
        String length = s % 60 == 0 ? s / 60 + " min" : s + " s";
        return String.format(Locale.ROOT, "%s at %s each way, rekey_after %d s, a sample every %d s", length,
            rate(rateBitsPerSecond), rekeyAfterSeconds, sampleSeconds);
    }

    /** "200 Mbit/s". */
    static String rate(long bitsPerSecond) {
        return bitsPerSecond % 1_000_000_000 == 0 ? bitsPerSecond / 1_000_000_000 + " Gbit/s"
            : bitsPerSecond % 1_000_000 == 0 ? bitsPerSecond / 1_000_000 + " Mbit/s"
            : bitsPerSecond % 1000 == 0 ? bitsPerSecond / 1000 + " kbit/s" : bitsPerSecond + " bit/s";
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException with one sentence naming the bad argument
     */
    public static SoakOptions parse(String... args) {
        double minutes = 60;
        long rate = 200_000_000;
        int rekeyAfter = MIN_REKEY;
        int sampleSeconds = 10;
        double rssGrowth = 32;
        Path out = null;
        Path repo = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value." : "unknown argument " + option + ".");
            }
            String value = args[++i];
            switch (option) {
                case "--minutes" -> minutes = decimal(option, value, MAX_MINUTES);
                case "--rate" -> rate = bitsPerSecond(value);
                case "--rekey-after" -> rekeyAfter = BenchOptions.between(option, value, MIN_REKEY, MAX_REKEY);
                case "--sample-seconds" -> sampleSeconds = BenchOptions.positive(option, value, 3600);
                case "--rss-growth-mib" -> rssGrowth = decimal(option, value, 1 << 20);
                case "--out" -> out = Path.of(value);
                case "--repo" -> repo = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + ".");
            }
        }
        Duration duration = Duration.ofSeconds(Math.round(minutes * 60));
        if (duration.toSeconds() < 2L * sampleSeconds) {
            throw new IllegalArgumentException("--minutes " + value(minutes) + " is shorter than two sample intervals of "
                + sampleSeconds + " s: make the run longer or --sample-seconds shorter.");
        }
        Path checkout = repo != null ? repo : BenchOptions.findRepo(Path.of("").toAbsolutePath());
        if (out == null) {
            out = checkout.resolve("perf/results/" + LocalDate.now() + "-soak");
        }
        return new SoakOptions(duration, rate, rekeyAfter, sampleSeconds, rssGrowth, out, checkout);
    }

    /**
     * iperf3's rate syntax: a number of bits per second with an optional K, M or G (powers of
     * 1000, as iperf3 reads them for -b).
     *
     * @throws IllegalArgumentException when it is not such a number or is not positive
     */
    static long bitsPerSecond(String value) {
        String text = value.strip();
        long unit = 1;
        char last = text.isEmpty() ? ' ' : Character.toUpperCase(text.charAt(text.length() - 1));
        switch (last) {
            case 'K' -> unit = 1_000;
            case 'M' -> unit = 1_000_000;
            case 'G' -> unit = 1_000_000_000;
            default -> { }
        }
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long n = Math.multiplyExact(Long.parseLong(digits), unit);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // the sentence below says what is accepted
        }
        throw new IllegalArgumentException("--rate takes a positive whole number of bits per second with an optional K, M"
            + " or G, e.g. 200M, not \"" + value + "\".");
    }

    private static double decimal(String option, String value, double max) {
        double n;
        try {
            n = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not \"" + value + "\".", e);
        }
        if (!(n > 0 && n <= max)) {
            throw new IllegalArgumentException(option + " must be above 0 and at most " + value(max) + ", not " + value + ".");
        }
        return n;
    }

    private static String value(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }
}
