package io.qgate.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenVPN 2.6 from Debian: one {@code openvpn --config} per namespace ({@link OpenVpnConfig}),
 * TLS with a throwaway PKI ({@link OpenVpnPki}), AES-256-GCM on the data channel, UDP, a tun
 * device named {@code qgo-<id>-a/b} that gets the usual inner addresses once OpenVPN created it.
 */
public final class OpenVpnTunnel implements Tunnel {
    public static final String NAME = "openvpn";
    private static final Duration DEVICE_WAIT = Duration.ofSeconds(10);
    /** The TLS handshake (P-256, both ways) on a loaded machine. */
    private static final int PING_ATTEMPTS = 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        if (!ExternalCommand.isInstalled("openvpn") || !ExternalCommand.isInstalled("openssl")) {
            return "openvpn or openssl is not installed: run perf/bin/install-deps as root.";
        }
        return null;
    }

    @Override
    public RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup) {
        Path pki = workDir.resolve("openvpn-pki");
        OpenVpnPki.create(pki);
        List<BackgroundProcess> daemons = new ArrayList<>();
        for (Side side : Side.values()) {
            String device = interfaceName(pair, side);
            Path config = workDir.resolve("openvpn-" + side.suffix() + ".conf");
            WorkFiles.write(config, new OpenVpnConfig(device, side, pki).render());
            BackgroundProcess daemon = BackgroundProcess.start(NAME + " in " + pair.namespace(side),
                workDir.resolve("openvpn-" + side.suffix() + ".log"), Map.of(),
                pair.exec(side, "openvpn", "--config", config.toString()), cleanup);
            daemons.add(daemon);
            daemon.awaitReady("create the tun device " + device, DEVICE_WAIT, () -> ExternalCommand.run(ExternalCommand.SHORT,
                Map.of(), List.of("ip", "-n", pair.namespace(side), "link", "show", "dev", device)).exit() == 0);
            InnerAddresses.assign(pair, side, device);
        }
        RunningTunnel running = new RunningTunnel(daemons, List.of());
        pair.awaitPing(Side.A, PING_ATTEMPTS, () -> running.requireAlive("coming up"));
        for (BackgroundProcess daemon : daemons) {
            requireCipher(daemon);
        }
        return running;
    }

    /**
     * Fails unless the daemon's log shows the negotiated data channel cipher is
     * {@link OpenVpnConfig#CIPHER} ("Data Channel: cipher 'AES-256-GCM'" in 2.6), so that a
     * fallback to another cipher can never be measured unnoticed.
     */
    static void requireCipher(BackgroundProcess daemon) {
        if (!usesCipher(daemon.log())) {
            throw new BenchException(daemon.describe() + " does not report the data channel cipher " + OpenVpnConfig.CIPHER
                + "; the end of its log says: " + daemon.logTail(400));
        }
    }

    /** Whether an OpenVPN log has the line that names {@link OpenVpnConfig#CIPHER} as the data channel's. */
    static boolean usesCipher(String log) {
        return log.lines().anyMatch(l -> l.contains("Data Channel: cipher '" + OpenVpnConfig.CIPHER + "'"));
    }

    /** {@code qgo-<id>-a}: 12 characters, within the kernel's 15. */
    static String interfaceName(NamespacePair pair, Side side) {
        return "qgo-" + pair.id() + "-" + side.suffix();
    }
}
