package io.qgate.engine.gateway;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A Unix-domain socket that answers every connection with the gateway's status text and closes
 * it ({@code qgate show} reads it). The socket file is mode 0600: counters are not secret, but
 * they are the operator's.
 */
public final class StatusServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;

    private StatusServer(ServerSocketChannel server, Path path, Supplier<String> status) {
        this.server = server;
        this.path = path;
        this.thread = new Thread(() -> serve(status), "qgate-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** Binds {@code path} (replacing a stale socket file) and starts answering. */
    public static StatusServer start(Path path, Supplier<String> status) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new StatusServer(server, path, status);
    }

    private void serve(Supplier<String> status) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer text = ByteBuffer.wrap(status.get().getBytes(StandardCharsets.UTF_8));
                while (text.hasRemaining()) {
                    client.write(text);
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            thread.join(2_000);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the socket file is recreated by the next start
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
