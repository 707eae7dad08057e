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

/**
 * A running gateway's Unix-domain socket in its run directory: one daemon thread accepts each
 * connection in turn, hands it to a {@link Responder}, writes the answer back and closes it. The
 * socket file is mode 0600 (what it tells or changes is the operator's) and is removed by
 * {@link #close}. Used for the status socket ({@code <if>.sock}: the status text, read by {@code ShowCommand.read}) and
 * the command socket ({@code <if>.ctl}, {@link ControlServer}).
 */
public final class LocalSocketServer implements AutoCloseable {
    /** Computes the answer for one connection; may read a request from it first. */
    @FunctionalInterface
    public interface Responder {
        String answer(SocketChannel client) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;

    private LocalSocketServer(ServerSocketChannel server, Path path, String threadName, Responder responder) {
        this.server = server;
        this.path = path;
        this.thread = new Thread(() -> serve(responder), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Binds {@code path} (replacing a stale socket file) and starts answering on thread {@code threadName}. */
    public static LocalSocketServer start(Path path, String threadName, Responder responder) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new LocalSocketServer(server, path, threadName, responder);
    }

    private void serve(Responder responder) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                ByteBuffer out = ByteBuffer.wrap(responder.answer(client).getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    client.write(out);
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                // one client's broken connection: serve the next
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
            // the socket file is replaced by the next start
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
