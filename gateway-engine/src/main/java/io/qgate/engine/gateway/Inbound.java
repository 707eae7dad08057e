package io.qgate.engine.gateway;

import io.qgate.engine.net.AllowedIps;
import io.qgate.engine.net.IpPackets;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.session.Keypair;
import io.qgate.engine.session.Keypairs;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.CompletionHandler;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.IoUring;
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

    private final Gateway gateway;
    private final Counters counters;
    private final int tunFd;
    /** The keypair worker id of inbound worker 0 ({@link Gateway#inboundKeypairWorker}). */
    private final int firstKeypairWorker;

    /** With {@code io = io_uring}: the ring the egress submits its TUN writes to, or null. */
    private final IoUring ring;
    private final CompletionHandler completed;
    /** Egress thread only: the {@code pollfd} it waits for room in the TUN queue with. */
    private final MemorySegment pollfd;
    /** Egress thread only: writes submitted and not yet completed, and completed ones that wrote a packet. */
    private int inFlight;
    private int ringWritten;

    /**
     * @param ring if not null, the egress writes each batch to TUN as io_uring submissions (one
     *     {@code io_uring_enter} per batch, or per {@link IoUring#sqEntries()} packets), instead of
     *     one {@code write} per packet; the inbound owns and closes it
     */
    Inbound(Gateway gateway, Counters counters, int tunFd, int outboundWorkers, IoUring ring) {
        this.gateway = gateway;
        this.counters = counters;
        this.tunFd = tunFd;
        this.firstKeypairWorker = Gateway.inboundKeypairWorker(0, outboundWorkers);
        this.ring = ring;
        this.pollfd = gateway.newPollfd();
        this.completed = (userData, result, flags) -> {
            inFlight--;
            if (result > 0) {
                ringWritten++;
            } else if (result < 0) {
                gateway.ioError("io_uring write(tun)", -result);
            }
        };
    }

    @Override
    public void process(PacketBatch batch, int workerId) {
        Frames frames = Frames.of(batch);
        MessageBatch messages = frames.messages;
        long now = System.nanoTime();
        int count = batch.count();
        run = null;
        runPackets = 0;
        runBytes = 0;
        runPayload = false;
        for (int i = 0; i < count; i++) {
            int length = messages.length(i);
            int size = messages.segmentSize(i);
            int[] lengths = frames.writeLength[i];
            int grams = 0;
            if (size <= 0 || size >= length) {
                size = 0;
                lengths[0] = open(messages, i, batch.slot(i), frames.inner(i), length, workerId, now);
                grams = 1;
            } else {
                for (int at = 0; at < length && grams < Frames.MAX_GRO; at += size, grams++) {
                    lengths[grams] = open(messages, i, frames.gram(i, grams, size), frames.gramBody(i, grams, size),
                        Math.min(size, length - at), workerId, now);
                }
            }
            frames.datagramSize[i] = size;
            frames.datagrams[i] = grams;
            batch.status(i, WRITE);
        }
        flush(now);
    }

    /** Per-batch run of one peer's packets, for the traffic counters (worker thread only, one per handler). */
    private DataPeer run;
    private int runPackets;
    private long runBytes;
    private boolean runPayload;

    /**
     * Opens one datagram of message {@code i} ({@code datagram[0, length)}, with {@code inner} its
     * view from offset 16) and returns the length of the inner packet to write to TUN, or 0.
     */
    private int open(MessageBatch messages, int i, MemorySegment datagram, MemorySegment inner,
            int length, int workerId, long now) {
        if (length < Protocol.DATA_OVERHEAD || (datagram.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) != DATA) {
            gateway.control.receive(messages.address(i), messages.addressLength(i), datagram, length);
            return 0;
        }
        int index = datagram.get(U32, 4);
        DataPeer peer = gateway.byIndex.get(index);
        Keypairs keypairs = peer == null ? null : peer.peer.keypairs();
        Keypair keypair = keypairs == null ? null : keypairs.lookup(index);
        if (keypair == null) {
            counters.droppedUnknownIndex.incrementAndGet();
            return 0;
        }
        MemorySegment destination = peer.destination;
        if (keypair == keypairs.next() || destination == null || !Sockaddr.equals(messages.address(i), destination)) {
            gateway.control.receive(messages.address(i), messages.addressLength(i), datagram, length);
            return 0;
        }
        int plaintext = keypair.open(firstKeypairWorker + workerId, datagram, inner, length, now);
        if (plaintext < 0) {
            counters.droppedRejected.incrementAndGet();
            peer.traffic.rejected(plaintext);
            return 0;
        }
        if (peer != run) {
            flush(now);
            run = peer;
        }
        runPackets++;
        if (plaintext == 0) {
            return 0; // a keepalive: counted, nothing to deliver
        }
        runPayload = true;
        int packetLength = admit(gateway.routes, peer, inner, plaintext, counters);
        runBytes += packetLength;
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

    private void flush(long now) {
        if (run != null && runPackets > 0) {
            run.traffic.received(now, runPackets, runBytes, runPayload);
        }
        runPackets = 0;
        runBytes = 0;
        runPayload = false;
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
            int size = frames.datagramSize[i];
            int[] lengths = frames.writeLength[i];
            for (int k = 0; k < frames.datagrams[i]; k++) {
                int length = lengths[k];
                if (length == 0) {
                    continue;
                }
                MemorySegment packet = size == 0 ? frames.inner(i) : frames.gramBody(i, k, size);
                written += ring == null ? write(packet, length) : submit(packet, length);
            }
        }
        if (ring != null) {
            written += complete(inFlight);
        }
        counters.tunPacketsWritten.addAndGet(written);
    }

    /** Queues one TUN write; when the submission queue is full, submits and reaps what is queued first. */
    private int submit(MemorySegment packet, int length) {
        int done = 0;
        while (!ring.write(tunFd, packet, length, 0)) {
            done += complete(inFlight);
        }
        inFlight++;
        return done;
    }

    /** Submits what is queued and waits for {@code wanted} completions; returns the packets written. */
    private int complete(int wanted) {
        ringWritten = 0;
        int guard = 0;
        while (inFlight > 0 && guard++ < 1_000) {
            int n = ring.submitAndWait(Math.min(wanted, inFlight));
            if (n < 0 && n != -Errno.EINTR && n != -Errno.EAGAIN && n != -Errno.EBUSY) {
                gateway.ioError("io_uring_enter", -n);
            }
            ring.drain(completed);
        }
        return ringWritten;
    }

    /** Closes the ring (after the pipeline stopped). */
    void close() {
        if (ring != null) {
            ring.close();
        }
    }

    private int write(MemorySegment packet, int length) {
        long n = Fd.write(tunFd, packet, length);
        if (n == -Errno.EAGAIN) {
            gateway.waitWritable(tunFd, pollfd);
            n = Fd.write(tunFd, packet, length);
        }
        if (n == length) {
            return 1;
        }
        if (n < 0) {
            gateway.ioError("write(tun)", (int) -n);
        }
        return 0;
    }
}
