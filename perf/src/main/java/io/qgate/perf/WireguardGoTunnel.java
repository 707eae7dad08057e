package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * WireGuard in user space: Debian's {@code wireguard-go}, one per namespace, configured with
 * {@code wg set} and {@code ip}, inner MTU 1420 (WireGuard's default for a 1500 underlay).
 *
 * <p>The interfaces are named {@code qgw-<id>-a/b}, not {@code wg0}: wireguard-go's control
 * socket is {@code /var/run/wireguard/<interface>.sock}, a path that is not per namespace, so two
 * {@code wg0}s on one machine would take the same socket.
 */
public final class WireguardGoTunnel implements Tunnel {
    public static final String NAME = "wireguard-go";
    /** The inner MTU: 1500 minus WireGuard's 80 bytes of worst-case (IPv6) overhead. */
    public static final int MTU = 1420;
    /** wireguard-go's control sockets (ipc/uapi_linux.go in wireguard-go: socketDirectory). */
    private static final Path SOCKET_DIR = Path.of("/var/run/wireguard");
    private static final Duration SOCKET_WAIT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        if (!ExternalCommand.isInstalled("wireguard-go") || !ExternalCommand.isInstalled("wg")) {
            return "wireguard-go or wg is not installed: run perf/bin/install-deps as root.";
        }
        return null;
    }

    @Override
    public RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup) {
        Map<Side, Path> privateKeys = new EnumMap<>(Side.class);
        Map<Side, String> publicKeys = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Path key = workDir.resolve("wg-" + side.suffix() + ".key");
            String secret = ExternalCommand.run(ExternalCommand.SHORT, "wg", "genkey").orThrow("wg genkey").stdout();
            writePrivate(key, secret);
            privateKeys.put(side, key);
            publicKeys.put(side, ExternalCommand.run(ExternalCommand.SHORT, Map.of(), key, List.of("wg", "pubkey"))
                .orThrow("wg pubkey").stdout().strip());
        }
        List<BackgroundProcess> processes = new ArrayList<>();
        for (Side side : Side.values()) {
            String iface = interfaceName(pair, side);
            BackgroundProcess daemon = BackgroundProcess.start(NAME + " in " + pair.namespace(side),
                workDir.resolve("wireguard-go-" + side.suffix() + ".log"), Map.of(),
                pair.exec(side, "wireguard-go", "-f", iface), cleanup);
            processes.add(daemon);
            Path socket = SOCKET_DIR.resolve(iface + ".sock");
            daemon.awaitReady("create " + socket, SOCKET_WAIT, () -> Files.exists(socket));
            Side peer = side.peer();
            ExternalCommand.run(ExternalCommand.SHORT, Map.of(), pair.exec(side, "wg", "set", iface,
                    "private-key", privateKeys.get(side).toString(),
                    "listen-port", Integer.toString(Side.TUNNEL_PORT),
                    "peer", publicKeys.get(peer),
                    "endpoint", peer.outerAddress() + ":" + Side.TUNNEL_PORT,
                    "allowed-ips", peer.innerAddress4() + "/32," + peer.innerAddress6() + "/128"))
                .orThrow("configure " + iface + " with wg set");
            pair.ipIn(side, "set the MTU of " + iface, "link", "set", iface, "mtu", Integer.toString(MTU));
            InnerAddresses.assign(pair, side, iface);
        }
        RunningTunnel running = new RunningTunnel(processes, List.of());
        pair.awaitPing(Side.A, 10, () -> running.requireAlive("coming up"));
        return running;
    }

    /** {@code qgw-<id>-a}: 12 characters, within the kernel's 15. */
    static String interfaceName(NamespacePair pair, Side side) {
        return "qgw-" + pair.id() + "-" + side.suffix();
    }

    private static void writePrivate(Path file, String content) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new BenchException("cannot write the key file " + file + ": " + e.getMessage(), e);
        }
    }
}
