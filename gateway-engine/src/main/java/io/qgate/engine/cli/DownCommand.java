package io.qgate.engine.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qgate down <interface>}: stops the gateway that {@code qgate up} started for an interface. */
@Command(name = "down", description = "Stop the gateway running for INTERFACE (sends it SIGTERM and waits).",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate down qg0"})
public final class DownCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INTERFACE", description = "the interface name from the gateway's configuration")
    String name;
    @picocli.CommandLine.Mixin
    RunDirectory run;
    @Option(names = "--timeout", defaultValue = "10", description = "seconds to wait for it to stop (default: ${DEFAULT-VALUE})")
    int timeout;

    @Override
    public Integer call() throws Exception {
        Path pidFile = run.file(name, ".pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no gateway for " + name + " is running (there is no " + pidFile + ")");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(pidFile + " does not hold a process id");
        }
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process == null || !process.isAlive()) {
            Files.deleteIfExists(pidFile);
            throw new IllegalArgumentException("no gateway for " + name + " is running (process " + pid + " is gone; removed its stale pid file)");
        }
        if (!process.info().commandLine().map(c -> c.contains("qgate") || c.contains("QgateCommand")).orElse(true)) {
            throw new IllegalArgumentException("process " + pid + " named in " + pidFile + " is not a qgate gateway; not stopping it");
        }
        process.destroy();
        try {
            process.onExit().get(timeout, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the gateway for " + name + " (process " + pid + ") did not stop within " + timeout + " s");
        }
        System.out.println("qgate: " + name + " stopped");
        return 0;
    }
}
