package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;

/**
 * A non-blocking UDP socket that moves datagrams in batches: one {@code recvmmsg} or
 * {@code sendmmsg} per {@link MessageBatch}, with UDP GSO ({@code UDP_SEGMENT}) to send up to 64
 * datagrams as one message and UDP GRO ({@code UDP_GRO}) to receive them coalesced.
 *
 * <p>The data-path calls ({@link #receive}, {@link #send}, {@link #sendTo}) return a count or
 * {@code -errno} and never throw for a kernel error, so that {@code EAGAIN} and {@code EINTR} are
 * plain branches. The socket is non-blocking: when {@link #receive} returns 0 or {@link #send}
 * returns {@code -EAGAIN}, wait with {@link Fd#poll} for {@link Fd#POLLIN} or {@link Fd#POLLOUT}.
 *
 * <p>A wildcard IPv6 local address ({@code [::]}) makes a dual-stack socket
 * ({@code IPV6_V6ONLY=0}) that also carries IPv4; its IPv4 peers appear as IPv4-mapped addresses,
 * which {@link Sockaddr} treats as the IPv4 addresses they stand for.
 *
 * <p><b>Threads.</b> The calls are thread-safe in the kernel's sense, but each {@link MessageBatch}
 * is used by one thread at a time. {@link #close()} must happen after every thread has stopped
 * calling into the socket (a closed descriptor number may be reused by the next {@code open}).
 */
public final class UdpSocket implements AutoCloseable {
    // <bits/socket_type.h>, <netinet/in.h>, <asm-generic/socket.h>, <linux/in6.h>, <bits/socket.h>
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int IPPROTO_UDP = 17;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_REUSEPORT = 15;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int MSG_DONTWAIT = 0x40;

