package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeLoadTest {
    @Test
    void everyClientEstablishesAndTheGatewayKeepsEverySession() throws Exception {
        HandshakeLoad.Result r = HandshakeLoad.run(new HandshakeLoad.Options(24, 3, 4, 2, 5, 1));
        assertEquals(24 + 3, r.established(), "a peer per client, the warm-up's included");
        assertEquals(24, r.latency().getTotalCount(), "a latency per measured handshake");
        assertTrue(r.gatewayCpuNanos() > 0 && r.perCore() > 0 && r.perCore() < 1_000_000, "rate " + r.perCore());
        assertTrue(r.wallNanos() >= r.latency().getMaxValue(), "no handshake outlasts the run");
        assertEquals(0, r.cookieReplies(), "27 initiations stay far below the under-load rate");
        assertTrue(r.histogram().contains("#instances"), r.histogram());
    }

    @Test
    void oneInFlightWorksToo() throws Exception {
        HandshakeLoad.Result r = HandshakeLoad.run(new HandshakeLoad.Options(5, 0, 1, 0, 0, 1));
        assertEquals(5, r.established());
        assertEquals("", r.histogram());
        assertEquals(List.of(), r.laterRoundsCpuNanos());
    }

    @Test
    void laterRoundsHandshakeTheSameClientsAgainWithoutNewPeers() throws Exception {
        HandshakeLoad.Result r = HandshakeLoad.run(new HandshakeLoad.Options(6, 1, 3, 2, 0, 3));
        assertEquals(7, r.established());
        assertEquals(7, r.peersAtEnd(), "a known client's new handshake replaces its session, not its peer");
        assertEquals(2, r.laterRoundsCpuNanos().size());
        assertTrue(r.laterRoundsCpuNanos().stream().allMatch(cpu -> cpu > 0), r.laterRoundsCpuNanos().toString());
    }

    @Test
    void optionsHaveDefaultsAndEachBadOneIsNamed() {
        assertEquals(new HandshakeLoad.Options(10_000, 300, 8, 2, 0, 1), HandshakeLoad.Options.parse());
        assertEquals(new HandshakeLoad.Options(50, 0, 1, 0, 25, 3), HandshakeLoad.Options.parse("--sessions", "50", "--warmup", "0",
            "--in-flight", "1", "--data-workers", "0", "--histogram", "25", "--rounds", "3"));
        assertEquals("--rounds must be between 1 and 10, not 11.", refused("--rounds", "11"));
        assertEquals("--in-flight must be between 1 and 64, not 0.", refused("--in-flight", "0"));
        assertEquals("--in-flight must be between 1 and 64, not 65.", refused("--in-flight", "65"));
        assertEquals("--sessions must be between 1 and 1000000, not 0.", refused("--sessions", "0"));
        assertEquals("--warmup must be between 0 and 100000, not 100001.", refused("--warmup", "100001"));
        assertTrue(HandshakeLoad.MAX_SESSIONS + HandshakeLoad.MAX_WARMUP < HandshakeLoad.MAX_CLIENTS, "every client's address differs");
        assertEquals("--warmup takes a whole number, not \"many\".", refused("--warmup", "many"));
        assertEquals("--data-workers needs a value: see --help", refused("--data-workers"));
        assertEquals("unknown argument '--fast': see --help", refused("--fast"));
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> HandshakeLoad.Options.parse(args)).getMessage();
    }

    @Test
    void namesTheHeapOptionsItRanWith() {
        assertEquals("-Xms2g -XX:+AlwaysPreTouch -XX:MaxHeapFreeRatio=100 -Xmx12g",
            HandshakeLoad.heapOptions(java.util.List.of("--enable-native-access=ALL-UNNAMED", "-Xms2g", "-XX:+AlwaysPreTouch",
                "-XX:MaxHeapFreeRatio=100", "-Dqgate.repo=/x", "-Xmx12g")));
        assertEquals("-XX:+UseSerialGC", HandshakeLoad.heapOptions(java.util.List.of("-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders")));
        assertEquals("none", HandshakeLoad.heapOptions(java.util.List.of("--add-opens", "java.base/sun.security.provider=ALL-UNNAMED")));
    }
}
