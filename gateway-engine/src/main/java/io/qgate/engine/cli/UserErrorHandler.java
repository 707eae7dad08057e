package io.qgate.engine.cli;

import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on standard error: the message names the
 * cause and the fix. With {@code --verbose} anywhere on the command line the stack trace follows.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int EXIT_FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cl.getErr().println("qgate: " + message);
        if (verbose(parsed)) {
            e.printStackTrace(cl.getErr());
        }
        return EXIT_FAILED;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.originalArgs().contains("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
