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
    /** A pause's heap change, "17M->4M(384M)": used before, used after, committed; unit K, M or G. */
    private static final Pattern HEAP_CHANGE = Pattern.compile("\\b(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    /** What {@link #heapAfterLastGcKib} returns when no collection has been logged. */
    public static final long NO_GC = -1;

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
     * The heap in use after the last logged collection, in KiB ({@code 17M->4M(384M)} gives
     * 4096): the heap's live size, read without asking the JVM; {@link #NO_GC} when the log shows
     * no collection yet.
     */
    public static long heapAfterLastGcKib(String logText) {
        Matcher m = HEAP_CHANGE.matcher(logText);
        long after = NO_GC;
        while (m.find()) {
            after = Long.parseLong(m.group(3)) * kibPer(m.group(4));
        }
        return after;
    }

    private static long kibPer(String unit) {
        return switch (unit) {
            case "K" -> 1;
            case "M" -> 1024;
            default -> 1024 * 1024;
        };
    }

    /**
     * The text of a GC log; empty when the JVM has not created it yet.
     *
     * @throws BenchException when the file exists but cannot be read
     */
    public static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new BenchException("cannot read the GC log " + log + ": " + e.getMessage(), e);
        }
    }

    /**
     * Distinct GC cycles in the log file so far; 0 when the JVM has not created it yet.
     *
     * @throws BenchException when the file exists but cannot be read
     */
    public static int cycles(Path log) {
        return cycles(read(log));
    }
}
