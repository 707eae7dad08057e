package io.qgate.perf;

import io.qgate.engine.config.GatewayConfig.IoBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * qgate itself: {@code <repo>/qgate up <config>} in each namespace, with a root certificate and
 * one gateway certificate per side made by {@code qgate ca create} and {@code qgate cert issue},
 * and a {@link QgateConfig} per side.
 *
 * <p>JVM options reach the gateways through {@code QGATE_JAVA_OPTS}, which the {@code qgate}
 * launcher passes to {@code java}: the harness keeps what the user set and, when asked for GC
 * logs, adds {@code -Xlog:gc,gc+heap+coops=debug:file=<dir>/qgate-<namespace>.log}, one file per gateway so that
 * the two JVMs never write to the same file.
 */
public final class QgateTunnel implements Tunnel {
    public static final String NAME = "qgate";
    /** The same gateway with {@code io = io_uring}. */
    public static final String NAME_IO_URING = "qgate-io_uring";
    /** The same gateway with {@code offload = false}: TUN packets one by one, for comparison. */
    public static final String NAME_NO_OFFLOAD = "qgate-no-offload";
    /**
     * The same gateway with {@code workers = 1}: a worker and an egress thread per direction
     * between the readers and the network or TUN, where the default ({@code workers = 0}) has the
     * reader threads seal and open themselves.
     */
    public static final String NAME_THREADED = "qgate-threaded";
    /**
     * The same gateway with every AEAD on OpenSSL ({@code -Dqgate.crypto.aead.backend=openssl}),
     * where the default runs AES-256-GCM on the JDK without the JCA: the peer for that change.
     */
    public static final String NAME_OPENSSL = "qgate-openssl";
    /** The JVM option of {@link #NAME_OPENSSL}. */
    static final String OPENSSL_AEAD = "-Dqgate.crypto.aead.backend=openssl";
    /** The variable the qgate launcher reads extra JVM options from. */
    public static final String JAVA_OPTS = "QGATE_JAVA_OPTS";
    /** The first run of ./qgate may build the project. */
    private static final Duration LAUNCHER_TIMEOUT = Duration.ofMinutes(10);
    /** A JVM start, a post-quantum handshake and ARP, with room for a loaded machine. */
    private static final int PING_ATTEMPTS = 30;
    /** picocli's and qgate's exit status for a usage error, such as an unknown subcommand. */
    private static final int USAGE_ERROR = 2;

    private final Path repo;
    private final Path gcLogDir;
    private final IoBackend io;
    private final int rekeyAfterSeconds;
    private final boolean offload;
    private final int workers;
    private final String name;
    /** JVM options of this variant, before the user's {@code QGATE_JAVA_OPTS}. */
    private final String javaOptions;

    /**
     * @param repo     the qgate checkout whose {@code ./qgate} launcher is run
     * @param gcLogDir where the gateways write GC logs, or {@code null} for none
     */
    public QgateTunnel(Path repo, Path gcLogDir) {
        this(repo, gcLogDir, IoBackend.BATCHED);
    }

    /** @param io the gateways' {@code io} setting */
    public QgateTunnel(Path repo, Path gcLogDir, IoBackend io) {
        this(repo, gcLogDir, io, QgateConfig.DEFAULT_REKEY);
    }

    /** @param rekeyAfterSeconds both gateways' {@code rekey_after}, or {@link QgateConfig#DEFAULT_REKEY} */
    public QgateTunnel(Path repo, Path gcLogDir, IoBackend io, int rekeyAfterSeconds) {
        this(repo, gcLogDir, io, rekeyAfterSeconds, true);
    }

    /** @param offload both gateways' {@code offload} setting */
    public QgateTunnel(Path repo, Path gcLogDir, IoBackend io, int rekeyAfterSeconds, boolean offload) {
        this(!offload ? NAME_NO_OFFLOAD : io == IoBackend.BATCHED ? NAME : NAME_IO_URING, repo, gcLogDir, io,
            rekeyAfterSeconds, offload, QgateConfig.DEFAULT_WORKERS);
    }

    /**
     * @param name    the tunnel's name in results
     * @param workers both gateways' {@code workers}, or {@link QgateConfig#DEFAULT_WORKERS}
     */
    public QgateTunnel(String name, Path repo, Path gcLogDir, IoBackend io, int rekeyAfterSeconds, boolean offload,
            int workers) {
        this(name, repo, gcLogDir, io, rekeyAfterSeconds, offload, workers, "");
    }

