package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FuzzTargetProcess#merge} does to the kept corpus when the merge cannot run. */
class FuzzTargetProcessTest {
    @Test
    void aFailedMergeLeavesTheKeptCorpusAsItWasAndNamesItsLog(@TempDir Path directory) throws Exception {
        Path kept = Files.createDirectories(directory.resolve("kept"));
        Files.write(kept.resolve("input"), new byte[] {1, 2, 3});
        FuzzTargetProcess target = new FuzzTargetProcess("no.such.AbsentFuzzTest", "method", directory.resolve("work"),
            kept);
        // A class path without Jazzer: the merging JVM cannot even start its driver.
        Path emptyClassPath = Files.createDirectories(directory.resolve("classes"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> target.merge(List.of(), List.of(emptyClassPath)));

        assertTrue(e.getMessage().startsWith("AbsentFuzzTest#method: merging the corpus failed (exit code 1); "
            + kept + " is unchanged. Log: " + target.workDirectory().resolve("merge.log")), e.getMessage());
        assertEquals(List.of(kept.resolve("input")), files(kept));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(kept.resolve("input")));
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
