package io.qgate.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qgate reload <interface>}: the running gateway re-reads its configuration file's peer list. */
@Command(name = "reload", description = "Make the gateway for INTERFACE re-read its configuration's peer list; "
    + "sessions of unchanged peers stay up (SIGHUP does the same).",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate reload qg0"})
public final class ReloadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INTERFACE", description = "the interface name from the gateway's configuration")
    String name;
    @Option(names = "--run-directory", defaultValue = "/run/qgate", description = "where 'up' keeps its files (default: ${DEFAULT-VALUE})")
    Path run;

    @Override
    public Integer call() throws Exception {
        return GatewaySocket.request(run, name, "reload");
    }
}
