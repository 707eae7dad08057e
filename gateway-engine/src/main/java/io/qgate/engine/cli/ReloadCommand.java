package io.qgate.engine.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qgate reload <interface>}: the running gateway re-reads its configuration file's peer list. */
@Command(name = "reload", description = "Make the gateway for INTERFACE re-read its configuration's peer list; "
    + "sessions of unchanged peers stay up (SIGHUP does the same).",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate reload qg0"})
public final class ReloadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "INTERFACE", description = "the interface name from the gateway's configuration")
    String name;
    @picocli.CommandLine.Mixin
    RunDirectory run;

    @Override
    public Integer call() throws Exception {
        return GatewaySocket.request(run, name, "reload");
    }
}
