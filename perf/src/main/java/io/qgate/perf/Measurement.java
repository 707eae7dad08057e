package io.qgate.perf;

import java.util.ArrayList;
import java.util.List;

/** What the harness can measure through each tunnel; {@code --measure} picks a set of them. */
public enum Measurement {
    /** iperf3 TCP for each {@code --streams} count, with the tunnel's and machine's CPU and the tunnel's memory. */
    TCP("tcp"),
    /** iperf3 UDP floods ({@code -u -b 0}) at each {@code --udp-sizes} payload: packets/s received and loss. */
    UDP("udp"),
    /** ping every 10 ms through the idle tunnel: p50 and p99. */
    PING_IDLE("ping-idle"),
    /** ping every 10 ms during a one-stream TCP transfer: p50 and p99. */
    PING_LOAD("ping-load");

    private final String option;

    Measurement(String option) {
        this.option = option;
    }

    /** The name on the command line. */
    public String option() {
        return option;
    }

    /**
     * Parses a comma-separated list of names.
     *
     * @throws IllegalArgumentException naming an unknown entry and the known ones
     */
    public static List<Measurement> parseList(String value) {
        List<Measurement> chosen = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.strip();
            Measurement found = null;
            for (Measurement m : values()) {
                if (m.option.equals(name)) {
                    found = m;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown measurement \"" + name + "\" in --measure: choose from "
                    + String.join(", ", all()) + ".");
            }
            if (!chosen.contains(found)) {
                chosen.add(found);
            }
        }
        return chosen;
    }

    private static List<String> all() {
        List<String> names = new ArrayList<>();
        for (Measurement m : values()) {
            names.add(m.option);
        }
        return names;
    }
}
