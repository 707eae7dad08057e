package io.qgate.ffm.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The kernel side of io_uring, x86-64: the three system calls through libc's {@code syscall(2)}
 * (there is no libc wrapper and qgate does not use liburing), and the constants and structure
 * offsets {@link IoUring} needs.
 *
 * <p>Sources: system call numbers from {@code arch/x86/entry/syscalls/syscall_64.tbl}; opcodes,
 * flags, mmap offsets and structure layouts from {@code include/uapi/linux/io_uring.h}. The
 * system calls return {@code -errno} rather than throwing, so the data path needs no exception.
 */
final class IoUringAbi {
    /** {@code __NR_io_uring_setup}, {@code __NR_io_uring_enter}, {@code __NR_io_uring_register} (syscall_64.tbl). */
    static final long NR_SETUP = 425;
    static final long NR_ENTER = 426;
    static final long NR_REGISTER = 427;

    /** {@code enum io_uring_op}. */
    static final byte OP_NOP = 0;
    static final byte OP_READ_FIXED = 4;
    static final byte OP_WRITE_FIXED = 5;
    static final byte OP_POLL_ADD = 6;
    /** {@code RWF_NOWAIT} ({@code linux/fs.h}), in a read's {@code rw_flags}: fail with EAGAIN rather than wait. */
    static final int RWF_NOWAIT = 0x8;
    static final byte OP_SENDMSG = 9;
    static final byte OP_RECVMSG = 10;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;

    /** {@code IORING_ENTER_GETEVENTS}: wait for {@code min_complete} completions. */
    static final int ENTER_GETEVENTS = 1;
    /** {@code IORING_ENTER_EXT_ARG}: the argument is a {@code struct io_uring_getevents_arg} (timeout). */
    static final int ENTER_EXT_ARG = 1 << 3;

    /** {@code IORING_FEAT_SINGLE_MMAP}: the SQ and CQ rings share one mapping (5.4+). */
    static final int FEAT_SINGLE_MMAP = 1;
    /** {@code IORING_FEAT_NODROP}: a full CQ ring holds completions back instead of dropping them (5.5+). */
    static final int FEAT_NODROP = 1 << 1;
    /** {@code IORING_FEAT_EXT_ARG}: io_uring_enter takes a timeout (5.11+). */
    static final int FEAT_EXT_ARG = 1 << 8;

    /** {@code IORING_OFF_SQ_RING}, {@code IORING_OFF_CQ_RING}, {@code IORING_OFF_SQES}: mmap offsets of the ring fd. */
    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    /** {@code IORING_REGISTER_BUFFERS}, {@code IORING_UNREGISTER_BUFFERS}. */
    static final int REGISTER_BUFFERS = 0;
    static final int UNREGISTER_BUFFERS = 1;

    /** {@code IORING_SQ_CQ_OVERFLOW} in the SQ ring's flags word. */
    static final int SQ_CQ_OVERFLOW = 1 << 1;

    /** {@code struct io_uring_params}: 120 bytes; {@code sq_off} and {@code cq_off} are {@code io_sqring_offsets}/{@code io_cqring_offsets}. */
    static final long PARAMS_SIZE = 120;
    static final long PARAMS_SQ_ENTRIES = 0;
    static final long PARAMS_CQ_ENTRIES = 4;
    static final long PARAMS_FEATURES = 20;
    static final long PARAMS_SQ_OFF = 40;
    static final long PARAMS_CQ_OFF = 80;
    /** Field offsets inside {@code struct io_sqring_offsets}. */
    static final long SQ_OFF_HEAD = 0;
    static final long SQ_OFF_TAIL = 4;
    static final long SQ_OFF_RING_MASK = 8;
    static final long SQ_OFF_FLAGS = 16;
    static final long SQ_OFF_ARRAY = 24;
    /** Field offsets inside {@code struct io_cqring_offsets}. */
    static final long CQ_OFF_HEAD = 0;
    static final long CQ_OFF_TAIL = 4;
    static final long CQ_OFF_RING_MASK = 8;
    static final long CQ_OFF_CQES = 20;

    /** {@code struct io_uring_sqe}: 64 bytes (no {@code IORING_SETUP_SQE128}). */
    static final long SQE_SIZE = 64;
    static final long SQE_OPCODE = 0;
    static final long SQE_FLAGS = 1;
    /** {@code IOSQE_IO_LINK}: the next SQE starts only after this one completed without failing. */
    static final byte SQE_FLAG_IO_LINK = 1 << 2;
    static final long SQE_IOPRIO = 2;
    static final long SQE_FD = 4;
    static final long SQE_OFF = 8;
    static final long SQE_ADDR = 16;
    static final long SQE_LEN = 24;
    static final long SQE_OP_FLAGS = 28;
    static final long SQE_USER_DATA = 32;
    static final long SQE_BUF_INDEX = 40;
    static final long SQE_PERSONALITY = 42;
    static final long SQE_FILE_INDEX = 44;
    static final long SQE_ADDR3 = 48;
    static final long SQE_PAD = 56;

    /** {@code struct io_uring_cqe}: 16 bytes (no {@code IORING_SETUP_CQE32}). */
    static final long CQE_SIZE = 16;
    static final long CQE_USER_DATA = 0;
    static final long CQE_RES = 8;
    static final long CQE_FLAGS = 12;

    /** {@code struct io_uring_getevents_arg}: sigmask u64, sigmask_sz u32, pad u32, ts u64. */
    static final long GETEVENTS_ARG_SIZE = 24;
    static final long GETEVENTS_ARG_TS = 16;
    /** {@code struct __kernel_timespec} ({@code linux/time_types.h}): tv_sec s64, tv_nsec s64. */
    static final long TIMESPEC_SIZE = 16;

    /** {@code struct iovec}: base pointer, length. */
    static final long IOVEC_SIZE = 16;

    // syscall(2) is variadic after the number; every argument is passed as a full register.
    private static final MethodHandle SETUP = Libc.downcall("syscall",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
        Linker.Option.firstVariadicArg(1));
    private static final MethodHandle ENTER = Libc.downcall("syscall",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1));
    private static final MethodHandle REGISTER = Libc.downcall("syscall",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
        Linker.Option.firstVariadicArg(1));

    private IoUringAbi() {
    }

    /** {@code io_uring_setup(entries, params)}: the ring fd, or {@code -errno}. */
    static int setup(int entries, MemorySegment params) {
        MemorySegment state = Libc.callState();
        long rc;
        try {
            rc = (long) SETUP.invokeExact(state, NR_SETUP, (long) entries, params);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : (int) rc;
    }

    /** {@code io_uring_enter(fd, toSubmit, minComplete, flags, arg, argSize)}: the count submitted, or {@code -errno}. */
    static int enter(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        MemorySegment state = Libc.callState();
        long rc;
        try {
            rc = (long) ENTER.invokeExact(state, NR_ENTER, (long) fd, (long) toSubmit, (long) minComplete,
                (long) flags, arg, argSize);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : (int) rc;
    }

    /** {@code io_uring_register(fd, opcode, arg, count)}: 0 (or a count), or {@code -errno}. */
    static int register(int fd, int opcode, MemorySegment arg, int count) {
        MemorySegment state = Libc.callState();
        long rc;
        try {
            rc = (long) REGISTER.invokeExact(state, NR_REGISTER, (long) fd, (long) opcode, arg, (long) count);
        } catch (Throwable t) {
            throw Libc.unchecked(t);
        }
        return rc < 0 ? -Libc.errno(state) : (int) rc;
    }
}
