package io.qgate.engine.gateway;

import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IcmpTooBig;
import io.qgate.engine.net.IpPackets;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.session.Keypair;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.EgressHandler;
import io.qgate.ring.PacketBatch;
import io.qgate.ring.WorkerHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The outbound path, TUN to network: the workers route each inner packet by destination to a
 * peer, answer oversized ones with ICMP, and seal the rest in place; the egress sends the sealed
 * datagrams with {@code sendmmsg}, in ring order.
 *
 * <p>Slot layout: {@code [0,16)} the data header, written by the seal; {@code [16, 16+n)} the
 * inner packet as read from TUN; then room for the 16-byte tag. A slot's {@code status} is
 * {@link #SEND} or {@link #DROP}.
 */
final class Outbound implements WorkerHandler, EgressHandler {
    static final int DROP = 0;
    static final int SEND = 1;
    private static final int DATA = MessageType.DATA.code();
    /** IPv4 header (20) + UDP (8) around each datagram: the outer overhead over IPv4. */
    static final int OUTER_V4 = 28;
    /** IPv6 header (40) + UDP (8). */
    static final int OUTER_V6 = 48;

    /** Most datagrams in one GSO send (UDP_MAX_SEGMENTS is 64 on older kernels). */
    static final int MAX_SEGMENTS = 64;
    /** Most payload bytes in one GSO send: the largest UDP payload over IPv4 less some room. */
    static final int MAX_GSO_BYTES = 65_000;

    private final WorkerHost host;
    /** The egress thread's way of sending; it also knows whether GSO still works. */
    private final PacketIo io;
    /** Whether the socket was opened with UDP GSO; {@link PacketIo#gso()} says whether it still works. */
    private final boolean gso;
    private final Counters counters;
    private final UdpSocket socket;
    private final int tunFd;
    /** Largest inner packet per outer family, from the path MTU. */
    private final int maxInner;
    /** Per worker: where the ICMP reply's source address is built. */
    private final byte[][] icmpSource4;
    private final byte[][] icmpSource6;
    /** Per worker: a virtio header's room (used where the TUN takes one), then the ICMP reply. */
    private final MemorySegment[] icmpScratch;
    /** Per worker: {@link #icmpScratch} after the header's room, where the reply is built. */
    private final MemorySegment[] icmpReply;
    private final boolean vnet;

    Outbound(WorkerHost host, Counters counters, UdpSocket socket, int tunFd, int pathMtu, boolean outerV6,
            int workers, Arena arena, PacketIo io, boolean vnet) {
        this.host = host;
        this.counters = counters;
        this.socket = socket;
        this.tunFd = tunFd;
        this.maxInner = pathMtu - (outerV6 ? OUTER_V6 : OUTER_V4) - Protocol.DATA_OVERHEAD;
        this.io = io;
        this.vnet = vnet;
        this.gso = socket.gso();
        this.icmpSource4 = new byte[workers][4];
        this.icmpSource6 = new byte[workers][16];
        this.icmpScratch = new MemorySegment[workers];
        this.icmpReply = new MemorySegment[workers];
        for (int i = 0; i < workers; i++) {
            icmpScratch[i] = arena.allocate(Frames.VNET + IcmpTooBig.MAX_REPLY, 8);
            icmpReply[i] = icmpScratch[i].asSlice(Frames.VNET);
        }
    }

    int maxInner() {
        return maxInner;
    }

    @Override
    public void process(PacketBatch batch, int workerId) {
        Frames frames = Frames.of(batch);
        MessageBatch messages = frames.messages;
        PeerTable table = host.table(); // once per batch: routes and peers that belong together
        AllowedIps routes = table.routes();
        DataPeer[] peers = table.peers();
        long now = System.nanoTime();
        int count = batch.count();
        DataPeer run = null;
        int runPackets = 0;
        long runBytes = 0;
        for (int i = 0; i < count; i++) {
            batch.status(i, DROP);
            int length = batch.length(i);
            MemorySegment inner = frames.inner(i);
            int version = IpPackets.version(inner, 0, length);
            if (version == 0) {
                counters.droppedMalformed.incrementAndGet();
                continue;
            }
            int id = IpPackets.peerOfDestination(routes, inner, 0, version);
            if (id == AllowedIps.NONE) {
                counters.droppedNoRoute.incrementAndGet();
                continue;
            }
            if (length > maxInner && (version == 6 || IpPackets.dontFragment(inner, 0))) {
                tooBig(inner, length, workerId);
                continue;
            }
            DataPeer peer = peers[id];
            MemorySegment destination = peer.destination;
            Keypair keypair = peer.peer.keypairs().forSending();
            int sealed = keypair == null || destination == null ? Keypair.CLOSED
                : keypair.seal(Gateway.outboundKeypairWorker(workerId), batch.slot(i), inner, length, DATA, now);
            if (sealed < 0) {
                host.stage(peer, inner, length); // no usable keys: the control plane handshakes
                continue;
            }
            messages.address(i, destination);
            messages.length(i, sealed);
            batch.status(i, SEND);
            batch.tag(i, id);
            if (peer != run) {
                flush(run, now, runPackets, runBytes);
                run = peer;
                runPackets = 0;
                runBytes = 0;
            }
            runPackets++;
            runBytes += length;
        }
        flush(run, now, runPackets, runBytes);
    }

    private static void flush(DataPeer peer, long now, int packets, long bytes) {
        if (peer != null && packets > 0) {
            peer.traffic.sent(now, packets, bytes);
        }
    }

    /**
     * Answers an oversized packet with ICMP "too big", sent as if from the packet's destination:
     * the sender is usually this very host, whose kernel drops a packet claiming one of its own
     * addresses as source, and the destination is who would have sent the error in any case.
     */
    private void tooBig(MemorySegment inner, int length, int workerId) {
        counters.droppedTooBig.incrementAndGet();
        int version = IpPackets.version(inner, 0, length);
        byte[] source = version == 4 ? icmpSource4[workerId] : icmpSource6[workerId];
        MemorySegment.copy(inner, java.lang.foreign.ValueLayout.JAVA_BYTE,
            version == 4 ? IpPackets.IPV4_DESTINATION : IpPackets.IPV6_DESTINATION, source, 0, source.length);
        int n = IcmpTooBig.build(inner, 0, length, source, maxInner, icmpReply[workerId]);
        if (n > 0 && Gateway.writeTunPacket(tunFd, vnet, vnet ? icmpScratch[workerId] : icmpReply[workerId], n)) {
            counters.icmpSent.incrementAndGet();
        }
    }

    @Override
    public void emit(PacketBatch batch) {
        MessageBatch messages = Frames.of(batch).messages;
        int count = batch.count();
        int i = 0;
        while (i < count) {
            if (batch.status(i) != SEND) {
                i++;
                continue;
            }
            int end = i + 1;
            if (gso && io.gso()) {
                // a GSO run: one peer, equal lengths (the last may be shorter), within one UDP payload
                int size = messages.length(i);
                long bytes = size;
                while (end < count && end - i < MAX_SEGMENTS && batch.status(end) == SEND && batch.tag(end) == batch.tag(i)
                        && messages.length(end) <= size && bytes + messages.length(end) <= MAX_GSO_BYTES
                        && messages.length(end - 1) == size) {
                    bytes += messages.length(end);
                    end++;
                }
                if (end - i > 1) {
                    io.sendSegmented(socket, messages, i, end - i, size);
                    i = end;
                    continue;
                }
            } else {
                while (end < count && batch.status(end) == SEND) {
                    end++;
                }
            }
            io.send(socket, messages, i, end - i);
            i = end;
        }
        counters.udpDatagramsSent.addAndGet(io.flush());
    }
}
