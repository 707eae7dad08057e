package io.qgate.perf;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command that is expected to finish (ip, wg, getconf, iperf3 -c, qgate ca ...), bounded
 * in time. Its output goes to temporary files rather than pipes so that a chatty command can never
 * block on a full pipe while the harness waits for it.
 */
public final class ExternalCommand {
    /** Bound for configuration commands (ip, wg, getconf): they take milliseconds. */
    public static final Duration SHORT = Duration.ofSeconds(20);

    private ExternalCommand() {
    }

    /**
     * What a finished command left behind.
     *
     * @param command the command line, for messages
     * @param exit    its exit status
     */
    public record Result(List<String> command, int exit, String stdout, String stderr) {
        /**
         * Returns this result when the command succeeded.
         *
         * @param step what the harness was doing, for the message
         * @throws BenchException naming the step, the exit status and the command's own complaint
         */
        public Result orThrow(String step) {
            if (exit != 0) {
                String said = firstLines(stderr.isBlank() ? stdout : stderr, 3);
                throw new BenchException(step + " failed (exit " + exit + ", `" + String.join(" ", command) + "`)"
                    + (said.isEmpty() ? "." : ": " + said));
            }
            return this;
        }
    }

    /** Runs {@code command} with the harness's environment; see {@link #run(Duration, Map, List)}. */
    public static Result run(Duration timeout, String... command) {
        return run(timeout, Map.of(), List.of(command));
    }

    /**
     * Runs {@code command} to completion.
     *
     * @param extraEnv variables added to the harness's environment
     * @throws BenchException when the program cannot be started (usually: not installed) or does
     *                        not finish within {@code timeout}, in which case it is killed
     */
    public static Result run(Duration timeout, Map<String, String> extraEnv, List<String> command) {
        return run(timeout, extraEnv, null, command);
    }

    /**
     * Runs {@code command} to completion with {@code stdin} as its standard input.
     *
     * @param stdin a file to read, or {@code null} for /dev/null
     * @see #run(Duration, Map, List)
     */
    public static Result run(Duration timeout, Map<String, String> extraEnv, Path stdin, List<String> command) {
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("qgb-out", ".txt");
            err = File.createTempFile("qgb-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                .redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
            pb.environment().putAll(extraEnv);
            Process p = startOrExplain(pb, command);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new BenchException("`" + String.join(" ", command) + "` did not finish within "
                    + timeout.toSeconds() + " s and was killed.");
            }
            return new Result(List.copyOf(command), p.exitValue(),
                Files.readString(out.toPath()), Files.readString(err.toPath()));
        } catch (IOException e) {
            throw new BenchException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while running `" + String.join(" ", command) + "`.", e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }

    /**
     * At most {@code lines} non-blank lines of {@code text}, joined by " / " and cut at 300
     * characters: enough of a command's complaint for a one-line message.
     */
    public static String firstLines(String text, int lines) {
        String joined = String.join(" / ", text.strip().lines().filter(l -> !l.isBlank()).limit(lines).toList());
        return joined.length() <= 300 ? joined : joined.substring(0, 300) + "...";
    }

    /** Whether {@code program} is an executable file in one of the directories of PATH. */
    public static boolean isInstalled(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts {@code pb}, turning "no such program" into one sentence that says how to get it.
     */
    static Process startOrExplain(ProcessBuilder pb, List<String> command) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot start `" + command.getFirst() + "` (" + e.getMessage()
                + "): install what perf/bin/install-deps installs, or check the path.", e);
        }
    }
}
