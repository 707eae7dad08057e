package io.qgate.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Suite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayConfigTest {
    static final String GOOD = GatewayConfigFixtures.GOOD;
    static final String FILE = "/etc/qgate/qg0.toml";

    private static GatewayConfig parse(String text) {
        return GatewayConfig.parse(Path.of(FILE), text);
    }

    private static List<String> problems(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).problems();
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "the fixture holds " + from);
        return text.replace(from, to);
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
        assertEquals(List.of(Path.of("/etc/qgate/root.crt")), c.trustRoots());
        assertEquals(List.of(Suite.DEFAULT), c.suites());
        assertEquals(2, c.workers());
        assertEquals(GatewayConfig.IoBackend.BATCHED, c.io());
        assertTrue(c.offload(), "offload is on by default");
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
    void appliesTheDocumentedDefaults() {
        GatewayConfig c = parse(GatewayConfigFixtures.MINIMAL);
        assertEquals("0.0.0.0", c.listen().getAddress().getHostAddress());
        assertEquals(51820, c.listen().getPort());
        assertEquals(List.of(), c.addresses());
        assertEquals(1420, c.mtu());
        assertEquals(1500, c.pathMtu());
        assertEquals(List.of(), c.suites(), "empty: every suite the certificate permits");
        assertEquals(0, c.workers());
        assertEquals(GatewayConfig.IoBackend.BATCHED, c.io());
        assertEquals(List.of(), c.cpus());
        assertEquals(Path.of("/run/qgate"), c.runDirectory());
        assertEquals(120, c.rekeyAfterSeconds(), "the protocol's REKEY_AFTER_TIME");
        assertEquals("10.0.0.2/32", c.peers().getFirst().allowedIps().getFirst().toString(), "an address alone is a host prefix");
    }

    @Test
    void zeroWorkersIsAccepted() {
        assertEquals(0, parse(replace(GOOD, "workers = 2", "workers = 0")).workers());
    }

    @Test
    void readsTheRemainingKeysAndASingleStringAsAListOfOne() {
        GatewayConfig c = parse(replace(GOOD, "workers = 2", """
            workers = 2
            path_mtu = 9000
            io = "io_uring"
            offload = false
            cpus = [0, 3]
            run_directory = "run"
            rekey_after = 5
            """).replace("trust_roots = [\"root.crt\"]", "trust_roots = \"root.crt\""));
        assertEquals(9000, c.pathMtu());
        assertEquals(GatewayConfig.IoBackend.IO_URING, c.io());
        assertEquals(false, c.offload());
        assertEquals(List.of(0, 3), c.cpus());
        assertEquals(5, c.rekeyAfterSeconds());
        assertEquals(Path.of("/etc/qgate/run"), c.runDirectory());
        assertEquals(List.of(Path.of("/etc/qgate/root.crt")), c.trustRoots());
    }

    @Test
    void acceptsPeersWrittenAsAnInlineArrayOfTables() {
        GatewayConfig c = parse("peer = [{ name = \"b\", allowed_ips = [\"10.9.0.0/16\"] }]\n"
            + GOOD.substring(0, GOOD.indexOf("[[peer]]")));
        assertEquals("10.9.0.0/16", c.peer("b").allowedIps().getFirst().toString());
    }

    @Test
    void theAnnotatedExampleInDocsParses() throws Exception {
        Path example = Path.of("..", "docs", "examples", "gateway.toml");
        GatewayConfig c = GatewayConfig.load(example);
        assertEquals("qg0", c.interfaceName());
        assertTrue(c.peers().size() >= 2, "the example shows a peer we connect to and one that roams");
        assertTrue(c.peers().stream().anyMatch(p -> p.endpoint() == null));
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 9586), c.metrics(), "every key is shown, metrics too");
        assertTrue(Files.readString(example).contains("\nrekey_after = "), "and rekey_after");
        assertTrue(c.revocationList().isAbsolute() && c.revocationList().endsWith(Path.of("pki", "root.crl")), c.revocationList().toString());
        assertTrue(Files.readString(example).lines().filter(l -> l.strip().startsWith("#")).count() > 20,
            "the example is annotated");
    }

    @Test
    void loadsFromAFileAndResolvesPathsAgainstItsFolder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("qg0.toml");
        Files.writeString(file, GOOD);
        assertEquals(dir.resolve("gw-a.crt"), GatewayConfig.load(file).certificate());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(dir.resolve("nope.toml")));
        assertEquals(dir.resolve("nope.toml") + ": no such file", e.getMessage());
        assertEquals(List.of(e.getMessage()), e.problems());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir + ": cannot be read: "), e.getMessage());
    }

    @Test
    void aFileLargerThanAnyConfigurationIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.toml");
        Files.write(big, new byte[GatewayConfig.MAX_BYTES + 1]);
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(big));
        assertEquals(big + ": is larger than " + GatewayConfig.MAX_BYTES + " bytes; is it a configuration file?", e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnceInLineOrder() {
        String text = replace(replace(replace(GOOD, "mtu = 1420", "mtu = 70000"), "workers = 2", "wrokers = 2"),
            "allowed_ips = [\"10.241.0.3/32\"]", "allowed_ips = []");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertEquals(List.of(
            FILE + ":6: mtu 70000 is above 65535; use a value between 576 and 65535",
            FILE + ":11: unknown key 'wrokers' in [interface]; did you mean 'workers'?",
            FILE + ":21: allowed_ips is empty; list the inner addresses this peer may use, as in allowed_ips = [\"10.241.0.2/32\", \"fd41::2/128\"]"),
            e.problems());
        assertEquals(FILE + ": 3 problems:\n  " + String.join("\n  ", e.problems()), e.getMessage());
    }

    @Test
    void reportsEverySyntaxErrorAtOnce() {
        List<String> p = problems(replace(replace(GOOD, "mtu = 1420", "mtu = 1420 1"), "workers = 2", "workers = [2"));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith(FILE + ":6: not valid TOML at column 12: "), p.get(0));
        assertTrue(p.get(1).startsWith(FILE + ":11: not valid TOML at column "), p.get(1));
    }

    @Test
    void controlCharactersAreReportedWithTheirLineAndTheOtherSyntaxErrorsToo() {
        // an unclosed inline table with a NUL in a comment made tomlj 2.2.0 throw (found by fuzzing)
        List<String> p = problems("e={\"\",#\u0000e\n" + replace(GOOD, "workers = 2", "workers = 2\u007f"));
        assertEquals(FILE + ":1: control character U+0000 at column 8; a TOML file holds none: remove it, or inside a string"
            + " write it as the escape \\u0000", p.get(0));
        assertTrue(p.stream().anyMatch(l -> l.startsWith(FILE + ":1: not valid TOML")), p.toString());
        assertTrue(p.contains(FILE + ":12: control character U+007F at column 12; a TOML file holds none: remove it, or inside"
            + " a string write it as the escape \\u007F"), p.toString());
    }

    @Test
    void aParserThatThrowsRefusesTheFileInsteadOfCrashing() {
        GatewayConfigParser failing = new GatewayConfigParser(Path.of(FILE), text -> {
            throw new NullPointerException("inside the parser");
        });
        ConfigException e = assertThrows(ConfigException.class, () -> failing.parse(GOOD));
        assertEquals(FILE + ": could not be read as TOML (the parser failed: java.lang.NullPointerException: inside the parser);"
            + " check its brackets, quotes and comments", e.getMessage());
    }

    @Test
    void aFileWithThousandsOfProblemsListsTheFirstFifty() {
        String text = "x = \n".repeat(1000);
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertEquals(ConfigProblems.MAX_LISTED + 1, e.problems().size());
        assertEquals(FILE + ": and 950 more problems; fix these first", e.problems().getLast());
        assertTrue(e.getMessage().startsWith(FILE + ": 1000 problems:\n  " + FILE + ":1: not valid TOML"), e.getMessage());
    }

    @Test
    void refusesAPrivateKeyOthersCanReadWithTheChmodThatFixesIt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("gw-a.key");
        Files.writeString(key, "not read by the parser");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = dir.resolve("qg0.toml");
        Files.writeString(file, replace(GOOD, "private_key = \"/etc/qgate/gw-a.key\"", "private_key = \"gw-a.key\""));
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(file));
        assertEquals(file + ":8: private_key gw-a.key is readable by group or others (mode 0644); run: chmod 600 " + key,
            e.getMessage());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(key, GatewayConfig.load(file).privateKey(), "after the chmod it loads");
    }

    /** One case per message a user can get: the text, and the one problem it must produce. */
    static Stream<Arguments> mistakes() {
        String noPeers = GOOD.substring(0, GOOD.indexOf("[[peer]]"));
        return Stream.of(
            mistake("TOML syntax", replace(GOOD, "workers = 2", "workers = 2 2"),
                ":11: not valid TOML at column 13: Unexpected '2', expected a newline or end-of-input"),
            mistake("a duplicated key", replace(GOOD, "workers = 2", "workers = 2\nworkers = 3"),
                ":12: not valid TOML at column 1: workers previously defined at line 11"),
            mistake("an unquoted text", replace(GOOD, "name = \"qg0\"", "name = qg0"),
                ":3: not valid TOML at column 8: Unexpected 'q', expected a value (text values need quotes, as in name = \"qg0\")"),
            mistake("an unknown top-level table", GOOD + "[peers]\n", ":22: unknown table or key 'peers'; did you mean 'peer'?"),
            mistake("no [interface]", "[[peer]]" + GOOD.substring(GOOD.indexOf("[[peer]]") + 8),
                ": has no [interface] table; add one with name, certificate, private_key and trust_roots (see docs/CONFIG.md)"),
            mistake("[[interface]]", replace(GOOD, "[interface]", "[[interface]]"),
                ":2: interface is a list; write one [interface] table, a line [interface] followed by its keys"),
            mistake("a missing required key", replace(GOOD, "certificate = \"gw-a.crt\"\n", ""),
                ":2: [interface] has no 'certificate'; add certificate = \"gw-a.crt\" (this gateway's certificate file)"),
            mistake("an unknown key close to a known one", replace(GOOD, "name = \"qg0\"", "nmae = \"qg0\""),
                ":3: unknown key 'nmae' in [interface]; did you mean 'name'?"),
            mistake("a key of the format before TOML", replace(GOOD, "mtu = 1420", "path-mtu = 1420"),
                ":6: unknown key 'path-mtu' in [interface]; did you mean 'path_mtu'?"),
            mistake("an unknown key like no known one", replace(GOOD, "mtu = 1420", "colour = \"blue\""),
                ":6: unknown key 'colour' in [interface]; known keys: name, listen, address, mtu, path_mtu, certificate,"
                    + " private_key, trust_roots, suites, workers, io, offload, cpus, run_directory"),
            mistake("a string where a number belongs", replace(GOOD, "mtu = 1420", "mtu = \"1420\""),
                ":6: mtu must be a whole number, not a string; write mtu = 1420"),
            mistake("a number where a list belongs", replace(GOOD, "address = [\"10.241.0.1/24\", \"fd41::1/64\"]", "address = 10"),
                ":5: address must be a list of strings, not a whole number; write address = [\"10.241.0.1/24\", \"fd41::1/64\"]"),
            mistake("a number in a list of strings", replace(GOOD, "\"fd41::1/64\"]", "\n  7]"),
                ":6: address holds a whole number where a string belongs; write address = [\"10.241.0.1/24\", \"fd41::1/64\"]"),
            mistake("a string where a list of numbers belongs", replace(GOOD, "workers = 2", "cpus = \"0\""),
                ":11: cpus must be a list of whole numbers, not a string; write cpus = [0, 1]"),
            mistake("a string in a list of numbers", replace(GOOD, "workers = 2", "cpus = [0, \"1\"]"),
                ":11: cpus holds a string where a whole number belongs; write cpus = [0, 1]"),
            mistake("a string where true or false belongs", replace(GOOD, "workers = 2", "offload = \"yes\""),
                ":11: offload must be true or false, not a string; write offload = true"),
            mistake("a cpu out of range", replace(GOOD, "workers = 2", "cpus = [4096]"),
                ":11: cpus entry 4096 is above 4095; use a value between 0 and 4095"),
            mistake("a number too large", replace(GOOD, "mtu = 1420", "mtu = 70000"),
                ":6: mtu 70000 is above 65535; use a value between 576 and 65535"),
            mistake("a number too small", replace(GOOD, "workers = 2", "workers = -1"),
                ":11: workers -1 is below 0; use a value between 0 and 64"),
            mistake("a rekey interval too short", replace(GOOD, "workers = 2", "rekey_after = 4"),
                ":11: rekey_after 4 is below 5; use a value between 5 and 120"),
            mistake("a rekey interval past the protocol's", replace(GOOD, "workers = 2", "rekey_after = 121"),
                ":11: rekey_after 121 is above 120; use a value between 5 and 120"),
            mistake("an mtu IPv6 cannot use", replace(GOOD, "mtu = 1420", "mtu = 1000"),
                ":6: mtu 1000 is below 1280, the least IPv6 allows (address fd41::1/64); use a value between 1280 and 65535,"
                    + " or remove the IPv6 address"),
            mistake("an interface name too long", replace(GOOD, "name = \"qg0\"", "name = \"a-name-far-too-long\""),
                ":3: name 'a-name-far-too-long' is not a usable interface name; use 1 to 15 letters, digits, '.', '_' or '-'"),
            mistake("a host name to listen on", replace(GOOD, "192.168.241.1:51820", "gateway.example:51820"),
                ":4: listen: 'gateway.example' is not an IP address or prefix; write an IP address (qgate does no DNS lookups),"
                    + " as in listen = \"192.168.241.1:51820\""),
            mistake("a listen address without port", replace(GOOD, "192.168.241.1:51820", "192.168.241.1"),
                ":4: listen '192.168.241.1' is not an address and port; write IPv4:port or [IPv6]:port, as in listen = \"192.168.241.1:51820\""),
            mistake("a port that is no number", replace(GOOD, "192.168.241.1:51820", "192.168.241.1:http"),
                ":4: listen '192.168.241.1:http' has no port number after the ':'; write it as in listen = \"192.168.241.1:51820\""),
            mistake("a port out of range", replace(GOOD, "192.168.241.1:51820", "192.168.241.1:70000"),
                ":4: listen port 70000 is outside 0..65535; use a port between 0 and 65535"),
            mistake("an endpoint that is a prefix", replace(GOOD, "192.168.241.2:51820", "192.168.241.0/24:51820"),
                ":16: endpoint '192.168.241.0/24:51820' names a prefix; write one address, as in endpoint = \"192.168.241.2:51820\""),
            mistake("a prefix too long", replace(GOOD, "10.241.0.3/32", "10.241.0.3/40"),
                ":21: allowed_ips: '10.241.0.3/40' is not an IP prefix: the length must be at most 32; write it as in"
                    + " allowed_ips = [\"10.241.0.2/32\", \"fd41::2/128\"]"),
            mistake("a path no file can have", replace(GOOD, "gw-a.crt", "gw\\u0000a.crt"),
                ":7: certificate 'gw?a.crt' is not a usable path (Nul character not allowed); write the file's path, absolute or"
                    + " relative to /etc/qgate"),
            mistake("no trust_roots", replace(GOOD, "trust_roots = [\"root.crt\"]\n", ""),
                ":2: [interface] has no 'trust_roots'; add trust_roots = [\"root.crt\"] (the root certificate files peers'"
                    + " certificates must chain to)"),
            mistake("empty trust_roots", replace(GOOD, "trust_roots = [\"root.crt\"]", "trust_roots = []"),
                ":9: trust_roots is empty; list at least one root certificate file, as in trust_roots = [\"root.crt\"]"),
            mistake("an unknown suite", replace(GOOD, "mlkem768-mldsa65-aes256gcm-sha3", "rot13"),
                ":10: suites: unknown suite 'rot13'; known suites: "),
            mistake("an unknown I/O backend", replace(GOOD, "workers = 2", "io = \"epoll\""),
                ":11: io \"epoll\" is not an I/O backend; use \"batched\" or \"io_uring\""),
            mistake("no [[peer]]", noPeers,
                ": has no [[peer]] table; add one per peer, with name and allowed_ips (see docs/CONFIG.md)"),
            mistake("[peer] written as one table", noPeers + "[peer]\nname = \"b\"\nallowed_ips = [\"10.0.0.2/32\"]\n",
                ":13: peer is a table; write [[peer]] (double brackets) before each peer, with name = \"...\" among its keys"),
            mistake("an empty peer list", "peer = []\n" + noPeers,
                ":1: peer is an empty list; add a [[peer]] table per peer, with name and allowed_ips"),
            mistake("a peer that is no table", "peer = [\"b\"]\n" + noPeers,
                ":1: peer holds a string; write [[peer]] (double brackets) before each peer, with its keys below"),
            mistake("the [peer NAME] header before TOML", replace(GOOD, "[[peer]]\nname = \"roaming\"", "[peer roaming]"),
                ":19: [peer roaming] is the format before TOML; write [[peer]] and below it name = \"roaming\" (see docs/CONFIG.md)"),
            mistake("a peer without name", replace(GOOD, "name = \"roaming\"\n", ""),
                ":19: [[peer]] number 2 has no 'name'; add name = \"gw-b\" (how logs and 'qgate show' name the peer; 1 to 64"
                    + " letters, digits, '.', '_' or '-')"),
            mistake("a peer name that is not usable", replace(GOOD, "name = \"roaming\"", "name = \"bad name!\""),
                ":20: peer name 'bad name!' is not usable; use 1 to 64 letters, digits, '.', '_' or '-'"),
            mistake("two peers of one name", replace(GOOD, "name = \"roaming\"", "name = \"gw-b\""),
                ":20: peer name 'gw-b' is used twice (first at line 14); give each peer its own name"),
            mistake("an unknown peer key", replace(GOOD, "name = \"roaming\"", "name = \"roaming\"\nallowed-ips = []"),
                ":21: unknown key 'allowed-ips' in [[peer]] 'roaming'; did you mean 'allowed_ips'?"),
            mistake("a peer without allowed_ips", replace(GOOD, "allowed_ips = [\"10.241.0.3/32\"]\n", ""),
                ":19: [[peer]] 'roaming' has no 'allowed_ips'; add allowed_ips = [\"10.241.0.2/32\", \"fd41::2/128\"] (the inner"
                    + " addresses this peer may use and is routed)"),
            mistake("empty allowed_ips", replace(GOOD, "allowed_ips = [\"10.241.0.3/32\"]", "allowed_ips = []"),
                ":21: allowed_ips is empty; list the inner addresses this peer may use, as in allowed_ips = [\"10.241.0.2/32\","
                    + " \"fd41::2/128\"]"),
            mistake("a prefix given to two peers", replace(GOOD, "10.241.0.3/32", "10.241.0.2/32"),
                ":21: allowed_ips 10.241.0.2/32 is already routed to peer gw-b (line 17); give each prefix to one peer"));
    }

    private static Arguments mistake(String name, String text, String expected) {
        return Arguments.of(Named.of(name, text), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsReportedWithItsLineAndFix(String text, String expected) {
        List<String> p = problems(text);
        assertTrue(p.stream().anyMatch(line -> line.startsWith(FILE + expected)), "expected " + FILE + expected + "\n in: " + p);
        assertTrue(p.stream().allMatch(line -> line.startsWith(FILE + ":") || line.startsWith(FILE + ": ")), p.toString());
        if (!expected.contains("not valid TOML") && !expected.contains("format before TOML")) {
            assertEquals(1, p.size(), "one mistake, one problem: " + p);
        }
    }
}
