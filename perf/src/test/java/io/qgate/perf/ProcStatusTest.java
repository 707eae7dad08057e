package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatusTest {
    @Test
    void readsVmRssInKibibytes() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t  100000 kB\n";
        assertEquals(123456, ProcStatus.vmRssKib(status));
    }

    @Test
    void aKernelThreadHasNoVmRssAndABadLineIsNamed() {
        assertEquals("no VmRSS line in /proc/<pid>/status (is it a kernel thread?).",
            assertThrows(IllegalArgumentException.class, () -> ProcStatus.vmRssKib("Name:\tkthreadd\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcStatus.vmRssKib("VmRSS:\t12 MB\n"))
            .getMessage().startsWith("a VmRSS line not in"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcStatus.vmRssKib("VmRSS:\tlots kB\n"))
            .getMessage().startsWith("a VmRSS line with a bad number"));
    }

    @Test
    void readsThisProcessAndNamesAProcessThatIsGone() {
        assertTrue(ProcStatus.vmRssKib(ProcessHandle.current().pid()) > 1024, "a JVM uses more than 1 MiB");
        BenchException e = assertThrows(BenchException.class, () -> ProcStatus.vmRssKib(Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("process " + Integer.MAX_VALUE + " exited"), e.getMessage());
    }

    @Test
    void readsTheThreadCountAndNamesAMissingLine() {
        assertEquals(29, ProcStatus.threads("Name:\tjava\nThreads:\t29\nSigQ:\t0/95000\n"));
        assertEquals("no Threads line in /proc/<pid>/status.",
            assertThrows(IllegalArgumentException.class, () -> ProcStatus.threads("Name:\tjava\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcStatus.threads("Threads:\tmany\n"))
            .getMessage().startsWith("a Threads line with a bad number"));
    }
}
