package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final long WINDOW = ReplayWindow.WINDOW;

    private final ReplayWindow window = new ReplayWindow();

    @Test
    void windowCoversAtLeastWireGuardsPacketsAndTheBoundLeavesRoomForIt() {
        assertTrue(WINDOW >= 8128, "window " + WINDOW);
        assertTrue(ReplayWindow.REJECT_AFTER > 0);
        assertTrue(ReplayWindow.REJECT_AFTER >= 1L << 60, "bound " + ReplayWindow.REJECT_AFTER);
    }

    @Test
    void emptyWindowAcceptsCounterZeroOnce() {
        assertEquals(-1, window.highest());
        assertTrue(window.mayAccept(0));
        assertTrue(window.commit(0));
        assertEquals(0, window.highest());
        assertFalse(window.mayAccept(0));
        assertFalse(window.commit(0));
    }

    @Test
    void acceptsInOrderCountersOnceEach() {
        for (long c = 0; c < 3 * WINDOW; c++) {
            assertTrue(window.commit(c), "counter " + c);
            assertEquals(c, window.highest());
        }
        for (long c = 2 * WINDOW + 1; c < 3 * WINDOW; c++) {
            assertFalse(window.commit(c), "replayed counter " + c);
        }
    }

    @Test
    void acceptsOutOfOrderCountersWithinTheWindow() {
        long top = 5 * WINDOW;
        assertTrue(window.commit(top));
        for (long c = top - 1; c > top - WINDOW; c -= 7) {
            assertTrue(window.mayAccept(c), "counter " + c);
            assertTrue(window.commit(c), "counter " + c);
        }
        for (long c = top - 1; c > top - WINDOW; c -= 7) {
            assertFalse(window.commit(c), "replayed counter " + c);
        }
        assertEquals(top, window.highest());
    }

    @Test
    void acceptsTheOldestInWindowCounterAndRejectsTheOneBelow() {
        for (long top : new long[] {WINDOW, WINDOW + 1, 3 * WINDOW + 17, 1L << 40, ReplayWindow.REJECT_AFTER}) {
            ReplayWindow w = new ReplayWindow();
            assertTrue(w.commit(top));
            assertFalse(w.mayAccept(top - WINDOW), "edge below, top " + top);
            assertFalse(w.commit(top - WINDOW), "edge below, top " + top);
            assertTrue(w.mayAccept(top - WINDOW + 1), "edge, top " + top);
            assertTrue(w.commit(top - WINDOW + 1), "edge, top " + top);
            assertFalse(w.commit(top - WINDOW + 1), "edge replayed, top " + top);
        }
    }

    @Test
    void rejectsReplayedPacketAfterWindowMoved() {
        for (long c = 0; c < 100; c++) {
            assertTrue(window.commit(c));
        }
        assertTrue(window.commit(150 + WINDOW));
        for (long c = 0; c <= 150; c++) {
            assertFalse(window.mayAccept(c), "counter " + c);
            assertFalse(window.commit(c), "counter " + c);
        }
        assertTrue(window.commit(151));
        assertEquals(150 + WINDOW, window.highest(), "an older counter must not lower the window");
    }

    @Test
    void farJumpAheadClearsTheWholeWindow() {
        for (long c = 0; c < WINDOW; c++) {
            assertTrue(window.commit(c));
        }
        long top = 1_000_000_007L;
        assertTrue(window.commit(top));
        assertEquals(top, window.highest());
        for (long c = 0; c < WINDOW; c++) {
            assertFalse(window.commit(c), "old counter " + c);
        }
        for (long c = top - WINDOW + 1; c < top; c++) {
            assertTrue(window.commit(c), "counter " + c + " after the jump");
        }
        for (long c = top - WINDOW + 1; c <= top; c++) {
            assertFalse(window.commit(c), "replayed counter " + c);
        }
    }

    @Test
    void countersThatReuseASlotRejectTheOlderBlock() {
        long ring = WINDOW + 16;
        assertTrue(window.commit(5));
        assertTrue(window.commit(5 + ring));
        assertFalse(window.commit(5));
        assertFalse(window.commit(6));
        assertTrue(window.commit(6 + ring));
        assertFalse(window.commit(5 + ring));
    }

    @Test
    void rejectsCountersAboveTheBoundAndNegativeOnes() {
        long bound = ReplayWindow.REJECT_AFTER;
        for (long c : new long[] {bound + 1, Long.MAX_VALUE, -1, Long.MIN_VALUE, -(1L << 13) - 1}) {
            assertFalse(window.mayAccept(c), "counter " + Long.toUnsignedString(c));
            assertFalse(window.commit(c), "counter " + Long.toUnsignedString(c));
        }
        assertEquals(-1, window.highest(), "a refused counter must not move the window");
        assertTrue(window.commit(bound));
        assertFalse(window.commit(bound));
        assertTrue(window.commit(bound - 1));
        assertEquals(bound, window.highest());
    }

    @Test
    void mayAcceptChangesNothingAndAgreesWithCommit() {
        long[] counters = {3, 3, 1, 20_000, 3, 20_000 - WINDOW, 20_000 - WINDOW + 1, 19_999, 19_999, 0};
        for (long c : counters) {
            boolean before = window.mayAccept(c);
            assertEquals(before, window.mayAccept(c), "mayAccept must not change state, counter " + c);
            assertEquals(before, window.commit(c), "counter " + c);
        }
    }

    @Test
    void resetStartsAnEmptyWindow() {
        for (long c = 0; c < 50_000; c += 3) {
            window.commit(c);
        }
        window.reset();
        assertEquals(-1, window.highest());
        for (long c = 0; c < 50; c++) {
            assertTrue(window.commit(c), "counter " + c + " after reset");
        }
        assertTrue(window.commit(49_998), "a counter committed under the old key");
        assertFalse(window.commit(49_998 - WINDOW), "too old for the new highest");
    }
}
