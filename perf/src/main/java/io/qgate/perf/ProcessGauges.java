package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a soak watches for leaks in one process, read from {@code /proc} without stopping it:
 * resident memory and threads from {@code /proc/<pid>/status}, open file descriptors as the
 * entries of {@code /proc/<pid>/fd} (proc(5)).
 *
 * @param rssKib  {@code VmRSS}, KiB
 * @param threads {@code Threads}
 * @param fds     entries of {@code /proc/<pid>/fd}
 */
public record ProcessGauges(long rssKib, int threads, int fds) {
    /**
     * Reads process {@code pid}.
     *
     * @throws BenchException when the process is gone or {@code /proc} cannot be read
     */
    public static ProcessGauges read(long pid) {
        String status = ProcStatus.read(pid);
        long rss;
        int threads;
        try {
            rss = ProcStatus.vmRssKib(status);
            threads = ProcStatus.threads(status);
        } catch (IllegalArgumentException e) {
            throw new BenchException("/proc/" + pid + "/status: " + e.getMessage(), e);
        }
        return new ProcessGauges(rss, threads, openFds(pid));
    }

    /** The number of open file descriptors of {@code pid}. */
    static int openFds(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> fds = Files.list(dir)) {
            return Math.toIntExact(fds.count());
        } catch (NoSuchFileException e) {
            throw new BenchException("process " + pid + " exited before its file descriptors could be counted.", e);
        } catch (IOException e) {
            throw new BenchException("cannot list " + dir + " (run as root to read another user's process): " + e.getMessage(), e);
        }
    }
}
