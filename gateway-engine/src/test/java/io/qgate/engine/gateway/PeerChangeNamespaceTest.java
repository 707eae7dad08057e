package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.cli.QgateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Peers changed on running gateways in two namespaces: {@code qgate reload} and SIGHUP re-read
 * the peer list without dropping the session, a changed range reaches the kernel's routes, and
 * {@code qgate peer remove}/{@code add} take a peer away and bring it back while pings run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerChangeNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private NamespaceLab lab;

    @BeforeAll
    void startGateways() throws Exception {
        NamespaceLab.assumeRunnable();
        lab = new NamespaceLab("batched");
        lab.startGateway("a");
        lab.startGateway("b");
        for (String side : List.of("a", "b")) {
            assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> side + " did not come up:\n" + lab.logs());
        }
        // Gateways started a moment apart may both initiate once; let the second handshake finish
        // (no new session for 2 s, at most 15 s) so later counts see only what the tests cause.
        long quietSince = System.nanoTime();
        long seen = established("a") + established("b");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            long now = established("a") + established("b");
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    private Path run(String side) {
        return lab.statusSocket(side).getParent();
    }

    private long established(String side) throws Exception {
        return lab.logText(side).lines().filter(l -> l.contains("session established")).count();
    }

    private boolean pings(String from, String to) throws Exception {
        return lab.exec(from, Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.2", "-W", "1", to).exit() == 0;
    }

    /** Runs {@code qgate ARGS} in a child JVM (as a user would) and returns its result. */
    private NamespaceLab.Result qgate(String... args) throws Exception {
        return NamespaceLab.run(NamespaceLab.java(QgateCommand.class.getName(), args), Duration.ofSeconds(60));
    }

    @Test
    @Order(1)
    void reloadWithAnUnchangedFileKeepsTheSession() throws Exception {
        long before = established("a");
        NamespaceLab.Result r = qgate("reload", "qg0", "--run-directory", run("a").toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("0 added [], 0 removed [], 0 changed []"), r.output());
        assertTrue(pings("a", NamespaceLab.INNER_B), lab.logs());
        assertEquals(before, established("a"), "no new handshake: the session stayed");
    }

    @Test
    @Order(2)
    void aRangeAddedToTheFileReachesTheRoutesOnSighup() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(lab.logText("a").contains(io.qgate.engine.cli.UpCommand.SIGHUP_IGNORED),
            "needs SIGHUP not ignored: this test run was started under nohup, which the gateways inherit");
        Path config = lab.config("a");
        String text = Files.readString(config);
        String changed = text.replace("\"10.241.0.2/32\"", "\"10.241.0.2/32\", \"198.18.7.0/24\"");
        assertNotEquals(text, changed, "the lab's configuration names peer b's range");
        Files.writeString(config, changed);
        long before = established("a");
        ProcessHandle gateway = lab.gateway("a").toHandle();
        assertEquals(0, NamespaceLab.run(List.of("sh", "-c", "kill -HUP " + gateway.pid()), Duration.ofSeconds(5)).exit());
        // longer than the gateway's own 10 s bound on a reload, so that a reload it gave up on shows
        // its "reload refused" warning in the logs below rather than this test giving up first
        assertTrue(lab.awaitLog("a", "1 changed [gw-b]", 1, Duration.ofSeconds(20)), lab.logs());
        String routes = lab.exec("a", Duration.ofSeconds(5), "ip", "route", "show", "dev", "qg0").output();
        assertTrue(routes.contains("198.18.7.0/24"), routes);
        assertTrue(gateway.isAlive(), "SIGHUP reloads, it does not stop the gateway");
        assertEquals(before, established("a"));

        Files.writeString(config, text);
        assertEquals(0, qgate("reload", "qg0", "--run-directory", run("a").toString()).exit());
        routes = lab.exec("a", Duration.ofSeconds(5), "ip", "route", "show", "dev", "qg0").output();
        assertTrue(!routes.contains("198.18.7.0/24"), "the range's route is gone again: " + routes);
    }

    @Test
    @Order(3)
    void aRemovedPeerStopsCarryingTrafficAndComesBackWhenAdded() throws Exception {
        String runA = run("a").toString();
        NamespaceLab.Result removed = qgate("peer", "remove", "qg0", "gw-b", "--run-directory", runA);
        assertEquals(0, removed.exit(), removed.output());
        assertTrue(removed.output().contains("1 removed [gw-b]"), removed.output());
        assertTrue(!pings("a", NamespaceLab.INNER_B), "no peer routes 10.241.0.2 any more");

        NamespaceLab.Result again = qgate("peer", "remove", "qg0", "gw-b", "--run-directory", runA);
        assertEquals(1, again.exit());
        assertTrue(again.output().contains("there is no peer 'gw-b' on qg0"), again.output());

        NamespaceLab.Result added = qgate("peer", "add", "qg0", "gw-b", "--endpoint", NamespaceLab.OUTER_B + ":51820",
            "--allowed-ips", NamespaceLab.INNER_B + "/32," + NamespaceLab.INNER6_B + "/128", "--run-directory", runA);
        assertEquals(0, added.exit(), added.output());
        assertTrue(added.output().contains("1 added [gw-b]"), added.output());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        boolean back = false;
        while (!back && System.nanoTime() < deadline) {
            back = pings("a", NamespaceLab.INNER_B);
        }
        assertTrue(back, "the re-added peer handshakes and carries pings again:\n" + lab.logs());
    }

    @Test
    @Order(5)
    void aRevokedPeerIsRefusedAtItsNextHandshakeAfterAReload() throws Exception {
        Path pki = lab.dir.resolve("pki");
        NamespaceLab.Result revoke = qgate("cert", "revoke", "--ca", pki.toString(), pki.resolve("gw-b.crt").toString());
        assertEquals(0, revoke.exit(), revoke.output());
        Path config = lab.config("a");
        String text = Files.readString(config);
        Files.writeString(config, text.replace("[interface]\n", "[interface]\nrevocation_list = \"pki/root.crl\"\n"));
        String runA = run("a").toString();
        NamespaceLab.Result reload = qgate("reload", "qg0", "--run-directory", runA);
        assertEquals(0, reload.exit(), reload.output());
        // a new handshake with b is needed: take the peer away and back
        assertEquals(0, qgate("peer", "remove", "qg0", "gw-b", "--run-directory", runA).exit());
        assertEquals(0, qgate("peer", "add", "qg0", "gw-b", "--endpoint", NamespaceLab.OUTER_B + ":51820",
            "--allowed-ips", NamespaceLab.INNER_B + "/32", "--run-directory", runA).exit());
        assertTrue(lab.awaitLog("a", "the certificate is revoked", 1, Duration.ofSeconds(20)),
            "a refuses b's revoked certificate:\n" + lab.logs());
        assertTrue(!pings("a", NamespaceLab.INNER_B), "no session with a revoked peer");
    }

    @Test
    @Order(4)
    void badRequestsAreRefusedWithOneSentence() throws Exception {
        String runA = run("a").toString();
        NamespaceLab.Result overlap = qgate("peer", "add", "qg0", "gw-c", "--allowed-ips", NamespaceLab.INNER_B + "/32",
            "--run-directory", runA);
        assertEquals(1, overlap.exit());
        assertTrue(overlap.output().contains("appears twice"), overlap.output());
        NamespaceLab.Result badEndpoint = qgate("peer", "add", "qg0", "gw-c", "--endpoint", "gw-c.example:51820",
            "--allowed-ips", "198.18.9.0/24", "--run-directory", runA);
        assertEquals(1, badEndpoint.exit());
        assertTrue(badEndpoint.output().contains("gw-c.example"), badEndpoint.output());
        NamespaceLab.Result nobody = qgate("reload", "qg9", "--run-directory", runA);
        assertEquals(1, nobody.exit());
        assertTrue(nobody.output().contains("no gateway for qg9 is running"), nobody.output());
        assertTrue(!nobody.output().contains("Exception"), "no stack trace: " + nobody.output());
        assertEquals("error unknown request 'stop'; the gateway understands reload, peer-add and peer-remove",
            ControlServer.send(run("a").resolve("qg0.ctl"), "stop"));
    }
}
