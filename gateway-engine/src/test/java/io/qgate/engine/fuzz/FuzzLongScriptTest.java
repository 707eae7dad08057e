package io.qgate.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code scripts/fuzz-long} refuses bad arguments before it builds or fuzzes anything. */
class FuzzLongScriptTest {
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolveSibling("scripts")
        .resolve("fuzz-long");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--minutes 0        | --minutes must be a whole number of minutes, at least 1 (got '0').",
        "--minutes ten      | --minutes must be a whole number of minutes, at least 1 (got 'ten').",
        "--jobs 0           | --jobs must be a whole number, at least 1 (got '0').",
        "--minutes          | --minutes needs a number, for example: scripts/fuzz-long --minutes 30",
        "--targets          | --targets needs a comma-separated list, for example: --targets EndpointFuzzTest,TrustFuzzTest#certificate",
        "--fast             | unknown argument '--fast': see scripts/fuzz-long --help"})
    void refusesABadArgumentWithOneSentenceAndExitCode2(String arguments, String message)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(arguments.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script did not stop");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertEquals("fuzz-long: " + message + "\n", output);
    }
}
