package io.qgate.engine.config;

import java.util.List;

/**
 * A configuration file is wrong (an {@link IllegalArgumentException}: a user error). Each problem is one line, {@code FILE:LINE: cause; fix}; the
 * message is that line when there is one problem, and a count followed by every problem, one per
 * line, when there are more, so that one run shows everything to fix.
 */
public final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    /** One problem that concerns the whole file (missing, unreadable, too large). */
    public ConfigException(String problem) {
        super(problem);
        this.problems = List.of(problem);
    }

    /**
     * Every problem found in {@code file}.
     *
     * @param problems each already prefixed with the file and line; at least one
     */
    public ConfigException(String file, List<String> problems) {
        this(file, problems, problems.size());
    }

    /** As above, when {@code problems} lists only the first of {@code total} and says so last. */
    ConfigException(String file, List<String> problems, int total) {
        super(message(file, problems, total));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order of the lines they concern. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String file, List<String> problems, int total) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return problems.getFirst();
        }
        StringBuilder s = new StringBuilder(file).append(": ").append(total).append(" problems:");
        for (String p : problems) {
            s.append("\n  ").append(p);
        }
        return s.toString();
    }
}
