package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.engine.cli.QgateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code qgate top} in a real terminal: tmux runs it against two live gateways in namespaces,
 * and the captured screen shows the peer's line with its endpoint, handshake and a rate.
 */
class TopTmuxTest {
    private static boolean tmuxInstalled() {
        return Stream.of("/usr/bin/tmux", "/bin/tmux").anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    @Test
    void aPeersLineAppearsWithItsEndpointHandshakeAndRate() throws Exception {
        String missing = NamespaceLab.missing();
        if (missing == null && !tmuxInstalled()) {
            missing = "needs tmux (Debian package tmux)";
        }
        if (missing != null && System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("under CI as root this test must run, but: " + missing);
        }
        String why = missing;
        assumeTrue(why == null, () -> "skipped: " + why);
        String session = "qgt-top-" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            lab.startGateway("a");
            lab.startGateway("b");
            assertTrue(lab.awaitLog("a", "session established", 1, Duration.ofSeconds(30)), lab.logText("a"));
            List<String> command = new ArrayList<>(List.of("tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "30"));
            command.addAll(NamespaceLab.java(QgateCommand.class.getName(), "top", "--run-directory",
                lab.statusSocket("a").getParent().toString()));
            assertEquals(0, NamespaceLab.run(command, Duration.ofSeconds(10)).exit());
            try {
                // traffic while top redraws, so the second frame has a rate
                lab.exec("a", Duration.ofSeconds(20), "ping", "-c", "10", "-i", "0.2", "-s", "1000", NamespaceLab.INNER_B);
                String screen = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                String line = null;
                while (line == null && System.nanoTime() < deadline) {
                    screen = NamespaceLab.run(List.of("tmux", "capture-pane", "-p", "-t", session), Duration.ofSeconds(5)).output();
                    line = screen.lines().filter(l -> l.contains("gw-b") && l.contains("bit/s") && l.contains("ago"))
                        .findFirst().orElse(null);
                    Thread.sleep(300);
                }
                assertTrue(line != null, "no peer line with a rate on the screen:\n" + screen);
                assertTrue(line.contains(NamespaceLab.OUTER_B + ":51820"), line);
                assertTrue(screen.contains("qg0 (running, pid"), screen);
            } finally {
                NamespaceLab.run(List.of("tmux", "kill-session", "-t", session), Duration.ofSeconds(5));
            }
        }
    }
}