    /** @param javaOptions JVM options for both gateways, before the user's {@code QGATE_JAVA_OPTS} */
    public QgateTunnel(String name, Path repo, Path gcLogDir, IoBackend io, int rekeyAfterSeconds, boolean offload,
            int workers, String javaOptions) {
        this.javaOptions = javaOptions;
        this.name = name;
        this.workers = workers;
        this.offload = offload;
        this.repo = repo;
        this.gcLogDir = gcLogDir;
        this.io = io;
        this.rekeyAfterSeconds = rekeyAfterSeconds;
    }

    @Override
    public String name() {
        return name;
    }

    private Path launcher() {
        return repo.resolve("qgate");
    }

    @Override
    public String unavailableReason() {
        if (!Files.isExecutable(launcher())) {
            return "there is no executable qgate launcher at " + launcher() + ": pass the checkout with --repo.";
        }
        ExternalCommand.Result help = ExternalCommand.run(LAUNCHER_TIMEOUT, launcher().toString(), "up", "--help");
        return unavailableReason(help);
    }

    /**
     * Reads the result of {@code qgate up --help}: {@code null} when it printed the usage of
     * {@code qgate up}, otherwise why the qgate tunnel is skipped. A qgate without the command
     * either rejects {@code up} (usage error, exit 2) or, because {@code --help} is also a
     * top-level option, prints its general usage instead ("Usage: qgate [-hV] [COMMAND]").
     */
    static String unavailableReason(ExternalCommand.Result upHelp) {
        if (upHelp.exit() == 0 && upHelp.stdout().contains("Usage: qgate up")) {
            return null;
        }
        if (upHelp.exit() == 0) {
            return "`qgate up` is not available yet in this checkout (`qgate up --help` printed qgate's general usage,"
                + " which has no up command); build a qgate that has it.";
        }
        if (upHelp.exit() == USAGE_ERROR) {
            return "`qgate up` is not available yet in this checkout (`qgate up --help` is a usage error);"
                + " build a qgate that has the up command.";
        }
        return "`qgate up --help` failed with exit " + upHelp.exit() + " (" + ExternalCommand.firstLines(upHelp.stderr(), 1)
            + "); run it by hand to see why.";
    }

    @Override
    public RunningTunnel start(NamespacePair pair, Path workDir, Cleanup cleanup) {
        Path certs = workDir.resolve("certs");
        qgate("create the root certificate", "ca", "create", "--subject", "root", "--out", certs.toString());
        for (Side side : Side.values()) {
            qgate("issue " + QgateConfig.subject(side) + "'s certificate", "cert", "issue", "--ca", certs.toString(),
                "--subject", QgateConfig.subject(side), "--out", certs.toString());
        }
        List<BackgroundProcess> gateways = new ArrayList<>();
        List<Path> gcLogs = new ArrayList<>();
        for (Side side : Side.values()) {
            Path config = workDir.resolve("qgate-" + side.suffix() + ".toml");
            WorkFiles.write(config, new QgateConfig(interfaceName(pair, side), side, certs, io, rekeyAfterSeconds, offload, workers).render());
            Path gcLog = gcLogDir == null ? null : gcLogDir.resolve("qgate-" + pair.namespace(side) + ".log").toAbsolutePath();
            if (gcLog != null) {
                gcLogs.add(gcLog);
            }
            String javaOpts = gatewayJavaOptions(javaOptions, System.getenv().getOrDefault(JAVA_OPTS, ""), gcLog);
            gateways.add(BackgroundProcess.start(name() + " in " + pair.namespace(side),
                workDir.resolve("qgate-" + side.suffix() + ".log"), Map.of(JAVA_OPTS, javaOpts),
                pair.exec(side, launcher().toString(), "up", config.toString()), cleanup));
        }
        RunningTunnel running = new RunningTunnel(gateways, gcLogs);
        pair.awaitPing(Side.A, PING_ATTEMPTS, () -> running.requireAlive("coming up"));
        return running;
    }

    /**
     * A gateway's {@code QGATE_JAVA_OPTS}: the variant's options, then the user's (which win where
     * they repeat one), then the GC log's when {@code gcLog} is not null.
     */
    static String gatewayJavaOptions(String variant, String user, Path gcLog) {
        String options = (variant + " " + user).strip();
        return gcLog == null ? options : (options + " " + GcLog.options(gcLog)).strip();
    }

    /** {@code qg-<id>-a}. */
    static String interfaceName(NamespacePair pair, Side side) {
        return "qg-" + pair.id() + "-" + side.suffix();
    }

    private void qgate(String step, String... args) {
        List<String> line = new ArrayList<>(List.of(launcher().toString()));
        line.addAll(List.of(args));
        ExternalCommand.run(LAUNCHER_TIMEOUT, Map.of(), line).orThrow(step);
    }
}
