package io.qgate.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code qgate version}: qgate's version and the runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print qgate's version and the Java runtime.",
    footer = {"", "Example:", "  qgate version"})
final class VersionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = QgateCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "qgate " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                    + System.getProperty("os.arch"),
            };
        }
    }
}
