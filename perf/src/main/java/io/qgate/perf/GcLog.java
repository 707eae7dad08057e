package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts garbage-collection cycles in a JVM unified log written with {@code -Xlog:gc:file=...}.
 *
 * <p>Every collector tags each line of a cycle with its number, {@code GC(n)}: a G1 young pause is
 * one line, a concurrent cycle several ({@code Pause Young (Concurrent Start)}, {@code Concurrent
 * Mark Cycle}, {@code Pause Remark}, ...). Counting distinct numbers therefore counts cycles, not
 * lines, whatever the collector and whatever the log level.
 */
public final class GcLog {
    private static final Pattern CYCLE = Pattern.compile("\\bGC\\((\\d+)\\)");

    private GcLog() {
    }

    /** Distinct GC cycles mentioned in the log text. */
    public static int cycles(String logText) {
        Set<String> ids = new HashSet<>();
        Matcher m = CYCLE.matcher(logText);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids.size();
    }

    /**
     * Distinct GC cycles in the log file so far; 0 when the JVM has not created it yet.
     *
     * @throws BenchException when the file exists but cannot be read
     */
    public static int cycles(Path log) {
        try {
            return cycles(Files.readString(log));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new BenchException("cannot read the GC log " + log + ": " + e.getMessage(), e);
        }
    }
}
