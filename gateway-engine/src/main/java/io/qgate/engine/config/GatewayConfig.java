package io.qgate.engine.config;

import io.qgate.engine.net.IpPrefix;
import io.qgate.engine.protocol.Protocol;
import io.qgate.engine.protocol.Suite;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A gateway's configuration: a TOML file with one {@code [interface]} table and one
 * {@code [[peer]]} table per peer. Every key is in {@code docs/CONFIG.md}, with a complete
 * annotated example in {@code docs/examples/gateway.toml}. Relative paths are resolved against the
 * file's folder.
 *
 * <p>A file with mistakes is refused with every problem at once, each naming the file, the line,
 * the cause and the fix ({@link ConfigException#problems()}).
 *
 * <p>{@code metrics} is where the Prometheus endpoint listens, or null (the default: off);
 * {@code revocationList} the root's revocation list file ({@code qgate cert revoke} writes it), or
 * null; {@code rekeyAfterSeconds} how old the session key this gateway negotiated as initiator may
 * grow before it starts a rekey ({@code rekey_after}, 5 to 120 s; default 120, the protocol's
 * {@code REKEY_AFTER_TIME}); {@code offload} whether the TUN device is opened with a virtio-net
 * header so that TCP and UDP super-packets cross it whole ({@code offload}, default true).
 */
public record GatewayConfig(
        Path source,
        String interfaceName,
        InetSocketAddress listen,
        List<InterfaceAddress> addresses,
        int mtu,
        int pathMtu,
        Path certificate,
        Path privateKey,
        List<Path> trustRoots,
        List<Suite> suites,
        int workers,
        IoBackend io,
        boolean offload,
        List<Integer> cpus,
        Path runDirectory,
        List<PeerSection> peers,
        InetSocketAddress metrics,
        Path revocationList,
        int rekeyAfterSeconds) {

    /** The protocol's {@code REKEY_AFTER_TIME} (docs/PROTOCOL.md section 1), and the longest {@code rekey_after}. */
    public static final int DEFAULT_REKEY_AFTER_SECONDS = (int) (Protocol.REKEY_AFTER_TIME / 1_000_000_000L);
    /** The shortest {@code rekey_after}, the protocol's {@code MIN_REKEY_AFTER_TIME}. */
    public static final int MIN_REKEY_AFTER_SECONDS = (int) (Protocol.MIN_REKEY_AFTER_TIME / 1_000_000_000L);

    /** Largest file read: a configuration is a few KiB; this bounds a mistaken path. */
    public static final int MAX_BYTES = 1 << 20;
    /** Linux's IFNAMSIZ minus the terminating NUL. */
    public static final int MAX_INTERFACE_NAME = 15;

    /** Longest peer name. */
    public static final int MAX_PEER_NAME = 64;

    /** Whether {@code name} can name a peer: 1 to {@link #MAX_PEER_NAME} letters, digits, '.', '_' or '-'. */
    public static boolean isPeerName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1," + MAX_PEER_NAME + "}");
    }

    /** Whether {@code name} can name a qgate interface: 1 to 15 letters, digits, '.', '_' or '-'. */
    public static boolean isInterfaceName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1," + MAX_INTERFACE_NAME + "}");
    }

    /**
     * One {@code address} entry: the interface's own address and the length of the prefix it
     * sits in, such as {@code 10.241.0.1/24}.
     */
    public record InterfaceAddress(InetAddress address, int prefixLength) {
        /** The network it sits in, host bits cleared ({@code 10.241.0.0/24}). */
        public IpPrefix prefix() {
            return new IpPrefix(address.getAddress(), prefixLength);
        }

        @Override
        public String toString() {
            return IpPrefix.format(address.getAddress()) + "/" + prefixLength;
        }
    }

    /** Which system-call family moves packets. */
    public enum IoBackend {
        /** {@code recvmmsg}/{@code sendmmsg} and batched reads and writes. */
        BATCHED,
        /** io_uring submissions. */
        IO_URING;

        /** The backend {@code io = "..."} names, or null. */
        static IoBackend named(String text) {
            return switch (text) {
                case "batched" -> BATCHED;
                case "io_uring", "io-uring" -> IO_URING;
                default -> null;
            };
        }
    }

    /**
     * One {@code [[peer]]} table.
     *
     * @param subject the subject its certificate must carry
     * @param endpoint where to reach it, or null if it always initiates
     */
    public record PeerSection(String name, String subject, InetSocketAddress endpoint, List<IpPrefix> allowedIps) {
    }

    /**
     * Reads and checks the file at {@code path}.
     *
     * @throws ConfigException listing every problem of the file, each with its line and the fix
     */
    public static GatewayConfig load(Path path) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new ConfigException(path + ": is larger than " + MAX_BYTES + " bytes; is it a configuration file?");
            }
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(path + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot be read: " + e.getMessage());
        }
        return parse(path, new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Parses {@code text} as if read from {@code path} (used for messages and relative paths).
     *
     * @throws ConfigException listing every problem of the text, each with its line and the fix
     */
    public static GatewayConfig parse(Path path, String text) {
        return new GatewayConfigParser(path).parse(text);
    }

    /** The peer section named {@code name}, or null. */
    public PeerSection peer(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
