package io.qgate.engine.gateway;

import io.qgate.ffm.linux.IoUring;

/** {@link TunnelNamespaceTest} with {@code io = io_uring}: the same five checks on the other I/O backend. */
class TunnelNamespaceIoUringTest extends TunnelNamespaceTest {
    @Override
    String io() {
        return "io_uring";
    }

    @Override
    String missing() {
        String missing = super.missing();
        return missing != null || IoUring.available() ? missing : "needs io_uring: " + IoUring.unavailableReason();
    }
}
