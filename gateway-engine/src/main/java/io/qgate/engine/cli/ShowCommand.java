package io.qgate.engine.cli;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.qgate.engine.telemetry.GatewaySnapshot;
import io.qgate.engine.telemetry.StatusJson;
import io.qgate.engine.telemetry.StatusText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate show [INTERFACE] [--json]}: each peer's endpoint, latest handshake, transfer,
 * suite and key age, like {@code wg show}, read from the gateway's memory-mapped counters file.
 * {@link #read} still reads the status text of the gateway's socket.
 */
@Command(name = "show", description = "Print the peers of the running gateway(s): endpoint, latest handshake, transfer, suite, key age.",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate show qg0", "  qgate show --json"})
public final class ShowCommand implements Callable<Integer> {
    /** Most status text read: bounds a misbehaving server. */
    static final int MAX_STATUS = 1 << 20;

    @Parameters(paramLabel = "INTERFACE", arity = "0..1", description = "one gateway's interface name (default: every gateway in the run directory)")
    String name;
    @Option(names = "--json", description = "print JSON (its shape is in docs/OPERATIONS.md)")
    boolean json;
    @picocli.CommandLine.Mixin
    RunDirectory run;

    @Override
    public Integer call() throws Exception {
        List<GatewaySnapshot> gateways = StatusCommand.read(run, name);
        long now = System.currentTimeMillis();
        if (json) {
            System.out.println(StatusJson.render(gateways, true, now));
        } else if (gateways.isEmpty()) {
            System.out.println("no gateway is running (no counters file in " + run + ")");
        } else {
            System.out.print(StatusText.show(gateways, now));
        }
        return 0;
    }

    /** The status text from the gateway's socket. */
    public static String read(Path socket, String name) throws IOException {
        if (!Files.exists(socket)) {
            throw new IllegalArgumentException("no gateway for " + name + " is running (there is no " + socket + ")");
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_STATUS);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read to the end
            }
            buffer.flip();
            return StandardCharsets.UTF_8.decode(buffer).toString();
        } catch (java.net.ConnectException e) {
            throw new IllegalArgumentException("the gateway for " + name + " does not answer on " + socket + " (stopped?)");
        }
    }
}
