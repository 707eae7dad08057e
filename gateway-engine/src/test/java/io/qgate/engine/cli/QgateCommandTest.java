package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QgateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = QgateCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void versionNamesQgateAndTheRuntime() {
        assertEquals(0, run("version"));
        assertTrue(out.toString().startsWith("qgate "), out.toString());
        assertTrue(out.toString().contains("Java " + Runtime.version().feature()), out.toString());
    }

    @Test
    void selfcheckPassesEveryInstalledBackendAndReportsTheAbsentOnes() {
        int exit = run("selfcheck");
        String text = out.toString();
        assertEquals(0, exit, text);
        assertTrue(text.matches("(?s).*selfcheck: \\d+ ok, 0 failed, \\d+ unavailable here.*"), text);
        for (String must : new String[] {"aes-256-gcm", "chacha20-poly1305", "ml-kem-768", "x25519-ml-kem-768",
                                         "ml-dsa-65", "slh-dsa-shake-128f", "falcon-512", "kmac256", "hkdf-sha256"}) {
            assertTrue(text.contains(must), "selfcheck does not mention " + must);
        }
        assertTrue(text.lines().anyMatch(l -> l.contains("aes-256-gcm") && l.contains(" jdk ") && l.contains(" ok ")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("ml-dsa-65") && l.contains("bouncycastle") && l.contains(" ok ")), text);
        // the test JVM has pom.xml's flags, which open the JDK's ML-DSA arithmetic and AES-GCM
        assertTrue(text.contains("aes-256-gcm on jdk: without the JCA (the JDK's AES-GCM intrinsics, nothing allocated per packet)"),
            text);
        String openSslOrJdk = io.qgate.crypto.aead.Aeads.isAvailable(io.qgate.crypto.Backend.OPENSSL) ? "openssl" : "jdk";
        assertTrue(text.contains("default backends: aes-256-gcm jdk, chacha20-poly1305 " + openSslOrJdk + ","), text);
        assertTrue(text.contains("ml-dsa signing on jdk: precomputed keys (matrix A and the key's NTTs once per key)"), text);
        for (io.qgate.engine.protocol.Suite suite : io.qgate.engine.protocol.Suite.values()) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith("protocol") && l.contains(suite.suiteName())
                    && l.contains(" ok ") && l.contains("tampered packet rejected")), "no protocol check for " + suite);
        }
        assertTrue(text.lines().filter(l -> l.contains(" liboqs ")).allMatch(l -> l.contains(" ok ") || l.contains("unavailable")),
            text);
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitTwo() {
        assertEquals(2, run("bogus"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'bogus'"), err.toString());
    }
}
