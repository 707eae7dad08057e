package io.qgate.engine.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The receive-side anti-replay window of one session key: decides which 64-bit packet counters may
 * still be accepted, lock-free, while several crypto workers open packets of the same session at
 * once.
 *
 * <p>The window accepts each counter at most once, refuses every counter at or below
 * {@code highest() - WINDOW} and every counter above {@link #REJECT_AFTER}. {@link #WINDOW} is
 * 8,176 packets (wireguard-go: 8,128).
 *
 * <h2>Layout</h2>
 * A ring of 512 slots; each slot is one {@code long} covering a <em>block</em> of 16
 * consecutive counters. A counter {@code c} lives in block {@code c >>> 4}, in
 * slot {@code (c >>> 4) & 511}, at bit {@code c & 15}. The slot packs the block's <em>tag</em>
 * ({@code c >>> 13}, the block number without the slot index: 48 bits) in its upper 48 bits and the
 * block's 16-bit bitmap in its lower 16 bits, so one compare-and-set covers both: a slot is moved
 * to a newer block (new tag, bitmap reset to the one new bit) without erasing a bit that another
 * thread set for that newer block, and a stale committer can never set a bit in a slot that now
 * represents a newer block. Tags of a slot only ever grow. Because counters are limited to
 * {@code 0..REJECT_AFTER} = {@code 0..2^61-1}, a tag is the full remaining block number (48 bits):
 * tags cannot wrap, so two different blocks never share a slot value (no aliasing at all, for any
 * stall of any thread). The ring holds 8,192 bits in 4 KiB; the window is one block less than the
 * ring ({@code 511 * 16}), so every counter above {@code highest() - WINDOW} still finds
 * its slot on its own block or an older one.
 *
 * <h2>Concurrency contract</h2>
 * Assumptions:
 * <ol>
 *   <li>{@link #commit} is called only for a counter whose packet authenticated under this
 *       window's key (a forged counter would move the window).</li>
 *   <li>{@link #mayAccept}, {@link #commit} and {@link #highest} may be called by any number of
 *       threads at once.</li>
 *   <li>{@link #reset} runs while no other method of this window runs, and the thread that calls
 *       it publishes the window again (for example with the new key, through a volatile field or a
 *       queue) before other threads use it. Creating a new window per key needs no reset.</li>
 * </ol>
 * Guarantees (between resets):
 * <ol>
 *   <li>Exactly once: for each counter value, at most one call of {@code commit} returns
 *       {@code true}, across all threads and all time.</li>
 *   <li>No lost counters: if {@code commit(c)} returns {@code false} for {@code c <= REJECT_AFTER},
 *       then another {@code commit(c)} returned or will return {@code true}, or
 *       {@code c <= highest() - WINDOW} for the value {@code highest()} has when the call
 *       returns. Moving the window never loses an in-window counter committed by another
 *       thread.</li>
 *   <li>The window only moves forward: {@code highest()} never decreases, and once
 *       {@code highest()} has returned {@code h}, every {@code commit(c)} that starts after that
 *       (in happens-before order) with {@code c <= h - WINDOW} returns {@code false}.</li>
 *   <li>{@code highest()} is at least every counter whose {@code commit} returned {@code true}
 *       (as seen by a thread that saw that return), and is {@code -1} before the first.</li>
 *   <li>{@code mayAccept(c)} changes nothing, and {@code false} is final: every {@code commit(c)}
 *       started after it returned {@code false} also returns {@code false}. {@code true} is only a
 *       hint: a concurrent commit may take the counter first.</li>
 *   <li>Lock-free: a retry of a compare-and-set happens only because another thread's
 *       compare-and-set on the same variable succeeded. No locks, no allocation, no system calls;
 *       on the packet path every access is an acquire read or a volatile
 *       compare-and-exchange.</li>
 * </ol>
 *
 * <p>Why guarantee 2 holds: a committer raises {@code highest} to its counter <em>before</em> it
 * moves a slot to its block, so a thread that finds its slot already on a newer block (at least
 * {@code SLOTS} blocks newer) also sees a {@code highest} more than {@code WINDOW} above its own
 * counter.
 *
 * <p>No padding: {@code highest} and the slots are truly shared by all committers, so padding
 * could not remove that traffic; whether it helps elsewhere is for {@code ReplayWindowBenchmark}
 * to show, and no measurement has shown it yet.
 */
public final class ReplayWindow {
    /** Counters per slot: the width of a slot's bitmap. */
    static final int BLOCK_BITS = 16;
    /** Slots in the ring, a power of two. */
    static final int SLOTS = 512;
    /** Number of packets below and including {@link #highest()} that may still be accepted: 8,176. */
    public static final long WINDOW = (long) (SLOTS - 1) * BLOCK_BITS;
    /**
     * The largest counter this window accepts: 2^61 - 1. Counters are unsigned 64-bit on the wire;
     * anything larger, including every value that is negative as a Java {@code long}, is refused.
     * A sender rekeys long before (at 100 million packets per second it would take 700 years).
     */
    public static final long REJECT_AFTER = (1L << 61) - 1;

    private static final int BIT_SHIFT = 4;          // log2(BLOCK_BITS)
    private static final int TAG_SHIFT = 13;         // log2(BLOCK_BITS * SLOTS)
    private static final int COUNTER_BITS = 61;      // TAG_SHIFT + 48 tag bits
    private static final long BIT_MASK = BLOCK_BITS - 1;
    private static final long SLOT_MASK = SLOTS - 1;
    private static final long NOTHING_COMMITTED = -1;

    private static final VarHandle HIGHEST;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            HIGHEST = MethodHandles.lookup().findVarHandle(ReplayWindow.class, "highest", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] slots = new long[SLOTS];
    @SuppressWarnings("unused") // accessed through HIGHEST only
    private long highest = NOTHING_COMMITTED;

    /** An empty window: nothing committed, {@link #highest()} is {@code -1}. */
    public ReplayWindow() {
    }

    /**
     * Cheap check before decryption: {@code false} if {@code counter} is certainly a replay, too
     * old or above {@link #REJECT_AFTER}. Changes nothing; a {@code true} still needs
     * {@link #commit} after the tag verifies.
     */
    public boolean mayAccept(long counter) {
        if (counter >>> COUNTER_BITS != 0 || counter <= highestAcquire() - WINDOW) {
            return false;
        }
        long slot = slotAcquire(slotIndex(counter));
        long slotTag = slot >>> BLOCK_BITS;
        long tag = counter >>> TAG_SHIFT;
        return slotTag < tag || slotTag == tag && (slot & bit(counter)) == 0;
    }

    /**
     * Records {@code counter} after its packet authenticated; {@code true} exactly once per counter
     * value, {@code false} for a duplicate, a counter at or below {@code highest() - WINDOW}, or
     * one above {@link #REJECT_AFTER}. See the class contract for the concurrent guarantees.
     */
    public boolean commit(long counter) {
        if (counter >>> COUNTER_BITS != 0) {
            return false;
        }
        long high = highestAcquire();
        if (counter <= high - WINDOW) {
            return false;
        }
        while (counter > high) {
            long witness = (long) HIGHEST.compareAndExchange(this, high, counter);
            if (witness == high) {
                break;
            }
            high = witness;
        }
        int index = slotIndex(counter);
        long tag = counter >>> TAG_SHIFT;
        long bit = bit(counter);
        long slot = slotAcquire(index);
        while (true) {
            long slotTag = slot >>> BLOCK_BITS;
            long next;
            if (slotTag == tag) {
                if ((slot & bit) != 0) {
                    return false;
                }
                next = slot | bit;
            } else if (slotTag < tag) {
                next = tag << BLOCK_BITS | bit;
            } else {
                return false;
            }
            long witness = (long) SLOT.compareAndExchange(slots, index, slot, next);
            if (witness == slot) {
                return true;
            }
            slot = witness;
        }
    }

    /** The highest counter committed so far (acquire read), {@code -1} before the first; for telemetry. */
    public long highest() {
        return highestAcquire();
    }

    /**
     * Empties the window for a new key. Not thread-safe: see assumption 3 of the class contract
     * (no other method of this window may run concurrently, and the window must be published again
     * afterwards).
     */
    public void reset() {
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = 0;
        }
        HIGHEST.setVolatile(this, NOTHING_COMMITTED);
    }

    private long highestAcquire() {
        return (long) HIGHEST.getAcquire(this);
    }

    private long slotAcquire(int index) {
        return (long) SLOT.getAcquire(slots, index);
    }

    private static int slotIndex(long counter) {
        return (int) (counter >>> BIT_SHIFT & SLOT_MASK);
    }

    private static long bit(long counter) {
        return 1L << (counter & BIT_MASK);
    }
}
