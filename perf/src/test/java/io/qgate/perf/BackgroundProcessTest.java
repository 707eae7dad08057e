package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void awaitReadyReturnsOnceTheConditionHolds(@TempDir Path dir) {
        Cleanup cleanup = new Cleanup();
        Path flag = dir.resolve("flag");
        BackgroundProcess p = BackgroundProcess.start("toucher", dir.resolve("log"), Map.of(),
            List.of("sh", "-c", "sleep 0.2; touch '" + flag + "'; sleep 60"), cleanup);
        p.awaitReady("create " + flag, Duration.ofSeconds(10), () -> Files.exists(flag));
        assertTrue(Files.exists(flag));
        assertNull(cleanup.runAll());
    }

    @Test
    void awaitReadyFailsWithTheLogWhenTheProcessExitsFirst(@TempDir Path dir) {
        BackgroundProcess p = BackgroundProcess.start("iperf3 server in qgb-x-b", dir.resolve("log"), Map.of(),
            List.of("sh", "-c", "echo 'iperf3: error - unable to start listener'; exit 1"), new Cleanup());
        BenchException e = assertThrows(BenchException.class,
            () -> p.awaitReady("listen on port 5201", Duration.ofSeconds(10), () -> false));
        assertTrue(e.getMessage().contains("exited with status 1 while trying to listen on port 5201"), e.getMessage());
        assertTrue(e.getMessage().contains("unable to start listener"), e.getMessage());
    }

    @Test
    void awaitReadyFailsWithTheLogWhenTheTimeRunsOut(@TempDir Path dir) {
        Cleanup cleanup = new Cleanup();
        BackgroundProcess p = BackgroundProcess.start("wireguard-go in qgb-x-a", dir.resolve("log"), Map.of(),
            List.of("sh", "-c", "echo 'UAPI listener started'; sleep 60"), cleanup);
        BenchException e = assertThrows(BenchException.class,
            () -> p.awaitReady("create the socket", Duration.ofMillis(300), () -> false));
        assertTrue(e.getMessage().contains("did not create the socket within"), e.getMessage());
        assertNull(cleanup.runAll());
    }
}
