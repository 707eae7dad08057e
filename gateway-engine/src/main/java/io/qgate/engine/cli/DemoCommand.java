package io.qgate.engine.cli;

import java.util.List;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;

/** {@code qgate demo}: runs {@code scripts/demo}, two gateways in two network namespaces (needs root). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the live demo (scripts/demo); needs root.",
        "Two gateways in two network namespaces, a post-quantum handshake, pings both ways and an iperf3"
            + " transfer; everything it creates is removed on exit."},
    footer = {"", "Example:", "  sudo ./qgate demo"})
final class DemoCommand extends ScriptCommand {
    static final String SCRIPT = "scripts/demo";

    DemoCommand() {
        this(ScriptCommand::effectiveUid);
    }

    /** A demo command that takes the user id from {@code uid} (tests pretend not to be root). */
    DemoCommand(LongSupplier uid) {
        super("demo", SCRIPT, "it creates network namespaces, a veth pair and TUN devices", uid);
    }

    @Override
    List<String> arguments() {
        return List.of();
    }
}
