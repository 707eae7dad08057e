package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a JVM of its own with this JVM's class path and none of the
 * build's JVM flags (so without pom.xml's {@code --add-opens}), for tests of what qgate does
 * when the JDK's internals are closed to it.
 */
public final class ChildJvm {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private ChildJvm() {
    }

    /** Standard output and error of {@code mainClass} run with {@code options}; asserts exit 0 within 120 s. */
    public static String run(List<String> options, Class<?> mainClass) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
