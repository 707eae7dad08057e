package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Where the control thread runs when {@code cpus} pins the data plane ({@link Gateway#controlCpus}). */
class GatewayCpusTest {
    @Test
    void theControlThreadTakesTheAllowedCpusTheDataPlaneLeaves() {
        assertArrayEquals(new int[] {1, 3}, Gateway.controlCpus(new int[] {0, 1, 2, 3}, new int[] {0, 2}));
        assertArrayEquals(new int[] {1}, Gateway.controlCpus(new int[] {0, 1}, new int[] {0}));
    }

    @Test
    void itIsNotPinnedWhenTheDataPlaneIsNotOrWhenNoCpuIsLeftOver() {
        assertArrayEquals(new int[0], Gateway.controlCpus(new int[] {0, 1}, new int[0]));
        assertArrayEquals(new int[0], Gateway.controlCpus(new int[] {0, 1}, new int[] {1, 0}));
        // data CPUs outside what the process may use (its cpuset) leave the allowed ones to control
        assertArrayEquals(new int[] {0, 1}, Gateway.controlCpus(new int[] {0, 1}, new int[] {7}));
    }
}
