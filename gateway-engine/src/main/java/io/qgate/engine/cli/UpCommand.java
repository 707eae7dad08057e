package io.qgate.engine.cli;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.gateway.Gateway;
import io.qgate.engine.gateway.StatusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
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
    @Parameters(paramLabel = "CONFIG", description = "the gateway's configuration file (TOML; see docs/CONFIG.md)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = GatewayConfig.load(configFile);
        Path run = config.runDirectory();
        Path pidFile = run.resolve(config.interfaceName() + ".pid");
        Path socketFile = run.resolve(config.interfaceName() + ".sock");
        if (Files.exists(pidFile)) {
            String text = Files.readString(pidFile).strip();
            long pid = text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1; // anything else: a stale file
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("a gateway for " + config.interfaceName() + " already runs as process " + pid
                    + ": stop it with 'qgate down " + config.interfaceName() + "'");
            }
        }
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        Gateway gateway = Gateway.start(config, line -> System.out.println(LocalTime.now().format(clock) + " " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        StatusServer status = null;
        try {
            Files.createDirectories(run);
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            status = StatusServer.start(socketFile, gateway::status);
        } catch (Exception e) {
            gateway.close();
            Files.deleteIfExists(pidFile);
            throw e;
        }
        StatusServer statusServer = status;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(LocalTime.now().format(clock) + " " + config.interfaceName() + ": shutting down");
            statusServer.close();
            gateway.close();
            try {
                Files.deleteIfExists(pidFile);
            } catch (Exception ignored) {
                // the pid file is advisory: a stale one is detected by the next 'up'
            }
            System.out.println(LocalTime.now().format(clock) + " " + config.interfaceName() + ": stopped");
            System.out.flush();
            stopped.countDown();
        }, "qgate-shutdown"));
        stopped.await();
        return 0;
    }
}
