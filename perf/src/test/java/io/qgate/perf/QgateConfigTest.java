package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QgateConfigTest {
    @Test
    void sideAIsWrittenInTheFormatQgateUpReads() {
        String expected = """
            [interface]
            name = qg0
            listen = 192.168.241.1:51820
            address = 10.241.0.1/24, fd41::1/64
            mtu = 1420
            certificate = /d/gw-a.crt
            private-key = /d/gw-a.key
            trust-root = /d/root.crt

            [peer gw-b]
            subject = gw-b
            endpoint = 192.168.241.2:51820
            allowed-ips = 10.241.0.2/32, fd41::2/128
            """;
        assertEquals(expected, new QgateConfig("qg0", Side.A, Path.of("/d")).render());
    }

    @Test
    void sideBMirrorsSideA() {
        String text = new QgateConfig("qg1", Side.B, Path.of("/d")).render();
        assertEquals(true, text.contains("listen = 192.168.241.2:51820\n"));
        assertEquals(true, text.contains("certificate = /d/gw-b.crt\n"));
        assertEquals(true, text.contains("[peer gw-a]\nsubject = gw-a\nendpoint = 192.168.241.1:51820\n"
            + "allowed-ips = 10.241.0.1/32, fd41::1/128\n"));
    }

    @Test
    void ioUringVariantAddsTheIoLineAndTheParserAcceptsIt() {
        String text = new QgateConfig("qg0", Side.A, Path.of("/d"), io.qgate.engine.config.GatewayConfig.IoBackend.IO_URING).render();
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("\nio = io_uring\n"), text);
        assertEquals(io.qgate.engine.config.GatewayConfig.IoBackend.IO_URING,
            io.qgate.engine.config.GatewayConfig.parse(Path.of("/d/a.conf"), text).io());
        assertEquals(io.qgate.engine.config.GatewayConfig.IoBackend.BATCHED,
            io.qgate.engine.config.GatewayConfig.parse(Path.of("/d/a.conf"), new QgateConfig("qg0", Side.A, Path.of("/d")).render()).io());
    }
}
