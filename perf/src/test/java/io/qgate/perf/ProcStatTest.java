package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    /** A real line (wireguard-go after a 3 s transfer): utime 55, stime 209. */
    static final String WIREGUARD_GO = "9398 (wireguard-go) S 9379 9379 7061 0 -1 4194560 4298 0 1 0 55 209 0 0 20 0 14 0"
        + " 1398353 1714196480 4343 18446744073709551615 4202496 5405229 140720442363136 0 0 0 1002060288 0\n";

    static final String PROC_STAT = """
        cpu  1364533 0 81524 1340633 2095 0 603 654 0 0
        cpu0 672875 0 39445 681500 442 0 145 325 0 0
        cpu1 691657 0 42078 659132 1653 0 457 329 0 0
        intr 123 0 0
        ctxt 456
        """;

    @Test
    void sumsUserAndSystemTicks() {
        assertEquals(55 + 209, ProcStat.processTicks(WIREGUARD_GO));
    }

    @Test
    void countsFieldsFromTheLastParenthesisSoACommandNameWithSpacesAndParenthesesParses() {
        String line = "42 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 7 8 0 0 20 0 1 0 100 0 0";
        assertEquals(15, ProcStat.processTicks(line));
    }

    @Test
    void rejectsALineWithoutCommandName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcStat.processTicks("42 R 1 2 3"));
        assertTrue(e.getMessage().contains("(comm)"), e.getMessage());
    }

    @Test
    void rejectsALineCutBeforeStime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ProcStat.processTicks("42 (x) R 1 1 1 0 -1 0 0 0 0 0 7"));
        assertTrue(e.getMessage().contains("utime and stime"), e.getMessage());
    }

    @Test
    void rejectsTicksThatAreNotNumbers() {
        assertThrows(IllegalArgumentException.class,
            () -> ProcStat.processTicks("42 (x) R 1 1 1 0 -1 0 0 0 0 0 seven 8 0"));
    }

    @Test
    void readsTheMachineCountersAndCountsCpus() {
        ProcStat.MachineTicks t = ProcStat.machineTicks(PROC_STAT);
        assertEquals(1364533 + 81524 + 603 + 654, t.busy());
        assertEquals(1364533 + 81524 + 1340633 + 2095 + 603 + 654, t.total());
        assertEquals(2, t.cpus());
    }

    @Test
    void machineCoresAreTheBusyShareTimesTheCpuCount() {
        ProcStat.MachineTicks before = new ProcStat.MachineTicks(1000, 4000, 2);
        ProcStat.MachineTicks after = new ProcStat.MachineTicks(1150, 4200, 2);
        assertEquals(1.5, after.coresSince(before), 1e-9);
        assertEquals(0, before.coresSince(before));
    }

    @Test
    void rejectsTextThatIsNotProcStat() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.machineTicks("intr 1 2 3\n"));
        assertThrows(IllegalArgumentException.class, () -> ProcStat.machineTicks("cpu  1 2 3\n"));
    }

    @Test
    void readsItsOwnProcessAndTheMachine() {
        assertTrue(ProcStat.processTicks(ProcessHandle.current().pid()) > 0);
        assertTrue(ProcStat.machineTicks().total() > 0);
        assertTrue(ProcStat.clockTicksPerSecond() > 0);
    }

    @Test
    void aProcessThatIsGoneIsReportedByPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        BenchException e = assertThrows(BenchException.class, () -> ProcStat.processTicks(pid));
        assertTrue(e.getMessage().startsWith("process " + pid + " exited"), e.getMessage());
    }
}
