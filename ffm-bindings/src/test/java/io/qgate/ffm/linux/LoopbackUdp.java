package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Test-only socket and file plumbing for the io_uring tests: UDP sockets on 127.0.0.1, a
 * {@code struct msghdr} with one iovec and a {@code sockaddr_in}, and {@code open(2)}.
 * Layouts from {@code linux/socket.h}, {@code linux/in.h}, {@code linux/uio.h} (x86-64).
 */
final class LoopbackUdp {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_CREAT = 0x40;
    /** INADDR_LOOPBACK as it sits in memory (network order). */
    static final int LOOPBACK = 0x7f000001;

    static final long SOCKADDR_IN_SIZE = 16;
    /** struct msghdr: name, namelen (+4 padding), iov, iovlen, control, controllen, flags (+4). */
    static final long MSGHDR_SIZE = 56;
    static final long MSG_NAME = 0;
    static final long MSG_NAMELEN = 8;
    static final long MSG_IOV = 16;
    static final long MSG_IOVLEN = 24;

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final MethodHandle SOCKET = Libc.downcall("socket",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = Libc.downcall("bind",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CONNECT = Libc.downcall("connect",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Libc.downcall("getsockname",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle OPEN = Libc.downcall("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));

    private LoopbackUdp() {
    }

    /** A blocking UDP socket bound to 127.0.0.1 on a port the kernel picks. */
    static int bindLoopback() throws Throwable {
        MemorySegment state = Libc.callState();
        int fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Libc.error("socket", state, "");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = sockaddr(arena, 0);
            if ((int) BIND.invokeExact(state, fd, address, (int) SOCKADDR_IN_SIZE) < 0) {
                throw Libc.error("bind", state, "");
            }
        }
        return fd;
    }

    /** Connects {@code fd} to 127.0.0.1:{@code port}, so plain write() sends there. */
    static void connect(int fd, int port) throws Throwable {
        MemorySegment state = Libc.callState();
        try (Arena arena = Arena.ofConfined()) {
            if ((int) CONNECT.invokeExact(state, fd, sockaddr(arena, port), (int) SOCKADDR_IN_SIZE) < 0) {
                throw Libc.error("connect", state, "");
            }
        }
    }

    /** The local port of a bound socket. */
    static int port(int fd) throws Throwable {
        MemorySegment state = Libc.callState();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SOCKADDR_IN_SIZE);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_IN_SIZE);
            if ((int) GETSOCKNAME.invokeExact(state, fd, address, length) < 0) {
                throw Libc.error("getsockname", state, "");
            }
            return Short.toUnsignedInt(address.get(BE_SHORT, 2));
        }
    }

    /** A sockaddr_in for 127.0.0.1:{@code port}. */
    static MemorySegment sockaddr(Arena arena, int port) {
        MemorySegment address = arena.allocate(SOCKADDR_IN_SIZE, 4);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        address.set(BE_SHORT, 2, (short) port);
        address.set(BE_INT, 4, LOOPBACK);
        return address;
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

    /** The port in a sockaddr_in. */
    static int portOf(MemorySegment sockaddr) {
        return Short.toUnsignedInt(sockaddr.get(BE_SHORT, 2));
    }

    /** open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600). */
    static int openFile(Path path) throws Throwable {
        MemorySegment state = Libc.callState();
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()),
                Fd.O_RDWR | O_CREAT | Fd.O_CLOEXEC, 0600);
            if (fd < 0) {
                throw Libc.error("open", state, path.toString());
            }
            return fd;
        }
    }
}
