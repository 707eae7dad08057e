package io.qgate.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code metrics} key of {@code [interface]}: the Prometheus endpoint, off unless set, loopback unless an address is given. */
class MetricsConfigTest {
    private static GatewayConfig withMetrics(String line) {
        String text = GatewayConfigFixtures.GOOD.replace("workers = 2\n", "workers = 2\n" + line + "\n");
        return GatewayConfig.parse(Path.of("/etc/qgate/qg0.toml"), text);
    }

    @Test
    void metricsAreOffByDefault() {
        assertNull(GatewayConfig.parse(Path.of("/etc/qgate/qg0.toml"), GatewayConfigFixtures.GOOD).metrics());
    }

    @Test
    void aPortAloneBindsLoopback() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9586), withMetrics("metrics = \"9586\"").metrics());
    }

    @Test
    void anExplicitAddressIsKept() {
        assertEquals(new InetSocketAddress("0.0.0.0", 9586), withMetrics("metrics = \"0.0.0.0:9586\"").metrics());
        assertEquals(new InetSocketAddress("::1", 9586), withMetrics("metrics = \"[::1]:9586\"").metrics());
    }

    @Test
    void aBadValueNamesTheLineAndTheForm() {
        ConfigException e = assertThrows(ConfigException.class, () -> withMetrics("metrics = \"localhost:x\""));
        assertTrue(e.getMessage().startsWith("/etc/qgate/qg0.toml:"), e.getMessage());
        assertTrue(e.getMessage().contains("localhost:x") || e.getMessage().contains("port"), e.getMessage());
    }
}
