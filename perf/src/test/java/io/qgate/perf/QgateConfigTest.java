package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.config.GatewayConfig;
import io.qgate.engine.config.GatewayConfig.IoBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QgateConfigTest {
    @Test
    void sideAIsWrittenInTheFormatQgateUpReads() {
        String expected = """
            [interface]
            name = "qg0"
            listen = "192.168.241.1:51820"
            address = ["10.241.0.1/24", "fd41::1/64"]
            mtu = 1420
            certificate = "/d/gw-a.crt"
            private_key = "/d/gw-a.key"
            trust_roots = ["/d/root.crt"]

            [[peer]]
            name = "gw-b"
            subject = "gw-b"
            endpoint = "192.168.241.2:51820"
            allowed_ips = ["10.241.0.2/32", "fd41::2/128"]
            """;
        String text = new QgateConfig("qg0", Side.A, Path.of("/d")).render();
        assertEquals(expected, text);
        GatewayConfig parsed = GatewayConfig.parse(Path.of("/d/a.toml"), text);
        assertEquals("gw-b", parsed.peer("gw-b").subject());
        assertEquals(Path.of("/d/gw-a.key"), parsed.privateKey());
    }

    @Test
    void sideBMirrorsSideA() {
        String text = new QgateConfig("qg1", Side.B, Path.of("/d")).render();
        assertTrue(text.contains("listen = \"192.168.241.2:51820\"\n"), text);
        assertTrue(text.contains("certificate = \"/d/gw-b.crt\"\n"), text);
        assertTrue(text.contains("[[peer]]\nname = \"gw-a\"\nsubject = \"gw-a\"\nendpoint = \"192.168.241.1:51820\"\n"
            + "allowed_ips = [\"10.241.0.1/32\", \"fd41::1/128\"]\n"), text);
    }

    @Test
    void ioUringVariantAddsTheIoLineAndTheParserAcceptsIt() {
        String text = new QgateConfig("qg0", Side.A, Path.of("/d"), IoBackend.IO_URING).render();
        assertTrue(text.contains("\nio = \"io_uring\"\n"), text);
        assertEquals(IoBackend.IO_URING, GatewayConfig.parse(Path.of("/d/a.toml"), text).io());
        assertEquals(IoBackend.BATCHED,
            GatewayConfig.parse(Path.of("/d/a.toml"), new QgateConfig("qg0", Side.A, Path.of("/d")).render()).io());
    }

    @Test
    void theNoOffloadVariantAddsItsLineAndTheParserAcceptsIt() {
        String text = new QgateConfig("qg0", Side.A, Path.of("/d"), IoBackend.BATCHED, QgateConfig.DEFAULT_REKEY, false).render();
        assertTrue(text.contains("\noffload = false\n"), text);
        assertEquals(false, GatewayConfig.parse(Path.of("/d/a.toml"), text).offload());
        String defaults = new QgateConfig("qg0", Side.A, Path.of("/d")).render();
        assertTrue(!defaults.contains("offload"), "no line by default");
        assertTrue(GatewayConfig.parse(Path.of("/d/a.toml"), defaults).offload());
    }

    @Test
    void theThreadedVariantAddsAWorkersLineAndTheParserAcceptsIt() {
        String text = new QgateConfig("qg0", Side.A, Path.of("/d"), IoBackend.BATCHED, QgateConfig.DEFAULT_REKEY, true, 1)
            .render();
        assertTrue(text.contains("\nworkers = 1\n"), text);
        assertEquals(1, GatewayConfig.parse(Path.of("/d/a.toml"), text).workers());
        String defaults = new QgateConfig("qg0", Side.A, Path.of("/d")).render();
        assertTrue(!defaults.contains("workers"), "no line by default");
        assertEquals(0, GatewayConfig.parse(Path.of("/d/a.toml"), defaults).workers());
    }

    @Test
    void rekeyAfterAddsItsLineAndTheParserAcceptsIt() {
        String text = new QgateConfig("qg0", Side.A, Path.of("/d"), IoBackend.BATCHED, 5).render();
        assertTrue(text.contains("\nrekey_after = 5\n"), text);
        assertEquals(5, GatewayConfig.parse(Path.of("/d/a.toml"), text).rekeyAfterSeconds());
        assertTrue(!new QgateConfig("qg0", Side.A, Path.of("/d")).render().contains("rekey_after"), "no line by default");
    }

    @Test
    void aCertificateFolderWithQuotesOrBackslashesStaysOnePath() {
        Path odd = Path.of("/tmp/a \"b\" \\c");
        GatewayConfig parsed = GatewayConfig.parse(Path.of("/d/a.toml"), new QgateConfig("qg0", Side.A, odd).render());
        assertEquals(odd.resolve("gw-a.crt"), parsed.certificate());
    }
}
