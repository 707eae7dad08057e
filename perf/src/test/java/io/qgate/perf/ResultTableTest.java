package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static TunnelOutcome outcome(String name, RunResult... runs) {
        TunnelOutcome o = new TunnelOutcome(name);
        for (RunResult r : runs) {
            o.add(r);
        }
        return o;
    }

    @Test
    void summarisesRepeatsByTheirMedian() {
        TunnelOutcome wg = outcome("wireguard-go", new RunResult(1, 1.0, 1.5, 2, -1),
            new RunResult(2, 1.25, 1.45, 2, -1), new RunResult(3, 0.2, 1.0, 2, -1));
        assertEquals(1.0, wg.medianGbitPerSecond());
        assertEquals(1.45, wg.medianTunnelCores());
        assertEquals(1.5, wg.medianCoresPerGbit(), 1e-9);
        assertEquals(2.5, TunnelOutcome.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(TunnelOutcome.median(new double[0])));
    }

    @Test
    void showsRatiosToWireguardGoAndGcCyclesAndWhySomethingWasSkipped() {
        TunnelOutcome wg = outcome("wireguard-go", new RunResult(1, 1.25, 1.45, 2, -1));
        TunnelOutcome qgate = outcome("qgate", new RunResult(1, 3.75, 1.45, 2, 0));
        TunnelOutcome plain = outcome("plain", new RunResult(1, 10, 0, 1.9, -1));
        String table = ResultTable.render(List.of(plain, wg, qgate));
        String[] lines = table.split("\n");
        assertTrue(lines[1].matches("plain +10\\.00 +- +- +1\\.90 +8\\.00x +-"), lines[1]);
        assertTrue(lines[2].matches("wireguard-go +1\\.25 +1\\.45 +1\\.160 +2\\.00 +1\\.00x +1\\.00x"), lines[2]);
        assertTrue(lines[3].matches("qgate +3\\.75 +1\\.45 +0\\.387 +2\\.00 +3\\.00x +0\\.33x"), lines[3]);
        assertTrue(lines[4].strip().equals("GC cycles during the run: 0"), lines[4]);

        TunnelOutcome skipped = new TunnelOutcome("qgate");
        skipped.skip("`qgate up` is not available yet.");
        assertTrue(ResultTable.render(List.of(skipped)).contains("qgate          skipped: `qgate up` is not available yet."));
    }

    @Test
    void withoutWireguardGoThereAreNoRatios() {
        String table = ResultTable.render(List.of(outcome("plain", new RunResult(1, 10, 0, 1.9, -1))));
        assertTrue(table.split("\n")[1].matches("plain +10\\.00 +- +- +1\\.90 +- +-"), table);
    }
}
