package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
    private static SoakVerdict judge(List<SoakSample> samples) {
        return SoakVerdict.judge(samples, Soaks.options());
    }

    private static SoakVerdict.Check check(SoakVerdict v, String name) {
        return v.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void steadyGaugesEnoughRekeysAndNoDropsPass() {
        SoakVerdict v = judge(Soaks.flat());
        assertTrue(v.flat());
        assertTrue(v.passed(), v.checks().toString());
        assertEquals(2 * 6 + 1, v.checks().size(), "six per gateway and the drops of both");
        assertEquals("+0.3 MiB (100.1 to at most 100.4)", check(v, "resident memory outside the Java heap, gateway a").measured());
        assertEquals("+0.0 MiB (4.0 to at most 4.0 after 3 collection(s))", check(v, "live heap, gateway b").measured());
        assertEquals("always 25", check(v, "open file descriptors, gateway b").measured());
        assertEquals("8 (100%)", check(v, "rekeys, gateway a").measured());
    }

    @Test
    void nativeMemoryGrowingBeyondTheBoundIsNotFlat() {
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.B, 200 * 1024 + 100 + 33 * 1024, 25, 29, 8, 0)));
        assertFalse(v.flat());
        assertFalse(check(v, "resident memory outside the Java heap, gateway b").passed());
        assertTrue(check(v, "resident memory outside the Java heap, gateway a").passed());
    }

    @Test
    void theHeapsResidentPagesGrowingIsNotALeak() {
        // G1 touched 150 MiB more of its heap (young generation sizing) while 4 MiB stayed live.
        long more = 150 * 1024;
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.A, 200 * 1024 + 400 + more, Soaks.HEAP_RSS_KIB + more, 4096, 4, 25,
            29, 8, 0)));
        assertTrue(v.flat(), v.checks().toString());
        assertEquals("+0.3 MiB (100.1 to at most 100.4)", check(v, "resident memory outside the Java heap, gateway a").measured());
    }

    @Test
    void liveHeapGrowingBeyondTheBoundIsNotFlat() {
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.A, 200 * 1024 + 400, Soaks.HEAP_RSS_KIB, 4096 + 33 * 1024, 4, 25,
            29, 8, 0)));
        assertFalse(v.flat());
        assertEquals("+33.0 MiB (4.0 to at most 37.0 after 3 collection(s))", check(v, "live heap, gateway a").measured());
        assertTrue(check(v, "live heap, gateway b").passed());
    }

    @Test
    void withoutCollectionsTheHeapsResidentPartIsJudged() {
        SoakVerdict v = judge(Soaks.series((k, side) -> {
            long heap = Soaks.HEAP_RSS_KIB + (side == Side.B && k == 4 ? 40 * 1024 : 0);
            return Soaks.sample(k * 10, side, 200 * 1024 + heap, heap, GcLog.NO_GC, 0, 25, 29, 2L * k, 0);
        }));
        assertFalse(v.flat());
        assertEquals("no collection in the steady part; heap resident +40.0 MiB (100.0 to at most 140.0)",
            check(v, "live heap, gateway b").measured());
        assertTrue(check(v, "live heap, gateway a").passed());
    }

    @Test
    void anUnknownHeapRangeJudgesTheWholeResidentMemory() {
        SoakVerdict v = judge(Soaks.series((k, side) ->
            Soaks.sample(k * 10, side, 200 * 1024 + (k == 4 ? 40 * 1024 : 0), SoakSample.UNKNOWN, GcLog.NO_GC, 0, 25, 29, 2L * k, 0)));
        assertFalse(v.flat());
        assertEquals("+40.0 MiB (200.0 to at most 240.0)", check(v, "resident memory outside the Java heap, gateway a").measured());
        assertTrue(check(v, "live heap, gateway a").passed(), "the heap is inside the check above");
    }

    @Test
    void growthDuringWarmUpDoesNotCount() {
        SoakVerdict v = judge(Soaks.with(0, Soaks.sample(0, Side.A, 50 * 1024, 20, 12, 0, 0)));
        assertTrue(v.flat(), v.checks().toString());
    }

    @Test
    void oneMoreFileDescriptorOrThreadInTheSteadyPartIsNotFlat() {
        SoakVerdict fd = judge(Soaks.with(3, Soaks.sample(30, Side.A, 200 * 1024 + 300, 26, 29, 6, 0)));
        assertFalse(fd.flat());
        assertEquals("from 25 to 26", check(fd, "open file descriptors, gateway a").measured());
        SoakVerdict threads = judge(Soaks.with(4, Soaks.sample(40, Side.B, 200 * 1024 + 400, 25, 30, 8, 0)));
        assertFalse(threads.flat());
        assertFalse(check(threads, "threads, gateway b").passed());
    }

    @Test
    void tooFewRekeysFailWithoutMakingTheRunUnflat() {
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.A, 200 * 1024 + 400, 25, 29, 6, 0)));
        assertTrue(v.flat());
        assertFalse(v.passed());
        assertEquals("6 (75%)", check(v, "rekeys, gateway a").measured());
        assertEquals("at least 80% of 8", check(v, "rekeys, gateway a").rule());
    }

    @Test
    void aPacketDroppedForAnUnknownIndexFails() {
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.B, 200 * 1024 + 400, 25, 29, 8, 61)));
        assertTrue(v.flat());
        assertFalse(v.passed());
        assertEquals("61", check(v, "packets dropped for a reason a rekey could cause, both gateways").measured());
    }

    @Test
    void fewerThanTwoSteadySamplesCannotBeJudged() {
        List<SoakSample> early = Soaks.flat().subList(0, 4);
        String why = assertThrows(IllegalArgumentException.class, () -> judge(early)).getMessage();
        assertTrue(why.startsWith("gateway a has 1 sample(s) after the first quarter"), why);
    }
}
