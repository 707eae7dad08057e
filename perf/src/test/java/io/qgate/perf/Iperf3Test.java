package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class Iperf3Test {
    static final String TCP6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:1451 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0
        """;
    static final String TCP_ESTABLISHED = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1451 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0
        """;

    @Test
    void findsAListeningSocketOnThePortInHex() {
        assertTrue(Iperf3.listensOn(TCP6, 5201));
        assertFalse(Iperf3.listensOn(TCP6, 5202));
    }

    @Test
    void aConnectedSocketOnThePortIsNotListening() {
        assertFalse(Iperf3.listensOn(TCP_ESTABLISHED, 5201));
    }

    @Test
    void seesAListeningSocketInItsOwnNamespaceThroughProc() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(Iperf3.isListening(ProcessHandle.current().pid(), s.getLocalPort()));
        }
    }

    @Test
    void tcpAndUdpClientArgumentsAskForAJsonReport() {
        assertEquals(List.of("-t", "5", "-P", "4", "-J"), Iperf3.tcpArguments(5, 4));
        assertEquals(List.of("-u", "-b", "0", "-l", "64", "-t", "3", "-J"), Iperf3.udpArguments(3, 64));
    }

    @Test
    void anUnusableTcpReportBecomesABenchException() {
        BenchException e = assertThrows(BenchException.class, () -> Iperf3.tcpReport("{\"error\": \"the server is busy\"}"));
        assertEquals("iperf3 failed: the server is busy", e.getMessage());
    }
}
