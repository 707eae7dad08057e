package io.qgate.ffm.linux;

/**
 * A failed Linux call: names the call, the errno (symbolic and numeric) and, where there is one,
 * what the user can do, in one sentence.
 */
public final class LinuxException extends RuntimeException {
    private final String call;
    private final int errno;

    public LinuxException(String call, int errno, String context) {
        this(call, errno, context, Errno.hint(errno));
    }

    public LinuxException(String call, int errno, String context, String hint) {
        super(message(call, errno, context, hint));
        this.call = call;
        this.errno = errno;
    }

    private static String message(String call, int errno, String context, String hint) {
        StringBuilder text = new StringBuilder(call).append(" failed");
        if (context != null && !context.isEmpty()) {
            text.append(" (").append(context).append(')');
        }
        text.append(": ").append(Errno.name(errno)).append(" (errno ").append(errno).append(')');
        if (hint != null && !hint.isEmpty()) {
            text.append(": ").append(hint);
        }
        return text.toString();
    }

    /** The call that failed, such as {@code ioctl(TUNSETIFF)}. */
    public String call() {
        return call;
    }

    /** The errno it set. */
    public int errno() {
        return errno;
    }
}
