package io.qgate.perf;

import java.nio.file.Path;
import java.util.List;

/**
 * No tunnel: the inner addresses go straight onto the veth pair, so iperf3 runs over the bare
 * kernel path at MTU 1500. This is the ceiling every real tunnel is compared with; it has no
 * processes of its own, so its tunnel CPU is zero and only the machine's CPU is reported.
 */
public final class PlainTunnel implements Tunnel {
    public static final String NAME = "plain";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup) {
        for (Side side : Side.values()) {
            InnerAddresses.assign(pair, side, pair.veth(side));
        }
        pair.awaitPing(Side.A, 5, () -> { });
        return new RunningTunnel(List.of(), List.of());
    }
}
