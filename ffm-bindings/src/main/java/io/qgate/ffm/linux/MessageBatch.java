package io.qgate.ffm.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A preallocated batch of UDP messages for one {@code recvmmsg} or {@code sendmmsg}
 * ({@link UdpSocket#receive}, {@link UdpSocket#send}).
 *
 * <p>One {@link Arena} holds, per message: a data buffer of {@link #bufferBytes()} bytes, its
 * {@code struct mmsghdr}, one {@code struct iovec}, a {@code sockaddr} storage of
 * {@link Sockaddr#IN6_BYTES} bytes and a control-message buffer. Nothing is allocated after
 * construction: every accessor returns a value or a segment made at construction.
 *
 * <p><b>Message i</b> consists of:
 * <ul>
 *   <li>its data: {@link #length(int)} bytes of {@link #buffer(int)} starting at
 *       {@link #bufferOffset(int)}. The offset (0 by default) lets a caller keep headroom before the
 *       datagram, for example to prepend a header in place later: receiving writes the datagram at
 *       the offset, sending sends from the offset. The offset stays until it is set again.</li>
 *   <li>its peer: {@link #address(int)} is the source after a receive; set the destination with
 *       {@link #address(int, MemorySegment)} before a send (a received source stays valid as the
 *       destination of a reply).</li>
 *   <li>its segment size ({@link #segmentSize(int)}, 0 = none): after a receive with GRO, the size of
 *       every datagram coalesced into the buffer but the last, which may be shorter; before a send
 *       with GSO, the size to cut the data into (one {@code UDP_SEGMENT} control message).</li>
 * </ul>
 * For GRO and GSO make {@code bufferBytes} at least {@link #MAX_UDP_PAYLOAD} plus the headroom:
 * a coalesced receive is up to 64 KiB, and a shorter buffer truncates it.
 *
 * <p><b>Threads.</b> A batch is not thread-safe: one thread at a time fills, sends or receives
 * with it; handing it to another thread needs a happens-before edge (a ring hand-off gives one).
 * The arena is shared so that the batch may be made on one thread and used on another. Closing it
 * while a call uses it is the caller's bug.
 */
public final class MessageBatch implements AutoCloseable {
    /** The largest UDP payload (65535 minus the 8-byte UDP header): the size of a GRO buffer. */
    public static final int MAX_UDP_PAYLOAD = 65_527;

    // struct msghdr on LP64 Linux (<bits/socket.h>), then msg_len of struct mmsghdr (<sys/socket.h>).
    static final long MMSGHDR_BYTES = 64;
    private static final long MSG_NAME = 0;
    private static final long MSG_NAMELEN = 8;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    private static final long MSG_LEN = 56;
    // struct iovec (<bits/types/struct_iovec.h>).
    private static final long IOVEC_BYTES = 16;
    private static final long IOV_BASE = 0;
    private static final long IOV_LEN = 8;
    // struct cmsghdr (<bits/socket.h>): size_t cmsg_len, int level, int type, data aligned to 8.
    private static final long CMSG_LEN = 0;
    private static final long CMSG_LEVEL = 8;
    private static final long CMSG_TYPE = 12;
    private static final long CMSG_DATA = 16;
    /** {@code CMSG_LEN(sizeof(uint16_t))}: the UDP_SEGMENT control message. */
    private static final long CMSG_LEN_U16 = CMSG_DATA + 2;
    /** {@code CMSG_SPACE(sizeof(uint16_t))}. */
    private static final long CMSG_SPACE_U16 = CMSG_DATA + 8;
    /** Room for the UDP_GRO message plus one more of any small kind the kernel may add. */
    private static final long CONTROL_BYTES = 64;
    private static final long ADDRESS_STRIDE = 32;
    /** {@code SOL_UDP} ({@code linux/socket.h}; equals IPPROTO_UDP). */
    static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT} ({@code linux/udp.h}): the GSO segment size, u16, on send. */
    static final int UDP_SEGMENT = 103;
    /** {@code UDP_GRO} ({@code linux/udp.h}): the GRO segment size, int, on receive. */
    static final int UDP_GRO = 104;
    /** {@code MSG_TRUNC} ({@code bits/socket.h}): in msg_flags, the datagram did not fit. */
    private static final int MSG_TRUNC = 0x20;
    private static final long BUFFER_ALIGNMENT = 64;

    private final Arena arena;
    private final int capacity;
    private final int bufferBytes;
    private final MemorySegment vector;
    private final MemorySegment iovecs;
    private final MemorySegment control;
    private final MemorySegment[] buffers;
    private final MemorySegment[] addresses;
    private final long[] bufferAddresses;
    private final int[] offsets;
    private final int[] segmentSizes;

    /**
     * A batch of {@code capacity} messages with {@code bufferBytes} of data room each.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in [1, 1024] or
     *     {@code bufferBytes} is not in [1, 1 MiB]
     */
    public MessageBatch(int capacity, int bufferBytes) {
        this(capacity, bufferBytes, null);
    }

    /**
     * A batch whose message {@code i} uses {@code buffers[i]} as its data buffer instead of one of
     * its own: for a caller whose packets already sit in off-heap slots (a ring batch), so that
     * {@code recvmmsg} and {@code sendmmsg} work on the slots in place. The buffers must be native,
     * all of one size, and outlive the batch; the batch does not free them.
     *
     * @throws IllegalArgumentException if there are not 1 to 1024 buffers, or one is on-heap or of another size
     */
    public static MessageBatch over(MemorySegment[] buffers) {
        if (buffers.length < 1) {
            throw new IllegalArgumentException("a message batch holds 1 to 1024 messages, not " + buffers.length);
        }
        long size = buffers[0].byteSize();
        for (MemorySegment b : buffers) {
            if (!b.isNative() || b.byteSize() != size) {
                throw new IllegalArgumentException("every buffer must be native memory of " + size + " bytes");
            }
        }
        if (size > 1 << 20) {
            throw new IllegalArgumentException("a message buffer holds 1 byte to 1 MiB, not " + size);
        }
        return new MessageBatch(buffers.length, (int) size, buffers.clone());
    }

    private MessageBatch(int capacity, int bufferBytes, MemorySegment[] external) {
        // UIO_MAXIOV (1024) bounds the vector length of one recvmmsg/sendmmsg call.
        if (capacity < 1 || capacity > 1024) {
            throw new IllegalArgumentException("a message batch holds 1 to 1024 messages, not " + capacity);
        }
        if (bufferBytes < 1 || bufferBytes > 1 << 20) {
            throw new IllegalArgumentException("a message buffer holds 1 byte to 1 MiB, not " + bufferBytes);
        }
        this.capacity = capacity;
        this.bufferBytes = bufferBytes;
        this.arena = Arena.ofShared();
        try {
            vector = arena.allocate(MMSGHDR_BYTES * capacity, 8);
            iovecs = arena.allocate(IOVEC_BYTES * capacity, 8);
            control = arena.allocate(CONTROL_BYTES * capacity, 8);
            MemorySegment names = arena.allocate(ADDRESS_STRIDE * capacity, 8);
            long stride = (bufferBytes + BUFFER_ALIGNMENT - 1) & -BUFFER_ALIGNMENT;
            MemorySegment data = external != null ? null : arena.allocate(stride * capacity, BUFFER_ALIGNMENT);
            buffers = new MemorySegment[capacity];
            addresses = new MemorySegment[capacity];
            bufferAddresses = new long[capacity];
            offsets = new int[capacity];
            segmentSizes = new int[capacity];
            for (int i = 0; i < capacity; i++) {
                buffers[i] = external != null ? external[i] : data.asSlice(stride * i, bufferBytes);
                bufferAddresses[i] = buffers[i].address();
                addresses[i] = names.asSlice(ADDRESS_STRIDE * i, Sockaddr.IN6_BYTES);
                long header = MMSGHDR_BYTES * i;
                long iovec = IOVEC_BYTES * i;
                vector.set(ValueLayout.JAVA_LONG, header + MSG_NAME, addresses[i].address());
                vector.set(ValueLayout.JAVA_LONG, header + MSG_IOV, iovecs.address() + iovec);
                vector.set(ValueLayout.JAVA_LONG, header + MSG_IOVLEN, 1);
                vector.set(ValueLayout.JAVA_LONG, header + MSG_CONTROL, control.address() + CONTROL_BYTES * i);
                iovecs.set(ValueLayout.JAVA_LONG, iovec + IOV_BASE, bufferAddresses[i]);
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** The number of messages. */
    public int capacity() {
        return capacity;
    }

    /** The data room of each message's buffer, in bytes. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** Message {@code i}'s whole buffer ({@link #bufferBytes()} bytes; its data starts at {@link #bufferOffset(int)}). */
    public MemorySegment buffer(int i) {
        return buffers[i];
    }

    /** Where message {@code i}'s data starts inside {@link #buffer(int)}. */
    public int bufferOffset(int i) {
        return offsets[i];
    }

    /**
     * Makes message {@code i}'s data start {@code offset} bytes into its buffer, for both receive
     * and send, until set again.
     *
     * @throws IllegalArgumentException if {@code offset} is not in [0, bufferBytes)
     */
    public void bufferOffset(int i, int offset) {
        if (offset < 0 || offset >= bufferBytes) {
            throw new IllegalArgumentException("a buffer offset lies in [0, " + bufferBytes + "), not " + offset);
        }
        offsets[i] = offset;
        iovecs.set(ValueLayout.JAVA_LONG, IOVEC_BYTES * i + IOV_BASE, bufferAddresses[i] + offset);
    }

    /** Message {@code i}'s data length: received, or to send. */
    public int length(int i) {
        return vector.get(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_LEN);
    }

    /**
     * Sets message {@code i}'s data length for the next send.
     *
     * @throws IllegalArgumentException if the data would not fit after the buffer offset
     */
    public void length(int i, int length) {
        if (length < 0 || length > bufferBytes - offsets[i]) {
            throw new IllegalArgumentException("message " + i + " holds 0 to " + (bufferBytes - offsets[i])
                + " bytes after its offset " + offsets[i] + ", not " + length);
        }
        vector.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_LEN, length);
    }

    /**
     * Message {@code i}'s sockaddr storage ({@link Sockaddr#IN6_BYTES} bytes, whatever the family):
     * the source after a receive, the destination for a send.
     */
    public MemorySegment address(int i) {
        return addresses[i];
    }

    /** The length of the sockaddr in {@link #address(int)}: 16 for IPv4, 28 for IPv6. */
    public int addressLength(int i) {
        return vector.get(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_NAMELEN);
    }

    /**
     * Copies {@code sockaddr} (a {@code sockaddr_in} or {@code sockaddr_in6}, as {@link Sockaddr}
     * makes) into message {@code i}'s address, as the destination of the next send.
     *
     * @throws IllegalArgumentException if {@code sockaddr} is neither 16 nor 28 bytes long
     */
    public void address(int i, MemorySegment sockaddr) {
        long length = sockaddr.byteSize();
        if (length != Sockaddr.IN_BYTES && length != Sockaddr.IN6_BYTES) {
            throw new IllegalArgumentException("a destination sockaddr is 16 (IPv4) or 28 (IPv6) bytes, not " + length);
        }
        MemorySegment.copy(sockaddr, 0, addresses[i], 0, length);
        vector.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_NAMELEN, (int) length);
    }

    /**
     * Whether message {@code i}'s datagram (or GRO train) was longer than the room after its
     * offset, so that only {@link #length(int)} bytes of it were kept ({@code MSG_TRUNC} after a
     * receive).
     */
    public boolean truncated(int i) {
        return (vector.get(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_FLAGS) & MSG_TRUNC) != 0;
    }

    /** Message {@code i}'s segment size: reported by GRO after a receive, or set for GSO; 0 = none. */
    public int segmentSize(int i) {
        return segmentSizes[i];
    }

    /**
     * Sets message {@code i}'s GSO segment size for the next send (0 = send the data as one
     * datagram). The kernel rejects the send if the data would make more segments than it allows
     * (64 on older kernels, 128 on newer) or a segment would exceed the path MTU.
     *
     * @throws IllegalArgumentException if {@code size} is not in [0, 65535]
     */
    public void segmentSize(int i, int size) {
        if (size < 0 || size > 0xFFFF) {
            throw new IllegalArgumentException("a UDP segment size lies in [0, 65535], not " + size);
        }
        segmentSizes[i] = size;
    }

    /** The native address of message {@code first}'s {@code struct mmsghdr}. */
    long vectorAddress(int first) {
        return vector.address() + MMSGHDR_BYTES * first;
    }

    /** Makes every message ready to receive: full room after its offset, address and control room reset. */
    void prepareReceive() {
        for (int i = 0; i < capacity; i++) {
            prepareReceive(i);
        }
    }

    /** Makes message {@code i} ready to receive (one iovec with the full room after its offset). */
    void prepareReceive(int i) {
        long header = MMSGHDR_BYTES * i;
        iovecs.set(ValueLayout.JAVA_LONG, IOVEC_BYTES * i + IOV_LEN, bufferBytes - offsets[i]);
        vector.set(ValueLayout.JAVA_LONG, header + MSG_IOVLEN, 1);
        vector.set(ValueLayout.JAVA_INT, header + MSG_NAMELEN, Sockaddr.IN6_BYTES);
        vector.set(ValueLayout.JAVA_LONG, header + MSG_CONTROLLEN, CONTROL_BYTES);
        vector.set(ValueLayout.JAVA_INT, header + MSG_FLAGS, 0);
    }

    /** Reads the GRO segment size of each of the {@code received} messages from its control messages. */
    void finishReceive(int received) {
        for (int i = 0; i < received; i++) {
            segmentSizes[i] = groSegment(i);
        }
    }

    /**
     * Records a single {@code recvmsg} into message {@code i} (an io_uring completion, whose
     * result is the byte count): its length, and the GRO segment size from its control messages.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or more than the room after the offset
     */
    public void received(int i, int bytes) {
        if (bytes < 0 || bytes > bufferBytes - offsets[i]) {
            throw new IllegalArgumentException("message " + i + " received 0 to " + (bufferBytes - offsets[i])
                + " bytes, not " + bytes);
        }
        vector.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_LEN, bytes);
        segmentSizes[i] = groSegment(i);
    }

    /** The {@code UDP_GRO} segment size among message {@code i}'s received control messages, or 0. */
    private int groSegment(int i) {
        long used = Math.min(vector.get(ValueLayout.JAVA_LONG, MMSGHDR_BYTES * i + MSG_CONTROLLEN), CONTROL_BYTES);
        long base = CONTROL_BYTES * i;
        MemorySegment c = control;
        int segment = 0;
        long at = 0;
        while (at + CMSG_DATA <= used) {
            long length = c.get(ValueLayout.JAVA_LONG, base + at + CMSG_LEN);
            if (length < CMSG_DATA || at + length > used) {
                break;
            }
            if (c.get(ValueLayout.JAVA_INT, base + at + CMSG_LEVEL) == SOL_UDP
                && c.get(ValueLayout.JAVA_INT, base + at + CMSG_TYPE) == UDP_GRO) {
                segment = c.get(ValueLayout.JAVA_INT, base + at + CMSG_DATA);
            }
            at += (length + 7) & -8L;
        }
        return segment;
    }

    /**
     * Moves received message {@code from} into message {@code to}: data (after each one's
     * offset), length, source address, flags and segment size. For closing a gap when requests
     * completed out of turn; a copy, so rare paths only.
     *
     * @throws IllegalArgumentException if the data does not fit after {@code to}'s offset
     */
    public void move(int from, int to) {
        int length = length(from);
        length(to, length);
        MemorySegment.copy(buffers[from], offsets[from], buffers[to], offsets[to], length);
        MemorySegment.copy(addresses[from], 0, addresses[to], 0, Sockaddr.IN6_BYTES);
        vector.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * to + MSG_NAMELEN, addressLength(from));
        vector.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * to + MSG_FLAGS,
            vector.get(ValueLayout.JAVA_INT, MMSGHDR_BYTES * from + MSG_FLAGS));
        segmentSizes[to] = segmentSizes[from];
    }

    /** Makes messages [first, first + count) ready to send: data length into the iovec, GSO control message or none. */
    void prepareSend(int first, int count) {
        MemorySegment v = vector;
        for (int i = first; i < first + count; i++) {
            sendLength(i);
            v.set(ValueLayout.JAVA_LONG, MMSGHDR_BYTES * i + MSG_IOVLEN, 1);
            v.set(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_FLAGS, 0);
            int segment = segmentSizes[i];
            if (segment == 0) {
                // A zero msg_controllen makes the kernel ignore msg_control entirely.
                v.set(ValueLayout.JAVA_LONG, MMSGHDR_BYTES * i + MSG_CONTROLLEN, 0);
            } else {
                segmentControl(i, segment);
            }
        }
    }

    /**
     * Makes message {@code first} carry the data of messages [first, first + count) as one
     * gathered datagram stream cut into {@code segment}-byte datagrams (GSO): its iovec array
     * becomes the {@code count} consecutive iovecs, each set to its message's length. Undone by
     * {@link #endGather(int)}.
     */
    void prepareGather(int first, int count, int segment) {
        for (int i = first; i < first + count; i++) {
            sendLength(i);
        }
        long header = MMSGHDR_BYTES * first;
        vector.set(ValueLayout.JAVA_LONG, header + MSG_IOVLEN, count);
        vector.set(ValueLayout.JAVA_INT, header + MSG_FLAGS, 0);
        segmentControl(first, segment);
    }

    /** Copies message {@code i}'s data length into its iovec, for a send. */
    private void sendLength(int i) {
        iovecs.set(ValueLayout.JAVA_LONG, IOVEC_BYTES * i + IOV_LEN, vector.get(ValueLayout.JAVA_INT, MMSGHDR_BYTES * i + MSG_LEN));
    }

    /** Gives message {@code i} one {@code UDP_SEGMENT} control message carrying {@code segment}. */
    private void segmentControl(int i, int segment) {
        long base = CONTROL_BYTES * i;
        control.set(ValueLayout.JAVA_LONG, base + CMSG_LEN, CMSG_LEN_U16);
        control.set(ValueLayout.JAVA_INT, base + CMSG_LEVEL, SOL_UDP);
        control.set(ValueLayout.JAVA_INT, base + CMSG_TYPE, UDP_SEGMENT);
        control.set(ValueLayout.JAVA_SHORT, base + CMSG_DATA, (short) segment);
        vector.set(ValueLayout.JAVA_LONG, MMSGHDR_BYTES * i + MSG_CONTROLLEN, CMSG_SPACE_U16);
    }

    /** Gives message {@code first} back its own single iovec after {@link #prepareGather}. */
    void endGather(int first) {
        vector.set(ValueLayout.JAVA_LONG, MMSGHDR_BYTES * first + MSG_IOVLEN, 1);
    }

    /** Frees every buffer; idempotent. Segments obtained from this batch become unusable. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
