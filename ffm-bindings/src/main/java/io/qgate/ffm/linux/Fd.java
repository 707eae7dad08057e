package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Plain file-descriptor calls shared by every binding: {@code open}, {@code close}, {@code read},
 * {@code write}, {@code ioctl}, non-blocking mode, {@code poll} and {@code eventfd}.
 *
 * <p>{@link #read}, {@link #write}, {@link #poll} and {@link #ioctl} return their result, or
 * {@code -errno} (never throw) so that callers handle {@code EAGAIN}, {@code EINTR} or an
 * expected refusal without exceptions. The others throw {@link LinuxException}.
 */
public final class Fd {
    /** {@code O_NONBLOCK} (x86-64, aarch64). */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0x40;
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 0x4;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x8;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x10;
    /** {@code EFD_CLOEXEC}. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code EFD_NONBLOCK}. */
    public static final int EFD_NONBLOCK = 0x800;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;

    private static final MethodHandle OPEN = Libc.downcall("open",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_POINTER = Libc.downcall("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
        Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_VALUE = Libc.downcall("ioctl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Libc.downcall("close",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = Libc.downcall("read",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = Libc.downcall("write",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FCNTL = Libc.downcall("fcntl",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = Libc.downcall("poll",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle EVENTFD = Libc.downcall("eventfd",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** Size of {@code struct pollfd}: int fd, short events, short revents. */
    public static final long POLLFD_SIZE = 8;

    private Fd() {
    }

    /**
     * {@code open(path, flags, mode)}: the new descriptor.
     *
     * @throws LinuxException naming {@code path} if the kernel refuses
     */
    public static int open(String path, int flags, int mode) {
        MemorySegment state = Libc.callState();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw Libc.error("open", state, path);
        }
        return fd;
    }

    /** {@code ioctl(fd, request, argument)} with a pointer argument: the result, or {@code -errno}. */
    public static int ioctl(int fd, long request, MemorySegment argument) {
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) IOCTL_POINTER.invokeExact(state, fd, request, argument);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : rc;
    }

    /** {@code ioctl(fd, request, value)} with an integer argument: the result, or {@code -errno}. */
    public static int ioctl(int fd, long request, long value) {
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) IOCTL_VALUE.invokeExact(state, fd, request, value);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : rc;
    }

    /** Closes {@code fd}; an error is thrown (the descriptor is gone either way, as POSIX leaves it on Linux). */
    public static void close(int fd) {
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (rc < 0 && Libc.errno(state) != Errno.EINTR) {
            throw Libc.error("close", state, "fd " + fd);
        }
    }

    /** {@code read(fd, buffer, length)}: the byte count, or {@code -errno}. */
    public static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment state = Libc.callState();
        long n;
        try {
            n = (long) READ.invokeExact(state, fd, buffer, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n < 0 ? -Libc.errno(state) : n;
    }

    /** {@code write(fd, buffer, length)}: the byte count, or {@code -errno}. */
    public static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment state = Libc.callState();
        long n;
        try {
            n = (long) WRITE.invokeExact(state, fd, buffer, length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n < 0 ? -Libc.errno(state) : n;
    }

    /** Sets or clears {@code O_NONBLOCK} on {@code fd}. */
    public static void nonBlocking(int fd, boolean on) {
        MemorySegment state = Libc.callState();
        try {
            int flags = (int) FCNTL.invokeExact(state, fd, F_GETFL, 0);
            if (flags < 0) {
                throw Libc.error("fcntl(F_GETFL)", state, "fd " + fd);
            }
            int wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
            if (wanted != flags && (int) FCNTL.invokeExact(state, fd, F_SETFL, wanted) < 0) {
                throw Libc.error("fcntl(F_SETFL)", state, "fd " + fd);
            }
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
    }

    /**
     * {@code poll(fds, count, timeoutMillis)} over an array of {@code struct pollfd} the caller
     * fills (see {@link #POLLFD_SIZE}): the number of ready descriptors, 0 on timeout, or
     * {@code -errno} ({@code -EINTR} when a signal interrupted it).
     */
    public static int poll(MemorySegment pollfds, int count, int timeoutMillis) {
        MemorySegment state = Libc.callState();
        int n;
        try {
            n = (int) POLL.invokeExact(state, pollfds, (long) count, timeoutMillis);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return n < 0 ? -Libc.errno(state) : n;
    }

    /** A new {@code eventfd} (close-on-exec, non-blocking) with counter 0. */
    public static int eventfd() {
        MemorySegment state = Libc.callState();
        int fd;
        try {
            fd = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (fd < 0) {
            throw Libc.error("eventfd", state, "");
        }
        return fd;
    }
}
