package io.qgate.perf;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The undo list of one benchmark: every namespace created and every process started registers
 * how to remove it, and {@link #runAll()} removes them newest first.
 *
 * <p>Concurrency contract:
 * <ol>
 *   <li>{@link #runAll()} is called by the benchmark thread in a {@code finally} and by the JVM's
 *       shutdown hook on SIGINT/SIGTERM; the methods are {@code synchronized}, so each action
 *       runs at most once, whichever caller gets there first.</li>
 *   <li>After {@link #shutDown()} (the hook), {@link #register} runs the new action at once and
 *       throws, so a benchmark thread that is still running cannot leave anything behind.</li>
 *   <li>An action that fails does not stop the others; the first failure is reported.</li>
 * </ol>
 */
public final class Cleanup {
    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean shutDown;

    private record Step(String what, Runnable action) {
    }

    /**
     * Registers how to undo something just created.
     *
     * @param what for the message if the undo fails, e.g. "remove namespace qgb-1a2b3c-a"
     * @throws BenchException when the harness is shutting down (the action has then already run)
     */
    public synchronized void register(String what, Runnable action) {
        if (shutDown) {
            runQuietly(new Step(what, action));
            throw new BenchException("interrupted: the harness is shutting down.");
        }
        steps.push(new Step(what, action));
    }

    /**
     * Runs every registered action, newest first, and forgets them.
     *
     * @return the first failure as one line, or {@code null} when all succeeded
     */
    public synchronized String runAll() {
        String first = null;
        while (!steps.isEmpty()) {
            String failure = runQuietly(steps.pop());
            if (first == null) {
                first = failure;
            }
        }
        return first;
    }

    /** For the shutdown hook: undo everything and refuse new work. */
    public synchronized void shutDown() {
        shutDown = true;
        String failure = runAll();
        if (failure != null) {
            System.err.println("tunnel-bench: " + failure);
        }
    }

    private static String runQuietly(Step step) {
        try {
            step.action().run();
            return null;
        } catch (RuntimeException e) {
            return "could not " + step.what() + ": " + e.getMessage();
        }
    }
}
