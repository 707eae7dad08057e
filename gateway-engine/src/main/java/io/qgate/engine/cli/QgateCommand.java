package io.qgate.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code qgate} command line.
 *
 * <p>Convention for every subcommand: exit 0 on success, 1 when a check or operation failed,
 * 2 for a usage error. A user error prints one line on standard error, {@code qgate: } and a
 * sentence naming the cause and the fix; the stack trace only with {@code --verbose}, which every
 * command accepts before or after its name ({@link UserErrorHandler}, {@link UsageErrorHandler}).
 * Every command's {@code --help} ends with an {@code Example:} footer.
 */
@Command(
    name = "qgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "qgate: a post-quantum VPN gateway for Linux.",
    subcommands = {SelfCheckCommand.class, UpCommand.class, DownCommand.class, ReloadCommand.class, PeerCommand.class,
        StatusCommand.class, ShowCommand.class, TopCommand.class, RootCommand.class, KeygenCommand.class, CertCommand.class,
        DemoCommand.class, BenchCommand.class, CompletionCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Example:", "  qgate root init --out /etc/qgate/pki", "  qgate selfcheck",
        "", "Every command: qgate COMMAND --help. All commands with examples: docs/CLI.md."})
public final class QgateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
        description = "on an error, also print the stack trace (and more detail where a command has it)")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The configured command line whose commands {@code factory} creates (tests replace a command's environment). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(new QgateCommand(), factory);
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.getSubcommands().get("help").getCommandSpec().usageMessage()
            .footer("", "Example:", "  qgate help cert revoke");
        return cl;
    }

    /** Whether {@code --verbose} was given anywhere on the command line that ran {@code command}. */
    static boolean verbose(CommandLine.Model.CommandSpec command) {
        return command.root().userObject() instanceof QgateCommand root && root.verbose;
    }
}
