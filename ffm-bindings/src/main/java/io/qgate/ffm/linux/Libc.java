package io.qgate.ffm.linux;

import io.qgate.ffm.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The base of every libc binding: downcall handles that capture {@code errno}
 * ({@link Linker.Option#captureCallState}) and a per-thread segment to capture it in.
 *
 * <p>Every handle made by {@link #downcall} takes the capture segment as its first argument:
 * <pre>{@code
 *   MemorySegment state = Libc.callState();
 *   int fd = (int) OPEN.invokeExact(state, path, flags);
 *   if (fd < 0) throw Libc.error("open", state, path);
 * }</pre>
 * The segment must be read on the thread that made the call, before the next call on it, which
 * {@link #callState()} (one segment per thread) and reading it right away satisfy.
 *
 * <p>Variadic C functions ({@code open}, {@code ioctl}, {@code fcntl}) need
 * {@link Linker.Option#firstVariadicArg}: pass it in {@code options}.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** {@code size_t} and {@code ssize_t} on x86-64 and aarch64 Linux. */
    public static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    /** {@code int}. */
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    /** A pointer. */
    public static final ValueLayout POINTER = ValueLayout.ADDRESS;

    private Libc() {
    }

    /**
     * A downcall handle for libc's {@code symbol} that captures errno: the handle's first parameter
     * is the capture segment, followed by {@code descriptor}'s parameters.
     *
     * @throws UnsatisfiedLinkError if libc has no such symbol
     */
    public static MethodHandle downcall(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function " + symbol));
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = CAPTURE;
        return LINKER.downcallHandle(address, descriptor, all);
    }

    /** This thread's errno capture segment. */
    public static MemorySegment callState() {
        return STATE.get();
    }

    /** The errno captured in {@code state} by the last call that used it. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** A {@link LinuxException} for {@code call} with the errno in {@code state}. */
    public static LinuxException error(String call, MemorySegment state, String context) {
        return new LinuxException(call, errno(state), context);
    }

    /** See {@link NativeLibrary#unchecked(Throwable)}. */
    public static RuntimeException unchecked(Throwable t) {
        return NativeLibrary.unchecked(t);
    }
}
