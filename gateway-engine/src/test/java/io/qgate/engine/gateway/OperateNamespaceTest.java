package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.cli.QgateCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's end-to-end run, every step through the {@code qgate} command as an operator types
 * it, in real namespaces: root init and cert issue (the lab's PKI), up, status and show in JSON
 * with the documented fields, a peer added and removed and a reload while a 64 MiB TCP transfer (paced to last 16 s)
 * flows (it arrives intact), and down.
 */
class OperateNamespaceTest {
    private static final long BYTES = 64L << 20;
    /** 4 MiB/s: the transfer lasts 16 s, longer than the peer changes take. */
    private static final long RATE = 4L << 20;

    private static NamespaceLab.Result qgate(String... args) throws Exception {
        return NamespaceLab.run(NamespaceLab.java(QgateCommand.class.getName(), args), Duration.ofSeconds(60));
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\\s*(-?[0-9]+)").matcher(json);
        assertTrue(m.find(), () -> field + " in " + json);
        return Long.parseLong(m.group(1));
    }

    @Test
    void anOperatorsDayInOrder() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            // root init and cert issue ran in the lab's constructor, through the same command line
            assertTrue(Files.exists(lab.dir.resolve("pki/root.crt")) && Files.exists(lab.dir.resolve("pki/gw-a.key")));
            String run = lab.statusSocket("a").getParent().toString();
            lab.startGateway("a");
            lab.startGateway("b");
            assertTrue(lab.awaitLog("a", "session established", 1, Duration.ofSeconds(30)), lab.logText("a"));
            assertEquals(0, lab.exec("a", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", NamespaceLab.INNER_B).exit());

            NamespaceLab.Result status = qgate("status", "--json", "qg0", "--run-directory", run);
            assertEquals(0, status.exit(), status.output());
            assertTrue(status.output().contains("\"interface\": \"qg0\"") || status.output().contains("\"interface\":\"qg0\""), status.output());
            assertTrue(status.output().matches("(?s).*\"state\":\\s*\"running\".*"), status.output());
            assertTrue(number(status.output(), "tun_packets_read") > 0);
            NamespaceLab.Result show = qgate("show", "--json", "qg0", "--run-directory", run);
            assertEquals(0, show.exit(), show.output());
            for (String field : List.of("name", "endpoint", "suite", "latest_handshake_age_s", "key_age_s", "rx_bytes", "tx_bytes",
                    "handshakes", "replay_rejects")) {
                assertTrue(show.output().contains("\"" + field + "\""), () -> field + " in " + show.output());
            }
            assertTrue(number(show.output(), "rx_bytes") > 0 && number(show.output(), "tx_bytes") > 0, show.output());

            // a transfer from b to a, while a's peers change and a reloads
            Process sink = lab.spawn("a", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5202", "120"));
            BufferedReader sinkOut = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", sinkOut.readLine());
            Process source = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "source", NamespaceLab.INNER_A, "5202",
                Long.toString(BYTES), "5", Long.toString(RATE)));
            Thread.sleep(300);
            NamespaceLab.Result add = qgate("peer", "add", "qg0", "gw-c", "--allowed-ips", "10.241.9.0/24", "--run-directory", run);
            assertEquals(0, add.exit(), add.output());
            assertTrue(qgate("show", "--json", "qg0", "--run-directory", run).output().contains("\"gw-c\""), "gw-c is listed");
            NamespaceLab.Result reload = qgate("reload", "qg0", "--run-directory", run);
            assertEquals(0, reload.exit(), reload.output());
            assertTrue(reload.output().contains("1 removed [gw-c]"), "the file does not list gw-c: " + reload.output());
            assertEquals(0, qgate("peer", "add", "qg0", "gw-c", "--allowed-ips", "10.241.9.0/24", "--run-directory", run).exit());
            NamespaceLab.Result remove = qgate("peer", "remove", "qg0", "gw-c", "--run-directory", run);
            assertEquals(0, remove.exit(), remove.output());
            assertFalse(qgate("show", "--json", "qg0", "--run-directory", run).output().contains("\"gw-c\""), "gw-c is gone");
            assertTrue(source.isAlive(), "the transfer was still flowing while the peers changed");

            assertTrue(source.waitFor(120, TimeUnit.SECONDS), "the transfer finished");
            String sent = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(sink.waitFor(30, TimeUnit.SECONDS));
            String received = sinkOut.readLine();
            assertTrue(sent.startsWith(BYTES + " "), sent);
            assertEquals(sent.lines().reduce((x, y) -> y).orElse(""), received, "bytes and SHA-256 equal: the peer changes did not disturb the session");

            NamespaceLab.Result down = qgate("down", "qg0", "--run-directory", run);
            assertEquals(0, down.exit(), down.output());
            assertFalse(lab.gateway("a").isAlive(), "qgate down stopped it");
            NamespaceLab.Result after = qgate("status", "--json", "--run-directory", run);
            assertTrue(after.output().replace(" ", "").contains("{\"gateways\":[]}"), after.output());
        }
    }
}
