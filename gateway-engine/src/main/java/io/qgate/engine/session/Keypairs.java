package io.qgate.engine.session;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The previous, current and next keypairs of one peer (section 8 of {@code docs/PROTOCOL.md}).
 *
 * <ul>
 *   <li><b>next</b>: an initiator's new keypair after it sent CONFIRM, until the first packet
 *       authenticated under it arrives ({@link #promoteNext}); it also sends while no keypair is
 *       current ({@link #forSending()}).</li>
 *   <li><b>current</b>: the keypair packets are sealed with.</li>
 *   <li><b>previous</b>: the keypair current before the last change, kept to open packets still
 *       in flight under it.</li>
 * </ul>
 * A keypair pushed out of all three slots is retired: {@link Keypair#close()} erases its keys.
 * That is safe at any time, even while a worker is inside {@code seal} or {@code open} of it
 * ({@link Keypair} guarantee 5: the call finishes, later calls return {@link Keypair#CLOSED}).
 *
 * <h2>Concurrency contract</h2>
 * Assumptions:
 * <ol>
 *   <li>{@link #installNext}, {@link #installCurrent}, {@link #installPrevious} and {@link #close} are called by one control
 *       thread; {@link #promoteNext} by any data worker, concurrently with each other and with the
 *       control thread; the readers by anyone.</li>
 *   <li>A keypair is installed at most once.</li>
 * </ol>
 * Guarantees:
 * <ol>
 *   <li>The three slots are one immutable snapshot in one atomic reference: a reader sees a
 *       consistent triple (never a keypair in two slots, never one that was in no slot of some
 *       state), without locks or allocation. Every change is a compare-and-set of the whole
 *       snapshot (retried if another change came first), so changes from workers and from the
 *       control thread never overwrite each other.</li>
 *   <li>A keypair installed with {@link #installNext} is promoted at most once: of several
 *       workers calling {@code promoteNext} with it, exactly one gets {@code true}.</li>
 *   <li>Exactly one thread retires each displaced keypair: the one whose compare-and-set displaced
 *       it. A keypair published here (the snapshot is read with volatile semantics) is visible
 *       with all its final state to every reader.</li>
 * </ol>
 */
public final class Keypairs implements AutoCloseable {
    private static final Slots EMPTY = new Slots(null, null, null);

    /** One state of the three slots; any may be null. */
    private record Slots(Keypair previous, Keypair current, Keypair next) {
    }

    private final AtomicReference<Slots> slots = new AtomicReference<>(EMPTY);
    private volatile boolean closed;

    /** Three empty slots. */
    public Keypairs() {
    }

    public Keypair previous() {
        return slots.get().previous;
    }

    public Keypair current() {
        return slots.get().current;
    }

    public Keypair next() {
        return slots.get().next;
    }

    /** The keypair to seal with: current, or next while there is no current (section 8, initiator step 3); or null. */
    public Keypair forSending() {
        Slots s = slots.get();
        return s.current != null ? s.current : s.next;
    }

    /**
     * Receive step 2 of section 9: the keypair among previous, current and next whose local index
     * is {@code receiverIndex}, or null.
     */
    public Keypair lookup(int receiverIndex) {
        Slots s = slots.get();
        if (s.current != null && s.current.localIndex() == receiverIndex) {
            return s.current;
        }
        if (s.next != null && s.next.localIndex() == receiverIndex) {
            return s.next;
        }
        if (s.previous != null && s.previous.localIndex() == receiverIndex) {
            return s.previous;
        }
        return null;
    }

    /** Makes {@code keypair} the next one (initiator, after CONFIRM), retiring a next it displaces. */
    public void installNext(Keypair keypair) {
        Objects.requireNonNull(keypair, "keypair");
        while (true) {
            Slots s = slots.get();
            checkOpen(keypair);
            if (slots.compareAndSet(s, new Slots(s.previous, s.current, keypair))) {
                retire(s.next);
                return;
            }
        }
    }

    /**
     * Makes {@code keypair} previous, so that it only opens, retiring the previous it displaces:
     * the peer's keypair of a handshake that crossed ours and lost (the peer may already have sealed
     * packets under it, which still open; nothing is sealed with it here).
     */
    public void installPrevious(Keypair keypair) {
        Objects.requireNonNull(keypair, "keypair");
        while (true) {
            Slots s = slots.get();
            checkOpen(keypair);
            if (slots.compareAndSet(s, new Slots(keypair, s.current, s.next))) {
                retire(s.previous);
                return;
            }
        }
    }

    /**
     * Makes {@code keypair} current (responder, after CONFIRM): current becomes previous and the
     * previous is retired. If {@code keypair} was next, next becomes empty; another next stays.
     */
    public void installCurrent(Keypair keypair) {
        Objects.requireNonNull(keypair, "keypair");
        while (true) {
            Slots s = slots.get();
            checkOpen(keypair);
            Keypair next = s.next == keypair ? null : s.next;
            if (slots.compareAndSet(s, new Slots(s.current, keypair, next))) {
                retire(s.previous);
                return;
            }
        }
    }

    /**
     * Receive step 7 of section 9: a packet authenticated under {@code expectedNext}, so it becomes
     * current, current becomes previous and the previous is retired. Only if {@code expectedNext}
     * is still next; called from data workers.
     *
     * @return whether this call made the change ({@code false} if another worker or the control
     *     thread changed next first)
     */
    public boolean promoteNext(Keypair expectedNext) {
        while (true) {
            Slots s = slots.get();
            if (expectedNext == null || s.next != expectedNext) {
                return false;
            }
            if (slots.compareAndSet(s, new Slots(s.current, expectedNext, null))) {
                retire(s.previous);
                return true;
            }
        }
    }

    /** Retires next if it is still {@code expectedNext} (its handshake was refused); control thread. */
    public boolean dropNext(Keypair expectedNext) {
        while (true) {
            Slots s = slots.get();
            if (expectedNext == null || s.next != expectedNext) {
                return false;
            }
            if (slots.compareAndSet(s, new Slots(s.previous, s.current, null))) {
                retire(expectedNext);
                return true;
            }
        }
    }

    /**
     * Retires every keypair created {@code maxAgeNanos} or more before {@code nowNanos}
     * ({@code REJECT_AFTER_TIME}); control thread.
     *
     * @return whether any was retired
     */
    public boolean expire(long nowNanos, long maxAgeNanos) {
        while (true) {
            Slots s = slots.get();
            Keypair previous = young(s.previous, nowNanos, maxAgeNanos);
            Keypair current = young(s.current, nowNanos, maxAgeNanos);
            Keypair next = young(s.next, nowNanos, maxAgeNanos);
            if (previous == s.previous && current == s.current && next == s.next) {
                return false;
            }
            if (slots.compareAndSet(s, new Slots(previous, current, next))) {
                if (previous != s.previous) {
                    retire(s.previous);
                }
                if (current != s.current) {
                    retire(s.current);
                }
                if (next != s.next) {
                    retire(s.next);
                }
                return true;
            }
        }
    }

    private static Keypair young(Keypair keypair, long nowNanos, long maxAgeNanos) {
        return keypair != null && nowNanos - keypair.createdNanos() < maxAgeNanos ? keypair : null;
    }

    /** Retires all three keypairs but stays usable (the session ended, the peer stays); control thread. */
    public void clear() {
        Slots s = slots.getAndSet(EMPTY);
        retire(s.previous);
        retire(s.current);
        retire(s.next);
    }

    /** The keypairs in the slots now (previous, current, next; absent ones left out). */
    public java.util.List<Keypair> all() {
        Slots s = slots.get();
        java.util.List<Keypair> all = new java.util.ArrayList<>(3);
        for (Keypair keypair : new Keypair[] {s.previous, s.current, s.next}) {
            if (keypair != null) {
                all.add(keypair);
            }
        }
        return all;
    }

    /** Retires all three keypairs (the peer is removed); later installs throw. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Slots s = slots.getAndSet(EMPTY);
        retire(s.previous);
        retire(s.current);
        retire(s.next);
    }

    private void checkOpen(Keypair keypair) {
        if (closed) {
            keypair.close();
            throw new IllegalStateException("the peer's keypairs are closed: " + keypair + " was not installed");
        }
    }

    private static void retire(Keypair keypair) {
        if (keypair != null) {
            keypair.close();
        }
    }

    @Override
    public String toString() {
        Slots s = slots.get();
        return "Keypairs[previous " + s.previous + ", current " + s.current + ", next " + s.next + "]";
    }
}
