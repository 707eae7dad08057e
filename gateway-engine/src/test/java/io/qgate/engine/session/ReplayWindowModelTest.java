package io.qgate.engine.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Long seeded random commit sequences (in order, reordered, replayed, at the window edge, far
 * jumps, out-of-range values) against an obviously correct sliding window kept in a
 * {@link TreeSet}.
 */
class ReplayWindowModelTest {
    private static final long WINDOW = ReplayWindow.WINDOW;
    private static final int STEPS = 200_000;

    /** The specification, written as plainly as possible. */
    private static final class SlidingWindowModel {
        private final TreeSet<Long> accepted = new TreeSet<>();
        private long highest = -1;

        boolean accepts(long counter) {
            return counter >= 0 && counter <= ReplayWindow.REJECT_AFTER
                    && counter > highest - WINDOW && !accepted.contains(counter);
        }

        boolean commit(long counter) {
            if (!accepts(counter)) {
                return false;
            }
            accepted.add(counter);
            highest = Math.max(highest, counter);
            if (accepted.size() > 4 * WINDOW) {
                accepted.headSet(highest - WINDOW, true).clear();
            }
            return true;
        }
    }

    @ParameterizedTest(name = "seed {0}, first counter {1}")
    @CsvSource({
        "1, 0",
        "2, 0",
        "3, 1000",
        "4, 4294967296",
        "5, 2305843009207693951", // REJECT_AFTER - 6,000,000: runs into the bound halfway
        "6, 0",
    })
    void agreesWithASimpleSlidingWindowModel(long seed, long first) {
        SplittableRandom random = new SplittableRandom(seed);
        ReplayWindow window = new ReplayWindow();
        SlidingWindowModel model = new SlidingWindowModel();
        long[] recent = new long[256];
        long next = first;
        int accepted = 0;
        int rejected = 0;
        for (int step = 0; step < STEPS; step++) {
            long top = model.highest < 0 ? first : model.highest;
            int kind = random.nextInt(1000);
            long counter;
            if (kind < 600) {
                counter = next;
                next += 1 + random.nextInt(3);
            } else if (kind < 850) {
                counter = top - random.nextLong(WINDOW + 64);
            } else if (kind < 940) {
                counter = recent[random.nextInt(recent.length)];
            } else if (kind < 970) {
                counter = top - WINDOW + random.nextInt(-1, 2);
            } else if (kind < 975) {
                counter = top + 1 + random.nextLong(3 * WINDOW);
                next = Math.max(next, counter + 1);
            } else if (kind < 990) {
                counter = switch (random.nextInt(4)) {
                    case 0 -> -1 - random.nextLong(1L << 20);
                    case 1 -> ReplayWindow.REJECT_AFTER + 1 + random.nextLong(1L << 20);
                    case 2 -> Long.MIN_VALUE + random.nextLong(1L << 20);
                    default -> ReplayWindow.REJECT_AFTER + 1;
                };
            } else {
                counter = next + random.nextInt(16);
            }
            recent[step & (recent.length - 1)] = counter;
            int at = step;

            boolean expected = model.accepts(counter);
            assertEquals(expected, window.mayAccept(counter), () -> "mayAccept of counter " + Long.toUnsignedString(counter) + " (seed " + seed + ", step " + at + ")");
            boolean committed = window.commit(counter);
            assertEquals(model.commit(counter), committed,
                    () -> "commit of counter " + Long.toUnsignedString(counter) + " (seed " + seed + ", step " + at + ")");
            assertEquals(model.highest, window.highest(), () -> "highest after step " + at);
            if (committed) {
                accepted++;
            } else {
                rejected++;
            }
        }
        assertTrue(accepted > STEPS / 10 && rejected > STEPS / 10,
                "the sequence must exercise both outcomes: " + accepted + " accepted, " + rejected + " rejected");
    }
}
