package io.qgate.engine.gateway;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.MemorySegment;

/**
 * How one I/O thread moves packets across the kernel boundary. Two backends implement it, chosen
 * by the configuration's {@code io} key: {@link BatchedIo} ({@code read}/{@code write} per TUN
 * packet, {@code recvmmsg}/{@code sendmmsg} and GSO {@code sendmsg} per batch) and {@link UringIo}
 * (the same requests as io_uring submissions, a batch's worth per {@code io_uring_enter}).
 *
 * <p>Each of the gateway's four I/O threads (TUN reader, UDP reader, outbound egress, inbound
 * egress) opens its own instance with {@link #open} and uses the calls for its role; an instance
 * belongs to that thread alone and is closed by the gateway after the thread stopped. Reads never
 * block (they return 0 when nothing waits; {@link #awaitReadable} blocks); writes and sends may be
 * queued until {@link #flush}. A failed system call is counted and logged once per kind through
 * the {@link Host}; only counts come back. Nothing here allocates per packet.
 */
interface PacketIo extends AutoCloseable {
    /** What an instance needs of its gateway. */
    interface Host {
        /** Counts a failed system call and logs the first of each kind. */
        void ioError(String call, int errno);

        /** Logs one event line. */
        void log(String line);

        /** An eventfd that becomes readable when the gateway stops. */
        int stopFd();

        /** False once the gateway is stopping: waits give up. */
        boolean running();
    }

    /**
     * The instance for one I/O thread of {@code host}, of the kind {@code backend} names.
     *
     * @throws io.qgate.ffm.linux.IoUringUnavailableException for io_uring where the kernel does not allow it
     */
    static PacketIo open(GatewayConfig.IoBackend backend, Host host) {
        return backend == GatewayConfig.IoBackend.IO_URING ? new UringIo(host) : new BatchedIo(host);
    }

    /**
     * Reads up to {@code max} packets from the TUN device {@code fd}, packet {@code i} into
     * {@code frames.inner(i)} (at most {@code maxPacket} bytes) with its length in
     * {@code batch.length(i)}.
     *
     * @return packets read (they fill slots {@code 0..n-1}); 0 when none is waiting
     */
    int readTun(int fd, Frames frames, PacketBatch batch, int max, int maxPacket);

    /**
     * Receives datagrams into {@code messages} (as many as it holds), like {@code recvmmsg}:
     * lengths, sources and GRO segment sizes in the batch.
     *
     * @return datagrams received (messages {@code 0..n-1}); 0 when none is waiting
     */
    int receive(UdpSocket socket, MessageBatch messages);

    /** Blocks until {@code fd} is readable, the gateway stops, or about a second has passed. */
    void awaitReadable(int fd);

    /** Writes (or queues) one packet, {@code packet[0, length)}, to the TUN device {@code fd}. */
    void writeTun(int fd, MemorySegment packet, int length);

    /** Sends (or queues) messages {@code [first, first + count)}, one datagram each, in order. */
    void send(UdpSocket socket, MessageBatch messages, int first, int count);

    /**
     * Sends (or queues) messages {@code [first, first + count)} as one UDP GSO send cut in
     * {@code size}-byte datagrams; every message but the last is exactly {@code size} bytes. Where
     * the route refuses GSO the messages go one by one and {@link #gso()} turns false for good.
     */
    void sendSegmented(UdpSocket socket, MessageBatch messages, int first, int count, int size);

    /** The errnos with which a route or device says it cannot segment: send plain datagrams from then on. */
    static boolean refusesGso(int errno) {
        return errno == Errno.EIO || errno == Errno.EINVAL
            || errno == Errno.EOPNOTSUPP;
    }

    /** The one line an instance logs when it turns GSO off for good. */
    static void logGsoOff(Host host, int errno) {
        host.log("UDP GSO refused (" + Errno.name(errno) + "); sending datagrams one by one from now on");
    }

    /** Whether segmented sends still work (false once the kernel refused one). */
    boolean gso();

    /**
     * Completes everything queued since the last flush.
     *
     * @return packets written to TUN plus datagrams sent, since the last flush
     */
    int flush();

    /** Frees what the instance holds (an io_uring instance); after its thread stopped. */
    @Override
    void close();
}
