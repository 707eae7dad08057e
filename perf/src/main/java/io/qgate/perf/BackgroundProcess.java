package io.qgate.perf;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A process the harness started and must be able to stop on interrupt (a tunnel daemon, the iperf3
 * server and client), with its output
 * in a log file. It registers its own stop with a {@link Cleanup} when started, so it is stopped
 * even when a later step fails or the harness is interrupted.
 *
 * <p>It is stopped by its PID only: SIGTERM, then SIGKILL if it is still there after
 * {@link #TERM_GRACE_MS}. Commands are started through {@code ip netns exec}, which
 * {@code exec}s the program in place, so the PID is the program's own.
 */
public final class BackgroundProcess {
    /** How long a process gets to exit cleanly after SIGTERM (a gateway removes its TUN). */
    static final long TERM_GRACE_MS = 3_000;

    private final String name;
    private final Process process;
    private final Path log;

    private BackgroundProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log}.
     *
     * @param name     for messages, e.g. "wireguard-go in qgb-1a2b3c-a"
     * @param extraEnv variables added to the harness's environment
     */
    public static BackgroundProcess start(String name, Path log, Map<String, String> extraEnv,
                                          List<String> command, Cleanup cleanup) {
        File logFile = log.toFile();
        ProcessBuilder pb = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile))
            .redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        BackgroundProcess started = new BackgroundProcess(name, ExternalCommand.startOrExplain(pb, command), log);
        cleanup.register("stop " + started.describe(), started::stop);
        return started;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    /** "name (pid N)". */
    public String describe() {
        return name + " (pid " + process.pid() + ")";
    }

    /**
     * Throws when the process has already exited, quoting the end of its log.
     *
     * @param step what it should be doing, for the message
     */
    public void requireAlive(String step) {
        if (!process.isAlive()) {
            throw new BenchException(describe() + " exited with status " + process.exitValue() + " while "
                + step + "; the end of its log " + log + " says: " + logTail(600));
        }
    }

    /**
     * Polls {@code ready} every 20 ms until it holds.
     *
     * @param goal what the process is getting done, for the messages, e.g. "listen on port 5201"
     * @throws BenchException when the process exits first, or when {@code ready} still does not
     *                        hold after {@code within}; both quote the end of its log
     */
    public void awaitReady(String goal, Duration within, BooleanSupplier ready) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!ready.getAsBoolean()) {
            requireAlive("trying to " + goal);
            if (System.nanoTime() > deadline) {
                throw new BenchException(describe() + " did not " + goal + " within " + within.toSeconds()
                    + " s; its log says: " + logTail(400));
            }
            Pause.millis(20);
        }
    }

    /** The last {@code maxChars} characters of the log, on one line; "(empty)" if there are none. */
    public String logTail(int maxChars) {
        try {
            String text = Files.readString(log).strip().replace('\n', ' ');
            if (text.isEmpty()) {
                return "(empty)";
            }
            return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @return its exit status
     * @throws BenchException when it is still running after {@code timeout} (it is then stopped)
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                throw new BenchException(describe() + " did not finish within " + timeout.toSeconds() + " s and was stopped.");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for " + describe() + ".", e);
        }
    }

    /** The whole log, for a process whose output is its result. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new BenchException("cannot read the output of " + describe() + " in " + log + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM, wait, then SIGKILL: idempotent, bounded by about {@code TERM_GRACE_MS} + 2 s. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(TERM_GRACE_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    throw new BenchException(describe() + " is still running after SIGKILL.");
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
