package io.qgate.engine.gateway;

import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The batched-system-call backend ({@code io = "batched"}): one {@code read} or {@code write}
 * per TUN packet (the TUN device has no batch call), {@code recvmmsg} per batch of datagrams,
 * {@code sendmmsg} or one GSO {@code sendmsg} per run. Everything happens inside the call;
 * {@link #flush} only returns the count. One thread's instance, see {@link PacketIo}.
 */
final class BatchedIo implements PacketIo {
    /** Attempts at one send before its messages are counted as lost. */
    private static final int SEND_ATTEMPTS = 8;

    private final Host host;
    private final Arena arena = Arena.ofShared();
    /** Two {@code struct pollfd}: the fd waited for, and the gateway's stop eventfd. */
    private final MemorySegment pollfds = arena.allocate(2L * Fd.POLLFD_SIZE, 8);
    private boolean gso = true;
    private int done;

    BatchedIo(Host host) {
        this.host = host;
    }

    @Override
    public int readTun(int fd, Frames frames, PacketBatch batch, int max, int maxPacket) {
        int n = 0;
        while (n < max) {
            long r = Fd.read(fd, frames.inner(n), maxPacket);
            if (r > 0) {
                batch.length(n++, (int) r);
            } else if (r != -Errno.EINTR) {
                if (r < 0 && r != -Errno.EAGAIN) {
                    host.ioError("read(tun)", (int) -r);
                }
                break;
            }
        }
        return n;
    }

    @Override
    public int receive(UdpSocket socket, MessageBatch messages) {
        int n = socket.receive(messages);
        if (n > 0) {
            return n;
        }
        if (n < 0 && n != -Errno.EAGAIN && n != -Errno.EINTR) {
            host.ioError("recvmmsg", -n);
        }
        return 0;
    }

    @Override
    public void awaitReadable(int fd) {
        pollfds.set(ValueLayout.JAVA_INT, 0, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, Fd.POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        pollfds.set(ValueLayout.JAVA_INT, 8, host.stopFd());
        pollfds.set(ValueLayout.JAVA_SHORT, 12, Fd.POLLIN);
        pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
        Fd.poll(pollfds, 2, 1000);
    }

    /** Waits (at most 10 ms) until {@code fd} can take more data. */
    private void awaitWritable(int fd) {
        pollfds.set(ValueLayout.JAVA_INT, 0, fd);
        pollfds.set(ValueLayout.JAVA_SHORT, 4, Fd.POLLOUT);
        pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        Fd.poll(pollfds, 1, 10);
    }

    @Override
    public void writeTun(int fd, MemorySegment packet, int length) {
        long n = Fd.write(fd, packet, length);
        if (n == -Errno.EAGAIN) {
            awaitWritable(fd);
            n = Fd.write(fd, packet, length);
        }
        if (n == length) {
            done++;
        } else if (n < 0) {
            host.ioError("write(tun)", (int) -n);
        }
    }

    @Override
    public void send(UdpSocket socket, MessageBatch messages, int first, int count) {
        int sent = 0;
        int refused = 0;
        int attempts = 0;
        while (sent < count && attempts++ < SEND_ATTEMPTS) {
            int n = socket.send(messages, first + sent, count - sent);
            if (n > 0) {
                sent += n;
                attempts = 0;
            } else if (!waitedOrInterrupted(socket, -n)) {
                host.ioError("sendmmsg", -n);
                sent++; // skip the message the kernel refused (an unreachable peer, for instance)
                refused++;
            }
        }
        done += sent - refused;
    }

    @Override
    public void sendSegmented(UdpSocket socket, MessageBatch messages, int first, int count, int size) {
        for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
            long n = socket.sendSegmented(messages, first, count, size);
            if (n >= 0) {
                done += count;
                return;
            }
            if (waitedOrInterrupted(socket, (int) -n)) {
                continue;
            }
            if (PacketIo.refusesGso((int) -n)) {
                gso = false;
                PacketIo.logGsoOff(host, (int) -n);
                send(socket, messages, first, count);
            } else {
                host.ioError("sendmsg(UDP_SEGMENT)", (int) -n);
            }
            return;
        }
    }

    /**
     * For an errno a send may simply retry after: waits for room on {@code EAGAIN}/{@code ENOBUFS}
     * (at most 10 ms), returns at once on {@code EINTR}. False for any other errno.
     */
    private boolean waitedOrInterrupted(UdpSocket socket, int errno) {
        if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
            awaitWritable(socket.fd());
            return true;
        }
        return errno == Errno.EINTR;
    }

    @Override
    public boolean gso() {
        return gso;
    }

    @Override
    public int flush() {
        int n = done;
        done = 0;
        return n;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
