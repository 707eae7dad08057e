package io.qgate.ffm.linux;

import static io.qgate.ffm.linux.IoUringAbi.CQE_FLAGS;
import static io.qgate.ffm.linux.IoUringAbi.CQE_RES;
import static io.qgate.ffm.linux.IoUringAbi.CQE_SIZE;
import static io.qgate.ffm.linux.IoUringAbi.CQE_USER_DATA;
import static io.qgate.ffm.linux.IoUringAbi.SQE_ADDR;
import static io.qgate.ffm.linux.IoUringAbi.SQE_ADDR3;
import static io.qgate.ffm.linux.IoUringAbi.SQE_BUF_INDEX;
import static io.qgate.ffm.linux.IoUringAbi.SQE_FD;
import static io.qgate.ffm.linux.IoUringAbi.SQE_FILE_INDEX;
import static io.qgate.ffm.linux.IoUringAbi.SQE_FLAGS;
import static io.qgate.ffm.linux.IoUringAbi.SQE_IOPRIO;
import static io.qgate.ffm.linux.IoUringAbi.SQE_LEN;
import static io.qgate.ffm.linux.IoUringAbi.SQE_OFF;
import static io.qgate.ffm.linux.IoUringAbi.SQE_OPCODE;
import static io.qgate.ffm.linux.IoUringAbi.SQE_OP_FLAGS;
import static io.qgate.ffm.linux.IoUringAbi.SQE_PAD;
import static io.qgate.ffm.linux.IoUringAbi.SQE_PERSONALITY;
import static io.qgate.ffm.linux.IoUringAbi.SQE_SIZE;
import static io.qgate.ffm.linux.IoUringAbi.SQE_USER_DATA;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One io_uring instance driven by raw system calls over its mmap'd rings: prepare requests into
 * the submission queue (SQ) without allocating, hand them to the kernel in one
 * {@code io_uring_enter}, and drain the completion queue (CQ).
 *
 * <pre>{@code
 *   try (IoUring ring = IoUring.open(256)) {
 *       ring.recvmsg(socket, msghdr, 0, slot);      // false: the SQ is full, submit first
 *       ring.submitAndWait(1);                       // < 0: -errno, see below
 *       ring.drain(handler);                         // handler.complete(userData, result, flags)
 *   }
 * }</pre>
 *
 * <h2>Threads</h2>
 * <ol>
 *   <li>One owner thread calls every method except the static ones: it is the only producer of
 *       SQ entries and the only consumer of CQ entries, so the rings need no lock. Nothing checks
 *       this; two threads preparing at once corrupt the SQ.</li>
 *   <li>The ring may be opened on one thread and handed to its owner with a happens-before edge
 *       (thread start, a volatile write); the owner also closes it.</li>
 *   <li>Another thread wakes an owner blocked in {@link #submitAndWait(int, long)} through an
 *       {@link IoUringWaker}, never by touching the ring.</li>
 * </ol>
 *
 * <h2>Memory ordering with the kernel</h2>
 * The kernel is the other party on each ring (the {@code io_uring_enter} caller's context, or
 * worker threads and interrupt context completing requests), so the head and tail words are
 * accessed with acquire/release var handles, as the kernel does on its side:
 * <ol>
 *   <li>SQ tail: written by us with a release store after the SQE fields and SQ array are
 *       written, so a kernel that reads the tail sees complete entries.</li>
 *   <li>SQ head: written by the kernel once it has consumed entries; read by us with an acquire
 *       load before reusing a slot, so the kernel has finished reading the old entry.</li>
 *   <li>CQ tail: written by the kernel after it fills a CQE; read by us with an acquire load, so
 *       the entries up to it are visible.</li>
 *   <li>CQ head: written by us with a release store after the entries before it were read, so
 *       the kernel never overwrites an entry we are still reading.</li>
 * </ol>
 *
 * <h2>Buffers</h2>
 * A buffer, {@code msghdr}, its iovecs and address handed to a request belong to the kernel from
 * {@link #submit} until that request's completion is drained: keep them alive and unchanged.
 *
 * <h2>Errors</h2>
 * Preparing never fails except by returning {@code false} when the SQ is full. The submit calls
 * return {@code -errno} rather than throwing so the I/O loop decides: {@code -EINTR} (a signal
 * arrived while waiting): call again; {@code -EAGAIN} or {@code -EBUSY} (the kernel is short of
 * request memory, or completions are backing up): drain, then submit again. A request's own
 * failure arrives as a negative {@code result} in its completion.
 *
 * <p>Source of the kernel interface: {@code include/uapi/linux/io_uring.h}, see {@link IoUringAbi}.
 */
public final class IoUring implements AutoCloseable {
    /** The largest submission queue this class opens; the kernel allows more, qgate needs less. */
    public static final int MAX_ENTRIES = 4096;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Offset -1 means "the file's current position" ({@code IORING_FEAT_RW_CUR_POS}), which pipes and sockets need. */
    private static final long CURRENT_POSITION = -1L;

    private final int ringFd;
    private final RingMappings mappings;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqesOffset;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    private final int cqEntries;
    private final MemorySegment waitArgument;
    private final MemorySegment waitTimeout;
    private final RegisteredBuffers registered;

    /** The next SQ index to fill; entries between the published tail and this are prepared, not yet submitted. */
    private int sqPrepared;
    /** Our copy of the CQ head: only we write it. */
    private int cqHead;
    private boolean closed;

    private IoUring(int ringFd, RingMappings mappings, MemorySegment params) {
        this.ringFd = ringFd;
        this.mappings = mappings;
        this.sqRing = mappings.sqRing();
        this.cqRing = mappings.cqRing();
        this.sqes = mappings.sqes();
        long sq = IoUringAbi.PARAMS_SQ_OFF;
        long cq = IoUringAbi.PARAMS_CQ_OFF;
        this.sqHeadOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, sq + IoUringAbi.SQ_OFF_HEAD));
        this.sqTailOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, sq + IoUringAbi.SQ_OFF_TAIL));
        this.sqFlagsOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, sq + IoUringAbi.SQ_OFF_FLAGS));
        this.cqHeadOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, cq + IoUringAbi.CQ_OFF_HEAD));
        this.cqTailOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, cq + IoUringAbi.CQ_OFF_TAIL));
        this.cqesOffset = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, cq + IoUringAbi.CQ_OFF_CQES));
        this.sqMask = sqRing.get(ValueLayout.JAVA_INT,
            Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, sq + IoUringAbi.SQ_OFF_RING_MASK)));
        this.cqMask = cqRing.get(ValueLayout.JAVA_INT,
            Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, cq + IoUringAbi.CQ_OFF_RING_MASK)));
        this.sqEntries = params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_SQ_ENTRIES);
        this.cqEntries = params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_CQ_ENTRIES);
        this.sqPrepared = (int) INT.getAcquire(sqRing, sqTailOffset);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadOffset);
        this.waitArgument = mappings.arena().allocate(IoUringAbi.GETEVENTS_ARG_SIZE, 8);
        this.waitTimeout = mappings.arena().allocate(IoUringAbi.TIMESPEC_SIZE, 8);
        waitArgument.set(ValueLayout.JAVA_LONG, IoUringAbi.GETEVENTS_ARG_TS, waitTimeout.address());
        this.registered = new RegisteredBuffers(ringFd);

        // SQ array slot i always names SQE i, so the SQE to fill is simply tail & mask.
        long array = Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, sq + IoUringAbi.SQ_OFF_ARRAY));
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(ValueLayout.JAVA_INT, array + 4L * i, i);
        }
    }

    /**
     * Opens a ring with {@code entries} submission slots (and twice as many completion slots, the
     * kernel's default).
     *
     * @throws IllegalArgumentException     if {@code entries} is not a power of two from 1 to {@link #MAX_ENTRIES}
     * @throws IoUringUnavailableException  if this kernel or its configuration does not allow io_uring
     * @throws LinuxException               for any other failure (out of memory, too many open files)
     */
    public static IoUring open(int entries) {
        if (entries < 1 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException(
                "io_uring entries must be a power of two from 1 to " + MAX_ENTRIES + ", was " + entries);
        }
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment params = setup.allocate(IoUringAbi.PARAMS_SIZE, 8);
            int fd = IoUringAbi.setup(entries, params);
            if (fd < 0) {
                int errno = -fd;
                LinuxException failure = new LinuxException("io_uring_setup", errno, entries + " entries");
                if (errno == Errno.EPERM || errno == Errno.ENOSYS || errno == Errno.EACCES) {
                    throw new IoUringUnavailableException(setupRefused(errno, readSetting(IO_URING_DISABLED)), failure);
                }
                throw failure;
            }
            RingMappings mappings = null;
            try {
                int features = params.get(ValueLayout.JAVA_INT, IoUringAbi.PARAMS_FEATURES);
                if ((features & IoUringAbi.FEAT_EXT_ARG) == 0 || (features & IoUringAbi.FEAT_NODROP) == 0) {
                    throw new IoUringUnavailableException("this kernel (" + System.getProperty("os.version")
                        + ") is older than 5.11 and lacks IORING_FEAT_EXT_ARG (waiting with a timeout); "
                        + "upgrade the kernel or use the batched system-call backend", null);
                }
                mappings = RingMappings.map(fd, params, features);
                return new IoUring(fd, mappings, params);
            } catch (RuntimeException | Error e) {
                if (mappings != null) {
                    mappings.close();
                }
                Fd.close(fd);
                throw e;
            }
        }
    }

    /** True if {@link #open} works here; probed once, by opening and closing a small ring. */
    public static boolean available() {
        return Probe.REASON.isEmpty();
    }

    /** Why io_uring cannot be used here (one sentence with what to do), or "" if it can. */
    public static String unavailableReason() {
        return Probe.REASON;
    }

    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            try {
                open(2).close();
                return "";
            } catch (IoUringUnavailableException e) {
                return e.reason();
            } catch (LinuxException e) {
                return e.getMessage();
            }
        }
    }

    static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");

    /**
     * Why {@code io_uring_setup} was refused with {@code errno}, given the value of
     * {@code kernel.io_uring_disabled} ({@code null} when the kernel has no such setting, before 6.6).
     */
    static String setupRefused(int errno, String disabledSetting) {
        String failed = "io_uring_setup failed with " + Errno.name(errno) + " (errno " + errno + ")";
        if ("2".equals(disabledSetting)) {
            return failed + " because kernel.io_uring_disabled is 2; set it to 0 (sysctl -w kernel.io_uring_disabled=0) "
                + "or use the batched system-call backend";
        }
        if ("1".equals(disabledSetting) && errno != Errno.ENOSYS) {
            return failed + " because kernel.io_uring_disabled is 1, which allows only CAP_SYS_ADMIN and the group in "
                + "kernel.io_uring_group; run as root, join that group, or use the batched system-call backend";
        }
        if (errno == Errno.ENOSYS) {
            return failed + ": the kernel was built without io_uring or a seccomp filter hides it; "
                + "use the batched system-call backend";
        }
        return failed + ": a seccomp filter or security policy (such as a container's default profile) forbids it; "
            + "allow io_uring_setup, io_uring_enter and io_uring_register, or use the batched system-call backend";
    }

    static String readSetting(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Submission slots (a power of two). */
    public int sqEntries() {
        return sqEntries;
    }

    /** Completion slots (twice {@link #sqEntries()}). */
    public int cqEntries() {
        return cqEntries;
    }

    /** The ring's file descriptor (for {@code IORING_OP_MSG_RING} or diagnostics; do not close it). */
    public int fd() {
        return ringFd;
    }

    /** Requests prepared since the last submit, not yet taken by the kernel. */
    public int unsubmitted() {
        return sqPrepared - (int) INT.getAcquire(sqRing, sqHeadOffset);
    }

    /** {@code IORING_OP_NOP}: completes with result 0. False if the SQ is full. */
    public boolean nop(long userData) {
        return prepare(IoUringAbi.OP_NOP, -1, 0L, 0, 0L, 0, 0, userData);
    }

    /** {@code read(fd, buffer, length)} at the file's current position. False if the SQ is full. */
    public boolean read(int fd, MemorySegment buffer, int length, long userData) {
        return readAt(fd, buffer, length, CURRENT_POSITION, userData);
    }

    /**
     * {@code read(fd, buffer, length)} that never waits ({@code RWF_NOWAIT}): when nothing is
     * there it completes at once with {@code -EAGAIN} instead of waiting for data, so a batch of
     * them takes whatever is queued in one enter. (io_uring ignores {@code O_NONBLOCK} on files
     * that support waiting, TUN among them, and would otherwise park the request until data
     * comes.) Files that cannot honour it complete with {@code -EOPNOTSUPP}. False if the SQ is full.
     */
    public boolean readNoWait(int fd, MemorySegment buffer, int length, long userData) {
        checkLength(buffer, length);
        return prepare(IoUringAbi.OP_READ, fd, buffer.address(), length, CURRENT_POSITION, IoUringAbi.RWF_NOWAIT, 0, userData);
    }

    /** {@code pread(fd, buffer, length, fileOffset)}. False if the SQ is full. */
    public boolean readAt(int fd, MemorySegment buffer, int length, long fileOffset, long userData) {
        checkLength(buffer, length);
        return prepare(IoUringAbi.OP_READ, fd, buffer.address(), length, fileOffset, 0, 0, userData);
    }

    /** {@code write(fd, buffer, length)} at the file's current position. False if the SQ is full. */
    public boolean write(int fd, MemorySegment buffer, int length, long userData) {
        return writeAt(fd, buffer, length, CURRENT_POSITION, userData);
    }

    /** {@code pwrite(fd, buffer, length, fileOffset)}. False if the SQ is full. */
    public boolean writeAt(int fd, MemorySegment buffer, int length, long fileOffset, long userData) {
        checkLength(buffer, length);
        return prepare(IoUringAbi.OP_WRITE, fd, buffer.address(), length, fileOffset, 0, 0, userData);
    }

    /** {@code recvmsg(fd, msghdr, flags)}: the result is the byte count received. False if the SQ is full. */
    public boolean recvmsg(int fd, MemorySegment msghdr, int flags, long userData) {
        checkNative(msghdr);
        return prepare(IoUringAbi.OP_RECVMSG, fd, msghdr.address(), 1, 0L, flags, 0, userData);
    }

    /** {@code sendmsg(fd, msghdr, flags)}: the result is the byte count sent. False if the SQ is full. */
    public boolean sendmsg(int fd, MemorySegment msghdr, int flags, long userData) {
        checkNative(msghdr);
        return prepare(IoUringAbi.OP_SENDMSG, fd, msghdr.address(), 1, 0L, flags, 0, userData);
    }

    /**
     * {@code recvmsg} into message {@code i} of {@code batch} (its own {@code msghdr}, buffer,
     * address and control room, reset here for a receive). When the completion arrives, pass
     * its result to {@link MessageBatch#received(int, int)}: that records the length and the GRO
     * segment size as {@code recvmmsg} would. {@code flags} as for {@code recvmsg(2)}; with
     * {@code MSG_DONTWAIT} the request completes at once with {@code -EAGAIN} when nothing waits.
     * False if the SQ is full.
     */
    public boolean recvmsg(int fd, MessageBatch batch, int i, int flags, long userData) {
        batch.prepareReceive(i);
        return prepare(IoUringAbi.OP_RECVMSG, fd, batch.vectorAddress(i), 1, 0L, flags, 0, userData);
    }

    /**
     * {@code sendmsg} of message {@code first} of {@code batch} alone ({@code count} 1, segment
     * size 0), or of messages {@code [first, first + count)} gathered into one UDP GSO send cut
     * in {@code segmentSize}-byte datagrams (every message but the last exactly that long). The
     * kernel copies the {@code msghdr} and iovecs when it takes the request
     * ({@code IORING_FEAT_SUBMIT_STABLE}); the data must stay until the completion. False if the
     * SQ is full.
     *
     * @throws IllegalArgumentException as {@link UdpSocket#sendSegmented} for a bad run
     */
    public boolean sendmsg(int fd, MessageBatch batch, int first, int count, int segmentSize, long userData) {
        if (count == 1 && segmentSize == 0) {
            batch.segmentSize(first, 0);
            batch.prepareSend(first, 1);
        } else {
            UdpSocket.checkSegmentedRun(batch, first, count, segmentSize);
            batch.prepareGather(first, count, segmentSize);
        }
        return prepare(IoUringAbi.OP_SENDMSG, fd, batch.vectorAddress(first), 1, 0L, 0, 0, userData);
    }

    /**
     * {@code IORING_OP_POLL_ADD}, one-shot: completes with the ready event mask once {@code fd}
     * has one of {@code events} ({@code POLLIN} etc. from {@code poll.h}). False if the SQ is full.
     */
    public boolean pollAdd(int fd, short events, long userData) {
        return prepare(IoUringAbi.OP_POLL_ADD, fd, 0L, 0, 0L, events & 0xFFFF, 0, userData);
    }

    /**
     * Links the request prepared last to the next one ({@code IOSQE_IO_LINK}): the next starts
     * only after this one completed, so a chain keeps its order even when a request must wait;
     * if this one fails, the rest of the chain completes with {@code -ECANCELED}.
     *
     * @throws IllegalStateException if no request was prepared since the last submit
     */
    public void linkLast() {
        if (sqPrepared == (int) INT.getAcquire(sqRing, sqTailOffset)) {
            throw new IllegalStateException("no prepared request to link: prepare one first");
        }
        long sqe = (long) ((sqPrepared - 1) & sqMask) * SQE_SIZE;
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS,
            (byte) (sqes.get(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS) | IoUringAbi.SQE_FLAG_IO_LINK));
    }

    /**
     * Registers {@code buffers} with the kernel ({@code IORING_REGISTER_BUFFERS}) so that
     * {@link #readFixed} and {@link #writeFixed} skip pinning the pages on every request. Replaces
     * nothing: call {@link #unregisterBuffers()} first to change the set. The buffers must
     * outlive the registration.
     *
     * @throws LinuxException with {@code ENOMEM} when the locked-memory limit is too low
     */
    public void registerBuffers(MemorySegment... buffers) {
        registered.register(buffers);
    }

    /** Drops the registered buffers ({@code IORING_UNREGISTER_BUFFERS}); nothing if none are registered. */
    public void unregisterBuffers() {
        registered.unregister();
    }

    /**
     * {@code IORING_OP_READ_FIXED}: like {@link #read}, into {@code buffer}, which must lie inside
     * registered buffer {@code bufferIndex}. False if the SQ is full.
     */
    public boolean readFixed(int fd, MemorySegment buffer, int length, int bufferIndex, long userData) {
        checkLength(buffer, length);
        registered.checkInside(bufferIndex, buffer.address(), length);
        return prepare(IoUringAbi.OP_READ_FIXED, fd, buffer.address(), length, CURRENT_POSITION, 0, bufferIndex, userData);
    }

    /** {@code IORING_OP_WRITE_FIXED}: like {@link #write}, from inside registered buffer {@code bufferIndex}. */
    public boolean writeFixed(int fd, MemorySegment buffer, int length, int bufferIndex, long userData) {
        checkLength(buffer, length);
        registered.checkInside(bufferIndex, buffer.address(), length);
        return prepare(IoUringAbi.OP_WRITE_FIXED, fd, buffer.address(), length, CURRENT_POSITION, 0, bufferIndex, userData);
    }

    private static void checkLength(MemorySegment buffer, int length) {
        checkNative(buffer);
        if (length < 0 || length > buffer.byteSize()) {
            throw new IllegalArgumentException("length " + length + " does not fit a buffer of " + buffer.byteSize() + " bytes");
        }
    }

    /** The kernel reads and writes by address: a heap segment has none it could use. */
    private static void checkNative(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("io_uring needs native memory, not a segment on the Java heap");
        }
    }

    /** Fills the next SQE; every field is written, so no stale value of an earlier request survives. */
    private boolean prepare(byte opcode, int fd, long address, int length, long fileOffset, int opFlags,
                            int bufferIndex, long userData) {
        int slot = sqPrepared;
        if (slot - (int) INT.getAcquire(sqRing, sqHeadOffset) >= sqEntries) {
            return false;
        }
        long sqe = (long) (slot & sqMask) * SQE_SIZE;
        MemorySegment s = sqes;
        s.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        s.set(ValueLayout.JAVA_BYTE, sqe + SQE_FLAGS, (byte) 0);
        s.set(ValueLayout.JAVA_SHORT, sqe + SQE_IOPRIO, (short) 0);
        s.set(ValueLayout.JAVA_INT, sqe + SQE_FD, fd);
        s.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, fileOffset);
        s.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, address);
        s.set(ValueLayout.JAVA_INT, sqe + SQE_LEN, length);
        s.set(ValueLayout.JAVA_INT, sqe + SQE_OP_FLAGS, opFlags);
        s.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, userData);
        s.set(ValueLayout.JAVA_SHORT, sqe + SQE_BUF_INDEX, (short) bufferIndex);
        s.set(ValueLayout.JAVA_SHORT, sqe + SQE_PERSONALITY, (short) 0);
        s.set(ValueLayout.JAVA_INT, sqe + SQE_FILE_INDEX, 0);
        s.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR3, 0L);
        s.set(ValueLayout.JAVA_LONG, sqe + SQE_PAD, 0L);
        sqPrepared = slot + 1;
        return true;
    }

    /**
     * Hands every prepared request to the kernel in one {@code io_uring_enter}, without waiting.
     * Makes no system call when nothing is prepared.
     *
     * @return the number of requests the kernel took, or {@code -errno} (see the class comment)
     */
    public int submit() {
        int toSubmit = publish();
        if (toSubmit == 0) {
            return 0;
        }
        return IoUringAbi.enter(ringFd, toSubmit, 0, 0, MemorySegment.NULL, 0L);
    }

    /**
     * Submits every prepared request and blocks until at least {@code minComplete} completions
     * are in the CQ ({@code IORING_ENTER_GETEVENTS}). With 0 it does not block but still flushes
     * completions the kernel held back while the CQ was full.
     *
     * @return the number of requests the kernel took, or {@code -errno}: {@code -EINTR} when a
     *         signal interrupted the wait
     */
    public int submitAndWait(int minComplete) {
        checkMinComplete(minComplete);
        return IoUringAbi.enter(ringFd, publish(), minComplete, IoUringAbi.ENTER_GETEVENTS, MemorySegment.NULL, 0L);
    }

    /**
     * Like {@link #submitAndWait(int)} but returns after {@code timeoutNanos} at the latest
     * ({@code IORING_ENTER_EXT_ARG}), so an I/O loop can look at a shutdown flag. Drain after it
     * returns in every case.
     *
     * @return the number of requests the kernel took; {@code -ETIME} when the time ran out with
     *         fewer than {@code minComplete} completions and nothing was submitted; or another
     *         {@code -errno}
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        checkMinComplete(minComplete);
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeoutNanos + " ns");
        }
        waitTimeout.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
        waitTimeout.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % NANOS_PER_SECOND);
        return IoUringAbi.enter(ringFd, publish(), minComplete,
            IoUringAbi.ENTER_GETEVENTS | IoUringAbi.ENTER_EXT_ARG, waitArgument, IoUringAbi.GETEVENTS_ARG_SIZE);
    }

    private static void checkMinComplete(int minComplete) {
        if (minComplete < 0) {
            throw new IllegalArgumentException("minComplete must not be negative, was " + minComplete);
        }
    }

    /** Publishes the prepared SQEs (release store of the SQ tail) and returns how many the kernel has not taken yet. */
    private int publish() {
        int tail = sqPrepared;
        INT.setRelease(sqRing, sqTailOffset, tail);
        return tail - (int) INT.getAcquire(sqRing, sqHeadOffset);
    }

    /**
     * Calls {@code handler} for every completion in the CQ, oldest first, and frees their slots.
     * A handler may prepare new requests. If it throws, the completions it was already given stay
     * consumed and the rest stay in the ring.
     *
     * @return the number of completions handled
     */
    public int drain(CompletionHandler handler) {
        int start = cqHead;
        int head = start;
        int tail = (int) INT.getAcquire(cqRing, cqTailOffset);
        MemorySegment cq = cqRing;
        try {
            while (head != tail) {
                long cqe = cqesOffset + (long) (head & cqMask) * CQE_SIZE;
                long userData = cq.get(ValueLayout.JAVA_LONG, cqe + CQE_USER_DATA);
                int result = cq.get(ValueLayout.JAVA_INT, cqe + CQE_RES);
                int flags = cq.get(ValueLayout.JAVA_INT, cqe + CQE_FLAGS);
                head++;
                handler.complete(userData, result, flags);
            }
        } finally {
            cqHead = head;
            INT.setRelease(cqRing, cqHeadOffset, head);
        }
        return head - start;
    }

    /** Completions waiting in the CQ. */
    public int ready() {
        return (int) INT.getAcquire(cqRing, cqTailOffset) - cqHead;
    }

    /**
     * True when the CQ filled up and the kernel is holding completions back
     * ({@code IORING_SQ_CQ_OVERFLOW}); {@link #submitAndWait(int)} with 0 moves them into the CQ.
     */
    public boolean completionsHeldBack() {
        return ((int) INT.getAcquire(sqRing, sqFlagsOffset) & IoUringAbi.SQ_CQ_OVERFLOW) != 0;
    }

    /**
     * Unmaps the rings and closes the ring fd; the kernel cancels requests still in flight.
     * Idempotent. After it, any use of the ring throws {@link IllegalStateException} instead of
     * touching unmapped memory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mappings.close();
        } finally {
            Fd.close(ringFd);
        }
    }
}
