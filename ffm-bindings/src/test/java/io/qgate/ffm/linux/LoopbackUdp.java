package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * Test-only plumbing for the io_uring tests: blocking UDP sockets on 127.0.0.1 and a
 * {@code struct msghdr} with one iovec. Layout from {@code linux/socket.h}, {@code linux/uio.h}
 * (x86-64).
 */
final class LoopbackUdp {
    /** struct msghdr: name, namelen (+4 padding), iov, iovlen, control, controllen, flags (+4). */
    static final long MSGHDR_SIZE = 56;
    static final long MSG_NAME = 0;
    static final long MSG_NAMELEN = 8;
    static final long MSG_IOV = 16;
    static final long MSG_IOVLEN = 24;

    private LoopbackUdp() {
    }

    /**
     * A UDP socket bound to 127.0.0.1 on a port the kernel picks, switched to blocking so that
     * io_uring waits for data instead of completing with {@code -EAGAIN}.
     */
    static UdpSocket bindLoopback() {
        UdpSocket socket = UdpSocket.open(new InetSocketAddress("127.0.0.1", 0), UdpOptions.DEFAULTS);
        Fd.nonBlocking(socket.fd(), false);
        return socket;
    }

    /**
     * A msghdr with one iovec over {@code payload} and, if {@code address} is not null, that
     * address as msg_name (the destination of sendmsg, or where recvmsg writes the source).
     */
    static MemorySegment msghdr(Arena arena, MemorySegment payload, MemorySegment address) {
        MemorySegment iovec = arena.allocate(16, 8);
        iovec.set(ValueLayout.JAVA_LONG, 0, payload.address());
        iovec.set(ValueLayout.JAVA_LONG, 8, payload.byteSize());
        MemorySegment header = arena.allocate(MSGHDR_SIZE, 8);
        if (address != null) {
            header.set(ValueLayout.JAVA_LONG, MSG_NAME, address.address());
            header.set(ValueLayout.JAVA_INT, MSG_NAMELEN, (int) address.byteSize());
        }
        header.set(ValueLayout.JAVA_LONG, MSG_IOV, iovec.address());
        header.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1L);
        return header;
    }
}
