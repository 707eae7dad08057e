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
        assertEquals(2 * 5 + 1, v.checks().size(), "five per gateway and the drops of both");
        assertEquals("+0.3 MiB (200.1 to at most 200.4)", check(v, "resident memory, gateway a").measured());
        assertEquals("always 25", check(v, "open file descriptors, gateway b").measured());
        assertEquals("8 (100%)", check(v, "rekeys, gateway a").measured());
    }

    @Test
    void residentMemoryGrowingBeyondTheBoundIsNotFlat() {
        SoakVerdict v = judge(Soaks.with(4, Soaks.sample(40, Side.B, 200 * 1024 + 100 + 33 * 1024, 25, 29, 8, 0)));
        assertFalse(v.flat());
        assertFalse(check(v, "resident memory, gateway b").passed());
        assertTrue(check(v, "resident memory, gateway a").passed());
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
