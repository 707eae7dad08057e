package io.qgate.engine.gateway;

import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPackets;
import io.qgate.engine.net.TunCoalescer;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.Keypairs;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ring.EgressHandler;
import io.qgate.ring.PacketBatch;
import io.qgate.ring.WorkerHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The inbound path, network to TUN: the workers find each data packet's keypair by receiver
 * index, open it in place (tag, replay window, expiry), check that the inner source belongs to
 * the peer that sealed it, and mark it for TUN; the egress writes the marked packets to TUN in
 * ring order.
 *
 * <p>Everything that is not an ordinary data packet on a current keypair from the peer's known
 * address goes to the control plane instead (handshake messages, CLOSE, the first packet on a
 * new keypair, a packet from a new address): rare, and the control plane's {@code Endpoint}
 * owns those decisions.
 */
final class Inbound implements WorkerHandler, EgressHandler {
    static final int DROP = 0;
    static final int WRITE = 1;
    private static final int DATA = MessageType.DATA.code();
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final WorkerHost host;
    private final Counters counters;
    private final int tunFd;
    /** The keypair worker id of inbound worker 0 ({@link Gateway#inboundKeypairWorker}). */
    private final int firstKeypairWorker;

    /** The egress thread's way of writing to TUN. */
    private final PacketIo io;
    /** Whether the TUN takes a virtio header before each packet; if so, TCP segments of a flow go in coalesced. */
    private final boolean vnet;
    private final TunCoalescer coalescer = new TunCoalescer();
    /** Segments written since the last flush beyond one per write (joined ones). */
    private int extraSegments;
    /** Per worker (one handler serves every worker thread): its state for the batch it opens. */
    private final WorkerState[] workerStates;

    /**
     * One worker's state for the batch it is opening: the allowed-IP table as read at the batch's
     * start, and the current run of one peer's packets, for the traffic counters.
     */
    private static final class WorkerState {
        AllowedIps routes;
        DataPeer run;
        int runPackets;
        long runBytes;
        boolean runPayload;

        /** Reports the run so far to its peer's traffic counters and starts an empty one. */
        void flush(long now) {
            if (run != null && runPackets > 0) {
                run.traffic.received(now, runPackets, runBytes, runPayload);
            }
            runPackets = 0;
            runBytes = 0;
            runPayload = false;
        }
    }

    /**
     * @param workers workers per direction
     * @param io the egress thread's {@link PacketIo}; the gateway closes it
     * @param vnet whether the TUN device was opened with virtio headers
     */
    Inbound(WorkerHost host, Counters counters, int tunFd, int workers, PacketIo io, boolean vnet) {
        this.host = host;
        this.counters = counters;
        this.tunFd = tunFd;
        this.firstKeypairWorker = Gateway.inboundKeypairWorker(0, workers);
        this.io = io;
        this.vnet = vnet;
        this.workerStates = new WorkerState[workers];
        for (int w = 0; w < workers; w++) {
            workerStates[w] = new WorkerState();
        }
    }

    @Override
    public void process(PacketBatch batch, int workerId) {
        Frames frames = Frames.of(batch);
        MessageBatch messages = frames.messages;
        long now = System.nanoTime();
        int count = batch.count();
        WorkerState state = workerStates[workerId];
        state.routes = host.table().routes(); // once per batch, as the outbound reads its table
        state.run = null;
        for (int i = 0; i < count; i++) {
            int length = messages.length(i);
            int size = messages.segmentSize(i);
            int[] lengths = frames.writeLength[i];
            int grams = 0;
            if (size <= 0 || size >= length) {
                size = 0;
                lengths[0] = open(messages, i, batch.slot(i), frames.inner(i), length, workerId, state, now);
                grams = 1;
            } else {
                for (int at = 0; at < length && grams < Frames.MAX_GRO; at += size, grams++) {
                    lengths[grams] = open(messages, i, frames.gram(i, grams, size), frames.gramBody(i, grams, size),
                        Math.min(size, length - at), workerId, state, now);
                }
            }
            frames.datagramSize[i] = size;
            frames.datagrams[i] = grams;
            batch.status(i, WRITE);
        }
        state.flush(now);
        state.run = null;
    }

