package io.qgate.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.chaos.FloodDatagrams;
import io.qgate.engine.protocol.MessageType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The flood generator's datagrams against an {@link Endpoint} on a simulated network: what the
 * namespace flood test proves at full rate on real sockets, here datagram by datagram.
 */
class FloodEndpointTest {
    private static final TestPki PKI = TestPki.standard();
    private static final long SECOND = 1_000_000_000L;

    private static long drops(Endpoint endpoint) {
        long sum = 0;
        for (Drop d : Drop.values()) {
            sum += endpoint.dropped(d);
        }
        return sum;
    }

    @Test
    void everyMalformedDatagramOfEveryTypeFromManySourcesIsCountedAsOneDropAndTheTunnelKeepsWorking() {
        Tunnel tunnel = Tunnel.established(PKI, 71);
        Endpoint gateway = tunnel.gateway.endpoint;
        long before = drops(gateway);
        FloodDatagrams flood = new FloodDatagrams(9);
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        int[] byType = new int[256];
        int sent = 4000;
        for (int i = 0; i < sent; i++) {
            int type = flood.malformed(buffer);
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            byType[type]++;
            tunnel.network.inject(new InetSocketAddress("203.0.113." + (i % 250), 1024 + i), Tunnel.GATEWAY_ADDRESS, datagram);
        }
        tunnel.network.runFor(SECOND / 10);
        for (MessageType type : MessageType.values()) {
            assertEquals(sent / FloodDatagrams.KINDS, byType[type.code()], "datagrams of type " + type);
        }
        assertEquals(sent / FloodDatagrams.KINDS, Arrays.stream(byType).sum() - 7 * (sent / FloodDatagrams.KINDS), "unknown types");
        assertEquals(sent, drops(gateway) - before, "each malformed datagram is one drop");

        int delivered = tunnel.gateway.delivered.size();
        tunnel.clientSends(1, 200);
        tunnel.network.runFor(SECOND / 10);
        assertEquals(delivered + 1, tunnel.gateway.delivered.size(), "the tunnel still carries packets");
    }

    @Test
    void spoofedInitiationsFromManySourcesPushTheResponderIntoCookieMode() {
        Tunnel tunnel = Tunnel.established(PKI, 72);
        Endpoint gateway = tunnel.gateway.endpoint;
        FloodDatagrams flood = new FloodDatagrams(10);
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        for (int i = 0; i < 3000; i++) {
            flood.initiation(buffer);
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            // distinct /24s: the per-source limits of section 7 cannot stop them, only the global pressure can
            tunnel.network.inject(new InetSocketAddress("10." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ".1", 40000), Tunnel.GATEWAY_ADDRESS,
                datagram);
        }
        tunnel.network.runFor(SECOND / 10);
        assertTrue(gateway.dropped(Drop.COOKIE_REQUIRED) > 0, "cookie replies answered the flood once reassembly was under pressure");
        int delivered = tunnel.gateway.delivered.size();
        tunnel.clientSends(2, 200);
        tunnel.network.runFor(SECOND / 10);
        assertEquals(delivered + 1, tunnel.gateway.delivered.size(), "the established peer's packets still pass");
    }
}
