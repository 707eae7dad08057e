package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A TCP transfer through two real gateways, paced to last about 30 s, while each gateway is
 * restarted in the middle of it: b is killed (SIGKILL, a crash) and started again, then a is
 * stopped cleanly (SIGTERM, as {@code systemctl restart} does) and started again. Each time the
 * tunnel must carry a ping again within 5 s of the new process's start, and the stream, which
 * TCP carries over both outages, must arrive whole (SHA-256 at both ends). Needs root,
 * /dev/net/tun, ip and ping (CI has them).
 */
class RestartTransferNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final long RATE = 12_000_000;
    private static final long BYTES = 30 * RATE;
    private static final double BACK_WITHIN_SECONDS = 5.0;

    @Test
    void aGatewayRestartedDuringATransferIsBackWithinFiveSecondsAndTheStreamArrivesWhole() throws Exception {
        NamespaceLab.assumeRunnable();
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            for (String side : List.of("a", "b")) {
                lab.startGateway(side);
            }
            for (String side : List.of("a", "b")) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side + ":\n" + lab.logs());
            }
            Process sink = lab.spawn("b", NamespaceLab.java(TcpTransfer.class.getName(), "sink", "5201", "120"));
            BufferedReader sinkOut = new BufferedReader(new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening", sinkOut.readLine());
            long started = System.nanoTime();
            Process source = lab.spawn("a", NamespaceLab.java(TcpTransfer.class.getName(), "source", NamespaceLab.INNER_B, "5201",
                Long.toString(BYTES), "13", Long.toString(RATE)));

            Thread.sleep(6_000);
            assertTrue(source.isAlive(), "the transfer is still running when b is killed");
            Process b = lab.gateway("b");
            b.destroyForcibly(); // SIGKILL: no CLOSE, no clean-up; a still holds the old session
            assertTrue(b.waitFor(10, TimeUnit.SECONDS));
            double crashBack = restartAndTime(lab, "b", "a", NamespaceLab.INNER_B);

            Thread.sleep(4_000);
            assertTrue(source.isAlive(), "the transfer is still running when a is restarted");
            assertTrue(NamespaceLab.stop(lab.gateway("a")), "SIGTERM stops a cleanly");
            double restartBack = restartAndTime(lab, "a", "b", NamespaceLab.INNER_A);

            assertTrue(source.waitFor(120, TimeUnit.SECONDS), "the source did not finish");
            String sent = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().lines()
                .reduce((x, y) -> y).orElse("");
            assertTrue(sink.waitFor(60, TimeUnit.SECONDS), "the sink did not finish");
            String received = sinkOut.readLine();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("restart transfer: %d MB in %.1f s; b killed and back after %.2f s; a restarted and back after %.2f s%n",
                BYTES / 1_000_000, seconds, crashBack, restartBack);
            assertEquals(0, source.exitValue(), () -> "source failed: " + sent + lab.logs());
            assertTrue(sent.startsWith(BYTES + " "), sent);
            assertEquals(sent, received, "bytes and SHA-256 at both ends");
            assertTrue(crashBack <= BACK_WITHIN_SECONDS, () -> "after the crash the tunnel came back after " + crashBack + " s:\n" + lab.logs());
            assertTrue(restartBack <= BACK_WITHIN_SECONDS,
                () -> "after the restart the tunnel came back after " + restartBack + " s:\n" + lab.logs());
        }
    }

    /**
     * Starts {@code side}'s gateway again and returns the seconds from its start until a ping from
     * {@code from} to {@code target} crosses the tunnel (at most 15 s; longer counts as 15+).
     */
    private static double restartAndTime(NamespaceLab lab, String side, String from, String target) throws Exception {
        long started = System.nanoTime();
        lab.startGateway(side);
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15)) {
            if (lab.exec(from, Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", target).exit() == 0) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(50);
        }
        return Double.POSITIVE_INFINITY;
    }
}
