package io.qgate.ffm.linux;

/**
 * io_uring cannot be used on this machine (kernel too old, turned off by
 * {@code kernel.io_uring_disabled}, or forbidden by a seccomp filter). The message says which and
 * what to do; a caller that has another I/O backend should fall back to it.
 */
public final class IoUringUnavailableException extends RuntimeException {
    private final String reason;

    IoUringUnavailableException(String reason, Throwable cause) {
        super("io_uring is not available here: " + reason, cause);
        this.reason = reason;
    }

    /** The reason alone, without the "io_uring is not available here" prefix. */
    public String reason() {
        return reason;
    }
}
