package io.qgate.engine.cli;

import io.qgate.engine.telemetry.CountersFile;
import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.StatusJson;
import io.qgate.engine.telemetry.StatusText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate status [--json] [INTERFACE]}: each gateway's state and counters, read from its
 * memory-mapped counters file (no request to the gateway, which need not answer). With an
 * INTERFACE it exits 1 unless that gateway is running (a liveness probe's test).
 */
@Command(name = "status", description = "Print the state and counters of the running gateway(s), read from their counters files.",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate status", "  qgate status --json qg0"})
public final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INTERFACE", arity = "0..1", description = "one gateway's interface name (default: every gateway in the run directory)")
    String name;
    @Option(names = "--json", description = "print JSON (its shape is in docs/OPERATIONS.md)")
    boolean json;
    @picocli.CommandLine.Mixin
    RunDirectory run;

    @Override
    public Integer call() {
        List<GatewaySnapshot> gateways = read(run, name);
        if (json) {
            System.out.println(StatusJson.render(gateways, false, System.currentTimeMillis()));
        } else if (gateways.isEmpty()) {
            System.out.println("no gateway is running (no counters file in " + run + ")");
        } else {
            System.out.print(StatusText.status(gateways));
        }
        // for scripts and liveness probes: naming a gateway that is stale or dead is a failure
        return name != null && gateways.stream().anyMatch(g -> g.state() != GatewaySnapshot.State.RUNNING) ? 1 : 0;
    }

    /**
     * The snapshot of gateway {@code name}, or of every gateway in {@code run} when {@code name}
     * is null (shared with {@code qgate show}).
     *
     * @throws IllegalArgumentException naming the cause, such as no gateway running for {@code name}
     */
    static List<GatewaySnapshot> read(RunDirectory run, String name) {
        long now = System.currentTimeMillis();
        if (name != null) {
            return List.of(GatewaySnapshot.read(run.file(name, CountersFile.SUFFIX), now));
        }
        return GatewaySnapshot.find(run.path).stream().map(p -> GatewaySnapshot.read(p, now)).toList();
    }
}
