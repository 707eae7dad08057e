package io.qgate.engine.session;

import io.qgate.crypto.Backend;
import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.SecretBytes;
import io.qgate.crypto.aead.AeadCipher;
import io.qgate.crypto.aead.Aeads;
import io.qgate.engine.protocol.MessageType;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one handshake yields for the data plane: both traffic directions, the send counter,
 * the replay window, and the sealing and opening of {@code DATA} and {@code CLOSE} packets
 * (section 9 of {@code docs/PROTOCOL.md}).
 *
 * <p>A datagram is the 16-byte {@link DataHeader}, the ciphertext and the 16-byte tag;
 * {@link #seal} and {@link #open} work in place, with the plaintext at offset 16. They return a
 * length, or one of the negative status constants below ({@link #describe} names them). They
 * take no locks and use no exceptions for control flow: a forged packet comes back from
 * {@link AeadCipher#openOrReject} as {@link AeadCipher#REJECTED} (with the OpenSSL backend nothing
 * is thrown or allocated for it; under the JDK backend SunJCE still builds its own
 * {@code AEADBadTagException} internally). Allocation per packet: none with the OpenSSL
 * backend while a worker reuses its packet segment; a worker handed a different segment object
 * each time makes one {@link MemorySegment#asSlice slice} of it (the
 * {@link io.qgate.crypto.aead.AeadCipher} interface takes its buffer at offset 0); the JDK
 * backend adds what the JCA allocates itself (about 1 KB).
 *
 * <h2>Workers and epochs</h2>
 * Up to {@code workers} threads seal and open at once, each under its own worker id in
 * {@code [0, workers)}. Each worker holds its own ratchet per direction (a copy of the chain
 * secret) and its own AEAD ciphers ({@link io.qgate.crypto.aead.AeadCipher} is single-threaded):
 * one for the epoch it sends in and three for the epochs it may receive in. Keys are a
 * deterministic function of the chain, so workers crossing an epoch boundary at the same time each
 * derive the same keys on their own; nothing about keys is shared between threads.
 * <ul>
 *   <li>Send: a worker takes the next counter and seals under the epoch of that counter, deriving
 *       it first if it is newer than the worker's send epoch (once per worker per 2^22 packets).</li>
 *   <li>Receive: let {@code h} be the epoch of the highest authenticated counter (0 before the
 *       first). A packet of epoch {@code h - 1}, {@code h} or {@code h + 1} is opened; one of a
 *       later epoch is dropped ({@link #EPOCH_AHEAD}), one of an earlier epoch is too old
 *       ({@link #REPLAYED}). A worker derives the keys of epoch {@code h + 1} and retires (erases)
 *       those of {@code h - 2} when it first sees {@code h} grow, which only an authenticated
 *       packet can do: forged packets never cause key derivation. A receiver that misses every
 *       packet of a whole epoch drops the rest until the next handshake replaces the keypair.</li>
 * </ul>
 *
 * <h2>Concurrency contract</h2>
 * Assumptions:
 * <ol>
 *   <li>A worker id is used by one thread at a time; handing it to another thread needs a
 *       happens-before edge (a queue, a volatile write). Overlapping calls with the same id throw
 *       {@link IllegalStateException}.</li>
 *   <li>The keypair is published to workers safely: through its final fields (it is immutable
 *       apart from the state described here), for example by {@link Keypairs}.</li>
 *   <li>{@code nowNanos} and {@code createdNanos} come from the same {@link System#nanoTime()} clock.</li>
 * </ol>
 * Guarantees:
 * <ol>
 *   <li>Counters: every successful {@link #seal} uses a different counter (one
 *       {@code getAndIncrement} on the shared counter), never above
 *       {@link Protocol#REJECT_AFTER_MESSAGES}; so no nonce repeats under a key.</li>
 *   <li>Exactly once: {@link #open} returns a length for a given counter at most once across all
 *       workers and all time, and only after the tag verified ({@link ReplayWindow} guarantee 1).
 *       A failed open changes neither the window nor anything else but the failure count, and
 *       leaves no plaintext in the datagram.</li>
 *   <li>Epochs: the window's highest counter only grows, so the epoch {@code h} a worker reads
 *       only grows too, and its receive slots only move forward; a packet is opened only with the
 *       cipher of the epoch in its header.</li>
 *   <li>Erasure: a chain is erased as soon as the next one is derived; a worker erases an
 *       epoch's cipher and IV when its slot moves on (at its next seal or open after the
 *       boundary). A worker that stays idle keeps its last keys until it runs again or until
 *       {@link #close()}.</li>
 *   <li>Close: {@link #close()} may run at any time on any thread, including inside a call (the
 *       integrity limit closes the keypair from {@link #open}). Every call that starts after it
 *       returned returns {@link #CLOSED}. An idle worker's keys are erased by {@code close()}
 *       itself; a worker in the middle of a call finishes it with its keys intact (so it never
 *       meets a closed cipher) and erases them as that call returns. This costs each call two
 *       uncontended compare-and-sets on the worker's own state word.</li>
 *   <li>Lock-free: no locks; the shared state on the packet path is the send counter (seal), the
 *       replay window (open) and the failure count (forged packets only).</li>
 * </ol>
 */
public final class Keypair implements AutoCloseable {
    /** The keypair is closed: its keys are erased. */
    public static final int CLOSED = -1;
    /** The datagram is shorter than {@link Protocol#DATA_OVERHEAD}. */
    public static final int TOO_SHORT = -2;
    /** The type byte is neither {@code DATA} nor {@code CLOSE}. */
    public static final int BAD_TYPE = -3;
    /** The version byte is not {@link Protocol#VERSION}. */
    public static final int BAD_VERSION = -4;
    /** The receiver index is not this keypair's local index. */
    public static final int WRONG_RECEIVER = -5;
    /** The counter is above {@link Protocol#REJECT_AFTER_MESSAGES}; or, sending, the counters are used up. */
    public static final int EXHAUSTED = -6;
    /** The epoch field is not {@code counter >>> 22}. */
    public static final int BAD_EPOCH = -7;
    /** The keypair is {@link Protocol#REJECT_AFTER_TIME} old or older: it seals and opens nothing. */
    public static final int EXPIRED = -8;
    /** The epoch is more than one after the highest authenticated epoch. */
    public static final int EPOCH_AHEAD = -9;
    /** The counter was accepted before, or is too old for the replay window. */
    public static final int REPLAYED = -10;
    /** The tag did not verify: forged, altered, or sealed under another key. */
    public static final int AUTH_FAILED = -11;

    /** Most workers a keypair accepts. */
    public static final int MAX_WORKERS = 1024;

    private static final int DATA = MessageType.DATA.code();
    private static final int CLOSE = MessageType.CLOSE.code();
    private static final int HEADER = DataHeader.LENGTH;

    private final Suite suite;
    private final int localIndex;
    private final int remoteIndex;
    private final long createdNanos;
    private final long integrityLimit;
    private final WorkerCiphers[] workers;
    private final AtomicLong sendCounter;
    private final AtomicLong failedOpens = new AtomicLong();
    private final ReplayWindow window = new ReplayWindow();
    private volatile boolean closed;

    /**
     * A keypair for {@code workers} threads; takes ownership of both chains (they are destroyed
     * before this returns, each worker keeping its own copy).
     *
     * @param localIndex our receiver index: peers write it into the packets they send us
     * @param remoteIndex the peer's receiver index, written into the packets we seal
     * @param sendChain {@code chain_0} of the direction we send in (32 bytes)
     * @param receiveChain {@code chain_0} of the direction we receive in (32 bytes)
     * @param createdNanos {@link System#nanoTime()} when the handshake completed
     * @param workers how many threads may seal and open at once, 1 to {@link #MAX_WORKERS}
     * @param aeadBackend the AEAD backend ({@link Backend#JDK} or {@link Backend#OPENSSL})
     * @throws IllegalArgumentException if a chain is not 32 bytes or {@code workers} is out of range
     * @throws BackendUnavailableException if {@code aeadBackend} cannot run AEAD here
     */
    public Keypair(Suite suite, int localIndex, int remoteIndex, SecretBytes sendChain, SecretBytes receiveChain,
            long createdNanos, int workers, Backend aeadBackend) {
        this(suite, localIndex, remoteIndex, sendChain, receiveChain, createdNanos, workers, aeadBackend, aeadBackend);
    }

    /**
     * As {@link #Keypair(Suite, int, int, SecretBytes, SecretBytes, long, int, Backend)}, with
     * worker 0's ciphers on {@code worker0Backend}: a gateway's control thread, which seals and
     * opens only a few packets per keypair (the acknowledgement, keepalives, the first packet on a
     * new keypair), takes the JDK's AEAD, whose ciphers cost about 2 µs to create and nothing to
     * close, instead of OpenSSL's, built for throughput (docs/PERFORMANCE.md, "Handshake").
     */
    public Keypair(Suite suite, int localIndex, int remoteIndex, SecretBytes sendChain, SecretBytes receiveChain,
            long createdNanos, int workers, Backend aeadBackend, Backend worker0Backend) {
        this(suite, localIndex, remoteIndex, sendChain, receiveChain, createdNanos, workers, aeadBackend, worker0Backend, 0,
            Protocol.INTEGRITY_LIMIT);
    }

    /**
     * For tests: the first send counter is {@code firstSendCounter} (to reach epoch boundaries and
     * the counter limit without sealing millions of packets) and the keypair closes itself after
     * {@code integrityLimit} failed opens.
     */
    Keypair(Suite suite, int localIndex, int remoteIndex, SecretBytes sendChain, SecretBytes receiveChain,
            long createdNanos, int workers, Backend aeadBackend, long firstSendCounter, long integrityLimit) {
        this(suite, localIndex, remoteIndex, sendChain, receiveChain, createdNanos, workers, aeadBackend, aeadBackend,
            firstSendCounter, integrityLimit);
    }

    private Keypair(Suite suite, int localIndex, int remoteIndex, SecretBytes sendChain, SecretBytes receiveChain,
            long createdNanos, int workers, Backend aeadBackend, Backend worker0Backend, long firstSendCounter,
            long integrityLimit) {
        Objects.requireNonNull(sendChain, "sendChain");
        Objects.requireNonNull(receiveChain, "receiveChain");
        try {
            this.suite = Objects.requireNonNull(suite, "suite");
            Objects.requireNonNull(aeadBackend, "aeadBackend");
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new IllegalArgumentException("workers must be 1 to " + MAX_WORKERS + ", not " + workers);
            }
            if (firstSendCounter < 0 || firstSendCounter > Protocol.REJECT_AFTER_MESSAGES) {
                throw new IllegalArgumentException("the first send counter must be 0 to "
                    + Protocol.REJECT_AFTER_MESSAGES + ", not " + firstSendCounter);
            }
            if (integrityLimit < 1) {
                throw new IllegalArgumentException("the integrity limit must be positive, not " + integrityLimit);
            }
            Objects.requireNonNull(worker0Backend, "worker0Backend");
            for (Backend backend : new Backend[] {aeadBackend, worker0Backend}) {
                String unavailable = Aeads.unavailableReason(backend);
                if (unavailable != null) {
                    throw new BackendUnavailableException(unavailable);
                }
            }
            for (SecretBytes chain : new SecretBytes[] {sendChain, receiveChain}) {
                if (chain.length() != TrafficKeys.CHAIN_LENGTH) {
                    throw new IllegalArgumentException("a chain secret is " + TrafficKeys.CHAIN_LENGTH
                        + " bytes, not " + chain.length());
                }
            }
            this.localIndex = localIndex;
            this.remoteIndex = remoteIndex;
            this.createdNanos = createdNanos;
            this.integrityLimit = integrityLimit;
            this.sendCounter = new AtomicLong(firstSendCounter);
            this.workers = new WorkerCiphers[workers];
            try {
                for (int w = 0; w < workers; w++) {
                    Backend backend = w == 0 ? worker0Backend : aeadBackend;
                    this.workers[w] = new WorkerCiphers(w,
                        new TrafficKeys(SecretBytes.copyOf(sendChain.bytes()), suite.aead(), backend),
                        new TrafficKeys(SecretBytes.copyOf(receiveChain.bytes()), suite.aead(), backend));
                }
            } catch (RuntimeException | Error e) {
                for (WorkerCiphers built : this.workers) {
                    if (built != null) {
                        built.retire();
                    }
                }
                throw e;
            }
        } finally {
            sendChain.destroy();
            receiveChain.destroy();
        }
    }

    /**
     * Seals {@code packet[16, 16 + plaintextLength)} in place as a {@code type} packet: takes the
     * next send counter, writes the header (the peer's receiver index, the counter's epoch) at
     * offset 0 and appends the tag.
     *
     * @param worker the calling worker's id, in {@code [0, workers)}
     * @param packet the plaintext at offset 16, with room for the 16-byte tag after it
     * @param type {@code DATA} (4) or {@code CLOSE} (7)
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the datagram length {@code 16 + plaintextLength + 16}, or {@link #EXPIRED},
     *     {@link #EXHAUSTED} or {@link #CLOSED} (nothing was written)
     * @throws IllegalArgumentException for a bad worker id, type or length, or a packet too short
     *     or read-only
     */
    public int seal(int worker, MemorySegment packet, int plaintextLength, int type, long nowNanos) {
        checkSeal(packet, plaintextLength, type);
        return enterAndSeal(worker, packet, null, plaintextLength, type, nowNanos);
    }

    /**
     * {@link #seal(int, MemorySegment, int, int, long)} for a data plane that keeps one
     * preallocated {@code body} slice per packet slot: {@code body} must be
     * {@code packet.asSlice(16)}, so no slice is made per call however many slots a worker
     * cycles through.
     */
    public int seal(int worker, MemorySegment packet, MemorySegment body, int plaintextLength, int type, long nowNanos) {
        checkSeal(packet, plaintextLength, type);
        checkBody(packet, body);
        return enterAndSeal(worker, packet, body, plaintextLength, type, nowNanos);
    }

    private static void checkSeal(MemorySegment packet, int plaintextLength, int type) {
        if (type != DATA && type != CLOSE) {
            throw new IllegalArgumentException("a data packet's type is " + DATA + " or " + CLOSE + ", not " + type);
        }
        if (plaintextLength < 0 || packet.byteSize() - Protocol.DATA_OVERHEAD < plaintextLength) {
            throw new IllegalArgumentException("a packet of " + packet.byteSize() + " bytes cannot hold "
                + plaintextLength + " bytes of plaintext and the " + Protocol.DATA_OVERHEAD + " bytes of header and tag");
        }
    }

    private static void checkOpen(MemorySegment datagram, int length) {
        if (length < 0 || length > datagram.byteSize()) {
            throw new IllegalArgumentException("length " + length + " is outside the datagram segment of "
                + datagram.byteSize() + " bytes");
        }
    }

    private static void checkBody(MemorySegment packet, MemorySegment body) {
        if (body.address() != packet.address() + HEADER || body.byteSize() != packet.byteSize() - HEADER
                || body.isNative() != packet.isNative()) {
            throw new IllegalArgumentException("body must be packet.asSlice(" + HEADER + ")");
        }
    }

    /** {@code body} null: the worker's cached slice of {@code packet}. */
    private int enterAndSeal(int worker, MemorySegment packet, MemorySegment body, int plaintextLength, int type,
            long nowNanos) {
        WorkerCiphers w = worker(worker);
        if (!w.enter()) {
            return CLOSED;
        }
        try {
            return seal(w, packet, body != null ? body : w.body(packet), plaintextLength, type, nowNanos);
        } finally {
            w.exit();
        }
    }

    private int seal(WorkerCiphers w, MemorySegment packet, MemorySegment body, int plaintextLength, int type, long nowNanos) {
        if (nowNanos - createdNanos >= Protocol.REJECT_AFTER_TIME) {
            return EXPIRED;
        }
        if (sendCounter.get() > Protocol.REJECT_AFTER_MESSAGES) {
            return EXHAUSTED; // checked first so that the counter stops growing
        }
        long counter = sendCounter.getAndIncrement();
        if (counter > Protocol.REJECT_AFTER_MESSAGES) {
            return EXHAUSTED;
        }
        int epoch = (int) (counter >>> Protocol.EPOCH_SHIFT);
        EpochCipher keys = w.sendKeys(epoch);
        w.header.type(type).version(Protocol.VERSION).epoch(epoch).receiverIndex(remoteIndex).counter(counter);
        MemorySegment.copy(w.aad, 0, packet, 0, HEADER);
        keys.nonce(counter, w.nonce);
        return HEADER + keys.cipher().seal(w.nonce, w.aad, body, plaintextLength);
    }

    /**
     * Authenticates and decrypts {@code datagram[0, length)} in place: steps 1 and 3 to 6 of the
     * receive order of section 9 (step 2, finding the keypair by receiver index, is the caller's,
     * through {@link Keypairs#lookup}). On success the plaintext is at offset 16 and the header is
     * left in place (its type says DATA or CLOSE).
     *
     * @param worker the calling worker's id, in {@code [0, workers)}
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the plaintext length (0 for a keepalive), or a negative status saying why the
     *     datagram was dropped; a dropped datagram holds no plaintext
     * @throws IllegalArgumentException for a bad worker id, a negative length or one beyond the segment
     */
    public int open(int worker, MemorySegment datagram, int length, long nowNanos) {
        checkOpen(datagram, length);
        return enterAndOpen(worker, datagram, null, length, nowNanos);
    }

    /**
     * {@link #open(int, MemorySegment, int, long)} with the caller's preallocated
     * {@code body = datagram.asSlice(16)} (see {@link #seal(int, MemorySegment, MemorySegment, int, int, long)}).
     */
    public int open(int worker, MemorySegment datagram, MemorySegment body, int length, long nowNanos) {
        checkOpen(datagram, length);
        checkBody(datagram, body);
        return enterAndOpen(worker, datagram, body, length, nowNanos);
    }

    /** {@code body} null: the worker's cached slice of {@code datagram}, if it is long enough to have one. */
    private int enterAndOpen(int worker, MemorySegment datagram, MemorySegment body, int length, long nowNanos) {
        WorkerCiphers w = worker(worker);
        if (!w.enter()) {
            return CLOSED;
        }
        try {
            if (body == null && datagram.byteSize() >= HEADER) {
                body = w.body(datagram);
            }
            return open(w, datagram, body, length, nowNanos);
        } finally {
            w.exit();
        }
    }

    /** {@code body} may be null only when the datagram is too short to have one. */
    private int open(WorkerCiphers w, MemorySegment datagram, MemorySegment body, int length, long nowNanos) {
        if (length < Protocol.DATA_OVERHEAD) {
            return TOO_SHORT;
        }
        MemorySegment.copy(datagram, 0, w.aad, 0, HEADER);
        DataHeader header = w.header;
        int type = header.type();
        if (type != DATA && type != CLOSE) {
            return BAD_TYPE;
        }
        if (header.version() != Protocol.VERSION) {
            return BAD_VERSION;
        }
        if (header.receiverIndex() != localIndex) {
            return WRONG_RECEIVER;
        }
        long counter = header.counter();
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) > 0) {
            return EXHAUSTED;
        }
        int epoch = header.epoch();
        if (epoch != (int) (counter >>> Protocol.EPOCH_SHIFT)) {
            return BAD_EPOCH;
        }
        if (nowNanos - createdNanos >= Protocol.REJECT_AFTER_TIME) {
            return EXPIRED;
        }
        long highest = window.highest();
        int highestEpoch = highest < 0 ? 0 : (int) (highest >>> Protocol.EPOCH_SHIFT);
        if (epoch > highestEpoch + 1) {
            return EPOCH_AHEAD;
        }
        if (epoch < highestEpoch - 1 || !window.mayAccept(counter)) {
            return REPLAYED;
        }
        EpochCipher keys = w.receiveKeys(epoch, highestEpoch);
        if (keys == null) {
            return REPLAYED; // this worker already moved past the epoch: the packet is too old
        }
        keys.nonce(counter, w.nonce);
        int ciphertextLength = length - HEADER;
        int plaintextLength = keys.cipher().openOrReject(w.nonce, w.aad, body, ciphertextLength);
        if (plaintextLength == AeadCipher.REJECTED) {
            if (failedOpens.incrementAndGet() >= integrityLimit) {
                close();
            }
            return AUTH_FAILED;
        }
        if (!window.commit(counter)) {
            body.asSlice(0, plaintextLength).fill((byte) 0); // rare: a slice is fine here
            return REPLAYED; // another worker accepted the same counter first
        }
        return plaintextLength;
    }

    private WorkerCiphers worker(int worker) {
        if (worker < 0 || worker >= workers.length) {
            throw new IllegalArgumentException("worker id " + worker + " is outside [0, " + workers.length + ")");
        }
        return workers[worker];
    }

    /** A short description of a status returned by {@link #seal} or {@link #open}. */
    public static String describe(int status) {
        if (status >= 0) {
            return "ok: " + status + " bytes";
        }
        return switch (status) {
            case CLOSED -> "closed: the keypair's keys are erased";
            case TOO_SHORT -> "too short: a data packet has at least " + Protocol.DATA_OVERHEAD + " bytes";
            case BAD_TYPE -> "bad type: not DATA or CLOSE";
            case BAD_VERSION -> "bad version: not protocol version " + Protocol.VERSION;
            case WRONG_RECEIVER -> "wrong receiver: the receiver index is not this keypair's";
            case EXHAUSTED -> "exhausted: the counter is past " + Protocol.REJECT_AFTER_MESSAGES;
            case BAD_EPOCH -> "bad epoch: the epoch field does not match the counter";
            case EXPIRED -> "expired: the keypair is older than REJECT_AFTER_TIME";
            case EPOCH_AHEAD -> "epoch ahead: more than one epoch after the highest authenticated packet";
            case REPLAYED -> "replayed: the counter was accepted before or is too old";
            case AUTH_FAILED -> "authentication failed: forged, altered or under another key";
            default -> "unknown status " + status;
        };
    }

    public Suite suite() {
        return suite;
    }

    /** Our receiver index: the index peers address packets for this keypair to. */
    public int localIndex() {
        return localIndex;
    }

    /** The peer's receiver index, written into every packet we seal. */
    public int remoteIndex() {
        return remoteIndex;
    }

    public long createdNanos() {
        return createdNanos;
    }

    /** The next send counter (it may exceed {@link Protocol#REJECT_AFTER_MESSAGES} by the number of workers). */
    public long sendCounter() {
        return sendCounter.get();
    }

    /** The receive window; for tests and benchmarks (its {@code reset} is not for live keypairs). */
    public ReplayWindow replayWindow() {
        return window;
    }

    /** How many opens failed authentication. */
    public long failedOpens() {
        return failedOpens.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Erases every key: see guarantee 5 of the class contract. Idempotent, callable from any thread. */
    @Override
    public void close() {
        closed = true;
        for (WorkerCiphers w : workers) {
            w.retire();
        }
    }

    /** Whether every worker has erased all its keys (for tests). */
    boolean isErased() {
        for (WorkerCiphers w : workers) {
            if (!w.isErased()) {
                return false;
            }
        }
        return true;
    }

    /** A worker's state, for tests. */
    WorkerCiphers workerForTest(int worker) {
        return worker(worker);
    }

    @Override
    public String toString() {
        return "Keypair[" + suite + ", local " + Integer.toUnsignedString(localIndex) + ", remote "
            + Integer.toUnsignedString(remoteIndex) + (closed ? ", closed]" : "]");
    }
}
