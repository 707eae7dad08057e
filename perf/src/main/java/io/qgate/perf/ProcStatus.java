package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resident memory and thread count as {@code /proc/<pid>/status} reports them (proc(5):
 * {@code VmRSS}, in kB; {@code Threads}).
 */
public final class ProcStatus {
    private ProcStatus() {
    }

    /**
     * The {@code VmRSS} line of a {@code /proc/<pid>/status} text, in KiB (the kernel's "kB" is
     * 1024 bytes).
     *
     * @throws IllegalArgumentException when there is no well-formed VmRSS line (a kernel thread
     *                                  has none)
     */
    public static long vmRssKib(String status) {
        String line = line(status, "VmRSS:", " (is it a kernel thread?)");
        String[] f = line.substring("VmRSS:".length()).strip().split("\\s+");
        if (f.length == 2 && f[1].equals("kB")) {
            return number(f[0], line, "VmRSS");
        }
        throw new IllegalArgumentException("a VmRSS line not in \"VmRSS: N kB\" form: " + line);
    }

    /**
     * The {@code Threads} line of a {@code /proc/<pid>/status} text: the process's threads.
     *
     * @throws IllegalArgumentException when there is no well-formed Threads line
     */
    public static int threads(String status) {
        String line = line(status, "Threads:", "");
        return Math.toIntExact(number(line.substring("Threads:".length()).strip(), line, "Threads"));
    }

    /**
     * The resident memory of process {@code pid}, in KiB.
     *
     * @throws BenchException when the process no longer exists or has no VmRSS
     */
    public static long vmRssKib(long pid) {
        String status = read(pid);
        try {
            return vmRssKib(status);
        } catch (IllegalArgumentException e) {
            throw new BenchException("/proc/" + pid + "/status: " + e.getMessage(), e);
        }
    }

    /**
     * The text of {@code /proc/<pid>/status}.
     *
     * @throws BenchException when the process no longer exists or the file cannot be read
     */
    public static String read(long pid) {
        return readProcFile(pid, "status");
    }

    /**
     * The text of {@code /proc/<pid>/<name>}.
     *
     * @throws BenchException when the process no longer exists or the file cannot be read (another
     *                        user's process needs root)
     */
    static String readProcFile(long pid, String name) {
        Path file = Path.of("/proc", Long.toString(pid), name);
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BenchException("process " + pid + " exited before its memory could be read: see its log for why it stopped.", e);
        } catch (IOException e) {
            throw new BenchException("cannot read " + file + " (run as root to read another user's process): " + e.getMessage(), e);
        }
    }

    private static String line(String status, String prefix, String hint) {
        for (String line : status.split("\n")) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalArgumentException("no " + prefix.substring(0, prefix.length() - 1) + " line in /proc/<pid>/status" + hint + ".");
    }

    private static long number(String text, String line, String field) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a " + field + " line with a bad number: " + line, e);
        }
    }
}
