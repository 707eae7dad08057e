package io.qgate.distribution;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process these tests run: its exit status and its output, each stream read from a file so
 * that a chatty process never blocks on a full pipe. A process that outlives its time limit is
 * killed (it and its descendants, by PID) and fails the test.
 */
record Command(int exit, String out, String err) {

    /** Where the project lives: the Maven build passes it; from an IDE, the working folder's parent. */
    static Path root() {
        String root = System.getProperty("qgate.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /** The project's version, as Maven knows it. */
    static String version() {
        return System.getProperty("qgate.version", "0.1.0-SNAPSHOT");
    }

    static Command run(Duration limit, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("qgt-out", ".txt");
        Path err = Files.createTempFile("qgt-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit.toSeconds() + " s; output:\n"
                    + Files.readString(out) + Files.readString(err));
            }
            return new Command(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static Command run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, Map.of(), List.of(command));
    }

    /** Both streams, for assertion messages. */
    String output() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** True if {@code tool} is on the PATH. */
    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
