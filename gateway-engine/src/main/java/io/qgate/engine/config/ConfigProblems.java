package io.qgate.engine.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tomlj.TomlPosition;

/**
 * The problems found in one configuration file so far. Checks add to it and carry on, so the
 * user sees every problem of a file at once rather than one per attempt.
 */
final class ConfigProblems {
    /** A problem and the line it concerns; line 0 means the whole file. */
    private record Problem(int line, String text) {
    }

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    ConfigProblems(String file) {
        this.file = file;
    }

    /** {@code text}: the cause, a semicolon, and what to do. */
    void add(int line, String text) {
        problems.add(new Problem(Math.max(line, 0), text));
    }

    void add(TomlPosition position, String text) {
        add(position == null ? 0 : position.line(), text);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a {@link ConfigException} listing every problem by line, if there is any. */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        problems.stream().sorted(Comparator.comparingInt(Problem::line))
            .forEach(p -> lines.add(file + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.text()));
        throw new ConfigException(file, lines);
    }
}
