package io.qgate.perf;

import io.qgate.engine.config.GatewayConfig.IoBackend;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The configuration file {@code qgate up} reads, for one side of a benchmark with one peer:
 *
 * <pre>
 * [interface]
 * name = "qg0"
 * listen = "192.168.241.1:51820"
 * address = ["10.241.0.1/24", "fd41::1/64"]
 * mtu = 1420
 * certificate = "DIR/gw-a.crt"
 * private_key = "DIR/gw-a.key"
 * trust_roots = ["DIR/root.crt"]
 *
 * [[peer]]
 * name = "gw-b"
 * subject = "gw-b"
 * endpoint = "192.168.241.2:51820"
 * allowed_ips = ["10.241.0.2/32", "fd41::2/128"]
 * </pre>
 *
 * (TOML, as {@code docs/CONFIG.md} describes; the paths are written as TOML basic strings.)
 *
 * @param interfaceName the TUN device to create
 * @param side          whose addresses, certificate and key go into {@code [interface]}
 * @param certificates  the directory {@code qgate ca create} and {@code qgate cert issue} wrote to
 * @param io            the gateway's I/O backend; only a backend other than the default gets an
 *                      {@code io} line
 * @param rekeyAfterSeconds the {@code rekey_after} line's value (docs/CONFIG.md: 5 to 120), or
 *                      {@link #DEFAULT_REKEY} for no such line (the gateway's 120 s)
 * @param offload       the gateway's {@code offload}; only false gets a line
 * @param workers       the {@code workers} line's value (docs/CONFIG.md: 0 to 64), or
 *                      {@link #DEFAULT_WORKERS} for no such line (the gateway's default)
 */
public record QgateConfig(String interfaceName, Side side, Path certificates, IoBackend io, int rekeyAfterSeconds,
        boolean offload, int workers) {
    /** No {@code rekey_after} line. */
    public static final int DEFAULT_REKEY = 0;
    /** No {@code workers} line. */
    public static final int DEFAULT_WORKERS = -1;

    /** A configuration with the gateway's default {@code workers}. */
    public QgateConfig(String interfaceName, Side side, Path certificates, IoBackend io, int rekeyAfterSeconds,
            boolean offload) {
        this(interfaceName, side, certificates, io, rekeyAfterSeconds, offload, DEFAULT_WORKERS);
    }

    /** A configuration with the default I/O backend (batched system calls). */
    public QgateConfig(String interfaceName, Side side, Path certificates) {
        this(interfaceName, side, certificates, IoBackend.BATCHED);
    }

    /** A configuration with TUN offloads on (the default). */
    public QgateConfig(String interfaceName, Side side, Path certificates, IoBackend io, int rekeyAfterSeconds) {
        this(interfaceName, side, certificates, io, rekeyAfterSeconds, true);
    }

    /** A configuration with the gateway's default rekey interval. */
    public QgateConfig(String interfaceName, Side side, Path certificates, IoBackend io) {
        this(interfaceName, side, certificates, io, DEFAULT_REKEY);
    }

    /** Inner MTU, the same as wireguard-go's so both carry the same packets. */
    public static final int MTU = 1420;

    /** The certificate subject of a side's gateway: "gw-a" or "gw-b". */
    public static String subject(Side side) {
        return "gw-" + side.suffix();
    }

    /** The file's text. */
    public String render() {
        Side peer = side.peer();
        return "[interface]\n"
            + "name = " + quoted(interfaceName) + "\n"
            + "listen = " + quoted(side.outerAddress() + ":" + Side.TUNNEL_PORT) + "\n"
            + "address = [" + quoted(side.innerAddress4() + "/" + Side.INNER4_PREFIX) + ", "
            + quoted(side.innerAddress6() + "/" + Side.INNER6_PREFIX) + "]\n"
            + "mtu = " + MTU + "\n"
            + (io == IoBackend.BATCHED ? "" : "io = " + quoted(io.name().toLowerCase(Locale.ROOT)) + "\n")
            + (rekeyAfterSeconds == DEFAULT_REKEY ? "" : "rekey_after = " + rekeyAfterSeconds + "\n")
            + (offload ? "" : "offload = false\n")
            + (workers == DEFAULT_WORKERS ? "" : "workers = " + workers + "\n")
            + "certificate = " + quoted(certificates.resolve(subject(side) + ".crt").toString()) + "\n"
            + "private_key = " + quoted(certificates.resolve(subject(side) + ".key").toString()) + "\n"
            + "trust_roots = [" + quoted(certificates.resolve("root.crt").toString()) + "]\n"
            + "\n"
            + "[[peer]]\n"
            + "name = " + quoted(subject(peer)) + "\n"
            + "subject = " + quoted(subject(peer)) + "\n"
            + "endpoint = " + quoted(peer.outerAddress() + ":" + Side.TUNNEL_PORT) + "\n"
            + "allowed_ips = [" + quoted(peer.innerAddress4() + "/32") + ", " + quoted(peer.innerAddress6() + "/128") + "]\n";
    }

    /** {@code text} as a TOML basic string: a temporary directory's path may hold '"' or '\\'. */
    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
