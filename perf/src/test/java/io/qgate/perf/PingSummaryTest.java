package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingSummaryTest {
    @Test
    void readsSentAndAnsweredFromTheClosingLine() {
        PingSummary s = PingSummary.parse("""
            64 bytes from 10.241.0.2: icmp_seq=600 ttl=64 time=0.291 ms

            --- 10.241.0.2 ping statistics ---
            600 packets transmitted, 598 received, 0.333333% packet loss, time 599001ms
            rtt min/avg/max/mdev = 0.101/0.290/2.301/0.120 ms
            """);
        assertEquals(600, s.transmitted());
        assertEquals(598, s.received());
        assertEquals(2, s.lost());
    }

    @Test
    void errorsAndDuplicatesDoNotConfuseIt() {
        assertEquals(3, PingSummary.parse("10 packets transmitted, 7 received, +3 errors, 30% packet loss\n").lost());
        assertEquals(0, PingSummary.parse("5 packets transmitted, 5 received, +1 duplicates, 0% packet loss\n").lost());
    }

    @Test
    void aPingStoppedBeforeItsSummaryIsNamed() {
        String why = assertThrows(IllegalArgumentException.class,
            () -> PingSummary.parse("PING 10.241.0.2 (10.241.0.2) 56(84) bytes of data.\n")).getMessage();
        assertTrue(why.startsWith("ping printed no \"N packets transmitted, M received\" line"), why);
    }
}
