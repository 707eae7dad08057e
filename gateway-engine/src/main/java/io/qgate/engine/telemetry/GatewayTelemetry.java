package io.qgate.engine.telemetry;

import io.qgate.engine.control.Drop;
import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerEvent;
import io.qgate.engine.control.PeerTraffic;
import io.qgate.engine.session.Keypair;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A running gateway's telemetry: its {@link CountersFile}, the handshake-latency histogram and
 * the JFR events. The control thread feeds it ({@link #onEvent}, {@link #tick}); the data plane
 * only touches the {@link LiveCounter}s it was handed; the metrics server reads
 * ({@link #snapshot}, {@link #latency}).
 */
public final class GatewayTelemetry implements AutoCloseable {
    /** Prefix of the names of the control plane's drop counters ({@code control_dropped_rate_limited}). */
    public static final String CONTROL_DROPPED = "control_dropped_";
    /** The gauge that is 1 while new initiations need a cookie (the responder is under load), else 0. */
    public static final String UNDER_LOAD = "handshakes_under_load";

    private final CountersFile file;
    private final HandshakeLatency latency = new HandshakeLatency();
    private final Map<Drop, LiveCounter> drops = new EnumMap<>(Drop.class);
    /** 1 while the responder requires cookies ({@link Endpoint#underLoad(long)}), else 0: a gauge. */
    private LiveCounter underLoad;

    private GatewayTelemetry(CountersFile file) {
        this.file = file;
    }

    /** Creates the counters file {@code <runDirectory>/<interfaceName>.counters} (see {@link CountersFile#create}). */
    public static GatewayTelemetry create(Path runDirectory, String interfaceName, InetSocketAddress listen, int peers) {
        return new GatewayTelemetry(CountersFile.create(runDirectory, interfaceName, listen, peers));
    }

    public CountersFile file() {
        return file;
    }

    public HandshakeLatency latency() {
        return latency;
    }

    /** Set-up thread: allocates the control plane's drop counters (after the data plane's, so those come first). */
    public void allocateControlCounters() {
        for (Drop d : Drop.values()) {
            drops.put(d, file.counter(CONTROL_DROPPED + d.name().toLowerCase(Locale.ROOT)));
        }
        underLoad = file.counter(UNDER_LOAD);
    }

    /** Set-up thread: the counters of peer {@code name}, for {@link Endpoint#addPeer(io.qgate.engine.control.PeerConfig, PeerTraffic)}. */
    public PeerTraffic peer(int slot, String name) {
        return file.peer(slot, name).traffic();
    }

    /** What the counters file holds now. */
    public GatewaySnapshot snapshot() {
        return file.snapshot(System.currentTimeMillis());
    }

    /** The Prometheus exposition of the counters and the latency histogram now (any thread). */
    public String prometheus() {
        long now = System.currentTimeMillis();
        return PrometheusText.render(file.snapshot(now), latency.snapshot(), now);
    }

    /** Control thread, every tick: heartbeat, the endpoint's drop counts, each peer's endpoint and suite. */
    public void tick(Endpoint endpoint, long epochMillis) {
        file.heartbeat(epochMillis);
        drops.forEach((d, c) -> c.set(endpoint.dropped(d)));
        underLoad.set(endpoint.underLoad(System.nanoTime()) ? 1 : 0);
        for (Peer peer : endpoint.peers()) {
            PeerCounters counters = file.peer(peer.name());
            if (counters != null) {
                Keypair current = peer.keypairs().current();
                counters.describe(peer.endpoint(), current == null ? null : current.suite());
            }
        }
    }

    /** Control thread: counts, times and records (JFR) one endpoint event. */
    public void onEvent(PeerEvent event, long epochMillis) {
        PeerCounters counters = event.peer() == null ? null : file.peer(event.peer().name());
        switch (event) {
            case PeerEvent.Established e -> {
                latency.record(e.durationNanos());
                if (counters != null) {
                    counters.counter(PeerCounter.HANDSHAKES).incrementAndGet();
                    if (e.rekey()) {
                        counters.counter(PeerCounter.REKEYS).incrementAndGet();
                    }
                    counters.counter(PeerCounter.LATEST_HANDSHAKE_MS).set(epochMillis);
                    counters.counter(PeerCounter.KEY_CREATED_MS).set(epochMillis);
                    counters.describe(e.peer().endpoint(), e.suite());
                }
                commit(e.peer().name(), e.suite().suiteName(), e.durationNanos(), "established", e.initiator(), e.rekey());
            }
            case PeerEvent.HandshakeFailed f -> {
                if (counters != null) {
                    counters.counter(PeerCounter.HANDSHAKE_FAILURES).incrementAndGet();
                }
                String who = f.peer() != null ? f.peer().name() : String.valueOf(f.source());
                boolean rekey = f.peer() != null && f.peer().keypairs().current() != null;
                commit(who, null, -1, "failed: " + f.error().description(), f.peer() != null && f.peer().handshaking(), rekey);
            }
            case PeerEvent.Closed c -> {
                if (counters != null) {
                    counters.counter(PeerCounter.KEY_CREATED_MS).set(0);
                }
            }
            case PeerEvent.Roamed r -> {
                if (counters != null) {
                    counters.describe(r.to(), null == r.peer().keypairs().current() ? null : r.peer().keypairs().current().suite());
                }
            }
            case PeerEvent.Dead d -> {
                // the timers gave up; nothing to count beyond the failures already counted
            }
        }
    }

    private static void commit(String peer, String suite, long nanos, String outcome, boolean initiator, boolean rekey) {
        HandshakeEvent handshake = new HandshakeEvent();
        if (handshake.shouldCommit()) {
            handshake.peer = peer;
            handshake.suite = suite;
            handshake.handshakeDuration = nanos;
            handshake.outcome = outcome;
            handshake.initiator = initiator;
            handshake.commit();
        }
        if (rekey) {
            RekeyEvent event = new RekeyEvent();
            if (event.shouldCommit()) {
                event.peer = peer;
                event.suite = suite;
                event.handshakeDuration = nanos;
                event.outcome = outcome;
                event.commit();
            }
        }
    }

    /** Removes the counters file (clean shutdown). */
    @Override
    public void close() {
        file.close();
    }
}
