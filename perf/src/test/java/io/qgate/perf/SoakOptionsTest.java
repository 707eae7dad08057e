package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {
    @Test
    void defaultsAreAnHourAt200MbitRekeyingEvery5Seconds() {
        SoakOptions o = SoakOptions.parse("--repo", "/r");
        assertEquals(Duration.ofHours(1), o.duration());
        assertEquals(200_000_000, o.rateBitsPerSecond());
        assertEquals(5, o.rekeyAfterSeconds());
        assertEquals(10, o.sampleSeconds());
        assertEquals(361, o.samples(), "one at the start and one every 10 s");
        assertEquals(720, o.expectedRekeys(), 1e-9);
        assertEquals(Path.of("/r/perf/results/" + LocalDate.now() + "-soak"), o.out());
        assertEquals("60 min at 200 Mbit/s each way, rekey_after 5 s, a sample every 10 s", o.describe());
    }

    @Test
    void halfAMinuteWithItsOwnRateAndFolder() {
        SoakOptions o = SoakOptions.parse("--minutes", "0.5", "--rate", "50m", "--rekey-after", "7", "--sample-seconds", "10",
            "--rss-growth-mib", "8.5", "--out", "/tmp/x", "--repo", "/r");
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(50_000_000, o.rateBitsPerSecond());
        assertEquals(4, o.samples());
        assertEquals(30.0 / 7, o.expectedRekeys(), 1e-9);
        assertEquals(8.5, o.rssGrowthMib());
        assertEquals(Path.of("/tmp/x"), o.out());
        assertEquals("30 s at 50 Mbit/s each way, rekey_after 7 s, a sample every 10 s", o.describe());
    }

    @Test
    void ratesTakeIperf3sSuffixes() {
        assertEquals(1_500, SoakOptions.bitsPerSecond("1500"));
        assertEquals(300_000, SoakOptions.bitsPerSecond("300K"));
        assertEquals(2_000_000_000, SoakOptions.bitsPerSecond("2G"));
        for (String bad : new String[] {"", "M", "0", "-5M", "fast", "1.5G", "99999999999G"}) {
            assertEquals("--rate takes a positive whole number of bits per second with an optional K, M or G, e.g. 200M,"
                + " not \"" + bad + "\".", assertThrows(IllegalArgumentException.class, () -> SoakOptions.bitsPerSecond(bad))
                .getMessage(), bad);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("--rekey-after must be between 5 and 120, not 4.", message("--rekey-after", "4"));
        assertEquals("--rekey-after must be between 5 and 120, not 121.", message("--rekey-after", "121"));
        assertEquals("--minutes 0.2 is shorter than two sample intervals of 10 s: make the run longer or --sample-seconds"
            + " shorter.", message("--minutes", "0.2"));
        assertEquals("--minutes must be above 0 and at most 1440, not -1.", message("--minutes", "-1"));
        assertEquals("--minutes takes a number, not \"an hour\".", message("--minutes", "an hour"));
        assertEquals("unknown option --seconds.", message("--seconds", "30"));
        assertEquals("--out needs a value.", message("--out"));
        assertEquals("unknown argument soak.", message("soak"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse(args)).getMessage();
    }
}
