package io.qgate.engine.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import io.qgate.engine.telemetry.CountersFile;
import io.qgate.engine.telemetry.LiveCounter;

/**
 * The gateway's own counters (per-peer ones live in {@link io.qgate.engine.control.PeerTraffic}).
 * Workers add once per batch where they can; every drop reason has its own counter. Each is a
 * slot of the gateway's memory-mapped {@link CountersFile}, named as in {@link #snapshot()}.
 */
final class Counters {
    final LiveCounter tunPacketsRead;
    final LiveCounter udpDatagramsReceived;
    final LiveCounter udpDatagramsSent;
    final LiveCounter tunPacketsWritten;
    /** With {@code offload}: reads that brought a TCP/UDP super-packet (each also counts its segments as packets read). */
    final LiveCounter tunSuperPacketsRead;
    /** With {@code offload}: writes of coalesced TCP segments (each also counts its segments as packets written). */
    final LiveCounter tunSuperPacketsWritten;
    /** Outbound: not an IPv4/IPv6 packet we can read. */
    final LiveCounter droppedMalformed;
    /** Outbound: no peer's allowed IPs hold the destination. */
    final LiveCounter droppedNoRoute;
    /** Outbound: larger than the tunnel MTU; an ICMP error went back. */
    final LiveCounter droppedTooBig;
    /** Inbound: the receiver index names no live keypair. */
    final LiveCounter droppedUnknownIndex;
    /** Inbound: the AEAD, replay or expiry checks refused the packet. */
    final LiveCounter droppedRejected;
    /** Inbound: authentic, but the inner source is outside the sender's allowed IPs. */
    final LiveCounter droppedSource;
    /** Inbound: the decrypted payload is not an IP packet. */
    final LiveCounter droppedInnerMalformed;
    /** Either way: the control plane's queue was full. */
    final LiveCounter droppedControlBusy;
    /** Either way: a system call failed (the error is logged once per kind). */
    final LiveCounter ioErrors;
    final LiveCounter icmpSent;

    private final Map<String, LiveCounter> byName = new LinkedHashMap<>();

    /** Allocates every counter in {@code file} (before the data plane starts). */
    Counters(CountersFile file) {
        tunPacketsRead = named(file, "tun_packets_read");
        tunPacketsWritten = named(file, "tun_packets_written");
        tunSuperPacketsRead = named(file, "tun_super_packets_read");
        tunSuperPacketsWritten = named(file, "tun_super_packets_written");
        udpDatagramsReceived = named(file, "udp_datagrams_received");
        udpDatagramsSent = named(file, "udp_datagrams_sent");
        droppedMalformed = named(file, "dropped_malformed");
        droppedNoRoute = named(file, "dropped_no_route");
        droppedTooBig = named(file, "dropped_too_big");
        droppedUnknownIndex = named(file, "dropped_unknown_index");
        droppedRejected = named(file, "dropped_rejected");
        droppedSource = named(file, "dropped_source");
        droppedInnerMalformed = named(file, "dropped_inner_malformed");
        droppedControlBusy = named(file, "dropped_control_busy");
        ioErrors = named(file, "io_errors");
        icmpSent = named(file, "icmp_sent");
    }

    private LiveCounter named(CountersFile file, String name) {
        LiveCounter c = file.counter(name);
        byName.put(name, c);
        return c;
    }

    /** Every counter's value by name, in the order above. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        byName.forEach((name, c) -> m.put(name, c.get()));
        return m;
    }
}
