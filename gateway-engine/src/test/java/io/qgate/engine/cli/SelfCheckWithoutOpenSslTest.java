package io.qgate.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A machine without OpenSSL's libcrypto, simulated by pointing {@code qgate.openssl.libraries} at a
 * library that does not exist, in a JVM of its own (the library is looked up once per process).
 */
class SelfCheckWithoutOpenSslTest {
    @Test
    void selfcheckReportsOpenSslMissingWithTheInstallHintAndFallsBackToTheJdk() throws Exception {
        CliRun run = CliRun.process(CliRun.java(List.of("--enable-native-access=ALL-UNNAMED",
            "-Dqgate.openssl.libraries=libqgate-absent-crypto.so.3"), QgateCommand.class.getName(), "selfcheck", "--verbose"));
        String output = run.out();
        assertEquals(0, run.exit(), output);
        assertTrue(output.contains("default backends: aes-256-gcm jdk, chacha20-poly1305 jdk,"), output);
        // started without pom.xml's --add-opens, so AES-GCM goes through the JCA and ML-DSA keys are
        // expanded per signature, and it says why
        assertTrue(output.contains("aes-256-gcm on jdk: through the JCA (about 1 KB allocated per packet), because the JVM was"
            + " started without --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED"), output);
        assertTrue(output.contains("ml-dsa signing on jdk: the key expanded for every signature, because the JVM was started"
            + " without --add-opens java.base/sun.security.provider=ALL-UNNAMED"), output);
        String reason = "OpenSSL libcrypto is not installed (tried libqgate-absent-crypto.so.3): install the Debian package libssl3.";
        for (String algorithm : new String[] {"aes-256-gcm", "chacha20-poly1305"}) {
            assertTrue(output.lines().anyMatch(l -> l.contains(algorithm) && l.contains(" openssl ")
                && l.contains("unavailable") && l.contains(reason)), output);
            assertTrue(output.lines().anyMatch(l -> l.contains(algorithm) && l.contains(" jdk ")
                && l.contains(" ok ") && !l.contains("opens it")), output);
        }
    }
}
