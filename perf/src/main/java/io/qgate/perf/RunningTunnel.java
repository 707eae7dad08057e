package io.qgate.perf;

import java.nio.file.Path;
import java.util.List;

/**
 * A tunnel that is up: the processes that carry its packets (their CPU time is the tunnel's
 * cost; empty for the kernel-only {@code plain} path) and the GC logs they write, if any.
 */
public record RunningTunnel(List<BackgroundProcess> processes, List<Path> gcLogs) {
    public RunningTunnel {
        processes = List.copyOf(processes);
        gcLogs = List.copyOf(gcLogs);
    }

    /** Throws, quoting its log, if one of the tunnel's processes has exited. */
    public void requireAlive(String step) {
        for (BackgroundProcess p : processes) {
            p.requireAlive(step);
        }
    }
}
