package io.qgate.engine.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code qgate bench [ARGS...]}: runs {@code perf/bin/tunnel-bench} with every argument qgate does
 * not know passed through unchanged (see {@code perf/README.md}); needs root. {@code qgate bench
 * soak ...} reaches {@code perf/bin/soak} the same way: tunnel-bench hands a first argument
 * {@code soak} on to it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Run the tunnel benchmark (perf/bin/tunnel-bench); needs root.",
        "iperf3 through tunnels between two network namespaces. Every other argument goes to tunnel-bench"
            + " (its options: perf/README.md, or 'qgate bench -- --help'). Build the perf module first:"
            + " ./mvnw -q -DskipTests -pl perf -am package",
        "'qgate bench compare' measures every tunnel with every measurement 3 times and writes a table and a chart"
            + " to perf/results/<date>-compare/.",
        "'qgate bench soak' runs perf/bin/soak: two gateways rekeying every 5 s under steady traffic for an hour,"
            + " with a report and curves of memory, file descriptors and threads in perf/results/<date>-soak/."},
    footer = {"", "Example:", "  sudo ./qgate bench compare",
        "  sudo ./qgate bench --tunnels plain,qgate --seconds 10 --repeat 3",
        "  sudo ./qgate bench --tunnels qgate --json perf/results/run.json",
        "  sudo ./qgate bench soak --minutes 60"})
final class BenchCommand extends ScriptCommand {
    static final String SCRIPT = "perf/bin/tunnel-bench";

    @Unmatched
    List<String> passThrough = new ArrayList<>();

    BenchCommand() {
        this(ScriptCommand::effectiveUid);
    }

    /** A bench command that takes the user id from {@code uid} (tests pretend not to be root). */
    BenchCommand(LongSupplier uid) {
        super("bench", SCRIPT, "it creates network namespaces, veth pairs and tunnels", uid);
    }

    @Override
    List<String> arguments() {
        List<String> arguments = new ArrayList<>(passThrough);
        arguments.remove("--"); // picocli keeps the end-of-options marker among unmatched arguments
        return arguments;
    }
}
