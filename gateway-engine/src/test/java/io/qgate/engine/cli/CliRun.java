package io.qgate.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the qgate command line in this JVM: its exit status and what it wrote to out and err. */
record CliRun(int exit, String out, String err) {
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
