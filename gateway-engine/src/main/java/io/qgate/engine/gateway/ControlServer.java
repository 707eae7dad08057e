package io.qgate.engine.gateway;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.net.IpPrefix;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The running gateway's command socket ({@code <run-directory>/<interface>.ctl}, a
 * {@link LocalSocketServer}: mode 0600, only its owner may change peers): one request line per
 * connection, one answer. {@code qgate reload}
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
public final class ControlServer {
    /** Longest request line accepted. */
    public static final int MAX_REQUEST = 4096;

    private ControlServer() {
    }

    /** Binds {@code path} (replacing a stale socket file) and starts answering for {@code gateway}. */
    public static LocalSocketServer start(Path path, Gateway gateway) throws IOException {
        return LocalSocketServer.start(path, "qgate-control-socket", client -> respond(gateway, readLine(client)));
    }

    /** The answer line to one request ({@code null}: too long or not one line). */
    static String respond(Gateway gateway, String request) {
        try {
            return request == null ? "error the request is longer than " + MAX_REQUEST + " bytes or not one line\n"
                : "ok " + answer(gateway, request.strip()) + "\n";
        } catch (RuntimeException e) {
            return "error " + e.getMessage() + "\n";
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
    static String answer(Gateway gateway, String request) {
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
        if (!GatewayConfig.isPeerName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a peer name: use 1 to " + GatewayConfig.MAX_PEER_NAME
                + " letters, digits, '.', '_' or '-'");
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
