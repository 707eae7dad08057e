package io.qgate.ffm.linux;

/**
 * Receives io_uring completions from {@link IoUring#drain}, one call per completion queue entry,
 * on the ring's owner thread. Implementations on the data path should be a long-lived object
 * (not a lambda capturing per-batch state) so draining allocates nothing.
 */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * One completion.
     *
     * @param userData the value given when the request was prepared
     * @param result   the operation's return value: a byte count or 0, or {@code -errno}
     *                 (for example {@code -Errno.EBADF}) when it failed
     * @param flags    {@code IORING_CQE_F_*} bits
     */
    void complete(long userData, int result, int flags);
}
