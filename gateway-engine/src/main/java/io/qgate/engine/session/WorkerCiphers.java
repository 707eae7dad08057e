package io.qgate.engine.session;

import io.qgate.crypto.aead.AeadAlgorithm;
import io.qgate.engine.protocol.Protocol;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * What one data worker holds of one {@link Keypair}: its own ratchet per direction, the cipher of
 * the epoch it sends in, the ciphers of the three epochs it may receive in ({@code h - 1},
 * {@code h}, {@code h + 1} around the highest authenticated epoch {@code h} it has seen), and the
 * 16-byte associated-data and 12-byte nonce scratch. Everything except {@link #state} is touched
 * only by the thread that currently runs this worker id, between {@link #enter()} and
 * {@link #exit()}, or by {@link #retire()} once no thread can run it any more.
 *
 * <h2>State word</h2>
 * {@code IDLE -> BUSY} ({@link #enter}) and {@code BUSY -> IDLE} ({@link #exit}) by the worker;
 * {@code IDLE -> RETIRED} (then {@link #retire} erases) or {@code BUSY -> CLOSING} by
 * {@link #retire()}; {@code CLOSING -> RETIRED} by the worker's {@link #exit}, which erases. All
 * transitions are volatile compare-and-sets, so whoever erases sees every write of the worker's
 * last call (the worker's {@code BUSY -> IDLE} or failed {@code BUSY -> IDLE} synchronises with
 * it), and exactly one thread erases.
 */
final class WorkerCiphers {
    private static final int IDLE = 0;
    private static final int BUSY = 1;
    private static final int CLOSING = 2;
    private static final int RETIRED = 3;
    private static final int RECEIVE_SLOTS = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WorkerCiphers.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int id;
    private final TrafficKeys sendKeys;
    private final TrafficKeys receiveKeys;
    private final EpochCipher send = new EpochCipher();
    private final EpochCipher[] receive = new EpochCipher[RECEIVE_SLOTS];
    /** The highest authenticated epoch the receive slots are arranged around; -1 before the first. */
    private int receiveRange = -1;
    private final byte[] aadBytes = new byte[DataHeader.LENGTH];
    private final byte[] nonceBytes = new byte[AeadAlgorithm.NONCE_LENGTH];
    final MemorySegment aad = MemorySegment.ofArray(aadBytes);
    final MemorySegment nonce = MemorySegment.ofArray(nonceBytes);
    final DataHeader header = new DataHeader().wrap(aad);
    /** The last datagram segment this worker was given, and its slice from offset 16 on. */
    private MemorySegment lastDatagram;
    private MemorySegment lastBody;
    @SuppressWarnings("unused") // accessed through STATE only
    private int state = IDLE;

    /**
     * Takes ownership of both ratchets. No key is derived yet: each worker derives what it uses on
     * its first call ({@link #sendKeys}, {@link #receiveKeys}), so a worker that only seals (an
     * outbound worker) never holds receive ciphers, one that only opens never holds a send cipher,
     * and an idle session holds almost none: a cipher context is about 1.4 KiB off-heap, and a
     * gateway has three workers per session. The first packet of a worker on a new keypair pays
     * the derivation (a KDF step and a cipher context, tens of microseconds), once per rekey.
     */
    WorkerCiphers(int id, TrafficKeys sendKeys, TrafficKeys receiveKeys) {
        this.id = id;
        this.sendKeys = sendKeys;
        this.receiveKeys = receiveKeys;
        for (int i = 0; i < RECEIVE_SLOTS; i++) {
            receive[i] = new EpochCipher();
        }
    }

    /**
     * Starts a call: {@code true} if this worker may use its keys, {@code false} once the keypair
     * is closed.
     *
     * @throws IllegalStateException if another thread is inside a call with this worker id
     */
    boolean enter() {
        int witness = (int) STATE.compareAndExchange(this, IDLE, BUSY);
        if (witness == IDLE) {
            return true;
        }
        if (witness == BUSY) {
            throw new IllegalStateException("worker " + id + " is already sealing or opening on another thread:"
                + " a worker id belongs to one thread at a time");
        }
        return false;
    }

    /** Ends a call; if the keypair was closed during it, erases this worker's keys now. */
    void exit() {
        if ((int) STATE.compareAndExchange(this, BUSY, IDLE) != BUSY) {
            erase();
            STATE.setVolatile(this, RETIRED);
        }
    }

    /**
     * Stops this worker for good, from any thread: erases its keys now if it is idle, or makes the
     * call in progress erase them when it returns. Idempotent.
     */
    void retire() {
        while (true) {
            int witness = (int) STATE.compareAndExchange(this, IDLE, RETIRED);
            if (witness == IDLE) {
                erase();
                return;
            }
            if (witness != BUSY || (int) STATE.compareAndExchange(this, BUSY, CLOSING) == BUSY) {
                return;
            }
            // The worker went BUSY -> IDLE between the two exchanges: try again from IDLE.
        }
    }

    /**
     * {@code datagram} from offset 16 on, for the AEAD (which takes its buffer at offset 0). A worker
     * that is handed the same segment object again, as when it reuses its own packet buffer, gets
     * the slice it made before, so the packet path allocates nothing even where the JIT's escape
     * analysis would not remove the slice.
     */
    MemorySegment body(MemorySegment datagram) {
        if (datagram != lastDatagram) {
            lastBody = datagram.asSlice(DataHeader.LENGTH);
            lastDatagram = datagram;
        }
        return lastBody;
    }

    /**
     * The send cipher for {@code epoch}; derives it (allocating) on the worker's first send and
     * when the counter entered a new epoch.
     */
    EpochCipher sendKeys(int epoch) {
        if (send.epoch() != epoch) {
            if (epoch < send.epoch()) {
                throw new IllegalStateException("worker " + id + " sends in epoch " + send.epoch()
                    + " and got a counter of epoch " + epoch + ": counters of one worker only grow");
            }
            sendKeys.install(epoch, send);
        }
        return send;
    }

    /**
     * The receive cipher of {@code epoch}, with the receive slots moved to {@code highestEpoch - 1
     * .. highestEpoch + 1} first (deriving, and retiring the epoch that leaves); null if
     * {@code epoch} is not among them.
     */
    EpochCipher receiveKeys(int epoch, int highestEpoch) {
        if (highestEpoch > receiveRange) {
            moveReceiveRange(highestEpoch);
        }
        EpochCipher slot = receive[epoch % RECEIVE_SLOTS];
        return slot.epoch() == epoch ? slot : null;
    }

    private void moveReceiveRange(int highestEpoch) {
        int last = Math.min(Protocol.MAX_EPOCH, highestEpoch + 1);
        for (int e = Math.max(0, highestEpoch - 1); e <= last; e++) {
            EpochCipher slot = receive[e % RECEIVE_SLOTS];
            if (slot.epoch() != e) {
                slot.retire();
                receiveKeys.install(e, slot);
            }
        }
        receiveRange = highestEpoch;
    }

    private void erase() {
        send.retire();
        for (EpochCipher slot : receive) {
            slot.retire();
        }
        sendKeys.close();
        receiveKeys.close();
        Arrays.fill(aadBytes, (byte) 0);
        Arrays.fill(nonceBytes, (byte) 0);
        lastDatagram = null;
        lastBody = null;
    }

    /** Whether this worker is retired and holds no key material (for tests). */
    boolean isErased() {
        if ((int) STATE.getVolatile(this) != RETIRED || !send.isErased() || !sendKeys.isErased()
                || !receiveKeys.isErased()) {
            return false;
        }
        for (EpochCipher slot : receive) {
            if (!slot.isErased()) {
                return false;
            }
        }
        return Arrays.equals(aadBytes, new byte[aadBytes.length]) && Arrays.equals(nonceBytes, new byte[nonceBytes.length]);
    }

    /** This worker's ratchet of the send or the receive direction, for tests that trace its key material. */
    TrafficKeys ratchetForTest(boolean send) {
        return send ? sendKeys : receiveKeys;
    }

    /** The send slot and the receive slots, for tests that check the ciphers were closed. */
    EpochCipher[] slotsForTest() {
        return new EpochCipher[] {send, receive[0], receive[1], receive[2]};
    }
}
