package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.ErrorCode;
import io.qgate.engine.protocol.ProtocolException;
import io.qgate.engine.protocol.Suite;
import io.qgate.engine.trust.Armour;
import io.qgate.engine.trust.Certificate;
import io.qgate.engine.trust.CertificateAuthority;
import io.qgate.engine.trust.CertificateRole;
import io.qgate.engine.trust.RevocationList;
import io.qgate.engine.trust.SigningIdentity;
import io.qgate.engine.trust.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** root init, keygen, cert issue --key, cert show and cert revoke, through the command line. */
class CliPkiTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;
    Path pki;

    @BeforeEach
    void createRootAndTwoGateways() {
        pki = dir.resolve("pki");
        ok("root", "init", "--out", pki.toString());
        ok("cert", "issue", "--ca", pki.toString(), "--subject", "gw-a");
        ok("cert", "issue", "--ca", pki.toString(), "--subject", "gw-b");
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.run(args);
        assertEquals(0, run.exit(), run.toString());
        assertEquals("", run.err(), run.toString());
        return run;
    }

    private static void refused(String expected, String... args) {
        CliRun run = CliRun.run(args);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().startsWith("qgate: ") && run.err().contains(expected), "expected '" + expected + "' in " + run);
        assertEquals(1, run.err().lines().count(), "one line: " + run);
    }

    private Certificate certificate(String name) {
        return KeyFiles.readCertificate(pki.resolve(name + ".crt"));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void rootInitAndItsOldNameCaCreateMakeTheSameFiles() throws Exception {
        assertEquals(CertificateRole.ROOT, certificate("root").role());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("root.key"))));
        Path old = dir.resolve("old");
        ok("ca", "create", "--out", old.toString(), "--subject", "old-root");
        assertEquals("old-root", KeyFiles.readCertificate(old.resolve("root.crt")).subject());
        assertTrue(Files.exists(old.resolve("root.key")));
    }

    @Test
    void keygenWritesAPrivateKeyOnlyThatCertIssueKeyCertifies() throws Exception {
        Path key = dir.resolve("keys/alice.key");
        CliRun run = ok("keygen", key.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(List.of(key), Files.list(key.getParent()).toList(), "only the key file");
        ok("cert", "issue", "--ca", pki.toString(), "--subject", "alice", "--role", "client", "--key", key.toString(),
            "--out", dir.toString());
        assertTrue(Files.notExists(dir.resolve("alice.key")), "no second key was made");
        Certificate alice = KeyFiles.readCertificate(dir.resolve("alice.crt"));
        try (SigningIdentity identity = KeyFiles.readPrivateKey(key)) {
            assertArrayEquals(identity.publicKey(), alice.publicKey());
            assertTrue(run.out().contains(HEX.formatHex(alice.keyId())), "keygen prints the key id: " + run);
        }
        new TrustStore(List.of(certificate("root"))).verify(alice, CertificateRole.CLIENT, Suite.DEFAULT, now());
    }

    @Test
    void keygenAndCertIssueKeyRefuseWithTheCauseAndTheFix() {
        Path key = dir.resolve("k.key");
        ok("keygen", key.toString(), "--algorithm", "ml-dsa-44");
        refused("k.key already exists: pass --force", "keygen", key.toString());
        refused("unknown signature algorithm 'rsa'", "keygen", dir.resolve("other.key").toString(), "--algorithm", "rsa");
        refused("holds an ml-dsa-44 key, not ml-dsa-65: leave out --algorithm",
            "cert", "issue", "--ca", pki.toString(), "--subject", "x", "--key", key.toString(), "--algorithm", "ml-dsa-65");
        refused("no such file", "cert", "issue", "--ca", pki.toString(), "--subject", "x", "--key", dir.resolve("none.key").toString());
        refused("is not a qgate private key", "cert", "issue", "--ca", pki.toString(), "--subject", "x",
            "--key", pki.resolve("root.crt").toString());
    }

    @Test
    void certShowPrintsACertificatesFieldsAsTextAndJson() {
        Certificate gw = certificate("gw-a");
        String text = ok("cert", "show", pki.resolve("gw-a.crt").toString()).out();
        for (String line : new String[] {"subject:          gw-a", "role:             gateway",
                "serial:           " + HEX.formatHex(gw.serial()), "issuer key id:    " + HEX.formatHex(certificate("root").keyId()),
                "algorithm:        ml-dsa-65", "not before:       " + java.time.Instant.ofEpochSecond(gw.notBefore()),
                "not after:        " + java.time.Instant.ofEpochSecond(gw.notAfter()), "expired:          no"}) {
            assertTrue(text.lines().anyMatch(line::equals), "no line '" + line + "' in\n" + text);
        }
        assertTrue(text.contains(Suite.DEFAULT.suiteName()), text);
        String json = ok("cert", "show", "--json", pki.resolve("gw-a.crt").toString()).out().strip();
        assertTrue(json.startsWith("{\"type\":\"certificate\",\"subject\":\"gw-a\",\"role\":\"gateway\",\"serial\":\""
            + HEX.formatHex(gw.serial()) + "\""), json);
        StringBuilder suites = new StringBuilder();
        for (Suite suite : Suite.values()) {
            if (gw.permits(suite)) {
                suites.append(suites.isEmpty() ? "" : ",").append('"').append(suite.suiteName()).append('"');
            }
        }
        assertTrue(json.contains("\"suites\":[" + suites + "]"), json);
        assertTrue(json.contains("\"not_after\":\"" + java.time.Instant.ofEpochSecond(gw.notAfter()) + "\""), json);
        assertTrue(json.endsWith("\"not_yet_valid\":false,\"expired\":false}"), json);
    }

    @Test
    void certShowSaysWhenACertificateHasExpired() throws Exception {
        try (SigningIdentity rootKey = KeyFiles.readPrivateKey(pki.resolve("root.key"))) {
            Certificate old = CertificateAuthority.of(certificate("root"), rootKey).issue(CertificateRole.GATEWAY, "old",
                certificate("gw-a").publicKey(), rootKey.algorithm(), Suite.VALID_MASK, now() - 3000, now() - 1000);
            Files.writeString(dir.resolve("old.crt"), Armour.encode(Armour.CERTIFICATE, old.encoded()));
        }
        assertTrue(ok("cert", "show", dir.resolve("old.crt").toString()).out().lines().anyMatch("expired:          yes"::equals));
        assertTrue(ok("cert", "show", "--json", dir.resolve("old.crt").toString()).out().contains("\"expired\":true"));
    }

    @Test
    void certShowRefusesPrivateKeysAndOtherFiles() throws Exception {
        refused("is a private key, not a certificate", "cert", "show", pki.resolve("gw-a.key").toString());
        refused("no such file", "cert", "show", dir.resolve("missing.crt").toString());
        Files.writeString(dir.resolve("junk.crt"), "hello\n");
        refused("is not a qgate certificate", "cert", "show", dir.resolve("junk.crt").toString());
    }

    @Test
    void revokedCertificateIsRefusedByTheTrustStoreAndAnotherIsAccepted() throws Exception {
        CliRun run = ok("cert", "revoke", "--ca", pki.toString(), pki.resolve("gw-a.crt").toString());
        Path crl = pki.resolve("root.crl");
        assertTrue(Files.readString(crl).startsWith("-----BEGIN QGATE REVOCATION LIST-----"));
        assertTrue(run.out().contains("now lists 1 revoked serial (1 new), sequence 1"), run.toString());
        RevocationList list = KeyFiles.readRevocationList(crl);
        TrustStore store = new TrustStore(List.of(certificate("root")));
        store.install(list);
        ProtocolException e = assertThrows(ProtocolException.class,
            () -> store.verify(certificate("gw-a"), CertificateRole.GATEWAY, Suite.DEFAULT, now()));
        assertEquals(ErrorCode.CERTIFICATE_REVOKED, e.error());
        store.verify(certificate("gw-b"), CertificateRole.GATEWAY, Suite.DEFAULT, now()); // throws if refused
    }

    @Test
    void revokeBySerialSupersedesTheListAndKeepsEarlierSerials() throws Exception {
        ok("cert", "revoke", "--ca", pki.toString(), pki.resolve("gw-a.crt").toString());
        RevocationList first = KeyFiles.readRevocationList(pki.resolve("root.crl"));
        String serial = HEX.formatHex(certificate("gw-b").serial());
        String colons = serial.replaceAll("(..)(?!$)", "$1:").toUpperCase();
        ok("cert", "revoke", "--ca", pki.toString(), colons, "--days", "30");
        RevocationList second = KeyFiles.readRevocationList(pki.resolve("root.crl"));
        assertEquals(2, second.sequence());
        assertEquals(2, second.count());
        assertTrue(second.isRevoked(certificate("gw-a").serial()) && second.isRevoked(certificate("gw-b").serial()));
        assertTrue(Math.abs(second.nextUpdate() - (now() + 30 * 86_400L)) < 60, "expires in 30 days");
        TrustStore store = new TrustStore(List.of(certificate("root")));
        store.install(first);
        store.install(second); // a gateway holding the first list takes the second
        String json = ok("cert", "show", "--json", pki.resolve("root.crl").toString()).out();
        assertTrue(json.contains("\"type\":\"revocation_list\"") && json.contains("\"sequence\":2")
            && json.contains("\"" + serial + "\"") && json.contains("\"expired\":false"), json);
        assertTrue(ok("cert", "show", pki.resolve("root.crl").toString()).out().contains("serials:          2"));
        CliRun renew = ok("cert", "revoke", "--ca", pki.toString());
        assertTrue(renew.out().contains("now lists 2 revoked serials (0 new), sequence 3"), renew.toString());
    }

    @Test
    void revokeRefusesWithTheCauseAndTheFix() throws Exception {
        refused("'abc' is neither a certificate file nor a serial of 32 hex digits", "cert", "revoke", "--ca", pki.toString(), "abc");
        Path other = dir.resolve("other");
        ok("root", "init", "--out", other.toString());
        ok("cert", "issue", "--ca", other.toString(), "--subject", "stranger");
        refused("was not issued by the root 'root': revoke it with the root that issued it",
            "cert", "revoke", "--ca", pki.toString(), other.resolve("stranger.crt").toString());
        refused("--days must be from 1 to 36500, not 0", "cert", "revoke", "--ca", pki.toString(), "--days", "0");
        // another root's list in this root's place is refused, not re-signed
        ok("cert", "revoke", "--ca", other.toString());
        Files.copy(other.resolve("root.crl"), pki.resolve("root.crl"));
        refused("cannot be extended: the revocation list is not issued by a trusted root; restore it from a backup",
            "cert", "revoke", "--ca", pki.toString(), pki.resolve("gw-a.crt").toString());
        Files.writeString(pki.resolve("root.crl"), "-----BEGIN QGATE REVOCATION LIST-----\nAAAA\n-----END QGATE REVOCATION LIST-----\n");
        refused("is not a qgate revocation list", "cert", "revoke", "--ca", pki.toString());
        assertFalse(Files.exists(pki.resolve("root.crl.tmp")), "no temporary file left");
    }
}
