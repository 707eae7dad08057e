package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AffinityTest {
    @Test
    void theCurrentThreadMayRunOnSomeOnlineCpus() throws Exception {
        int[] cpus = Affinity.currentThreadCpus();
        assertTrue(cpus.length >= 1);
        int online = onlineCpus();
        assertEquals(online, Affinity.availableCpus());
        for (int i = 0; i < cpus.length; i++) {
            assertTrue(cpus[i] >= 0 && cpus[i] < Affinity.MAX_CPUS, Arrays.toString(cpus));
            assertTrue(i == 0 || cpus[i] > cpus[i - 1], "ascending: " + Arrays.toString(cpus));
        }
        assertTrue(cpus.length <= online, Arrays.toString(cpus));
    }

    @Test
    void pinningRestrictsOnlyTheCallingThreadToThatCpu() throws Exception {
        int[] allowed = Affinity.currentThreadCpus();
        int target = allowed[allowed.length - 1];
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Affinity.pinCurrentThread(target);
                seen.set(new Object[] {Affinity.currentThreadCpus(), threadStatus("Cpus_allowed_list")});
            } catch (Throwable t) {
                seen.set(t);
            }
        }, "qgt-affinity");
        worker.start();
        worker.join(10_000);
        Object result = seen.get();
        if (result instanceof Throwable t) {
            throw new AssertionError(t);
        }
        Object[] pinned = (Object[]) result;
        assertArrayEquals(new int[] {target}, (int[]) pinned[0]);
        assertEquals(Integer.toString(target), pinned[1]);
        assertArrayEquals(allowed, Affinity.currentThreadCpus(), "the test thread itself is unchanged");
    }

    @Test
    void setCurrentThreadCpusRestoresAWiderSet() {
        int[] allowed = Affinity.currentThreadCpus();
        try {
            Affinity.pinCurrentThread(allowed[0]);
            assertArrayEquals(new int[] {allowed[0]}, Affinity.currentThreadCpus());
        } finally {
            Affinity.setCurrentThreadCpus(allowed);
        }
        assertArrayEquals(allowed, Affinity.currentThreadCpus());
    }

    @Test
    void aCpuOutsideTheMaskIsRejectedBeforeTheCall() {
        assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(-1));
        var e = assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(Affinity.MAX_CPUS));
        assertTrue(e.getMessage().contains("1024"), e.getMessage());
        assertThrows(IllegalArgumentException.class, Affinity::setCurrentThreadCpus);
    }

    @Test
    void pinningToAnOfflineCpuFailsWithEinvalAndLeavesTheThreadAsItWas() {
        int[] allowed = Affinity.currentThreadCpus();
        int missing = Affinity.MAX_CPUS - 1;
        assumeTrue(Arrays.stream(allowed).noneMatch(c -> c == missing), "needs a machine with fewer than 1024 CPUs");
        var e = assertThrows(LinuxException.class, () -> Affinity.pinCurrentThread(missing));
        assertEquals("sched_setaffinity", e.call());
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("1023") && e.getMessage().contains("online and allowed"), e.getMessage());
        assertArrayEquals(allowed, Affinity.currentThreadCpus());
    }

    /** Counts the CPUs in /sys/devices/system/cpu/online ("0-3,6"). */
    private static int onlineCpus() throws Exception {
        int count = 0;
        for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).trim().split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    private static String threadStatus(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return null;
    }
}
