package io.qgate.engine.cli;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qgate show <interface>}: the running gateway's counters and peers. */
@Command(name = "show", description = "Print the counters and peers of the gateway running for INTERFACE.",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate show qg0"})
public final class ShowCommand implements Callable<Integer> {
    /** Most status text read: bounds a misbehaving server. */
    static final int MAX_STATUS = 1 << 20;

    @Parameters(paramLabel = "INTERFACE", description = "the interface name from the gateway's configuration")
    String name;
    @Option(names = "--run-directory", defaultValue = "/run/qgate", description = "where 'up' keeps its files (default: ${DEFAULT-VALUE})")
    Path run;

    @Override
    public Integer call() throws Exception {
        System.out.print(read(run.resolve(name + ".sock"), name));
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
