package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Resident memory as {@code /proc/<pid>/status} reports it (proc(5): {@code VmRSS}, in kB). */
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
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring("VmRSS:".length()).strip().split("\\s+");
                if (f.length == 2 && f[1].equals("kB")) {
                    try {
                        return Long.parseLong(f[0]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("a VmRSS line with a bad number: " + line, e);
                    }
                }
                throw new IllegalArgumentException("a VmRSS line not in \"VmRSS: N kB\" form: " + line);
            }
        }
        throw new IllegalArgumentException("no VmRSS line in /proc/<pid>/status (is it a kernel thread?).");
    }

    /**
     * The resident memory of process {@code pid}, in KiB.
     *
     * @throws BenchException when the process no longer exists or has no VmRSS
     */
    public static long vmRssKib(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            return vmRssKib(Files.readString(status));
        } catch (NoSuchFileException e) {
            throw new BenchException("process " + pid + " exited before its memory could be read: see its log for why it stopped.", e);
        } catch (IOException e) {
            throw new BenchException("cannot read " + status + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new BenchException(status + ": " + e.getMessage(), e);
        }
    }
}
