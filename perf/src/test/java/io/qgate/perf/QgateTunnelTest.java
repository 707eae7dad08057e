package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QgateTunnelTest {
    private static ExternalCommand.Result result(int exit, String stdout, String stderr) {
        return new ExternalCommand.Result(List.of("qgate", "up", "--help"), exit, stdout, stderr);
    }

    @Test
    void isAvailableWhenUpPrintsItsOwnUsage() {
        assertNull(QgateTunnel.unavailableReason(result(0, "Usage: qgate up [-hV] <config>\n", "")));
    }

    @Test
    void isSkippedWhenUpIsAUsageError() {
        String why = QgateTunnel.unavailableReason(result(2, "", "Unmatched argument at index 0: 'up'\nUsage: qgate [-hV] [COMMAND]\n"));
        assertTrue(why.contains("not available yet") && why.contains("usage error"), why);
    }

    @Test
    void isSkippedWhenHelpPrintsOnlyTheGeneralUsage() {
        String why = QgateTunnel.unavailableReason(result(0, "Usage: qgate [-hV] [COMMAND]\n", ""));
        assertTrue(why.contains("not available yet"), why);
    }

    @Test
    void anyOtherFailureIsReportedWithItsExitStatus() {
        String why = QgateTunnel.unavailableReason(result(1, "", "Error: no JDK\n"));
        assertTrue(why.contains("exit 1") && why.contains("no JDK"), why);
    }

    @Test
    void runsTheCheckoutsLauncherAndSkipsWhenItRejectsUp(@TempDir Path repo) throws Exception {
        Path launcher = repo.resolve("qgate");
        Files.writeString(launcher, "#!/bin/sh\necho \"Unmatched argument at index 0: '$1'\" >&2\nexit 2\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        String why = new QgateTunnel(repo, null).unavailableReason();
        assertTrue(why.contains("not available yet"), why);
    }

    @Test
    void theOpenSslVariantPutsEveryAeadOnOpenSslBeforeTheUsersOptions() {
        assertEquals("-Dqgate.crypto.aead.backend=openssl -Xmx1g",
            QgateTunnel.gatewayJavaOptions(QgateTunnel.OPENSSL_AEAD, "-Xmx1g", null));
        assertEquals("", QgateTunnel.gatewayJavaOptions("", "", null));
        Path gcLog = Path.of("/tmp/gc/qgate-ns-a.log");
        assertEquals("-Xmx1g " + GcLog.options(gcLog), QgateTunnel.gatewayJavaOptions("", " -Xmx1g ", gcLog));
    }

    @Test
    void isSkippedWhenTheCheckoutHasNoLauncher(@TempDir Path repo) {
        String why = new QgateTunnel(repo, null).unavailableReason();
        assertTrue(why.contains("no executable qgate launcher") && why.contains("--repo"), why);
    }
}
