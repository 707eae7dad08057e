package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingStatsTest {
    /** Real iputils ping output (ping -n -i 0.01 -c 5), with one reply changed to be slower. */
    private static final String OUTPUT = """
        PING 10.241.0.2 (10.241.0.2) 56(84) bytes of data.
        64 bytes from 10.241.0.2: icmp_seq=1 ttl=64 time=0.047 ms
        64 bytes from 10.241.0.2: icmp_seq=2 ttl=64 time=1.20 ms
        64 bytes from 10.241.0.2: icmp_seq=3 ttl=64 time=0.049 ms
        no answer yet for icmp_seq=4
        64 bytes from 10.241.0.2: icmp_seq=5 ttl=64 time=0.051 ms
        64 bytes from 10.241.0.2: icmp_seq=5 ttl=64 time=0.060 ms (DUP!)

        --- 10.241.0.2 ping statistics ---
        5 packets transmitted, 4 received, +1 duplicates, 20% packet loss, time 67ms
        rtt min/avg/max/mdev = 0.047/0.281/1.200/0.459 ms
        """;

    @Test
    void readsOneTimePerReplyLineAndIgnoresTheSummary() {
        PingStats stats = PingStats.parse(OUTPUT);
        assertEquals(5, stats.replies());
        assertEquals(List.of(0.047, 1.2, 0.049, 0.051, 0.06), Arrays.stream(stats.millis()).boxed().toList());
    }

    @Test
    void percentilesAreNearestRank() {
        PingStats stats = PingStats.parse(OUTPUT);
        assertEquals(0.051, stats.percentile(50));
        assertEquals(1.2, stats.percentile(99));
        assertEquals(0.047, stats.percentile(1));
        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i;
        }
        assertEquals(50, new PingStats(hundred).percentile(50));
        assertEquals(99, new PingStats(hundred).percentile(99));
    }

    @Test
    void readsSubMillisecondTimesPrintedWithALessThanSign() {
        assertEquals(0.001, PingStats.parse("64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time<0.001 ms\n").percentile(50));
    }

    @Test
    void noRepliesGiveNoPercentileAndABadPercentileIsRefused() {
        PingStats none = PingStats.parse("PING 10.241.0.2 (10.241.0.2) 56(84) bytes of data.\n\n--- statistics ---\n");
        assertEquals(0, none.replies());
        assertTrue(Double.isNaN(none.percentile(50)));
        assertEquals("a percentile is above 0 and at most 100, not 0.0.",
            assertThrows(IllegalArgumentException.class, () -> none.percentile(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> none.percentile(101));
    }

    @Test
    void pingsEveryTenMillisecondsWithinADeadline() {
        assertEquals(List.of("ping", "-n", "-i", "0.01", "-c", "200", "-w", "4", "10.241.0.2"), Ping.command(200, Ping.deadlineFor(200)));
        assertEquals(3, Ping.deadlineFor(1));
    }
}
