package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qgate.engine.cli.QgateCommand;
import io.qgate.engine.telemetry.MiniJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real gateways in two namespaces (as {@link TunnelNamespaceTest}), with the metrics
 * endpoint on: after a ping, {@code qgate status --json} and {@code qgate show --json} (reading
 * the counters file from this process, no request to the gateway) and {@code /metrics} show the
 * peer with traffic and a handshake; the log is leveled and holds no private key; a stopped
 * gateway leaves no counters file. Needs root, /dev/net/tun, ip, ping and curl.
 */
class ObservabilityNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private NamespaceLab lab;

    record Output(int exit, String out, String err) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusShowAndMetricsShowThePeerWithTrafficAndAHandshake() throws Exception {
        String missing = NamespaceLab.missing();
        if (missing == null && !Files.isExecutable(Path.of("/usr/bin/curl"))) {
            missing = "needs curl (Debian package curl)";
        }
        String why = missing;
        if (why != null && System.getenv("CI") != null && "root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("under CI as root these tests must run, but: " + why);
        }
        assumeTrue(why == null, () -> "skipped: " + why);
        lab = new NamespaceLab("batched");
        for (String side : List.of("a", "b")) {
            String config = Files.readString(lab.config(side));
            Files.writeString(lab.config(side), config.replace("io = \"batched\"\n", "io = \"batched\"\nmetrics = \"9586\"\n"));
            lab.startGateway(side);
        }
        for (String side : List.of("a", "b")) {
            assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session within " + UP + ":\n" + lab.logs());
        }
        NamespaceLab.Result ping = lab.exec("a", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NamespaceLab.INNER_B);
        assertEquals(0, ping.exit(), () -> ping.output() + lab.logs());
        Thread.sleep(200); // counters are added once per batch; the heartbeat every 50 ms

        String run = lab.dir.resolve("run-a").toString();
        Output status = qgate("status", "--json", "--run-directory", run);
        assertEquals(0, status.exit(), status.err());
        Map<String, Object> gateway = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) MiniJson.parse(status.out()))
            .get("gateways")).get(0);
        assertEquals("qg0", gateway.get("interface"));
        assertEquals("running", gateway.get("state"));
        assertEquals(1L, gateway.get("peers"));
        Map<String, Object> counters = (Map<String, Object>) gateway.get("counters");
        assertTrue((Long) counters.get("tun_packets_read") >= 3, () -> "tun_packets_read in " + status.out());

        Output show = qgate("show", "qg0", "--json", "--run-directory", run);
        assertEquals(0, show.exit(), show.err());
        Map<String, Object> shown = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) MiniJson.parse(show.out()))
            .get("gateways")).get(0);
        Map<String, Object> peer = (Map<String, Object>) ((List<Object>) shown.get("peers")).get(0);
        assertEquals("gw-b", peer.get("name"));
        assertEquals(NamespaceLab.OUTER_B + ":51820", peer.get("endpoint"));
        assertNotNull(peer.get("suite"), show.out());
        assertNotNull(peer.get("latest_handshake_age_s"), show.out());
        assertNotNull(peer.get("key_age_s"), show.out());
        assertTrue((Long) peer.get("rx_bytes") > 0 && (Long) peer.get("tx_bytes") > 0, show.out());
        assertTrue((Long) peer.get("rx_packets") >= 3 && (Long) peer.get("tx_packets") >= 3, show.out());
        assertTrue((Long) peer.get("handshakes") >= 1, show.out());

        Output text = qgate("show", "--run-directory", run);
        assertTrue(text.out().contains("peer: gw-b\n  endpoint: " + NamespaceLab.OUTER_B + ":51820\n  latest handshake: "), text.out());
        assertTrue(text.out().contains(" ago\n  transfer: "), text.out());

        NamespaceLab.Result metrics = lab.exec("a", Duration.ofSeconds(10), "curl", "-sS", "--max-time", "5", "http://127.0.0.1:9586/metrics");
        assertEquals(0, metrics.exit(), metrics.output());
        assertTrue(metric(metrics.output(), "qgate_peer_handshakes_total\\{interface=\"qg0\",peer=\"gw-b\"}") >= 1, metrics.output());
        assertTrue(metric(metrics.output(), "qgate_peer_rx_bytes_total\\{interface=\"qg0\",peer=\"gw-b\"}") > 0, metrics.output());
        assertTrue(metric(metrics.output(), "qgate_peer_tx_bytes_total\\{interface=\"qg0\",peer=\"gw-b\"}") > 0, metrics.output());
        assertTrue(metric(metrics.output(), "qgate_handshake_duration_seconds_count\\{interface=\"qg0\"}") >= 1, metrics.output());

        assertTrue(NamespaceLab.stop(lab.gateway("a")), "SIGTERM stops gateway a");
        assertFalse(Files.exists(lab.dir.resolve("run-a").resolve("qg0.counters")), "the counters file is removed on a clean stop");
        assertEquals(Map.of("gateways", List.of()), MiniJson.parse(qgate("status", "--json", "--run-directory", run).out()));
        Output gone = qgate("show", "qg0", "--run-directory", run);
        assertEquals(1, gone.exit());
        assertTrue(gone.err().contains("no gateway is running for qg0"), gone.err());

        String log = lab.logText("a");
        for (String line : log.split("\n")) {
            assertTrue(line.matches("(INFO|WARN|ERROR) \\d{4}-\\d\\d-\\d\\dT\\S+Z \\S.*"), () -> "not a leveled event line: '" + line + "'\n" + log);
        }
        assertNoSecret(log, lab.dir.resolve("pki").resolve("gw-a.key"));
    }

    /** Neither the key file's base64 nor its decoded bytes (hex, base64) appear in {@code log}, even in part. */
    private static void assertNoSecret(String log, Path keyFile) throws Exception {
        StringBuilder base64 = new StringBuilder();
        for (String line : Files.readAllLines(keyFile)) {
            if (!line.startsWith("-----") && !line.startsWith("#") && !line.isBlank()) {
                base64.append(line.strip());
            }
        }
        byte[] key = Base64.getDecoder().decode(base64.toString());
        assertTrue(key.length >= 32, "the key file decodes");
        String lower = log.toLowerCase(java.util.Locale.ROOT);
        for (int at = 0; at + 16 <= key.length; at += 16) {
            byte[] chunk = java.util.Arrays.copyOfRange(key, at, at + 16);
            assertFalse(lower.contains(HexFormat.of().formatHex(chunk)), "hex of private key bytes in the log");
            assertFalse(log.contains(Base64.getEncoder().encodeToString(chunk).substring(0, 20)), "base64 of private key bytes in the log");
        }
        for (int at = 0; at + 24 <= base64.length(); at += 24) {
            assertFalse(log.contains(base64.substring(at, at + 24)), "the key file's text in the log");
        }
    }

    private static long metric(String text, String nameAndLabels) {
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.]+)$").matcher(text);
        assertTrue(m.find(), () -> "no " + nameAndLabels + " in:\n" + text);
        return (long) Double.parseDouble(m.group(1));
    }

    /** Runs the command line in this process, capturing what it prints. */
    private static synchronized Output qgate(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = QgateCommand.commandLine().execute(args);
            return new Output(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @AfterEach
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }
}
