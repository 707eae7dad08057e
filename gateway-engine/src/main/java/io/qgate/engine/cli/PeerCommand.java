package io.qgate.engine.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qgate peer add|remove}: changes the peers of a running gateway (not its configuration file). */
@Command(name = "peer", description = "Add or remove a peer on a running gateway (the configuration file is not changed: "
    + "'qgate reload' returns to its list).", subcommands = {PeerCommand.Add.class, PeerCommand.Remove.class},
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate peer add qg0 gw-c --allowed-ips 10.241.3.0/24", "  qgate peer remove qg0 gw-c"})
public final class PeerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", description = "Add peer NAME to the gateway for INTERFACE; it handshakes at once if it has an endpoint.",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  qgate peer add qg0 gw-c --endpoint 192.0.2.3:51820 \\", "      --allowed-ips 10.241.3.0/24,fd41:3::/64"})
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INTERFACE")
        String name;
        @Parameters(index = "1", paramLabel = "NAME", description = "the peer's name")
        String peer;
        @Option(names = "--subject", description = "the subject its certificate must carry (default: NAME)")
        String subject;
        @Option(names = "--endpoint", description = "its address and port; leave out for a peer that only connects to us")
        String endpoint;
        @Option(names = "--allowed-ips", required = true, split = ",", description = "the inner ranges it may use, comma-separated")
        List<String> allowedIps;
        @picocli.CommandLine.Mixin
        RunDirectory run;

        @Override
        public Integer call() throws Exception {
            String request = String.join(" ", "peer-add", peer, subject == null ? peer : subject,
                endpoint == null ? "-" : endpoint, String.join(",", allowedIps));
            return GatewaySocket.request(run, name, request);
        }
    }

    @Command(name = "remove", description = "Remove peer NAME from the gateway for INTERFACE, closing its session.",
        mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate peer remove qg0 gw-c"})
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INTERFACE")
        String name;
        @Parameters(index = "1", paramLabel = "NAME", description = "the peer's name")
        String peer;
        @picocli.CommandLine.Mixin
        RunDirectory run;

        @Override
        public Integer call() throws Exception {
            return GatewaySocket.request(run, name, "peer-remove " + peer);
        }
    }
}
