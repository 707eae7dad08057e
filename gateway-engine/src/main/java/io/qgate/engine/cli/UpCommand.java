package io.qgate.engine.cli;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.gateway.Gateway;
import io.qgate.engine.gateway.ControlServer;
import io.qgate.engine.gateway.LocalSocketServer;
import java.nio.file.Files;
import java.nio.file.Path;
import io.qgate.engine.telemetry.EventLog;
import io.qgate.engine.telemetry.MetricsServer;
import io.qgate.engine.telemetry.PeerCounters;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate up <config>}: runs a gateway in the foreground until SIGINT or SIGTERM, then shuts
 * it down cleanly (CLOSE sent to peers, keys erased, socket closed, TUN device removed).
 */
@Command(name = "up", description = "Run a gateway in the foreground until SIGINT/SIGTERM (needs root or CAP_NET_ADMIN).",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate up /etc/qgate/qg0.toml"})
public final class UpCommand implements Callable<Integer> {
    /** Logged (after "WARN name: ") when the process was started with SIGHUP ignored, as under nohup. */
    public static final String SIGHUP_IGNORED = "SIGHUP is ignored in this process (started under nohup?), so it will not"
        + " reload the peer list: use 'qgate reload', or start the gateway without nohup";

    @Parameters(paramLabel = "CONFIG", description = "the gateway's configuration file (TOML; see docs/CONFIG.md)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(configFile);
        Path run = config.runDirectory();
        Path pidFile = run.resolve(config.interfaceName() + ".pid");
        Path socketFile = run.resolve(config.interfaceName() + ".sock");
        Path controlFile = run.resolve(config.interfaceName() + ".ctl");
        if (Files.exists(pidFile)) {
            String text = Files.readString(pidFile).strip();
            long pid = text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1; // anything else: a stale file
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("a gateway for " + config.interfaceName() + " already runs as process " + pid
                    + ": stop it with 'qgate down " + config.interfaceName() + "'");
            }
        }
        EventLog log = new EventLog(System.out, Clock.systemUTC());
        Gateway gateway = Gateway.start(config, log);
        CountDownLatch stopped = new CountDownLatch(1);
        LocalSocketServer status = null;
        LocalSocketServer control = null;
        MetricsServer metricsServer = null;
        try {
            Files.createDirectories(run);
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            status = LocalSocketServer.start(socketFile, "qgate-status", client -> gateway.status());
            control = ControlServer.start(controlFile, gateway);
            if (config.metrics() != null) {
                metricsServer = MetricsServer.start(config.metrics(), gateway.telemetry()::prometheus);
                log.accept("INFO " + config.interfaceName() + ": metrics on http://" + PeerCounters.format(metricsServer.address()) + "/metrics");
            }
        } catch (Exception e) {
            if (control != null) {
                control.close();
            }
            if (status != null) {
                status.close();
            }
            gateway.close();
            Files.deleteIfExists(pidFile);
            throw e;
        }
        LocalSocketServer statusServer = status;
        LocalSocketServer controlServer = control;
        MetricsServer metrics = metricsServer;
        // SIGHUP re-reads the peer list, as 'qgate reload' does
        boolean reloadsOnSighup = onSighup(() -> {
            try {
                gateway.reload(GatewayConfig.load(configFile));
            } catch (RuntimeException e) {
                log.accept("WARN " + config.interfaceName() + ": reload refused: " + e.getMessage());
            }
        });
        if (!reloadsOnSighup) {
            log.accept("WARN " + config.interfaceName() + ": " + SIGHUP_IGNORED);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.accept("INFO " + config.interfaceName() + ": shutting down");
            controlServer.close();
            statusServer.close();
            if (metrics != null) {
                metrics.close();
            }
            gateway.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (Exception ignored) {
                // the pid file is advisory: a stale one is detected by the next 'up'
            }
            log.accept("INFO " + config.interfaceName() + ": stopped");
            System.out.flush();
            stopped.countDown();
        }, "qgate-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * Runs {@code action} on each SIGHUP. False, and nothing installed, when the process was
     * started with SIGHUP ignored: the JVM leaves such a signal alone (nohup sets that).
     */
    static boolean onSighup(Runnable action) {
        return sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run()) != sun.misc.SignalHandler.SIG_IGN;
    }
}
