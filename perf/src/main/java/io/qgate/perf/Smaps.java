package io.qgate.perf;

/**
 * Resident memory of an address range, from {@code /proc/<pid>/smaps} (proc(5)): each mapping is
 * a header line {@code start-end perms offset dev inode [path]} (hexadecimal addresses, end
 * exclusive) followed by field lines such as {@code Rss: 1234 kB}.
 *
 * <p>A soak uses it to split a JVM's resident memory into the Java heap's pages and the rest: the
 * heap is one reserved range that the JVM may split into several mappings as it commits parts of
 * it, so every mapping that starts inside the range counts.
 */
public final class Smaps {
    /** At most this many lines are read: a JVM has a few hundred mappings of about 25 lines each. */
    static final int MAX_LINES = 1 << 20;

    private Smaps() {
    }

    /**
     * The {@code Rss} of every mapping that starts in {@code [start, end)}, in KiB.
     *
     * @throws IllegalArgumentException when the text has more than {@link #MAX_LINES} lines, a
     *                                  header's addresses or an Rss value is malformed
     */
    public static long residentKib(String smaps, long start, long end) {
        long total = 0;
        boolean inside = false;
        int lines = 0;
        for (String line : smaps.split("\n", -1)) {
            if (++lines > MAX_LINES) {
                throw new IllegalArgumentException("more than " + MAX_LINES + " lines: not an smaps file");
            }
            if (line.startsWith("Rss:")) {
                long kib = rssKib(line);
                if (inside) {
                    if (kib > Long.MAX_VALUE - total) {
                        throw new IllegalArgumentException("the Rss values add up to more than 2^63 KiB: not an smaps file");
                    }
                    total += kib;
                }
            } else if (isHeader(line)) {
                long from = address(line, 0, line.indexOf('-'));
                inside = Long.compareUnsigned(from, start) >= 0 && Long.compareUnsigned(from, end) < 0;
            }
        }
        return total;
    }

    /**
     * The text of {@code /proc/<pid>/smaps}.
     *
     * @throws BenchException when the process is gone or the file cannot be read
     */
    public static String read(long pid) {
        return ProcStatus.readProcFile(pid, "smaps");
    }

    /** A mapping's header: "hex-hex " at the start of the line (field lines start with a name and a colon). */
    private static boolean isHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        if (dash <= 0 || space <= dash + 1) {
            return false;
        }
        for (int i = 0; i < space; i++) {
            char c = line.charAt(i);
            if (i != dash && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static long address(String line, int from, int to) {
        if (to - from > 16) {
            throw new IllegalArgumentException("an address of more than 64 bits: " + line);
        }
        return Long.parseUnsignedLong(line, from, to, 16);
    }

    private static long rssKib(String line) {
        String[] f = line.substring("Rss:".length()).strip().split("\\s+");
        if (f.length != 2 || !f[1].equals("kB")) {
            throw new IllegalArgumentException("an Rss line not in \"Rss: N kB\" form: " + line);
        }
        long kib;
        try {
            kib = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an Rss value that is not a number: " + line, e);
        }
        if (kib < 0) {
            throw new IllegalArgumentException("a negative Rss value: " + line);
        }
        return kib;
    }
}
