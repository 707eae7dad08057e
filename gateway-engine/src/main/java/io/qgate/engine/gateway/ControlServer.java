package io.qgate.engine.gateway;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.net.IpPrefix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The running gateway's command socket ({@code <run-directory>/<interface>.ctl}, mode 0600: only
 * its owner may change peers): one request line per connection, one answer. {@code qgate reload}
 * and {@code qgate peer add|remove} speak it.
 *
 * <pre>
 *   reload                                     re-read the configuration file's peer list
 *   peer-add NAME SUBJECT HOST:PORT|- RANGE[,RANGE...]
 *   peer-remove NAME
 * </pre>
 * The answer is {@code ok <summary>} or {@code error <one sentence>}. A request longer than
 * {@link #MAX_REQUEST} bytes is refused unread.
 */
public final class ControlServer implements AutoCloseable {
    /** Longest request line accepted. */
    public static final int MAX_REQUEST = 4096;

    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;
    private final Gateway gateway;

    private ControlServer(ServerSocketChannel server, Path path, Gateway gateway) {
        this.server = server;
        this.path = path;
        this.gateway = gateway;
        this.thread = new Thread(this::serve, "qgate-control-socket");
        thread.setDaemon(true);
        thread.start();
    }

    /** Binds {@code path} (replacing a stale socket file) and starts answering for {@code gateway}. */
    public static ControlServer start(Path path, Gateway gateway) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new ControlServer(server, path, gateway);
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String request = readLine(client);
                String answer;
                try {
                    answer = request == null ? "error the request is longer than " + MAX_REQUEST + " bytes or not one line"
                        : "ok " + answer(request.strip());
                } catch (RuntimeException e) {
                    answer = "error " + e.getMessage();
                }
                ByteBuffer out = ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    client.write(out);
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Reads one line (up to the newline or the end of input), or null when it is too long. */
    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST + 1);
        while (in.hasRemaining()) {
            int n = client.read(in);
            if (n < 0) {
                break;
            }
            for (int i = in.position() - n; i < in.position(); i++) {
                if (in.get(i) == '\n') {
                    return new String(in.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return in.hasRemaining() ? new String(in.array(), 0, in.position(), StandardCharsets.UTF_8) : null;
    }

    /**
     * Carries out one request and returns the summary; throws {@link IllegalArgumentException}
     * (or {@link io.qgate.engine.config.ConfigException}) with one sentence for a refused one.
     */
    String answer(String request) {
        List<String> words = List.of(request.split("\\s+"));
        return switch (words.get(0)) {
            case "reload" -> {
                expect(words, 1, "reload");
                yield gateway.reload(GatewayConfig.load(gateway.config().source()));
            }
            case "peer-add" -> {
                expect(words, 5, "peer-add NAME SUBJECT HOST:PORT|- RANGE[,RANGE...]");
                yield gateway.addPeer(section(words.get(1), words.get(2), words.get(3), words.get(4)));
            }
            case "peer-remove" -> {
                expect(words, 2, "peer-remove NAME");
                yield gateway.removePeer(words.get(1));
            }
            default -> throw new IllegalArgumentException("unknown request '" + words.get(0)
                + "'; the gateway understands reload, peer-add and peer-remove");
        };
    }

    private static void expect(List<String> words, int count, String form) {
        if (words.size() != count) {
            throw new IllegalArgumentException("'" + words.get(0) + "' takes the form: " + form);
        }
    }

    /** A peer section from the words of a {@code peer-add} request, checked as the configuration file checks it. */
    static GatewayConfig.PeerSection section(String name, String subject, String endpoint, String ranges) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("'" + name + "' is not a peer name: use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (subject.length() > 255) {
            throw new IllegalArgumentException("the subject is longer than 255 characters");
        }
        InetSocketAddress address = null;
        if (!endpoint.equals("-")) {
            int colon = endpoint.lastIndexOf(':');
            String host = colon > 0 ? endpoint.substring(0, colon).replace("[", "").replace("]", "") : "";
            String port = colon > 0 ? endpoint.substring(colon + 1) : "";
            String refusal = "endpoint '" + endpoint + "' is not an IP address and port such as 192.0.2.1:51820 or [2001:db8::1]:51820";
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535 || host.contains("/")) {
                throw new IllegalArgumentException(refusal);
            }
            try {
                // a literal only, never a name to look up: parsed as a host prefix
                address = new InetSocketAddress(IpPrefix.parse(host).inetAddress(), Integer.parseInt(port));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(refusal);
            }
        }
        List<IpPrefix> allowed = new ArrayList<>();
        for (String range : ranges.split(",")) {
            allowed.add(IpPrefix.parse(range.strip()));
        }
        return new GatewayConfig.PeerSection(name, subject, address, List.copyOf(allowed));
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

    /**
     * Sends {@code request} to the gateway whose command socket is {@code path} and returns its
     * answer line ({@code ok ...} or {@code error ...}).
     *
     * @throws IOException if no gateway listens there
     */
    public static String send(Path path, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (channel.read(in) >= 0 && in.hasRemaining()) {
                // read to the end: the gateway closes after its answer
            }
            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8).strip();
        }
    }
}
