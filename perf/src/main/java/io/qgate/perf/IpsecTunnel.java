package io.qgate.perf;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Kernel IPsec: ESP tunnel mode with AES-256-GCM between the veth addresses, static SAs set with
 * {@code ip xfrm} ({@link XfrmConfig}). It has no processes: all the work is the kernel's, in
 * softirq and in the senders' system calls, so its "tunnel cores" are shown as "-" like plain's.
 *
 * <p>Many kernels (this project's CI VM among them) are built without ESP or GCM. Before the
 * first run the harness tries to add one SA in a throwaway namespace; when the kernel refuses,
 * the tunnel is skipped with one sentence saying what the kernel lacks.
 */
public final class IpsecTunnel implements Tunnel {
    public static final String NAME = "ipsec";
    private static final int PING_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        String probe = NamespacePair.PREFIX + HexFormat.of().formatHex(randomBytes(3)) + "-probe";
        ExternalCommand.run(ExternalCommand.SHORT, "ip", "netns", "add", probe).orThrow("create namespace " + probe);
        try {
            List<String> line = new ArrayList<>(List.of("ip", "-n", probe));
            line.addAll(XfrmConfig.state(Side.A, XfrmConfig.SPI_A_TO_B, randomBytes(XfrmConfig.KEY_BYTES)));
            return unavailableReason(ExternalCommand.run(ExternalCommand.SHORT, Map.of(), line));
        } finally {
            ExternalCommand.run(ExternalCommand.SHORT, "ip", "netns", "del", probe).orThrow("remove namespace " + probe);
        }
    }

    /**
     * Reads the result of adding a test SA: {@code null} when it worked, otherwise one sentence
     * saying why kernel IPsec cannot be measured here.
     */
    static String unavailableReason(ExternalCommand.Result addState) {
        if (addState.exit() == 0) {
            return null;
        }
        String said = ExternalCommand.firstLines(addState.stderr().isBlank() ? addState.stdout() : addState.stderr(), 1);
        return "this kernel cannot make an ESP SA with " + XfrmConfig.AEAD + " (ip xfrm said \"" + said
            + "\"), so it lacks ESP or GCM (CONFIG_INET_ESP, CONFIG_CRYPTO_GCM) and kernel IPsec cannot be measured here.";
    }

    @Override
    public RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup) {
        XfrmConfig config = new XfrmConfig(randomBytes(XfrmConfig.KEY_BYTES), randomBytes(XfrmConfig.KEY_BYTES));
        for (Side side : Side.values()) {
            for (List<String> args : config.commands(side, pair.veth(side))) {
                pair.ipIn(side, "set up IPsec in " + pair.namespace(side) + " (ip " + args.get(0) + " " + args.get(1) + ")",
                    args.toArray(String[]::new));
            }
        }
        pair.awaitPing(Side.A, PING_ATTEMPTS, () -> { });
        return new RunningTunnel(List.of(), List.of());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
