package io.qgate.engine.gateway;

import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPackets;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.Keypairs;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.Sockaddr;
import io.qgate.ring.EgressHandler;
import io.qgate.ring.PacketBatch;
import io.qgate.ring.WorkerHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.collections.Int2ObjectHashMap;

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

    private final Gateway gateway;
    private final Counters counters;
    private final int tunFd;
    /**
     * Keypair worker ids: 0 is the control thread's, 1..n the outbound workers', and inbound
     * worker i uses {@code 1 + n + i} (a worker id holds both directions' ciphers and belongs to
     * one thread at a time).
     */
    private final int firstKeypairWorker;

    Inbound(Gateway gateway, Counters counters, int tunFd, int outboundWorkers) {
        this.gateway = gateway;
        this.counters = counters;
        this.tunFd = tunFd;
        this.firstKeypairWorker = 1 + outboundWorkers;
    }

    @Override
    public void process(PacketBatch batch, int workerId) {
        Frames frames = Frames.of(batch);
        MessageBatch messages = frames.messages;
        Int2ObjectHashMap<DataPeer> byIndex = gateway.byIndex;
        AllowedIps routes = gateway.routes;
        long now = System.nanoTime();
        int count = batch.count();
        DataPeer run = null;
        int runPackets = 0;
        long runBytes = 0;
        boolean runPayload = false;
        for (int i = 0; i < count; i++) {
            batch.status(i, DROP);
            MemorySegment slot = batch.slot(i);
            int length = messages.length(i);
            if (length < 32 || (slot.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) != DATA) {
                gateway.control.receive(messages.address(i), messages.addressLength(i), slot, length);
                continue;
            }
            int index = slot.get(U32, 4);
            DataPeer peer = byIndex.get(index);
            Keypairs keypairs = peer == null ? null : peer.peer.keypairs();
            Keypair keypair = keypairs == null ? null : keypairs.lookup(index);
            if (keypair == null) {
                counters.droppedUnknownIndex.incrementAndGet();
                continue;
            }
            MemorySegment destination = peer.destination;
            if (keypair == keypairs.next() || destination == null || !Sockaddr.equals(messages.address(i), destination)) {
                gateway.control.receive(messages.address(i), messages.addressLength(i), slot, length);
                continue;
            }
            MemorySegment inner = frames.inner(i);
            int plaintext = keypair.open(firstKeypairWorker + workerId, slot, inner, length, now);
            if (plaintext < 0) {
                counters.droppedRejected.incrementAndGet();
                continue;
            }
            if (peer != run) {
                flush(run, now, runPackets, runBytes, runPayload);
                run = peer;
                runPackets = 0;
                runBytes = 0;
                runPayload = false;
            }
            runPackets++;
            if (plaintext == 0) {
                continue; // a keepalive: counted, nothing to deliver
            }
            runPayload = true;
            int version = IpPackets.version(inner, 0, plaintext);
            if (version == 0) {
                counters.droppedInnerMalformed.incrementAndGet();
                continue;
            }
            if (IpPackets.peerOfSource(routes, inner, 0, version) != peer.id) {
                counters.droppedSource.incrementAndGet();
                peer.traffic.droppedSource.incrementAndGet();
                continue;
            }
            int packetLength = IpPackets.declaredLength(inner, 0, version);
            batch.length(i, packetLength);
            batch.status(i, WRITE);
            runBytes += packetLength;
        }
        flush(run, now, runPackets, runBytes, runPayload);
    }

    private static void flush(DataPeer peer, long now, int packets, long bytes, boolean payload) {
        if (peer != null && packets > 0) {
            peer.traffic.received(now, packets, bytes, payload);
        }
    }

    @Override
    public void emit(PacketBatch batch) {
        Frames frames = Frames.of(batch);
        int count = batch.count();
        int written = 0;
        for (int i = 0; i < count; i++) {
            if (batch.status(i) != WRITE) {
                continue;
            }
            long n = Fd.write(tunFd, frames.inner(i), batch.length(i));
            if (n == batch.length(i)) {
                written++;
            } else if (n == -Errno.EAGAIN) {
                gateway.waitWritable(tunFd);
                n = Fd.write(tunFd, frames.inner(i), batch.length(i));
                written += n == batch.length(i) ? 1 : 0;
            } else if (n < 0) {
                gateway.ioError("write(tun)", (int) -n);
            }
        }
        counters.tunPacketsWritten.addAndGet(written);
    }
}
