package io.qgate.perf;

import java.nio.file.Path;

/**
 * One kind of tunnel the harness can measure. Each run gets a fresh {@link NamespacePair}; the
 * tunnel puts {@link Side}'s inner addresses on its interface in each namespace, so that the
 * iperf3 client in A reaches the server in B at {@code Side.B.innerAddress4()} through it.
 */
public interface Tunnel {
    /** The name used on the command line and in the table, e.g. "wireguard-go". */
    String name();

    /**
     * Why this tunnel cannot be measured on this machine, as one sentence naming what to do, or
     * {@code null} when it can. Called once, before the first run.
     */
    String unavailableReason();

    /**
     * Brings the tunnel up between the two namespaces and returns once a ping went through it.
     * Every process and file it creates is registered with {@code cleanup} as it is created.
     *
     * @param workDir a private, empty directory for keys, configurations and logs
     * @throws BenchException when it does not come up
     */
    RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup);
}
