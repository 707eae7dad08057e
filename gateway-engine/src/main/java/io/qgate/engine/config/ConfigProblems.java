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

    /** Most problems listed: a binary file given by mistake would otherwise list thousands. */
    static final int MAX_LISTED = 50;

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

    /** {@code text} with control characters shown as '?', so that a message stays one readable line. */
    static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    /** Throws a {@link ConfigException} listing every problem by line, if there is any. */
    void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        problems.stream().sorted(Comparator.comparingInt(Problem::line)).limit(MAX_LISTED)
            .forEach(p -> lines.add(file + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.text()));
        if (problems.size() > MAX_LISTED) {
            lines.add(file + ": and " + (problems.size() - MAX_LISTED) + " more problems; fix these first");
        }
        throw new ConfigException(file, lines, problems.size());
    }
}
