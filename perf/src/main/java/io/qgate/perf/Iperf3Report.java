package io.qgate.perf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the harness takes from an {@code iperf3 -c ... -J} report: the receiver's throughput summed
 * over all streams ({@code end.sum_received}), which counts only bytes that arrived, unlike the
 * sender's figure, which includes what was still queued when the test ended.
 *
 * @param bitsPerSecond {@code end.sum_received.bits_per_second}
 * @param seconds       {@code end.sum_received.seconds}, the interval the figure covers
 */
public record Iperf3Report(double bitsPerSecond, double seconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Gigabits (10^9 bits) per second, the unit of the harness's table. */
    public double gbitPerSecond() {
        return bitsPerSecond / 1e9;
    }

    /**
     * Parses iperf3's JSON report.
     *
     * @throws IllegalArgumentException when the text is not JSON, when iperf3 reported an error
     *                                  (its {@code error} field, quoted), or when the receiver's
     *                                  summary is missing
     */
    public static Iperf3Report parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(withoutWarnings(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(noReport(json), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(noReport(json));
        }
        JsonNode error = root.get("error");
        if (error != null) {
            throw new IllegalArgumentException("iperf3 failed: " + error.asText());
        }
        JsonNode received = root.path("end").path("sum_received");
        JsonNode bps = received.get("bits_per_second");
        JsonNode seconds = received.get("seconds");
        if (bps == null || !bps.isNumber() || seconds == null || !seconds.isNumber()) {
            throw new IllegalArgumentException(
                "iperf3's report has no end.sum_received.bits_per_second: is this iperf3 3.1 or newer?");
        }
        return new Iperf3Report(bps.asDouble(), seconds.asDouble());
    }

    /**
     * The report without the lines iperf3 prints before it even with {@code -J}, such as
     * "warning: UDP block size 1420 exceeds TCP MSS 1368, may result in fragmentation / drops":
     * the text from the first line that starts with "{", or all of it when there is none.
     */
    static String withoutWarnings(String output) {
        if (output.startsWith("{")) {
            return output;
        }
        int brace = output.indexOf("\n{");
        return brace < 0 ? output : output.substring(brace + 1);
    }

    static String noReport(String output) {
        String said = ExternalCommand.firstLines(output, 1);
        return "iperf3 printed no JSON report (" + (said.isEmpty() ? "its output was empty" : "it printed \"" + said + "\"")
            + "): run the same iperf3 command by hand to see why.";
    }
}
