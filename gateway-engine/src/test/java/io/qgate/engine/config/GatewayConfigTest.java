package io.qgate.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    static final String GOOD = GatewayConfigFixtures.GOOD;

    private static GatewayConfig parse(String text) {
        return GatewayConfig.parse(Path.of("/etc/qgate/qg0.conf"), text);
    }

    @Test
    void parsesEveryFieldAndResolvesRelativePaths() {
        GatewayConfig c = parse(GOOD);
        assertEquals("qg0", c.interfaceName());
        assertEquals(51820, c.listen().getPort());
        assertEquals(2, c.addresses().size());
        assertEquals("10.241.0.1/24", c.addresses().get(0).toString());
        assertEquals("10.241.0.0/24", c.addresses().get(0).prefix().toString());
        assertEquals("fd41::1/64", c.addresses().get(1).toString());
        assertEquals(1420, c.mtu());
        assertEquals(1500, c.pathMtu());
        assertEquals(Path.of("/etc/qgate/gw-a.crt"), c.certificate());
        assertEquals(Path.of("/etc/qgate/gw-a.key"), c.privateKey());
        assertEquals(Path.of("/etc/qgate/root.crt"), c.trustRoots().get(0));
        assertEquals(Suite.DEFAULT, c.suites().get(0));
        assertEquals(2, c.workers());
        assertEquals(GatewayConfig.IoBackend.BATCHED, c.io());
        assertEquals(2, c.peers().size());
        GatewayConfig.PeerSection b = c.peer("gw-b");
        assertEquals("gw-b", b.subject());
        assertEquals(51820, b.endpoint().getPort());
        assertEquals(2, b.allowedIps().size());
        GatewayConfig.PeerSection roaming = c.peer("roaming");
        assertNull(roaming.endpoint());
        assertEquals("roaming", roaming.subject(), "the subject defaults to the peer's name");
    }

    @Test
    void loadsFromAFileAndNamesMissingOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("qg0.conf");
        Files.writeString(file, GOOD);
        assertEquals(dir.resolve("gw-a.crt"), GatewayConfig.load(file).certificate());
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(dir.resolve("nope.conf")));
        assertTrue(e.getMessage().endsWith("nope.conf: no such file"), e.getMessage());
    }

    @Test
    void everyMistakeNamesTheLineAndTheCause() {
        String[][] cases = {
            {GOOD.replace("mtu = 1420", "mtu = big"), ":6: 'mtu' must be a whole number"},
            {GOOD.replace("mtu = 1420", "mtu = 100"), ":6: 'mtu' must be from 576"},
            {GOOD.replace("mtu = 1420", "mtu = 1000"), "IPv6 needs an mtu of at least 1280"},
            {GOOD.replace("listen = 192.168.241.1:51820", "listen = gateway.example:51820"), ":4: 'gateway.example' is not an IP"},
            {GOOD.replace("listen = 192.168.241.1:51820", "listen = 192.168.241.1"), ":4: '192.168.241.1' is not an address"},
            {GOOD.replace("listen = 192.168.241.1:51820", "listen = 192.168.241.1:70000"), ":4: the port must be from 0 to 65535"},
            {GOOD.replace("name = qg0", "name = a-name-far-too-long"), ":3: an interface name is 1 to 15"},
            {GOOD.replace("name = qg0", "nmae = qg0"), ":3: unknown key 'nmae' in [interface]"},
            {GOOD.replace("workers = 2", "workers = 2\nworkers = 3"), "'workers' is set twice"},
            {GOOD.replace("[peer roaming]", "[peer gw-b]"), "[peer gw-b] appears twice"},
            {GOOD.replace("[peer roaming]", "[peers]"), "unknown section [peers]"},
            {GOOD.replace("[peer roaming]", "[peer bad name!]"), "a peer name is"},
            {GOOD.replace("allowed-ips = 10.241.0.3/32", "subject = x"), "[peer roaming] needs 'allowed-ips'"},
            {GOOD.replace("allowed-ips = 10.241.0.3/32", "allowed-ips = 10.241.0.3/40"), "the length must be at most 32"},
            {GOOD.replace("suites = mlkem768-mldsa65-aes256gcm-sha3", "suites = rot13"), "unknown suite 'rot13'"},
            {GOOD.replace("io = ", "x").replace("workers = 2", "io = epoll"), "io must be 'batched' or 'io_uring'"},
            {GOOD.replace("trust-root = root.crt\n", ""), "needs 'trust-root'"},
            {GOOD.replace("certificate = gw-a.crt\n", ""), "needs 'certificate'"},
            {GOOD.substring(GOOD.indexOf("[peer gw-b]")), "has no [interface] section"},
            {GOOD.substring(0, GOOD.indexOf("[peer gw-b]")), "has no [peer NAME] section"},
            {"name = x\n" + GOOD, ":1: 'name = x' comes before any [section]"},
            {GOOD.replace("[peer roaming]", "[peer roaming"), "a section header must end with ']'"},
            {GOOD.replace("[peer roaming]", "[peer roaming]\njunk"), "expected 'key = value'"},
            {GOOD.replace("endpoint = 192.168.241.2:51820", "endpoint = 192.168.241.0/24:51820"), "must be an address, not a prefix"},
            {GOOD.replace("[interface]", "[interface]\n[interface]"), "[interface] appears twice"},
            {GOOD.replace("certificate = gw-a.crt", "certificate = gw\u0000a.crt"), ":7: 'gw?a.crt' is not a usable path"},
            {GOOD.replace("trust-root = root.crt", "trust-root = root\u0000.crt"), "is not a usable path"},
        };
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(c[0]), c[1]);
            assertTrue(e.getMessage().startsWith("/etc/qgate/qg0.conf"), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), "expected '" + c[1] + "' in: " + e.getMessage());
        }
    }
}
