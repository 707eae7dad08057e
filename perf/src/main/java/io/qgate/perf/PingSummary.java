package io.qgate.perf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The closing line of iputils {@code ping}: {@code "600 packets transmitted, 598 received, ..."}
 * (with "+N duplicates" or "+N errors" in between when there were any).
 *
 * @param transmitted echo requests sent
 * @param received    replies received
 */
public record PingSummary(long transmitted, long received) {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    /** Requests that got no reply. */
    public long lost() {
        return Math.max(0, transmitted - received);
    }

    /**
     * Reads the summary line of ping's output.
     *
     * @throws IllegalArgumentException when there is none (ping was killed before it printed it)
     */
    public static PingSummary parse(String output) {
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("ping printed no \"N packets transmitted, M received\" line: "
                + "was it stopped before its deadline? It printed: " + ExternalCommand.firstLines(output, 2));
        }
        return new PingSummary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }
}
