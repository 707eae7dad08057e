package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundProcessTest {
    @Test
    void cleanupStopsItByPid(@TempDir Path dir) {
        Cleanup cleanup = new Cleanup();
        BackgroundProcess p = BackgroundProcess.start("sleeper", dir.resolve("log"), Map.of(),
            List.of("sleep", "60"), cleanup);
        assertTrue(p.isAlive());
        assertTrue(ProcessHandle.of(p.pid()).isPresent());
        assertNull(cleanup.runAll());
        assertFalse(p.isAlive());
    }

    @Test
    void aProcessThatTrapsSigtermIsKilled(@TempDir Path dir) {
        Cleanup cleanup = new Cleanup();
        BackgroundProcess p = BackgroundProcess.start("stubborn", dir.resolve("log"), Map.of(),
            List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"), cleanup);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!p.logTail(100).contains("ready") && System.nanoTime() < deadline) {
            Pause.millis(10);
        }
        assertNull(cleanup.runAll());
        assertFalse(p.isAlive());
    }

    @Test
    void anExitedProcessIsReportedWithTheEndOfItsLog(@TempDir Path dir) throws Exception {
        BackgroundProcess p = BackgroundProcess.start("wireguard-go in qgb-x-a", dir.resolve("log"), Map.of(),
            List.of("sh", "-c", "echo 'ERROR: (wg0) Failed to create TUN device: operation not permitted'; exit 1"), new Cleanup());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            Pause.millis(10);
        }
        BenchException e = assertThrows(BenchException.class, () -> p.requireAlive("coming up"));
        assertTrue(e.getMessage().contains("exited with status 1 while coming up"), e.getMessage());
        assertTrue(e.getMessage().contains("Failed to create TUN device"), e.getMessage());
    }
}
