package io.qgate.perf;

import java.util.List;

/**
 * The load of a soak as its senders saw it: iperf3's UDP summary in each direction and the
 * once-a-second ping from A to B. A part that could not be read is null, with the reason among
 * {@code problems}; it is reported, and it does not decide the verdict, which comes from the
 * gateways' own counters.
 *
 * @param aToB      datagrams from A to B (the iperf3 client's direction), or null
 * @param bToA      datagrams from B to A (the --bidir reverse direction), or null
 * @param ping      pings sent and answered, or null
 * @param pingTimes the round-trip times of the answered pings
 * @param problems  one sentence per part that could not be read
 */
public record SoakTraffic(UdpReport aToB, UdpReport bToA, PingSummary ping, PingStats pingTimes, List<String> problems) {
    public SoakTraffic {
        problems = List.copyOf(problems);
    }
}
