package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OpenVpnConfigTest {
    @Test
    void sideAIsTheTlsClientTowardsBWithGcmOnly() {
        String expected = """
            # written by tunnel-bench for a; see perf/README.md
            dev qgo-0-a
            dev-type tun
            proto udp
            local 192.168.241.1
            lport 51820
            remote 192.168.241.2
            rport 51820
            tun-mtu 1420
            data-ciphers AES-256-GCM
            ca /p/ca.crt
            cert /p/gw-a.crt
            key /p/gw-a.key
            tls-client
            remote-cert-tls server
            verb 3
            """;
        assertEquals(expected, new OpenVpnConfig("qgo-0-a", Side.A, Path.of("/p")).render());
    }

    @Test
    void sideBIsTheTlsServerWithoutDhParametersAndChecksTheClientCertificate() {
        String text = new OpenVpnConfig("qgo-0-b", Side.B, Path.of("/p")).render();
        assertTrue(text.contains("\nlocal 192.168.241.2\n") && text.contains("\nremote 192.168.241.1\n"), text);
        assertTrue(text.contains("\ntls-server\ndh none\nremote-cert-tls client\n"), text);
        assertTrue(text.contains("\ncert /p/gw-b.crt\nkey /p/gw-b.key\n"), text);
        assertFalse(text.contains("secret"), "static-key mode cannot use GCM in OpenVPN 2.6");
        assertFalse(text.contains("ifconfig"), "the harness addresses the tun device itself");
    }

    @Test
    void theNegotiatedCipherIsReadFromTheDataChannelLine() {
        assertTrue(OpenVpnTunnel.usesCipher("x\n2026 Data Channel: cipher 'AES-256-GCM', peer-id: 0\n"));
        assertFalse(OpenVpnTunnel.usesCipher("2026 Data Channel: cipher 'AES-128-GCM', peer-id: 0\n"));
        assertFalse(OpenVpnTunnel.usesCipher("data-ciphers AES-256-GCM\n"));
    }
}
