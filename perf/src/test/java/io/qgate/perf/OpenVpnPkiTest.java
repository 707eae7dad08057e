package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenVpnPkiTest {
    @Test
    void serverAndClientCertificatesCarryTheUsagesRemoteCertTlsChecks() {
        assertTrue(OpenVpnPki.extensions(Side.B).contains("extendedKeyUsage = serverAuth\n"));
        assertTrue(OpenVpnPki.extensions(Side.A).contains("extendedKeyUsage = clientAuth\n"));
        assertTrue(OpenVpnPki.extensions(Side.A).contains("basicConstraints = CA:FALSE\n"));
    }

    @Test
    void oneSelfSignedCaThenARequestAndASignaturePerSide() {
        List<List<String>> commands = OpenVpnPki.commands(Path.of("/p"));
        assertEquals(5, commands.size());
        assertTrue(commands.getFirst().contains("-x509"));
        assertTrue(commands.get(2).containsAll(List.of("-CA", "/p/ca.crt", "-out", "/p/gw-a.crt")), commands.get(2).toString());
        assertTrue(commands.get(4).containsAll(List.of("-extfile", "/p/gw-b.ext", "-out", "/p/gw-b.crt")), commands.get(4).toString());
    }

    @Test
    void opensslMakesCertificatesThatVerifyAgainstTheCa(@TempDir Path dir) {
        assumeTrue(ExternalCommand.isInstalled("openssl"), "needs the openssl command line");
        OpenVpnPki.create(dir);
        for (Side side : Side.values()) {
            assertTrue(Files.isRegularFile(dir.resolve(OpenVpnPki.key(side))));
            ExternalCommand.Result verify = ExternalCommand.run(ExternalCommand.SHORT, Map.of(), List.of("openssl", "verify",
                "-CAfile", dir.resolve(OpenVpnPki.CA_CERT).toString(), dir.resolve(OpenVpnPki.cert(side)).toString()));
            assertEquals(0, verify.exit(), verify.stdout() + verify.stderr());
        }
    }
}
