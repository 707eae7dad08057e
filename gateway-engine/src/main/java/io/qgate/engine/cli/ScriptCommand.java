package io.qgate.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import picocli.CommandLine.Option;

/**
 * A command that runs a script shipped with qgate ({@code scripts/demo},
 * {@code perf/bin/tunnel-bench}) as root. The script is found under qgate's home: {@code --home},
 * else the {@code qgate.home} system property that the {@code ./qgate} launcher sets, else the
 * {@code QGATE_HOME} environment variable. It runs with qgate's standard input, output and error,
 * and its exit status becomes qgate's. Without root it runs nothing and says why it needs root.
 */
abstract class ScriptCommand implements Callable<Integer> {
    /** Set by the launcher to the folder holding {@code qgate}, {@code scripts/} and {@code perf/}. */
    static final String HOME_PROPERTY = "qgate.home";
    static final String HOME_ENVIRONMENT = "QGATE_HOME";
    /** How long qgate, when interrupted, waits for the script to clean up before it exits itself. */
    static final long CLEANUP_WAIT_SECONDS = 30;

    private final String name;
    private final String script;
    private final String because;
    private final LongSupplier uid;

    @Option(names = "--home", paramLabel = "DIR", description = "the qgate folder holding the script (default: where the launcher is)")
    Path home;

    /**
     * @param name the qgate command, for messages
     * @param script the script's path under qgate's home
     * @param because what the script does that needs root
     * @param uid the effective user id (tests pretend not to be root)
     */
    ScriptCommand(String name, String script, String because, LongSupplier uid) {
        this.name = name;
        this.script = script;
        this.because = because;
        this.uid = uid;
    }

    /** The script's arguments. */
    abstract List<String> arguments();

    @Override
    public final Integer call() throws Exception {
        Path found = locate(home(home), script);
        requireRoot(uid.getAsLong(), name, because);
        return run(found, arguments());
    }

    /** qgate's home: {@code option} if given, else the launcher's property, else the environment variable. */
    static Path home(Path option) {
        if (option != null) {
            return option;
        }
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv(HOME_ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        throw new IllegalArgumentException("cannot tell where qgate is installed (no -D" + HOME_PROPERTY + " and no "
            + HOME_ENVIRONMENT + "): run it through the ./qgate launcher, or pass --home with the qgate folder");
    }

    /** The executable {@code relative} under {@code home}. */
    static Path locate(Path home, String relative) {
        Path script = home.resolve(relative);
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException(script + " does not exist: pass --home with the qgate checkout that has "
                + relative + " (it is not part of every distribution)");
        }
        if (!Files.isExecutable(script)) {
            throw new IllegalArgumentException(script + " is not executable: chmod +x " + script);
        }
        return script;
    }

    /**
     * Refuses to go on unless {@code uid} is 0, naming what the command does that needs root.
     *
     * @param command the qgate command, e.g. {@code "demo"}
     * @param because what it does that needs root
     */
    static void requireRoot(long uid, String command, String because) {
        if (uid != 0) {
            throw new IllegalArgumentException("qgate " + command + " needs root, because " + because
                + ": run it as root, for example with sudo ./qgate " + command);
        }
    }

    /** The effective user id of this process, from {@code /proc/self/status} (Linux; -1 if unknown). */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // real, effective, saved, fs
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // not Linux or no procfs: treated as not root, and the message says what is needed
        }
        return -1;
    }

    /**
     * Runs {@code script} with {@code arguments}, sharing qgate's terminal, and returns its exit
     * status. If qgate is interrupted (Ctrl-C reaches the script too), qgate waits up to
     * {@link #CLEANUP_WAIT_SECONDS} for the script to finish its cleanup before exiting.
     */
    static int run(Path script, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(arguments.size() + 1);
        command.add(script.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).inheritIO().start();
        Thread waitForCleanup = new Thread(() -> {
            try {
                process.waitFor(CLEANUP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "qgate-script-cleanup");
        Runtime.getRuntime().addShutdownHook(waitForCleanup);
        try {
            return process.waitFor();
        } finally {
            Runtime.getRuntime().removeShutdownHook(waitForCleanup);
        }
    }
}
