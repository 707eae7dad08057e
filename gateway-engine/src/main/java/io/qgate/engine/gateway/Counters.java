package io.qgate.engine.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's own counters (per-peer ones live in {@link io.qgate.engine.control.PeerTraffic}).
 * Workers add once per batch where they can; every drop reason has its own counter.
 */
final class Counters {
    final AtomicLong tunPacketsRead = new AtomicLong();
    final AtomicLong udpDatagramsReceived = new AtomicLong();
    final AtomicLong udpDatagramsSent = new AtomicLong();
    final AtomicLong tunPacketsWritten = new AtomicLong();
    /** Outbound: not an IPv4/IPv6 packet we can read. */
    final AtomicLong droppedMalformed = new AtomicLong();
    /** Outbound: no peer's allowed IPs hold the destination. */
    final AtomicLong droppedNoRoute = new AtomicLong();
    /** Outbound: larger than the tunnel MTU; an ICMP error went back. */
    final AtomicLong droppedTooBig = new AtomicLong();
    /** Inbound: the receiver index names no live keypair. */
    final AtomicLong droppedUnknownIndex = new AtomicLong();
    /** Inbound: the AEAD, replay or expiry checks refused the packet. */
    final AtomicLong droppedRejected = new AtomicLong();
    /** Inbound: authentic, but the inner source is outside the sender's allowed IPs. */
    final AtomicLong droppedSource = new AtomicLong();
    /** Inbound: the decrypted payload is not an IP packet. */
    final AtomicLong droppedInnerMalformed = new AtomicLong();
    /** Either way: the control plane's queue was full. */
    final AtomicLong droppedControlBusy = new AtomicLong();
    /** Either way: a system call failed (the error is logged once per kind). */
    final AtomicLong ioErrors = new AtomicLong();
    final AtomicLong icmpSent = new AtomicLong();

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("tun_packets_read", tunPacketsRead.get());
        m.put("tun_packets_written", tunPacketsWritten.get());
        m.put("udp_datagrams_received", udpDatagramsReceived.get());
        m.put("udp_datagrams_sent", udpDatagramsSent.get());
        m.put("dropped_malformed", droppedMalformed.get());
        m.put("dropped_no_route", droppedNoRoute.get());
        m.put("dropped_too_big", droppedTooBig.get());
        m.put("dropped_unknown_index", droppedUnknownIndex.get());
        m.put("dropped_rejected", droppedRejected.get());
        m.put("dropped_source", droppedSource.get());
        m.put("dropped_inner_malformed", droppedInnerMalformed.get());
        m.put("dropped_control_busy", droppedControlBusy.get());
        m.put("io_errors", ioErrors.get());
        m.put("icmp_sent", icmpSent.get());
        return m;
    }
}
