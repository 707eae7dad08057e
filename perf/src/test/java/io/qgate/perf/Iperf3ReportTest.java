package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Iperf3ReportTest {
    /** Trimmed from a real `iperf3 -c 10.241.0.2 -t 3 -J` report (iperf3 3.12). */
    static final String REPORT = """
        {
        	"start":	{ "version":	"iperf 3.12", "test_start": { "protocol": "TCP", "num_streams": 1 } },
        	"intervals":	[],
        	"end":	{
        		"sum_sent":	{ "start": 0, "end": 3.000136, "seconds": 3.000136, "bytes": 251658240,
        			"bits_per_second": 671050000.0, "retransmits": 0, "sender": true },
        		"sum_received":	{ "start": 0, "end": 3.003181, "seconds": 3.003181, "bytes": 250367256,
        			"bits_per_second": 666938838.51822448, "sender": true },
        		"cpu_utilization_percent":	{ "host_total": 40.1 }
        	}
        }
        """;

    @Test
    void takesTheReceiversThroughputNotTheSenders() {
        Iperf3Report r = Iperf3Report.parse(REPORT);
        assertEquals(666938838.51822448, r.bitsPerSecond(), 1e-3);
        assertEquals(3.003181, r.seconds(), 1e-9);
        assertEquals(0.6669, r.gbitPerSecond(), 1e-4);
    }

    @Test
    void rejectsOutputThatIsNotJsonQuotingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Iperf3Report.parse("iperf3: error - unable to connect to server: Connection refused\n{"));
        assertTrue(e.getMessage().contains("no JSON report"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void rejectsEmptyOutputSayingItWasEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Iperf3Report.parse(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void reportsIperf3sOwnErrorField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Iperf3Report.parse(
            "{\"start\": {}, \"intervals\": [], \"end\": {}, \"error\": \"unable to connect to server: No route to host\"}"));
        assertEquals("iperf3 failed: unable to connect to server: No route to host", e.getMessage());
    }

    @Test
    void rejectsAReportWithoutTheReceiverSummary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Iperf3Report.parse("{\"end\": {\"sum_sent\": {\"bits_per_second\": 1.0, \"seconds\": 1.0}}}"));
        assertTrue(e.getMessage().contains("end.sum_received.bits_per_second"), e.getMessage());
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertThrows(IllegalArgumentException.class, () -> Iperf3Report.parse("[1, 2]"));
    }
}
