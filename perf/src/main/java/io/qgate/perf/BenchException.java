package io.qgate.perf;

/**
 * A benchmark step failed for a reason the user can act on (a missing tool, a tunnel that did not
 * come up, a process that died). The message is one sentence naming the cause and what to do;
 * the harness prints it without a stack trace.
 */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
