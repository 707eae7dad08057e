package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    @Test
    void summarisesRepeatsByTheirMedian() {
        TunnelOutcome wg = Runs.outcome("wireguard-go", Runs.tcp(1, 1.0, 1.5, 2, -1),
            Runs.tcp(2, 1.25, 1.45, 2, -1), Runs.tcp(3, 0.2, 1.0, 2, -1));
        assertEquals(1.0, wg.median(Runs.TCP1));
        assertEquals(0.2, wg.min(Runs.TCP1));
        assertEquals(1.25, wg.max(Runs.TCP1));
        assertEquals(1.45, wg.median(Metric.tunnelCores(1)));
        assertEquals(1.5, wg.median(Metric.coresPerGbit(1)), 1e-9);
        assertTrue(Double.isNaN(wg.median(Metric.udpLoss(64))), "a metric no run measured has no median");
        assertEquals(2.5, TunnelOutcome.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(TunnelOutcome.median(new double[0])));
    }

    @Test
    void showsRatiosToWireguardGoAndGcCyclesAndWhySomethingWasSkipped() {
        TunnelOutcome wg = Runs.outcome("wireguard-go", Runs.tcp(1, 1.25, 1.45, 2, -1));
        TunnelOutcome qgate = Runs.outcome("qgate", Runs.tcp(1, 3.75, 1.45, 2, 0));
        TunnelOutcome plain = Runs.outcome("plain", Runs.tcp(1, 10, 0, 1.9, -1));
        String table = ResultTable.render(List.of(plain, wg, qgate), 1);
        String[] lines = table.split("\n");
        assertTrue(lines[1].matches("plain +10\\.00 +- +- +1\\.90 +8\\.00x +-"), lines[1]);
        assertTrue(lines[2].matches("wireguard-go +1\\.25 +1\\.45 +1\\.160 +2\\.00 +1\\.00x +1\\.00x"), lines[2]);
        assertTrue(lines[3].matches("qgate +3\\.75 +1\\.45 +0\\.387 +2\\.00 +3\\.00x +0\\.33x"), lines[3]);
        assertTrue(lines[4].strip().equals("GC cycles during the run: 0"), lines[4]);

        TunnelOutcome skipped = new TunnelOutcome("qgate");
        skipped.skip("`qgate up` is not available yet.");
        assertTrue(ResultTable.render(List.of(skipped), 1).contains("qgate          skipped: `qgate up` is not available yet."));
    }

    @Test
    void withoutWireguardGoThereAreNoRatios() {
        String table = ResultTable.render(List.of(Runs.outcome("plain", Runs.tcp(1, 10, 0, 1.9, -1))), 1);
        assertTrue(table.split("\n")[1].matches("plain +10\\.00 +- +- +1\\.90 +- +-"), table);
    }
}
