package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.gateway.LocalSocketServer;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The certificate and gateway-control commands: their results and every refusal's sentence. */
class GatewayCommandsTest {
    @TempDir
    Path dir;
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        CommandLine cl = QgateCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private void assertRefused(String expected, String... args) {
        assertEquals(1, run(args), String.join(" ", args));
        assertTrue(err.toString().startsWith("qgate: ") && err.toString().contains(expected),
            "expected '" + expected + "' in: " + err);
    }

    @Test
    void caAndCertWriteAKeyPairWhoseCertificateTheRootVerifies() throws Exception {
        Path pki = dir.resolve("pki");
        assertEquals(0, run("ca", "create", "--out", pki.toString()));
        assertEquals(0, run("cert", "issue", "--ca", pki.toString(), "--subject", "gw-a"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("gw-a.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("root.key"))));
        Certificate root = KeyFiles.readCertificate(pki.resolve("root.crt"));
        Certificate leaf = KeyFiles.readCertificate(pki.resolve("gw-a.crt"));
        assertEquals("gw-a", leaf.subject());
        assertEquals(CertificateRole.GATEWAY, leaf.role());
        long now = System.currentTimeMillis() / 1000;
        new TrustStore(List.of(root)).verify(leaf, CertificateRole.GATEWAY, Suite.DEFAULT, now); // throws if not
        try (SigningIdentity key = KeyFiles.readPrivateKey(pki.resolve("gw-a.key"))) {
            assertTrue(java.util.Arrays.equals(key.publicKey(), leaf.publicKey()), "the key file holds the certificate's key");
        }
    }

    @Test
    void certificateCommandsRefuseWithTheCauseAndTheFix() throws Exception {
        Path pki = dir.resolve("pki");
        assertEquals(0, run("ca", "create", "--out", pki.toString()));
        assertRefused("root.crt already exists: pass --force to overwrite it", "ca", "create", "--out", pki.toString());
        assertEquals(0, run("ca", "create", "--out", pki.toString(), "--force"));
        assertRefused("--role must be gateway or client, not 'admin'", "cert", "issue", "--ca", pki.toString(), "--subject", "x", "--role", "admin");
        assertRefused("--days must be from 1 to 36500, not 0", "cert", "issue", "--ca", pki.toString(), "--subject", "x", "--days", "0");
        assertRefused("--days must be from 1 to 36500, not 40000", "ca", "create", "--out", dir.resolve("other").toString(), "--days", "40000");
        assertRefused("unknown signature algorithm 'rsa'", "ca", "create", "--out", dir.resolve("other").toString(), "--algorithm", "rsa");
        assertRefused("no such file", "cert", "issue", "--ca", dir.resolve("nowhere").toString(), "--subject", "x");
        Files.writeString(pki.resolve("bogus.crt"), "not a certificate");
        assertRefused("is not a qgate certificate", "cert", "issue", "--ca", pki.toString(), "--ca-name", "bogus", "--subject", "x");
        // a second root's key does not belong to the first root's certificate
        Path other = dir.resolve("other");
        assertEquals(0, run("ca", "create", "--out", other.toString()));
        Files.copy(other.resolve("root.key"), pki.resolve("root.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertRefused("does not belong to the root", "cert", "issue", "--ca", pki.toString(), "--subject", "x");
    }

    @Test
    void downAndShowSayWhenNoGatewayRuns() throws Exception {
        assertRefused("no gateway for qg9 is running (there is no " + dir.resolve("qg9.pid"),
            "down", "qg9", "--run-directory", dir.toString());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("qg9.pid"), gone.pid() + "\n");
        assertRefused("process " + gone.pid() + " is gone; removed its stale pid file", "down", "qg9", "--run-directory", dir.toString());
        assertTrue(Files.notExists(dir.resolve("qg9.pid")));
        Files.writeString(dir.resolve("qg9.pid"), "garbage\n");
        assertRefused("does not hold a process id", "down", "qg9", "--run-directory", dir.toString());
        assertRefused("'a/b' is not an interface name", "down", "a/b", "--run-directory", dir.toString());
        assertRefused("no gateway is running for qg9 (there is no " + dir.resolve("qg9.counters"),
            "show", "qg9", "--run-directory", dir.toString());
        assertRefused("no gateway is running for qg9 (there is no " + dir.resolve("qg9.counters"),
            "status", "qg9", "--run-directory", dir.toString());
        assertRefused("'a/b' is not an interface name", "show", "a/b", "--run-directory", dir.toString());
        assertRefused("no such file", "up", dir.resolve("missing.toml").toString());
    }

    @Test
    void upListsEveryProblemOfItsConfigurationOnePerLine() throws Exception {
        Path config = dir.resolve("qg0.toml");
        Files.writeString(config, """
            [interface]
            name = "qg0"
            mtu = 70000
            certificate = "gw-a.crt"
            private_key = "gw-a.key"
            trust_roots = ["root.crt"]
            """);
        assertRefused("qgate: " + config + ": 2 problems:\n"
            + "  " + config + ": has no [[peer]] table; add one per peer, with name and allowed_ips (see docs/CONFIG.md)\n"
            + "  " + config + ":3: mtu 70000 is above 65535; use a value between 576 and 65535\n", "up", config.toString());
    }

    @Test
    void aPrivateKeyOthersCanReadIsRefusedWithTheChmodThatFixesIt() throws Exception {
        Path pki = dir.resolve("pki");
        assertEquals(0, run("ca", "create", "--out", pki.toString()));
        assertEquals(0, run("cert", "issue", "--ca", pki.toString(), "--subject", "gw-a"));
        Files.setPosixFilePermissions(pki.resolve("root.key"), PosixFilePermissions.fromString("rw-r-----"));
        assertRefused("private key " + pki.resolve("root.key") + " is readable by group or others (mode 0640); run: chmod 600 "
            + pki.resolve("root.key"), "cert", "issue", "--ca", pki.toString(), "--subject", "x");

        // the gateway reads its key when it starts, after the configuration was checked
        Path config = dir.resolve("qg0.toml");
        Files.writeString(config, """
            [interface]
            name = "qg0"
            certificate = "pki/gw-a.crt"
            private_key = "pki/gw-a.key"
            trust_roots = ["pki/root.crt"]
            [[peer]]
            name = "b"
            allowed_ips = ["10.0.0.2"]
            """);
        io.qgate.engine.config.GatewayConfig checked = io.qgate.engine.config.GatewayConfig.load(config);
        Files.setPosixFilePermissions(pki.resolve("gw-a.key"), PosixFilePermissions.fromString("rw-rw-rw-"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> io.qgate.engine.gateway.Gateway.start(checked, line -> { }));
        assertEquals("private key " + pki.resolve("gw-a.key") + " is readable and writable by group or others (mode 0666);"
            + " run: chmod 600 " + pki.resolve("gw-a.key"), e.getMessage());
    }

    @Test
    void showPrintsWhatTheStatusSocketServes() throws Exception {
        Path socket = dir.resolve("qg9.sock");
        try (LocalSocketServer server = LocalSocketServer.start(socket, "test-status", client -> "interface qg9\ntun_packets_read 7\n")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("interface qg9\ntun_packets_read 7\n", ShowCommand.read(socket, "qg9"));
            assertEquals("interface qg9\ntun_packets_read 7\n", ShowCommand.read(socket, "qg9"), "answers every connection");
        }
        assertTrue(Files.notExists(socket), "closing removes the socket file");
    }

    @Test
    void statusOfANamedGatewayThatStoppedUpdatingExitsOne() throws Exception {
        // a counters file whose heartbeat never moved: its writer (this JVM) is alive but the file is stale
        try (io.qgate.engine.telemetry.CountersFile file = io.qgate.engine.telemetry.CountersFile.create(dir, "qg7",
                new java.net.InetSocketAddress("127.0.0.1", 51820), 1)) {
            file.heartbeat(System.currentTimeMillis() - 60_000);
            assertEquals(1, run("status", "qg7", "--run-directory", dir.toString()), "a stale gateway fails a liveness probe");
            file.heartbeat(System.currentTimeMillis());
            assertEquals(0, run("status", "qg7", "--run-directory", dir.toString()), "a live one passes");
        }
    }
}
