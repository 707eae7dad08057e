package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmapsTest {
    /** Three mappings of a JVM's heap range (committed and used, committed, reserved only) between two others. */
    static final String SMAPS = """
        5605d4a00000-5605d4a01000 r--p 00000000 08:01 1318210                    /usr/lib/jvm/bin/java
        Size:                  4 kB
        Rss:                   4 kB
        Pss:                   4 kB
        687400000-6a0000000 rw-p 00000000 00:00 0
        Size:             405504 kB
        Rss:              120000 kB
        Pss:              120000 kB
        VmFlags: rd wr mr mw me ac sd
        6a0000000-6a8000000 rw-p 00000000 00:00 0
        Size:             131072 kB
        Rss:                2048 kB
        6a8000000-800000000 ---p 00000000 00:00 0
        Size:            5636096 kB
        Rss:                   0 kB
        7f1c2c000000-7f1c2c021000 rw-p 00000000 00:00 0
        Size:                132 kB
        Rss:                  80 kB
        """;

    @Test
    void sumsTheRssOfTheMappingsThatStartInTheRange() {
        assertEquals(122_048, Smaps.residentKib(SMAPS, 0x687400000L, 0x800000000L));
        assertEquals(120_000, Smaps.residentKib(SMAPS, 0x687400000L, 0x6a0000000L), "the end is exclusive");
        assertEquals(0, Smaps.residentKib(SMAPS, 0x1000, 0x2000));
        assertEquals(80, Smaps.residentKib(SMAPS, 0x7f0000000000L, 0x7fffffffffffL));
    }

    @Test
    void fieldLinesThatLookHexadecimalAreNotHeaders() {
        // "Rss:" and "VmFlags:" have colons; a line "ad-be" without a space after its addresses is no header either.
        assertEquals(120_000, Smaps.residentKib(SMAPS + "ad-be\nRss: 7 kB\n", 0x687400000L, 0x6a0000000L));
    }

    @Test
    void malformedRssValuesAndAddressesAreRefusedWithTheLine() {
        String bad = "1000-2000 rw-p 0 00:00 0\nRss: many kB\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Smaps.residentKib(bad, 0, 0x10000)).getMessage()
            .endsWith("not a number: Rss: many kB"));
        String unit = "1000-2000 rw-p 0 00:00 0\nRss: 12 MB\n";
        assertThrows(IllegalArgumentException.class, () -> Smaps.residentKib(unit, 0, 0x10000));
        String negative = "1000-2000 rw-p 0 00:00 0\nRss: -12 kB\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Smaps.residentKib(negative, 0, 0x10000)).getMessage()
            .startsWith("a negative Rss value"));
        String wide = "10000000000000000-10000000000000001 rw-p 0 00:00 0\nRss: 1 kB\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Smaps.residentKib(wide, 0, 0x10000)).getMessage()
            .startsWith("an address of more than 64 bits"));
    }

    /**
     * Mutated smaps and GC-log texts (bytes replaced, lines cut, deleted or repeated, from a fixed
     * seed): the parsers either give a value or refuse with IllegalArgumentException, never
     * anything else, and a sum is never negative.
     */
    @Test
    void mutatedInputsGiveAValueOrAClearRefusal() {
        Random random = new Random(20261122);
        String gcLine = "[0.004s][debug][gc,heap,coops] Heap address: 0x0000000687400000, size: 6028 MB, Compressed Oops mode\n";
        int refused = 0;
        for (int round = 0; round < 5_000; round++) {
            String smaps = mutate(SMAPS, random);
            try {
                assertTrue(Smaps.residentKib(smaps, 0, -1L) >= 0);
            } catch (IllegalArgumentException expected) {
                refused++;
            }
            GcLog.HeapRange range = GcLog.heapRange(mutate(gcLine, random));
            assertTrue(range == null || range.end() - range.start() >= 0, String.valueOf(range));
        }
        assertTrue(refused > 0 && refused < 5_000, "some mutations are refused, not all: " + refused);
    }

    /** What a mutation puts in: the characters smaps and GC-log lines are made of. */
    private static final String ALPHABET = "0123456789abcdefx- :kB\n";

    private static String mutate(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        for (int k = 1 + random.nextInt(4); k > 0 && !s.isEmpty(); k--) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> s.delete(at, Math.min(s.length(), at + random.nextInt(40)));
                case 2 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(60))));
                default -> s.insert(at, Long.toString(random.nextLong()));
            }
        }
        return s.toString();
    }

    @Test
    void aTextOfTooManyLinesIsRefused() {
        String huge = "x\n".repeat(Smaps.MAX_LINES + 1);
        assertThrows(IllegalArgumentException.class, () -> Smaps.residentKib(huge, 0, 1));
    }

    @Test
    void theHeapRangeComesFromTheGcLogsCoopsLine() {
        GcLog.HeapRange range = GcLog.heapRange("[0.004s][debug][gc,heap,coops] Heap address: 0x0000000687400000, size: 6028 MB,"
            + " Compressed Oops mode: Zero based, Oop shift amount: 3\n");
        assertEquals(new GcLog.HeapRange(0x687400000L, 0x687400000L + 6028L * 1024 * 1024), range);
        assertNull(GcLog.heapRange("[0.004s][info][gc] Using G1\n"));
    }

    @Test
    void everyAddressOfThisJvmAddsUpToItsVmRss() {
        // This JVM's own smaps is readable without root; the two files are read a moment apart.
        long pid = ProcessHandle.current().pid();
        long all = Smaps.residentKib(Smaps.read(pid), 0, -1L);
        long rss = ProcStatus.vmRssKib(pid);
        assertTrue(all > 0 && Math.abs(all - rss) < rss / 4 + 4096, "smaps " + all + " KiB against VmRSS " + rss + " KiB");
    }

    @Test
    void aProcessThatIsGoneIsNamed() {
        String why = assertThrows(BenchException.class, () -> Smaps.read(Integer.MAX_VALUE)).getMessage();
        assertTrue(why.startsWith("process 2147483647 exited before its memory could be read"), why);
    }
}
