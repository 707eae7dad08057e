package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalCommandTest {
    @Test
    void capturesOutputExitAndEnvironment() {
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, Map.of("QGB_X", "42"),
            List.of("sh", "-c", "echo out $QGB_X; echo err >&2; exit 3"));
        assertEquals(3, r.exit());
        assertEquals("out 42\n", r.stdout());
        assertEquals("err\n", r.stderr());
    }

    @Test
    void aFailedStepNamesTheStepTheCommandTheExitAndWhatItSaid() {
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, "sh", "-c", "echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2");
        BenchException e = assertThrows(BenchException.class, () -> r.orThrow("create namespace qgb-1-a"));
        assertEquals("create namespace qgb-1-a failed (exit 2, `sh -c echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2`):"
            + " RTNETLINK answers: Operation not permitted", e.getMessage());
    }

    @Test
    void aCommandThatDoesNotFinishInTimeIsKilled() {
        long start = System.nanoTime();
        BenchException e = assertThrows(BenchException.class,
            () -> ExternalCommand.run(Duration.ofMillis(300), "sleep", "30"));
        assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void aMissingProgramSaysHowToInstallIt() {
        BenchException e = assertThrows(BenchException.class,
            () -> ExternalCommand.run(ExternalCommand.SHORT, "qgb-no-such-program"));
        assertTrue(e.getMessage().contains("install-deps"), e.getMessage());
        assertFalse(ExternalCommand.isInstalled("qgb-no-such-program"));
        assertTrue(ExternalCommand.isInstalled("sh"));
    }

    @Test
    void feedsAFileAsStandardInput(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        java.nio.file.Files.writeString(in, "secret\n");
        assertEquals("secret\n", ExternalCommand.run(ExternalCommand.SHORT, Map.of(), in, List.of("cat")).stdout());
    }
}
