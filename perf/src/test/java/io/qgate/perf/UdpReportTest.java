package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UdpReportTest {
    /** A real `iperf3 -c 127.0.0.1 -u -b 0 -l 64 -t 1 -J` report (iperf3 3.12), intervals trimmed. */
    private static String fixture() throws IOException {
        return resource("iperf3-udp-64.json");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = UdpReportTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void countsTheDatagramsTheReceiverGotAndTheShareLost() throws IOException {
        UdpReport r = UdpReport.parse(fixture());
        assertEquals(152310, r.packets());
        assertEquals(68992, r.lost());
        assertEquals(1.000104, r.seconds(), 1e-9);
        assertEquals((152310 - 68992) / 1.000104, r.receivedPerSecond(), 1e-6);
        assertEquals(45.297, r.lossPercent(), 1e-3);
    }

    @Test
    void skipsTheWarningsIperf3PrintsBeforeItsJson() throws IOException {
        String warned = "warning: UDP block size 1420 exceeds TCP MSS 1368, may result in fragmentation / drops\n" + fixture();
        assertEquals(152310, UdpReport.parse(warned).packets());
        assertEquals(Iperf3ReportTest.REPORT, Iperf3Report.withoutWarnings("warning: x\nwarning: y\n" + Iperf3ReportTest.REPORT));
    }

    @Test
    void readsTheOlderSummaryWhenThereIsNoSumReceived() {
        UdpReport r = UdpReport.parse("""
            {"end": {"sum": {"seconds": 2.0, "packets": 1000, "lost_packets": 10, "lost_percent": 1.0}}}
            """);
        assertEquals(495.0, r.receivedPerSecond(), 1e-9);
        assertEquals(1.0, r.lossPercent(), 1e-9);
    }

    @Test
    void quotesIperf3sErrorAndRejectsATcpReport() {
        assertEquals("iperf3 failed: unable to connect to server: Connection refused",
            assertThrows(IllegalArgumentException.class, () -> UdpReport.parse(
                "{\"error\": \"unable to connect to server: Connection refused\"}")).getMessage());
        String tcp = assertThrows(IllegalArgumentException.class, () -> UdpReport.parse(Iperf3ReportTest.REPORT)).getMessage();
        assertTrue(tcp.endsWith("was the test run with -u?"), tcp);
        String none = assertThrows(IllegalArgumentException.class, () -> UdpReport.parse("iperf3: error")).getMessage();
        assertTrue(none.startsWith("iperf3 printed no JSON report"), none);
    }

    @Test
    void noDatagramsMeansNoRateAndNoLoss() {
        UdpReport r = new UdpReport(0, 0, 0);
        assertEquals(0, r.receivedPerSecond());
        assertEquals(0, r.lossPercent());
    }

    /** A real `iperf3 -c 127.0.0.1 -u -b 50M -l 1350 --bidir -t 2 -i 0 -J` report (iperf3 3.12). */
    private static String bidir() throws IOException {
        return resource("iperf3-udp-bidir.json");
    }

    @Test
    void aBidirectionalReportGivesBothDirections() throws IOException {
        UdpReport forward = UdpReport.parse(bidir());
        UdpReport reverse = UdpReport.parseBidirReverse(bidir());
        assertEquals(9256, forward.packets());
        assertEquals(9257, reverse.packets());
        assertEquals(0, reverse.lost());
        assertEquals(2.000883, reverse.seconds(), 1e-9);
    }

    @Test
    void aOneWayReportHasNoReverseDirection() {
        String why = assertThrows(IllegalArgumentException.class, () -> UdpReport.parseBidirReverse(fixture())).getMessage();
        assertTrue(why.contains("sum_received_bidir_reverse") && why.contains("--bidir"), why);
    }
}
