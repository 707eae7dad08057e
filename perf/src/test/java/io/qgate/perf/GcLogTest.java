package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
    static final String G1 = """
        [0.004s][info][gc] Using G1
        [1.112s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms
        [2.301s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 40M->20M(256M) 3.1ms
        [2.301s][info][gc] GC(2) Concurrent Mark Cycle
        [2.410s][info][gc] GC(2) Pause Remark 22M->22M(256M) 1.0ms
        [2.420s][info][gc] GC(2) Pause Cleanup 22M->22M(256M) 0.1ms
        [2.431s][info][gc] GC(2) Concurrent Mark Cycle 130.2ms
        """;

    @Test
    void countsCyclesNotLines() {
        assertEquals(3, GcLog.cycles(G1));
    }

    @Test
    void aLogWithoutCollectionsHasNone() {
        assertEquals(0, GcLog.cycles("[0.004s][info][gc] Using G1\n"));
    }

    @Test
    void readsAFileAndTreatsAMissingOneAsNoCycles(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        assertEquals(0, GcLog.cycles(log));
        Files.writeString(log, G1);
        assertEquals(3, GcLog.cycles(log));
    }

    /** Run in a child JVM: two explicit, full collections. */
    static final class TwoCollections {
        public static void main(String[] args) {
            System.gc();
            System.gc();
        }
    }

    @Test
    void countsTheCyclesOfARealJvmLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xlog:gc:file=" + log, "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), TwoCollections.class.getName())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor());
        assertEquals(2, GcLog.cycles(log), Files.readString(log));
    }

    @Test
    void theSoaksOptionsLogTheHeapsRangeAndEveryCycle(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, GcLog.options(log), "-Xmx64m", "-XX:+UseG1GC",
            "-cp", System.getProperty("java.class.path"), TwoCollections.class.getName())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor());
        String text = Files.readString(log);
        assertEquals(2, GcLog.cycles(text), text);
        GcLog.HeapRange heap = GcLog.heapRange(text);
        assertNotNull(heap, text);
        assertEquals(64L * 1024 * 1024, heap.end() - heap.start(), text);
    }

    @Test
    void heapAfterTheLastCollectionInKibibytesWhateverTheUnit() {
        assertEquals(22 * 1024, GcLog.heapAfterLastGcKib(G1), "the last pause, Pause Cleanup 22M->22M");
        assertEquals(900, GcLog.heapAfterLastGcKib("[1.0s][info][gc] GC(0) Pause Young (Normal) 2000K->900K(8192K) 1ms\n"));
        assertEquals(2L * 1024 * 1024, GcLog.heapAfterLastGcKib("[1.0s][info][gc] GC(0) Pause Full 3G->2G(4G) 90ms\n"));
    }

    @Test
    void noCollectionYetIsNoGc() {
        assertEquals(GcLog.NO_GC, GcLog.heapAfterLastGcKib("[0.004s][info][gc] Using G1\n"));
        assertEquals(GcLog.NO_GC, GcLog.heapAfterLastGcKib(""));
    }
}
