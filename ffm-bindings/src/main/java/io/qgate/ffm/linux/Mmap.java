package io.qgate.ffm.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code mmap(2)} and {@code munmap(2)} of a file descriptor's memory (io_uring rings, packet
 * rings). Cold path: both throw {@link LinuxException} on failure.
 */
public final class Mmap {
    /** {@code PROT_READ} ({@code asm-generic/mman-common.h}). */
    public static final int PROT_READ = 0x1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 0x2;
    /** {@code MAP_SHARED} ({@code linux/mman.h}). */
    public static final int MAP_SHARED = 0x01;
    /** {@code MAP_POPULATE}: fault the pages in now rather than on the data path. */
    public static final int MAP_POPULATE = 0x8000;

    private static final long MAP_FAILED = -1L;

    private static final MethodHandle MMAP = Libc.downcall("mmap",
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, Libc.SIZE_T, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = Libc.downcall("munmap",
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, Libc.SIZE_T));

    private Mmap() {
    }

    /**
     * Maps {@code length} bytes of {@code fd} at {@code offset}. The result is a global-scope
     * segment of exactly {@code length} bytes: the caller owns it and must {@link #unmap} it,
     * and should give it a narrower lifetime ({@link MemorySegment#reinterpret(long,
     * java.lang.foreign.Arena, java.util.function.Consumer)}) so that a use after unmapping
     * throws instead of faulting.
     */
    public static MemorySegment map(long length, int prot, int flags, int fd, long offset, String what) {
        if (length <= 0) {
            throw new IllegalArgumentException("mmap length must be positive, was " + length);
        }
        MemorySegment state = Libc.callState();
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (address.address() == MAP_FAILED) {
            throw Libc.error("mmap", state, what + ", " + length + " bytes of fd " + fd + " at offset 0x"
                + Long.toHexString(offset));
        }
        return address.reinterpret(length);
    }

    /** Unmaps a segment returned by {@link #map}. */
    public static void unmap(long address, long length) {
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        if (rc < 0) {
            throw Libc.error("munmap", state, length + " bytes at 0x" + Long.toHexString(address));
        }
    }
}