    /**
     * Opens one datagram of message {@code i} ({@code datagram[0, length)}, with {@code inner} its
     * view from offset 16) and returns the length of the inner packet to write to TUN, or 0.
     */
    private int open(MessageBatch messages, int i, MemorySegment datagram, MemorySegment inner,
            int length, int workerId, WorkerState state, long now) {
        if (length < Protocol.DATA_OVERHEAD || (datagram.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) != DATA) {
            host.toControl(messages.address(i), messages.addressLength(i), datagram, length);
            return 0;
        }
        int index = datagram.get(U32, 4);
        DataPeer peer = host.byIndex(index); // per packet: a new keypair's index counts at once
        Keypairs keypairs = peer == null ? null : peer.peer.keypairs();
        Keypair keypair = keypairs == null ? null : keypairs.lookup(index);
        if (keypair == null) {
            if (peer == null && host.indexesBehind(index)) { // a handshake just made this index: not ours to refuse yet
                host.toControl(messages.address(i), messages.addressLength(i), datagram, length);
                return 0;
            }
            counters.droppedUnknownIndex.incrementAndGet();
            return 0;
        }
        MemorySegment destination = peer.destination;
        if (keypair == keypairs.next() || destination == null || !Sockaddr.equals(messages.address(i), destination)) {
            host.toControl(messages.address(i), messages.addressLength(i), datagram, length);
            return 0;
        }
        int plaintext = keypair.open(firstKeypairWorker + workerId, datagram, inner, length, now);
        if (plaintext < 0) {
            counters.droppedRejected.incrementAndGet();
            peer.traffic.rejected(plaintext);
            return 0;
        }
        if (peer != state.run) {
            state.flush(now);
            state.run = peer;
        }
        state.runPackets++;
        if (plaintext == 0) {
            return 0; // a keepalive: counted, nothing to deliver
        }
        state.runPayload = true;
        int packetLength = admit(state.routes, peer, inner, plaintext, counters);
        state.runBytes += packetLength;
        return packetLength;
    }

    /**
     * The inbound check every opened packet passes, whichever thread opened it (a worker here,
     * or the control thread for the rare packets it handles): it must be an IPv4 or IPv6 packet
     * whose source lies in {@code peer}'s allowed ranges. Returns the length to write to TUN
     * (the packet's declared length: padding is cut), or 0 after counting the drop.
     */
    static int admit(AllowedIps routes, DataPeer peer, MemorySegment inner, int length, Counters counters) {
        int version = IpPackets.version(inner, 0, length);
        if (version == 0) {
            counters.droppedInnerMalformed.incrementAndGet();
            return 0;
        }
        if (IpPackets.peerOfSource(routes, inner, 0, version) != peer.id) {
            counters.droppedSource.incrementAndGet();
            peer.traffic.droppedSource.incrementAndGet();
            return 0;
        }
        return IpPackets.declaredLength(inner, 0, version);
    }

    @Override
    public void emit(PacketBatch batch) {
        Frames frames = Frames.of(batch);
        int count = batch.count();
        for (int i = 0; i < count; i++) {
            if (batch.status(i) != WRITE) {
                continue;
            }
            int size = frames.datagramSize[i];
            int[] lengths = frames.writeLength[i];
            for (int k = 0; k < frames.datagrams[i]; k++) {
                int length = lengths[k];
                if (length == 0) {
                    continue;
                }
                if (!vnet) {
                    io.writeTun(tunFd, size == 0 ? frames.inner(i) : frames.gramBody(i, k, size), length);
                    continue;
                }
                MemorySegment frame = size == 0 ? frames.tunFrame(i) : frames.gramTunFrame(i, k, size);
                if (coalescer.active() && coalescer.append(frame, length)) {
                    continue;
                }
                writeChain();
                if (!coalescer.start(frame, length, frame.byteSize() - Frames.VNET)) {
                    io.writeTun(tunFd, frame, TunCoalescer.plain(frame, length));
                }
            }
        }
        writeChain();
        int written = io.flush();
        counters.tunPacketsWritten.addAndGet(written + extraSegments);
        extraSegments = 0;
    }

    /**
     * Writes the open chain of TCP segments, if any, as one packet (see {@link TunCoalescer}). A
     * chain grows only within the memory of packets already taken into it or done with (its own
     * slot's later datagrams, in ring order), so the packets of later chains stay intact.
     */
    private void writeChain() {
        if (!coalescer.active()) {
            return;
        }
        int segments = coalescer.segments();
        io.writeTun(tunFd, coalescer.head(), coalescer.finish());
        if (segments > 1) {
            extraSegments += segments - 1;
            counters.tunSuperPacketsWritten.incrementAndGet();
        }
    }
}
