package io.qgate.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * One run of the qgate command line, in this JVM ({@link #run}) or as a process of its own
 * ({@link #process}, for what is fixed per process: system properties read once, JVM flags,
 * signal dispositions): its exit status and what it wrote to out and err.
 */
record CliRun(int exit, String out, String err) {
    /** Longest a child process may take. */
    private static final long PROCESS_LIMIT_SECONDS = 120;

    /** The command that runs {@code mainClass} in a new JVM with this one's binary and class path, and {@code jvmOptions}. */
    static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code command} as a process and waits for it (at most 120 s); its error output is in {@link #out}. */
    static CliRun process(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(PROCESS_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(command.getLast() + " did not finish in " + PROCESS_LIMIT_SECONDS + " s:\n" + out);
            }
            return new CliRun(process.exitValue(), out, "");
        } finally {
            process.destroyForcibly(); // a no-op once it has exited
        }
    }
    static CliRun run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    /** A run whose commands {@code factory} creates (to give a command a pretend environment). */
    static CliRun run(CommandLine.IFactory factory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = QgateCommand.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
