package io.qgate.engine.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qgate demo}: runs {@code scripts/demo}, two gateways in two network namespaces (needs root). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the live demo (scripts/demo); needs root.",
        "Two gateways in two network namespaces, a post-quantum handshake, pings both ways and an iperf3"
            + " transfer; everything it creates is removed on exit."},
    footer = {"", "Example:", "  sudo ./qgate demo"})
final class DemoCommand implements Callable<Integer> {
    static final String SCRIPT = "scripts/demo";

    private final LongSupplier uid;

    @Option(names = "--home", paramLabel = "DIR", description = "the qgate folder holding " + SCRIPT + " (default: where the launcher is)")
    Path home;

    DemoCommand() {
        this(InstalledScript::effectiveUid);
    }

    /** A demo command that takes the user id from {@code uid} (tests pretend not to be root). */
    DemoCommand(LongSupplier uid) {
        this.uid = uid;
    }

    @Override
    public Integer call() throws Exception {
        Path script = InstalledScript.locate(InstalledScript.home(home), SCRIPT);
        InstalledScript.requireRoot(uid.getAsLong(), "demo", "it creates network namespaces, a veth pair and TUN devices");
        return InstalledScript.run(script, List.of());
    }
}
