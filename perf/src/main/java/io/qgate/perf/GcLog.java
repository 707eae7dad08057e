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
 * Counts garbage-collection cycles in a JVM unified log written with {@code -Xlog:gc:file=...}
 * ({@link #options} adds the line with the heap's address).
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
    /**
     * The Java heap's reserved range, which HotSpot logs once at start-up under
     * {@code -Xlog:gc+heap+coops=debug}: "Heap address: 0x0000000687400000, size: 6028 MB, ...".
     */
    private static final Pattern HEAP_ADDRESS = Pattern.compile("Heap address: 0x([0-9a-fA-F]{1,16}), size: (\\d{1,9}) MB");
    /** The selectors {@link #options} logs: every collection, and the heap's address once. */
    static final String SELECTORS = "gc,gc+heap+coops=debug";
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

    /**
     * The JVM options that write a log this class reads to {@code file}.
     */
    public static String options(Path file) {
        return "-Xlog:" + SELECTORS + ":file=" + file;
    }

    /**
     * The heap's reserved address range.
     *
     * @param start first byte
     * @param end   one past the last byte
     */
    public record HeapRange(long start, long end) {
    }

    /** The heap's reserved range as the log states it; null when the log has no "Heap address" line. */
    public static HeapRange heapRange(String logText) {
        Matcher m = HEAP_ADDRESS.matcher(logText);
        if (!m.find()) {
            return null;
        }
        long start = Long.parseUnsignedLong(m.group(1), 16);
        return new HeapRange(start, start + Long.parseLong(m.group(2)) * 1024 * 1024);
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
