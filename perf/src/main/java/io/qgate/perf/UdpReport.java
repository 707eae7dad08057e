package io.qgate.perf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the harness takes from an {@code iperf3 -c ... -u -b 0 -l N -J} report: the datagrams that
 * arrived per second and the share lost, from the receiver's summary ({@code end.sum_received},
 * iperf3 3.12 and newer; {@code end.sum} in older ones, whose loss figures are the receiver's too).
 *
 * @param packets     datagrams sent
 * @param lost        datagrams the receiver did not get
 * @param seconds     the interval the figures cover
 */
public record UdpReport(long packets, long lost, double seconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Datagrams received per second. */
    public double receivedPerSecond() {
        return seconds > 0 ? (packets - lost) / seconds : 0;
    }

    /** Lost datagrams as a percentage of those sent; 0 when none were sent. */
    public double lossPercent() {
        return packets > 0 ? 100.0 * lost / packets : 0;
    }

    /**
     * Parses iperf3's JSON report of a UDP test.
     *
     * @throws IllegalArgumentException when the text is not JSON, when iperf3 reported an error
     *                                  (quoted), or when the summary has no packet counts
     */
    public static UdpReport parse(String json) {
        JsonNode end = end(json);
        return summary(end.has("sum_received") ? end.path("sum_received") : end.path("sum"), "end.sum_received (or end.sum)");
    }

    /**
     * Parses the reverse direction of an {@code iperf3 --bidir} UDP report: what the server sent
     * and the client received ({@code end.sum_received_bidir_reverse}).
     *
     * @throws IllegalArgumentException as {@link #parse}, and when the report has no reverse
     *                                  direction (a test run without --bidir)
     */
    public static UdpReport parseBidirReverse(String json) {
        return summary(end(json).path("sum_received_bidir_reverse"), "end.sum_received_bidir_reverse (was it run with --bidir?)");
    }

    private static JsonNode end(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(Iperf3Report.withoutWarnings(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(Iperf3Report.noReport(json), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(Iperf3Report.noReport(json));
        }
        JsonNode error = root.get("error");
        if (error != null) {
            throw new IllegalArgumentException("iperf3 failed: " + error.asText());
        }
        return root.path("end");
    }

    private static UdpReport summary(JsonNode sum, String where) {
        JsonNode packets = sum.get("packets");
        JsonNode lost = sum.get("lost_packets");
        JsonNode seconds = sum.get("seconds");
        if (packets == null || !packets.isNumber() || lost == null || !lost.isNumber() || seconds == null || !seconds.isNumber()) {
            throw new IllegalArgumentException("iperf3's UDP report has no " + where + " packets, lost_packets"
                + " and seconds: was the test run with -u?");
        }
        return new UdpReport(packets.asLong(), lost.asLong(), seconds.asDouble());
    }
}
