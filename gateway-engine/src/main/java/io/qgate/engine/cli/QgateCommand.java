package io.qgate.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code qgate} command line.
 *
 * <p>Convention for every subcommand: exit 0 on success, 1 when a check or operation failed,
 * 2 for a usage error. A user error prints one sentence naming the cause and the fix; the stack
 * trace only with {@code --verbose}.
 */
@Command(
    name = "qgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "qgate: a post-quantum VPN gateway for Linux.",
    subcommands = {SelfCheckCommand.class, UpCommand.class, DownCommand.class, ReloadCommand.class, PeerCommand.class, StatusCommand.class, ShowCommand.class, TopCommand.class, CaCommand.class, CertCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Example:", "  qgate selfcheck"})
public final class QgateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new QgateCommand());
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        return cl;
    }
}
