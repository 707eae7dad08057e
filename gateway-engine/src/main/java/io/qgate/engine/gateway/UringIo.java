package io.qgate.engine.gateway;

import io.qgate.ffm.linux.CompletionHandler;
import io.qgate.ffm.linux.Errno;
import io.qgate.ffm.linux.Fd;
import io.qgate.ffm.linux.IoUring;
import io.qgate.ffm.linux.MessageBatch;
import io.qgate.ffm.linux.UdpSocket;
import io.qgate.ring.PacketBatch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The io_uring backend ({@code io = "io_uring"}): each I/O thread has its own ring, and a batch's
 * requests go to the kernel in one {@code io_uring_enter}.
 * <ul>
 *   <li>TUN reads: up to a batch of {@code RWF_NOWAIT} reads per enter; those that find nothing
 *       complete at once with {@code EAGAIN}. The number asked for follows what the last batch
 *       got (at least {@link #MIN_REQUESTS}), so an idle-ish device costs few empty reads.</li>
 *   <li>UDP receives: the same with {@code recvmsg(MSG_DONTWAIT)}, one per message, GRO included.</li>
 *   <li>Waiting: one-shot polls on the fd and on the gateway's stop eventfd.</li>
 *   <li>TUN writes: queued, submitted together at {@link #flush}.</li>
 *   <li>UDP sends: {@code sendmsg} per datagram or per GSO run, linked into one chain so they leave
 *       in order even when one must wait for socket room (io_uring then parks it until writable,
 *       and the chain behind it waits too). A failed link cancels the rest of the chain: those are
 *       sent again in a new chain; the failed one is counted.</li>
 * </ul>
 * Completions name their request in the user data: the kind in the high 32 bits, the slot or
 * request number in the low. One thread's instance, see {@link PacketIo}.
 */
final class UringIo implements PacketIo {
    /** Submission slots: a batch of 64 requests plus the two polls fit with room to spare. */
    static final int ENTRIES = 256;
    /** Fewest reads or receives asked for in one enter. */
    static final int MIN_REQUESTS = 8;
    /** Most sends in one chain: the submission queue less room for the two polls. */
    static final int MAX_CHAIN = ENTRIES - 2;
    /** {@code MSG_DONTWAIT} ({@code bits/socket.h}). */
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SEND_ATTEMPTS = 8;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A result slot no completion has filled yet. */
    private static final int PENDING = Integer.MIN_VALUE;

    private static final int READ = 1;
    private static final int RECEIVE = 2;
    private static final int WRITE = 3;
    private static final int SEND = 4;
    private static final int POLL = 5;
    private static final int POLL_STOP = 6;

    private final Host host;
    private final IoUring ring;
    private final CompletionHandler handler = this::complete;

    /** Per read or receive slot: its result, {@link #PENDING} until its completion came. */
    private final int[] results = new int[ENTRIES];
    private int resultsDue;
    private int lastReads = MIN_REQUESTS;
    private int lastReceives = MIN_REQUESTS;
    private boolean pollArmed;
    private boolean stopPollArmed;

    /** Queued sends: the messages, first index, count and GSO size (0 for one datagram) of each. */
    private MessageBatch sendMessages;
    private UdpSocket sendSocket;
    private int[] sendFirst = new int[MAX_CHAIN];
    private int[] sendCount = new int[MAX_CHAIN];
    private int[] sendSize = new int[MAX_CHAIN];
    private final int[] sendResult = new int[MAX_CHAIN];
    /** The next chain's sends while the current one's results are read; swapped with the above. */
    private int[] retryFirst = new int[MAX_CHAIN];
    private int[] retryCount = new int[MAX_CHAIN];
    private int[] retrySize = new int[MAX_CHAIN];
    private int sends;
    private int writesInFlight;
    private boolean gso = true;
    private int done;

    UringIo(Host host) {
        this.host = host;
        this.ring = IoUring.open(ENTRIES); // throws, naming why, where io_uring is unavailable
    }

    private static long tag(int kind, int index) {
        return ((long) kind << 32) | index;
    }

    private void complete(long userData, int result, int flags) {
        int kind = (int) (userData >>> 32);
        int index = (int) userData;
        switch (kind) {
            case READ, RECEIVE -> {
                results[index] = result;
                resultsDue--;
            }
            case WRITE -> {
                writesInFlight--;
                if (result > 0) {
                    done++;
                } else if (result < 0) {
                    host.ioError("io_uring write(tun)", -result);
                }
            }
            case SEND -> sendResult[index] = result;
            case POLL -> pollArmed = false;
            case POLL_STOP -> stopPollArmed = false;
            default -> throw new IllegalStateException("a completion with unknown user data " + Long.toHexString(userData));
        }
    }

    /** Submits what is prepared and drains until {@link #resultsDue} is 0 (or the gateway stops). */
    private void awaitResults() {
        while (resultsDue > 0 && enter()) {
            // each enter hands over what is prepared and takes the completions that came
        }
    }

    /**
     * One {@code io_uring_enter}: submits what is prepared, waits (at most {@link #WAIT_NANOS})
     * for a completion, and drains the CQ. Errors the loop simply retries after ({@code EINTR},
     * {@code EAGAIN}/{@code EBUSY}: short of memory or a full CQ, the time running out) are not
     * counted.
     *
     * @return false when the time ran out and the gateway is stopping: the caller gives up waiting
     */
    private boolean enter() {
        int rc = ring.submitAndWait(1, WAIT_NANOS);
        if (rc < 0 && rc != -Errno.ETIME && rc != -Errno.EINTR && rc != -Errno.EAGAIN && rc != -Errno.EBUSY) {
            host.ioError("io_uring_enter", -rc);
        }
        ring.drain(handler);
        return rc != -Errno.ETIME || host.running();
    }

    /** How many reads or receives to ask for: twice what the last call got, within [{@link #MIN_REQUESTS}, max]. */
    private static int requests(int last, int max) {
        int most = Math.min(max, MAX_CHAIN);
        return Math.clamp(2L * last, Math.min(MIN_REQUESTS, most), most);
    }

    @Override
    public int readTun(int fd, Frames frames, PacketBatch batch, int max, int maxPacket) {
        int n = 0;
        int want = requests(lastReads, max);
        while (n < max) {
            int k = Math.min(want, max - n);
            for (int j = n; j < n + k; j++) {
                results[j] = PENDING;
                ring.readNoWait(fd, frames.inner(j), maxPacket, tag(READ, j));
            }
            resultsDue = k;
            awaitResults();
            int got = 0;
            for (int j = n; j < n + k; j++) {
                int r = results[j];
                if (r > 0) {
                    int to = n + got++;
                    if (to != j) { // a read found a packet after an earlier one found none: close the gap
                        MemorySegment.copy(frames.inner(j), 0, frames.inner(to), 0, r);
                    }
                    batch.length(to, r);
                } else if (r < 0 && r != -Errno.EAGAIN && r != PENDING) {
                    host.ioError("io_uring read(tun)", -r);
                }
            }
            n += got;
            if (got < k) {
                break;
            }
            want = Math.min(2 * k, max);
        }
        lastReads = n;
        return n;
    }

    @Override
    public int receive(UdpSocket socket, MessageBatch messages) {
        int k = requests(lastReceives, messages.capacity());
        for (int j = 0; j < k; j++) {
            results[j] = PENDING;
            ring.recvmsg(socket.fd(), messages, j, MSG_DONTWAIT, tag(RECEIVE, j));
        }
        resultsDue = k;
        awaitResults();
        int n = 0;
        for (int j = 0; j < k; j++) {
            int r = results[j];
            if (r >= 0 && r != PENDING) {
                messages.received(j, r);
                if (j != n) { // a datagram after an empty receive: close the gap
                    messages.move(j, n);
                }
                n++;
            } else if (r != -Errno.EAGAIN && r != PENDING) {
                host.ioError("io_uring recvmsg", -r);
            }
        }
        lastReceives = n;
        return n;
    }

    @Override
    public void awaitReadable(int fd) {
        if (!pollArmed) {
            pollArmed = ring.pollAdd(fd, Fd.POLLIN, tag(POLL, 0));
        }
        if (!stopPollArmed) {
            stopPollArmed = ring.pollAdd(host.stopFd(), Fd.POLLIN, tag(POLL_STOP, 0));
        }
        enter();
    }

    @Override
    public void writeTun(int fd, MemorySegment packet, int length) {
        while (!ring.write(fd, packet, length, tag(WRITE, 0))) {
            finishQueued(); // the submission queue is full: complete what is queued first
        }
        writesInFlight++;
    }

    @Override
    public void send(UdpSocket socket, MessageBatch messages, int first, int count) {
        for (int i = first; i < first + count; i++) {
            queueSend(socket, messages, i, 1, 0);
        }
    }

    @Override
    public void sendSegmented(UdpSocket socket, MessageBatch messages, int first, int count, int size) {
        queueSend(socket, messages, first, count, size);
    }

    private void queueSend(UdpSocket socket, MessageBatch messages, int first, int count, int size) {
        if (sends == MAX_CHAIN || (sendMessages != null && sendMessages != messages)) {
            finishQueued();
        }
        sendSocket = socket;
        sendMessages = messages;
        sendFirst[sends] = first;
        sendCount[sends] = count;
        sendSize[sends] = size;
        prepareSend(sends++);
    }

    /** Prepares send {@code r}, linked behind the send prepared just before it in this chain. */
    private void prepareSend(int r) {
        if (r > 0) {
            ring.linkLast(); // the previous send, prepared last on this thread
        }
        sendResult[r] = PENDING;
        ring.sendmsg(sendSocket.fd(), sendMessages, sendFirst[r], sendCount[r], sendSize[r], tag(SEND, r));
    }

    @Override
    public boolean gso() {
        return gso;
    }

    @Override
    public int flush() {
        finishQueued();
        int n = done;
        done = 0;
        return n;
    }

    /**
     * Completes every queued write and send, counting them in {@link #done}. Sends cancelled
     * behind a failed link, or refused for want of room, go again in a new chain (at most
     * {@link #SEND_ATTEMPTS} rounds); a GSO run the route refuses goes again as single datagrams.
     */
    private void finishQueued() {
        for (int attempt = 0; attempt < SEND_ATTEMPTS && (sends > 0 || writesInFlight > 0); attempt++) {
            completeAll();
            int again = 0;
            for (int r = 0; r < sends; r++) {
                int result = sendResult[r];
                if (result >= 0) {
                    done += sendCount[r];
                } else if (result == -Errno.ECANCELED || result == -Errno.EAGAIN || result == -Errno.EINTR
                        || result == -Errno.ENOBUFS) {
                    again = retry(again, sendFirst[r], sendCount[r], sendSize[r]);
                } else if (sendSize[r] > 0 && PacketIo.refusesGso(-result)) {
                    gso = false;
                    PacketIo.logGsoOff(host, -result);
                    for (int i = sendFirst[r]; i < sendFirst[r] + sendCount[r]; i++) {
                        again = retry(again, i, 1, 0);
                    }
                } else if (result != PENDING) {
                    host.ioError(sendSize[r] > 0 ? "io_uring sendmsg(UDP_SEGMENT)" : "io_uring sendmsg", -result);
                }
            }
            int[] swap = sendFirst;
            sendFirst = retryFirst;
            retryFirst = swap;
            swap = sendCount;
            sendCount = retryCount;
            retryCount = swap;
            swap = sendSize;
            sendSize = retrySize;
            retrySize = swap;
            sends = again;
            for (int r = 0; r < sends; r++) {
                prepareSend(r);
            }
        }
        if (sends > 0) {
            host.ioError("io_uring sendmsg", Errno.EAGAIN); // still refused after every round: lost
        }
        sends = 0;
        sendMessages = null;
    }

    /** Puts a send in place {@code at} of the next chain; returns the next place (the overflow is counted as lost). */
    private int retry(int at, int first, int count, int size) {
        if (at == MAX_CHAIN) {
            host.ioError("io_uring sendmsg", Errno.ENOBUFS);
            return at;
        }
        retryFirst[at] = first;
        retryCount[at] = count;
        retrySize[at] = size;
        return at + 1;
    }

    /** Submits and drains until every queued write and send has completed (or the gateway stops). */
    private void completeAll() {
        for (int guard = 0; guard < 1_000 && (writesInFlight > 0 || sendsPending()) && enter(); guard++) {
            // each enter hands over what is prepared and takes the completions that came
        }
    }

    private boolean sendsPending() {
        for (int r = sends - 1; r >= 0; r--) {
            if (sendResult[r] == PENDING) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        ring.close();
    }
}
