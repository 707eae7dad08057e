package io.qgate.engine.gateway;

import io.qgate.engine.control.Endpoint;
import io.qgate.engine.control.EndpointOutput;
import io.qgate.engine.control.Peer;
import io.qgate.engine.control.PeerEvent;
import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ffm.linux.UdpSocket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The control thread: it owns the {@link Endpoint} (handshakes, cookies, rekeys, keepalives,
 * timers) and runs off the data path. Workers hand it what they cannot handle (handshake
 * datagrams, the first packet on a new keypair, packets for a peer without keys) through a
 * bounded lock-free queue; a full queue drops (and counts), it never blocks a worker.
 *
 * <p>After each step it republishes what the workers read: the receiver-index table (when the
 * endpoint's {@link Endpoint#indexVersion()} moved) and each peer's address.
 */
final class ControlPlane implements EndpointOutput, Runnable {
    /** Items queued for the control thread at most; a handshake burst beyond this is dropped. */
    static final int QUEUE = 4096;
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Datagram(InetSocketAddress source, byte[] bytes) {
    }

    private record Outbound(DataPeer peer, byte[] packet) {
    }

    private final Gateway gateway;
    private final Endpoint endpoint;
    private final UdpSocket socket;
    private final int tunFd;
    private final Counters counters;
    private final GatewayTelemetry telemetry;
    private final ManyToOneConcurrentArrayQueue<Object> queue = new ManyToOneConcurrentArrayQueue<>(QUEUE);
    private final Map<Peer, DataPeer> dataPeers = new IdentityHashMap<>();
    private final MemorySegment scratch;
    /** Whether the TUN takes a virtio header before each packet; then {@link #tunFrame} is where a delivered packet is put behind one. */
    private final boolean vnet;
    private final MemorySegment tunFrame;
    /** Control thread: where {@link #transmit} puts a heap datagram and its destination (no allocation per send, as under a flood of cookie replies). */
    private final MemorySegment sendBuffer;
    private final MemorySegment sendAddress;
    private volatile Thread thread;
    private volatile boolean running = true;
    private long seenIndexVersion = -1;
    /** Whether the last tick found the responder under load (cookies required); logged when it changes. */
    private boolean underLoad;

    private final String localSubject;

    ControlPlane(Gateway gateway, Endpoint endpoint, String localSubject, UdpSocket socket, int tunFd, boolean vnet,
            Counters counters, GatewayTelemetry telemetry) {
        this.telemetry = telemetry;
        this.gateway = gateway;
        this.localSubject = localSubject;
        this.endpoint = endpoint;
        this.socket = socket;
        this.tunFd = tunFd;
        this.vnet = vnet;
        this.tunFrame = vnet ? Arena.ofAuto().allocate(Frames.VNET + 65_536, 16) : MemorySegment.NULL;
        this.counters = counters;
        this.scratch = Arena.ofAuto().allocate(65_536, 16);
        this.sendBuffer = Arena.ofAuto().allocate(65_536, 16);
        this.sendAddress = Arena.ofAuto().allocate(Sockaddr.IN6_BYTES, 4);
    }

    void register(DataPeer peer) {
        dataPeers.put(peer.peer, peer);
    }

    /** Control thread: a peer added to the running gateway; it handshakes at once if it has an address. */
    void added(DataPeer peer) {
        register(peer);
        if (peer.section.endpoint() != null) {
            firstConnect.put(peer, System.nanoTime());
        }
    }

    /** Control thread: a peer removed from the running gateway (the endpoint already closed it). */
    void removed(DataPeer peer) {
        dataPeers.remove(peer.peer);
        firstConnect.remove(peer);
        seenIndexVersion = -1; // republish the index table without it
    }

    private record Task(java.util.function.Supplier<String> body, java.util.concurrent.CompletableFuture<String> result) {
    }

    /**
     * Runs {@code body} on the control thread (which owns the endpoint) and completes the future
     * with its result, or with the exception it threw. Fails at once when the queue is full.
     */
    java.util.concurrent.CompletableFuture<String> call(java.util.function.Supplier<String> body) {
        var result = new java.util.concurrent.CompletableFuture<String>();
        if (!queue.offer(new Task(body, result))) {
            result.completeExceptionally(new IllegalStateException("the gateway's control thread is busy; try again"));
        } else {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        return result;
    }

    // ---- called by data-plane threads -------------------------------------------------------

    /** A datagram the workers leave to the endpoint: copied (cold path), then queued. */
    void receive(MemorySegment sockaddr, int sockaddrLength, MemorySegment datagram, int length) {
        byte[] copy = new byte[length];
        MemorySegment.copy(datagram, 0, MemorySegment.ofArray(copy), 0, length);
        offer(new Datagram(Sockaddr.decode(sockaddr, sockaddrLength), copy));
    }

    /** An inner packet for a peer that has no usable keys: the endpoint stages it and handshakes. */
    void stage(DataPeer peer, MemorySegment packet, int length) {
        byte[] copy = new byte[length];
        MemorySegment.copy(packet, 0, MemorySegment.ofArray(copy), 0, length);
        offer(new Outbound(peer, copy));
    }

    private void offer(Object item) {
        if (!queue.offer(item)) {
            counters.droppedControlBusy.incrementAndGet();
            return;
        }
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- the control thread -----------------------------------------------------------------

    /**
     * When each peer with an address gets its first handshake: at once if our subject sorts
     * before the peer's, after {@link #DEFER_NANOS} otherwise (and only if no session came up by
     * then). Two gateways started together thus make one handshake, not two crossing ones; a
     * restarted gateway still reconnects within about a second whichever side it is.
     */
    private final Map<DataPeer, Long> firstConnect = new IdentityHashMap<>();
    static final long DEFER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    @Override
    public void run() {
        thread = Thread.currentThread();
        long now = System.nanoTime();
        for (DataPeer peer : dataPeers.values()) {
            if (peer.section.endpoint() != null) {
                boolean first = localSubject.compareTo(peer.section.subject()) < 0;
                firstConnect.put(peer, first ? now : now + DEFER_NANOS);
            }
        }
        publish();
        long nextTick = now;
        while (running) {
            if (!firstConnect.isEmpty()) {
                connectDue(System.nanoTime());
            }
            Object item;
            int drained = 0;
            while ((item = queue.poll()) != null && drained++ < QUEUE) {
                try {
                    handle(item, System.nanoTime());
                } catch (RuntimeException e) {
                    failed("a queued datagram or packet", e); // one bad item must not stop the control plane
                }
            }
            now = System.nanoTime();
            if (now - nextTick >= 0) {
                try {
                    endpoint.tick(now, this);
                    telemetry.tick(endpoint, System.currentTimeMillis());
                    noteLoadChange();
                } catch (RuntimeException e) {
                    failed("the timers", e);
                }
                nextTick = now + TICK_NANOS;
            }
            publish();
            if (queue.isEmpty()) {
                long wake = nextTick;
                for (long at : firstConnect.values()) {
                    wake = at - wake < 0 ? at : wake;
                }
                LockSupport.parkNanos(this, Math.max(1, wake - System.nanoTime()));
            }
        }
    }

    private void failed(String what, RuntimeException e) {
        counters.ioErrors.incrementAndGet();
        gateway.error("control plane: handling " + what + " failed: " + e);
    }

    private void connectDue(long now) {
        for (var it = firstConnect.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (now - entry.getValue() >= 0) {
                DataPeer peer = entry.getKey();
                it.remove();
                if (peer.peer.keypairs().current() == null && !peer.peer.handshaking()) {
                    endpoint.connect(peer.peer, now, this);
                }
            }
        }
    }

    private void handle(Object item, long now) {
        switch (item) {
            case Datagram d -> {
                MemorySegment segment = scratch;
                MemorySegment.copy(MemorySegment.ofArray(d.bytes()), 0, segment, 0, d.bytes().length);
                endpoint.receive(d.source(), segment, d.bytes().length, now, this);
            }
            case Outbound o -> {
                if (dataPeers.get(o.peer().peer) == o.peer()) { // not removed since it was staged
                    endpoint.send(o.peer().peer, MemorySegment.ofArray(o.packet()), 0, o.packet().length, now, this);
                }
            }
            case Task t -> {
                try {
                    t.result().complete(t.body().get());
                } catch (RuntimeException e) {
                    t.result().completeExceptionally(e);
                }
                publish();
            }
            default -> throw new IllegalStateException("unknown control item " + item.getClass());
        }
    }

    /** Logs the responder's entering and leaving the cookie-requiring state, once per change. */
    private void noteLoadChange() {
        boolean now = endpoint.underLoad(System.nanoTime());
        if (now != underLoad) {
            underLoad = now;
            gateway.log(now ? "handshakes under load: new initiations need a cookie"
                : "handshake load is gone: initiations no longer need a cookie");
        }
    }

    /** Republishes the index table and peer addresses for the workers when they changed. */
    private void publish() {
        for (DataPeer peer : dataPeers.values()) {
            peer.refreshDestination();
        }
        long version = endpoint.indexVersion();
        if (version != seenIndexVersion) {
            seenIndexVersion = version;
            Int2ObjectHashMap<DataPeer> table = new Int2ObjectHashMap<>();
            endpoint.indexSnapshot().forEach((index, peer) -> {
                DataPeer dp = dataPeers.get(peer);
                if (dp != null) {
                    table.put(index, dp);
                }
            });
            gateway.indexes = new Gateway.IndexTable(version, table);
        }
    }

    /** Asks the thread to stop after sending CLOSE to every peer with keys; returns at once. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** On the control thread's way out (called by the gateway after joining it): CLOSE to peers, erase keys. */
    void shutdown() {
        long now = System.nanoTime();
        for (DataPeer peer : dataPeers.values()) {
            try {
                endpoint.close(peer.peer, ErrorCode.PEER_CLOSED, now, this);
            } catch (RuntimeException e) {
                gateway.warn("closing the session with " + peer.name + " failed: " + e.getMessage());
            }
        }
        endpoint.close();
    }

    // ---- EndpointOutput ---------------------------------------------------------------------

    @Override
    public void transmit(InetSocketAddress destination, MemorySegment datagram, int length) {
        MemorySegment address = sendAddress.asSlice(0, Sockaddr.write(destination, sendAddress));
        MemorySegment data = datagram;
        if (!datagram.isNative()) {
            data = sendBuffer;
            MemorySegment.copy(datagram, 0, data, 0, length);
        }
        int n = socket.sendTo(data, length, address);
        if (n < 0) {
            gateway.ioError("sendto " + destination, -n);
        } else {
            counters.udpDatagramsSent.incrementAndGet();
        }
    }

    @Override
    public void deliver(Peer peer, MemorySegment packet, int offset, int length) {
        DataPeer dp = dataPeers.get(peer);
        if (dp == null) {
            return;
        }
        // the endpoint opens into its own native scratch, which a write can use in place
        MemorySegment inner = packet.asSlice(offset, length);
        int toWrite = Inbound.admit(gateway.table.routes(), dp, inner, length, counters);
        if (toWrite <= 0) {
            return;
        }
        MemorySegment frame = tunFrame;
        if (vnet) {
            MemorySegment.copy(inner, 0, frame, Frames.VNET, toWrite);
        } else {
            frame = inner;
        }
        if (Gateway.writeTunPacket(tunFd, vnet, frame, toWrite)) {
            counters.tunPacketsWritten.incrementAndGet();
        }
    }

    @Override
    public void event(PeerEvent event) {
        telemetry.onEvent(event, System.currentTimeMillis());
        switch (event) {
            case PeerEvent.HandshakeFailed f -> gateway.warn(describe(event));
            case PeerEvent.Dead d -> gateway.warn(describe(event));
            default -> gateway.log(describe(event));
        }
    }

    private static String describe(PeerEvent event) {
        return switch (event) {
            case PeerEvent.Established e -> "peer " + e.peer().name() + ": session established (" + e.suite()
                + (e.rekey() ? ", rekey" : "") + ")";
            case PeerEvent.HandshakeFailed f -> "handshake with " + (f.peer() == null ? f.source() : "peer " + f.peer().name())
                + " failed" + (f.local() ? " here: " : " at the peer: ") + f.error().description()
                + (f.reason() == null || f.reason().isEmpty() ? "" : " (" + f.reason() + ")");
            case PeerEvent.Roamed r -> "peer " + r.peer().name() + ": moved from " + r.from() + " to " + r.to();
            case PeerEvent.Closed c -> "peer " + c.peer().name() + ": session closed (" + c.reason().description() + ")";
            case PeerEvent.Dead d -> "peer " + d.peer().name() + ": no answer; will retry when there is traffic";
        };
    }
}