    private static final MethodHandle SOCKET = Libc.downcall("socket",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.C_INT));
    private static final MethodHandle SETSOCKOPT = Libc.downcall("setsockopt",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.POINTER, Libc.C_INT));
    private static final MethodHandle GETSOCKOPT = Libc.downcall("getsockopt",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.C_INT, Libc.POINTER, Libc.POINTER));
    private static final MethodHandle BIND = Libc.downcall("bind",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.POINTER, Libc.C_INT));
    private static final MethodHandle GETSOCKNAME = Libc.downcall("getsockname",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, Libc.POINTER, Libc.POINTER));
    private static final MethodHandle SENDTO = Libc.downcall("sendto",
        FunctionDescriptor.of(Libc.SIZE_T, Libc.C_INT, Libc.POINTER, Libc.SIZE_T, Libc.C_INT, Libc.POINTER, Libc.C_INT));
    // The message vectors are passed as raw addresses (LP64: a pointer is a long) so that sending
    // from message `first` on needs no slice object; MessageBatch touches its memory just before
    // each call, so a closed batch fails in Java before the kernel sees the address.
    private static final MethodHandle RECVMMSG = Libc.downcall("recvmmsg",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, ValueLayout.JAVA_LONG, Libc.C_INT, Libc.C_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle SENDMSG = Libc.downcall("sendmsg",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDMMSG = Libc.downcall("sendmmsg",
        FunctionDescriptor.of(Libc.C_INT, Libc.C_INT, ValueLayout.JAVA_LONG, Libc.C_INT, Libc.C_INT));

    private volatile int fd;
    private final InetSocketAddress localAddress;
    private final boolean gso;
    private final boolean gro;
    private final int receiveBufferBytes;
    private final int sendBufferBytes;

    private UdpSocket(int fd, InetSocketAddress localAddress, boolean gso, boolean gro,
                      int receiveBufferBytes, int sendBufferBytes) {
        this.fd = fd;
        this.localAddress = localAddress;
        this.gso = gso;
        this.gro = gro;
        this.receiveBufferBytes = receiveBufferBytes;
        this.sendBufferBytes = sendBufferBytes;
    }

    /**
     * Opens a non-blocking, close-on-exec UDP socket bound to {@code local} (port 0 picks a free
     * port) and set up as {@code options} asks.
     *
     * @throws LinuxException naming the call and errno if the socket cannot be made or bound,
     *     for example {@code bind} with {@code EADDRINUSE} and the address
     * @throws IllegalArgumentException if {@code local} is unresolved
     */
    public static UdpSocket open(InetSocketAddress local, UdpOptions options) {
        int family = Sockaddr.length(local) == Sockaddr.IN_BYTES ? Sockaddr.AF_INET : Sockaddr.AF_INET6;
        MemorySegment state = Libc.callState();
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(state, family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw Libc.error("socket", state, family == Sockaddr.AF_INET ? "IPv4 UDP" : "IPv6 UDP");
        }
        try (Arena arena = Arena.ofConfined()) {
            if (family == Sockaddr.AF_INET6 && local.getAddress().isAnyLocalAddress()) {
                setInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0, "setsockopt(IPV6_V6ONLY)", arena);
            }
            if (options.reusePort()) {
                setInt(fd, SOL_SOCKET, SO_REUSEPORT, 1, "setsockopt(SO_REUSEPORT)", arena);
            }
            int receive = buffer(fd, options.receiveBufferBytes(), SO_RCVBUFFORCE, SO_RCVBUF, "SO_RCVBUF", arena);
            int send = buffer(fd, options.sendBufferBytes(), SO_SNDBUFFORCE, SO_SNDBUF, "SO_SNDBUF", arena);
            boolean gso = options.gso() && probeSegmentation(fd, arena);
            boolean gro = options.gro() && enableReceiveOffload(fd, arena);
            MemorySegment address = Sockaddr.of(local, arena);
            int rc = (int) BIND.invokeExact(state, fd, address, (int) address.byteSize());
            if (rc < 0) {
                throw Libc.error("bind", state, "UDP " + local);
            }
            return new UdpSocket(fd, boundAddress(fd, arena), gso, gro, receive, send);
        } catch (Throwable t) {
            Fd.close(fd);
            throw Libc.unchecked(t);
        }
    }

    /** The file descriptor, or -1 once closed. */
    public int fd() {
        return fd;
    }

    /** The bound address as the kernel reports it ({@code getsockname}): a port 0 request shows the real port. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Whether sends may carry a GSO segment size ({@link MessageBatch#segmentSize(int, int)}). */
    public boolean gso() {
        return gso;
    }

    /** Whether receives may return coalesced buffers with a GRO segment size. */
    public boolean gro() {
        return gro;
    }

    /** The receive buffer size the kernel reports ({@code SO_RCVBUF}; it doubles a request for bookkeeping). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** The send buffer size the kernel reports ({@code SO_SNDBUF}). */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /**
     * Sends the first {@code length} bytes of {@code data} as one datagram to {@code sockaddr} (as
     * {@link Sockaddr} encodes it). For handshakes and other cold-path traffic.
     *
     * @return the bytes sent, or {@code -errno} ({@code -EAGAIN} when the send buffer is full,
     *     {@code -EMSGSIZE} when the datagram is too large)
     */
    public int sendTo(MemorySegment data, int length, MemorySegment sockaddr) {
        if (length < 0 || length > data.byteSize()) {
            throw new IllegalArgumentException("cannot send " + length + " bytes from a segment of " + data.byteSize());
        }
        MemorySegment state = Libc.callState();
        long n;
        try {
            n = (long) SENDTO.invokeExact(state, fd, data, (long) length, 0, sockaddr, (int) sockaddr.byteSize());
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n < 0 ? -Libc.errno(state) : (int) n;
    }

    /**
     * Receives up to {@code batch.capacity()} messages with one {@code recvmmsg} that does not
     * wait. For each message {@code i < n} the batch then holds its data
     * ({@link MessageBatch#length(int)} bytes at {@link MessageBatch#bufferOffset(int)}), its source
     * ({@link MessageBatch#address(int)}) and, when GRO coalesced several datagrams into it, their
     * size ({@link MessageBatch#segmentSize(int)}; the last datagram may be shorter); 0 otherwise.
     * A datagram longer than the room after the offset is cut to it and marked
     * {@link MessageBatch#truncated(int)}.
     *
     * @return the number of messages, 0 if none was waiting, or {@code -errno}
     */
    public int receive(MessageBatch batch) {
        batch.prepareReceive();
        MemorySegment state = Libc.callState();
        int n;
        try {
            n = (int) RECVMMSG.invokeExact(state, fd, batch.vectorAddress(0), batch.capacity(), MSG_DONTWAIT, 0L);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (n < 0) {
            int errno = Libc.errno(state);
            return errno == Errno.EAGAIN ? 0 : -errno;
        }
        batch.finishReceive(n);
        return n;
    }

    /** {@link #send(MessageBatch, int, int)} from message 0. */
    public int send(MessageBatch batch, int count) {
        return send(batch, 0, count);
    }

    /**
     * Sends messages [{@code first}, {@code first + count}) of {@code batch} with one
     * {@code sendmmsg}. Each goes to its {@link MessageBatch#address(int)} with its
     * {@link MessageBatch#length(int)} bytes, cut into datagrams of
     * {@link MessageBatch#segmentSize(int)} bytes when that is not 0 (GSO).
     *
     * <p><b>Partial sends.</b> The kernel stops at the first message it cannot send. If that is
     * not the first one, the call returns how many went out and the error is not reported; a
     * return {@code n < count} therefore means messages from {@code first + n} on were not sent,
     * and the caller sends them again with {@code send(batch, first + n, count - n)} (the next call
     * reports the error if it persists), after waiting for {@link Fd#POLLOUT} on {@code -EAGAIN}.
     *
     * @return the number of messages sent (0 when {@code count} is 0), or {@code -errno} if the
     *     first one failed ({@code -EAGAIN}: send buffer full; {@code -EMSGSIZE}/{@code -EINVAL}:
     *     the message or its segmentation is too large)
     * @throws IllegalArgumentException if the range is not inside the batch
     */
    public int send(MessageBatch batch, int first, int count) {
        if (first < 0 || count < 0 || first + count > batch.capacity()) {
            throw new IllegalArgumentException("messages [" + first + ", " + first + "+" + count
                + ") are not inside a batch of " + batch.capacity());
        }
        if (count == 0) {
            return 0;
        }
        batch.prepareSend(first, count);
        MemorySegment state = Libc.callState();
        int n;
        try {
            n = (int) SENDMMSG.invokeExact(state, fd, batch.vectorAddress(first), count, 0);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n < 0 ? -Libc.errno(state) : n;
    }

    /**
     * Sends messages [{@code first}, {@code first + count}) of {@code batch}, all to message
     * {@code first}'s address, as ONE {@code sendmsg} with UDP GSO: the kernel sends each
     * message as its own datagram, so every message but the last must be exactly
     * {@code segmentSize} bytes (the last may be shorter). The messages need not be contiguous in
     * memory: their buffers are gathered by an iovec array. At most 64 messages and 65,507 bytes
     * in all (the largest UDP payload over IPv4).
     *
     * @return the bytes sent, or {@code -errno} ({@code -EIO} if the route cannot do GSO,
     *     {@code -EINVAL} for sizes the kernel refuses)
     * @throws IllegalArgumentException if the range is outside the batch, or the sizes break the rules above
     */
    public long sendSegmented(MessageBatch batch, int first, int count, int segmentSize) {
        checkSegmentedRun(batch, first, count, segmentSize);
        batch.prepareGather(first, count, segmentSize);
        MemorySegment state = Libc.callState();
        long n;
        try {
            n = (long) SENDMSG.invokeExact(state, fd, batch.vectorAddress(first), 0);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        } finally {
            batch.endGather(first);
        }
        return n < 0 ? -Libc.errno(state) : n;
    }

    /** The checks of {@link #sendSegmented} on a run, shared with {@link IoUring#sendmsg(int, MessageBatch, int, int, int, long)}. */
    static void checkSegmentedRun(MessageBatch batch, int first, int count, int segmentSize) {
        if (first < 0 || count < 1 || count > 64 || first + count > batch.capacity()) {
            throw new IllegalArgumentException("messages [" + first + ", " + first + "+" + count
                + ") are not 1 to 64 messages inside a batch of " + batch.capacity());
        }
        long total = 0;
        for (int i = first; i < first + count; i++) {
            int length = batch.length(i);
            if (i < first + count - 1 ? length != segmentSize : length > segmentSize || length == 0) {
                throw new IllegalArgumentException("message " + i + " is " + length + " bytes: every message but the last"
                    + " must be exactly " + segmentSize + " bytes, the last 1 to " + segmentSize);
            }
            total += length;
        }
        if (total > MessageBatch.MAX_UDP_PAYLOAD - 20) {
            throw new IllegalArgumentException(total + " bytes in one segmented send exceed the largest UDP payload, 65507");
        }
    }

    /** Closes the socket; later calls do nothing. */
    @Override
    public void close() {
        int open = fd;
        if (open >= 0) {
            fd = -1;
            Fd.close(open);
        }
    }

    /**
     * Sets a socket buffer: the forcing option first (needs CAP_NET_ADMIN, ignores the sysctl
     * maximum), the plain one when that is not permitted. Returns the size the kernel reports.
     */
    private static int buffer(int fd, int bytes, int force, int plain, String name, Arena arena) {
        if (bytes > 0) {
            int rc = trySetInt(fd, SOL_SOCKET, force, bytes, arena);
            if (rc == -Errno.EPERM) {
                setInt(fd, SOL_SOCKET, plain, bytes, "setsockopt(" + name + ")", arena);
            } else if (rc < 0) {
                throw new LinuxException("setsockopt(" + name + "FORCE)", -rc, bytes + " bytes");
            }
        }
        MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
        int rc = getInt(fd, SOL_SOCKET, plain, value, arena);
        if (rc < 0) {
            throw new LinuxException("getsockopt(" + name + ")", -rc, "fd " + fd);
        }
        return value.get(ValueLayout.JAVA_INT, 0);
    }

    /** Whether the kernel knows UDP_SEGMENT: reading it succeeds (and leaves the socket's default alone). */
    private static boolean probeSegmentation(int fd, Arena arena) {
        int rc = getInt(fd, MessageBatch.SOL_UDP, MessageBatch.UDP_SEGMENT, arena.allocate(ValueLayout.JAVA_INT), arena);
        if (rc == -Errno.ENOPROTOOPT || rc == -Errno.EOPNOTSUPP) {
            return false;
        }
        if (rc < 0) {
            throw new LinuxException("getsockopt(UDP_SEGMENT)", -rc, "fd " + fd);
        }
        return true;
    }

    /** Turns UDP_GRO on; false if the kernel does not know it. */
    private static boolean enableReceiveOffload(int fd, Arena arena) {
        int rc = trySetInt(fd, MessageBatch.SOL_UDP, MessageBatch.UDP_GRO, 1, arena);
        if (rc == -Errno.ENOPROTOOPT || rc == -Errno.EOPNOTSUPP) {
            return false;
        }
        if (rc < 0) {
            throw new LinuxException("setsockopt(UDP_GRO)", -rc, "fd " + fd);
        }
        return true;
    }

    private static InetSocketAddress boundAddress(int fd, Arena arena) throws Throwable {
        MemorySegment address = arena.allocate(Sockaddr.IN6_BYTES, 4);
        MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
        length.set(ValueLayout.JAVA_INT, 0, Sockaddr.IN6_BYTES);
        MemorySegment state = Libc.callState();
        if ((int) GETSOCKNAME.invokeExact(state, fd, address, length) < 0) {
            throw Libc.error("getsockname", state, "fd " + fd);
        }
        return Sockaddr.decode(address, length.get(ValueLayout.JAVA_INT, 0));
    }

    private static void setInt(int fd, int level, int name, int value, String call, Arena arena) {
        int rc = trySetInt(fd, level, name, value, arena);
        if (rc < 0) {
            throw new LinuxException(call, -rc, "fd " + fd + ", value " + value);
        }
    }

    private static int trySetInt(int fd, int level, int name, int value, Arena arena) {
        MemorySegment box = arena.allocate(ValueLayout.JAVA_INT);
        box.set(ValueLayout.JAVA_INT, 0, value);
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(state, fd, level, name, box, 4);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : 0;
    }

    private static int getInt(int fd, int level, int name, MemorySegment value, Arena arena) {
        MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
        length.set(ValueLayout.JAVA_INT, 0, 4);
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) GETSOCKOPT.invokeExact(state, fd, level, name, value, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : 0;
    }
}
