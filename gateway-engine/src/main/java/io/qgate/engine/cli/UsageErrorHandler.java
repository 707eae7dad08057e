package io.qgate.engine.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * A usage error (unknown command or option, missing or malformed argument): one line naming the
 * mistake and where the usage is, exit status 2. picocli's "did you mean" suggestions follow on
 * their own line when there are any; with {@code --verbose} the full usage follows too.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage().strip();
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        err.println("qgate: " + message + ": see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            cl.usage(err); // the option itself may be what failed to parse, so the arguments decide
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }
}
