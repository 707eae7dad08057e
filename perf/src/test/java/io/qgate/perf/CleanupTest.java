package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CleanupTest {
    @Test
    void undoesNewestFirstAndOnlyOnce() {
        Cleanup c = new Cleanup();
        List<String> done = new ArrayList<>();
        c.register("first", () -> done.add("first"));
        c.register("second", () -> done.add("second"));
        assertNull(c.runAll());
        assertNull(c.runAll());
        assertEquals(List.of("second", "first"), done);
    }

    @Test
    void aFailingUndoDoesNotStopTheOthersAndIsReported() {
        Cleanup c = new Cleanup();
        List<String> done = new ArrayList<>();
        c.register("remove namespace qgb-x-a", () -> done.add("ns"));
        c.register("stop wireguard-go", () -> {
            throw new BenchException("still running after SIGKILL.");
        });
        assertEquals("could not stop wireguard-go: still running after SIGKILL.", c.runAll());
        assertEquals(List.of("ns"), done);
    }

    @Test
    void afterShutdownNewWorkIsUndoneAtOnceAndRefused() {
        Cleanup c = new Cleanup();
        List<String> done = new ArrayList<>();
        c.register("old", () -> done.add("old"));
        c.shutDown();
        assertEquals(List.of("old"), done);
        assertThrows(BenchException.class, () -> c.register("late", () -> done.add("late")));
        assertEquals(List.of("old", "late"), done);
    }
}
