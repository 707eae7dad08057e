package io.qgate.engine.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on standard error and exit status 1.
 * A user error ({@link IllegalArgumentException}, {@link IllegalStateException}, an I/O error)
 * carries a message that names the cause and the fix, printed as it is; file-system errors, whose
 * JDK message is only a path, get a sentence; anything else is a bug and says so. With
 * {@code --verbose} the stack trace follows.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int EXIT_FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = QgateCommand.verbose(cl.getCommandSpec());
        cl.getErr().println("qgate: " + sentence(e, verbose));
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return EXIT_FAILED;
    }

    static String sentence(Exception e, boolean verbose) {
        String message = e.getMessage();
        return switch (e) {
            case AccessDeniedException denied -> denied.getFile() + ": permission denied: run as a user who may access it (or with sudo)";
            case NoSuchFileException missing -> missing.getFile() + ": no such file or directory: check the path";
            case FileAlreadyExistsException exists -> exists.getFile() + " already exists"
                + (exists.getReason() == null ? ": remove it or choose another name" : ": " + exists.getReason());
            case FileSystemException other -> other.getFile() + ": " + (other.getReason() == null ? "input/output error" : other.getReason());
            case IllegalArgumentException _, IllegalStateException _, java.io.IOException _,
                 io.qgate.ffm.linux.LinuxException _ when message != null -> message;
            default -> "internal error (" + e.getClass().getName() + (message == null ? "" : ": " + message) + ")"
                + (verbose ? ": please report it with the stack trace below" : ": run again with --verbose and report the stack trace");
        };
    }
}
