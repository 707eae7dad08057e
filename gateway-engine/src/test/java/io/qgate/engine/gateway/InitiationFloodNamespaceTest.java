package io.qgate.engine.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.chaos.Flood;
import io.qgate.engine.telemetry.GatewayTelemetry;
import io.qgate.engine.telemetry.MiniJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 50,000 handshake initiations per second from 4,096 spoofed source addresses (16 /24 networks)
 * at a real gateway while its legitimate peer sends it a TCP stream (iperf3, 8 s after the first second
 * left out): the peer keeps at least 80% of the throughput it had unloaded, measured just before
 * in the same run; the gateway's resident memory stays bounded; the gateway enters the
 * cookie-requiring state (its log says so, the {@code handshakes_under_load} gauge is 1 and
 * {@code control_dropped_cookie_required} grows) and leaves it once the flood is over. The
 * attacker's addresses are made local in b's namespace ({@code ip route add local ... dev lo}) and
 * routed back from a's, so the cookie replies have somewhere to go, as for a spoofing attacker on
 * the path. Needs root, /dev/net/tun, ip, ping and iperf3 (CI has them).
 */
class InitiationFloodNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final int RATE = 50_000;
    /** Long enough to engage and warm up, then carry one measurement (with its omitted first second) under the flood. */
    private static final int FLOOD_SECONDS = 36;
    private static final long FLOOD_WARM_UP_MILLIS = 3_000;
    /** Each throughput figure is the median of {@link #MEASUREMENTS} iperf3 runs of 8 s (after TCP's first second): one run's noise reaches 10%. */
    private static final int MEASURE_SECONDS = 8;
    private static final int MEASUREMENTS = 3;
    private static final double KEEP = 0.80;
    private static final String TUNNEL_CPU = "0";
    private static final String ATTACKER_CPU = "1";
    /** The responder's state is bounded by its tables (1,024 partial messages of at most 16 MiB in all, 4,096 pending handshakes). */
    private static final long RSS_GROWTH_LIMIT_KIB = 96 * 1024;

    @Test
    void fiftyThousandSpoofedInitiationsPerSecondLeaveThePeerEightyPercentOfItsThroughputAndCookiesComeAndGo() throws Exception {
        NamespaceLab.assumeRunnable();
        String iperf = NamespaceLab.tool("iperf3", "iperf3");
        String taskset = NamespaceLab.tool("taskset", "util-linux");
        try (NamespaceLab lab = new NamespaceLab("batched")) {
            lab.acceptSpoofedSourcesInB();
            lab.startGateway("a");
            lab.startGateway("b");
            for (String side : List.of("a", "b")) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side);
            }
            // the attacker on a CPU of its own, as on a machine of its own; the gateways and both
            // iperf3 ends share the other, unloaded and loaded alike
            for (String side : List.of("a", "b")) {
                NamespaceLab.Result pin = NamespaceLab.run(List.of(taskset, "-a", "-p", "-c", TUNNEL_CPU,
                    Long.toString(lab.gateway(side).pid())), Duration.ofSeconds(10));
                assertEquals(0, pin.exit(), pin.output());
            }
            lab.spawn("a", List.of(taskset, "-c", TUNNEL_CPU, iperf, "-s", "-p", "5301", "-B", NamespaceLab.INNER_A));
            Thread.sleep(500);
            List<String> client = List.of(taskset, "-c", TUNNEL_CPU, iperf, "-c", NamespaceLab.INNER_A, "-p", "5301");
            throughput(lab, client, 3); // warms both gateways' data paths up, so that the unloaded figure is their steady one
            double unloaded = medianThroughput(lab, client);
            long rssBefore = lab.gatewayRssKib("a");
            long cookiesBefore = counter(lab, GatewayTelemetry.CONTROL_DROPPED + "cookie_required");
            assertEquals(0L, counter(lab, GatewayTelemetry.UNDER_LOAD), "no load before the flood");

            Process flood = lab.spawn("b", pinned(taskset, ATTACKER_CPU, NamespaceLab.java(Flood.class.getName(), "--target", NamespaceLab.OUTER_A + ":51820",
                "--source-base", "10.99.0.1", "--sources", "4096", "--kind", "initiation", "--rate", Integer.toString(RATE),
                "--seconds", Integer.toString(FLOOD_SECONDS), "--seed", "7")));
            long floodStarted = System.nanoTime();
            assertTrue(lab.awaitLog("a", "handshakes under load", 1, Duration.ofSeconds(5)),
                () -> "the gateway did not require cookies within 5 s of the flood:\n" + lab.logTail("a"));
            double engagedAfter = (System.nanoTime() - floodStarted) / 1e9;
            // measure the sustained state: past the flood's first seconds, in which the gateway's JIT
            // compiles the cookie path it has never run (about 1 CPU-second of C2 here)
            Thread.sleep(Math.max(0, FLOOD_WARM_UP_MILLIS - (System.nanoTime() - floodStarted) / 1_000_000));
            long[] cpuBefore = {cpuTicks(lab.gateway("a").pid()), cpuTicks(lab.gateway("b").pid()), cpuTicks(flood.pid())};
            double loaded = medianThroughput(lab, client);
            long[] cpuAfter = {cpuTicks(lab.gateway("a").pid()), cpuTicks(lab.gateway("b").pid()), cpuTicks(flood.pid())};
            long gaugeDuring = counter(lab, GatewayTelemetry.UNDER_LOAD);
            long rssDuring = lab.gatewayRssKib("a");
            assertTrue(flood.waitFor(FLOOD_SECONDS + 30, TimeUnit.SECONDS), "the flood did not end");
            String floodOutput = new String(flood.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, flood.exitValue(), floodOutput);
            @SuppressWarnings("unchecked")
            Map<String, Object> report = (Map<String, Object>) MiniJson.parse(floodOutput.strip().lines().reduce((x, y) -> y).orElseThrow());
            double floodRate = (Long) report.get("sent") / ((Number) report.get("seconds")).doubleValue();
            long floodEnded = System.nanoTime();
            boolean disengaged = lab.awaitLog("a", "handshake load is gone", 1, Duration.ofSeconds(20));
            double disengagedAfter = (System.nanoTime() - floodEnded) / 1e9;
            Thread.sleep(200); // the gauge is published at the control thread's 50 ms tick
            long cookies = counter(lab, GatewayTelemetry.CONTROL_DROPPED + "cookie_required") - cookiesBefore;
            String summary = String.format("initiation flood: %.0f initiations/s sent (%s); peer throughput %.0f Mbit/s unloaded, %.0f Mbit/s"
                    + " under the flood (%.0f%%); cookies required after %.1f s, %d cookie replies, load gone %.1f s after the flood;"
                    + " gateway RSS %d MiB before, %d MiB during", floodRate, report.get("send_failed") + " send failures", unloaded / 1e6,
                loaded / 1e6, 100 * loaded / unloaded, engagedAfter, cookies, disengagedAfter, rssBefore / 1024, rssDuring / 1024);
            System.out.println(summary);
            System.out.printf("CPU seconds during the loaded measurement: gateway a %.2f, gateway b %.2f, flood generator %.2f%n",
                (cpuAfter[0] - cpuBefore[0]) / 100.0, (cpuAfter[1] - cpuBefore[1]) / 100.0, (cpuAfter[2] - cpuBefore[2]) / 100.0);

            assertTrue(floodRate >= 0.9 * RATE, () -> "the flood generator did not reach its rate here: " + summary);
            assertEquals(1L, gaugeDuring, summary);
            assertTrue(cookies > 10_000, summary);
            assertTrue(loaded >= KEEP * unloaded, summary);
            assertTrue(rssDuring - rssBefore < RSS_GROWTH_LIMIT_KIB, summary);
            assertTrue(disengaged, () -> "the gateway still requires cookies 20 s after the flood: " + summary + "\n" + lab.logTail("a"));
            assertEquals(0L, counter(lab, GatewayTelemetry.UNDER_LOAD), summary);
            long changes = lab.logText("a").lines().filter(l -> l.contains("handshakes under load")).count();
            assertEquals(1, changes, () -> "cookies were required once for the whole flood, not on and off:\n" + lab.logTail("a"));
            NamespaceLab.Result ping = lab.exec("b", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NamespaceLab.INNER_A);
            assertTrue(ping.output().contains("3 received"), () -> "the tunnel works after the flood:\n" + ping.output());
            assertTrue(lab.gateway("a").isAlive());
            assertFalse(lab.logText("a").contains("Exception"), () -> lab.logTail("a"));
        }
    }

    private static double medianThroughput(NamespaceLab lab, List<String> client) throws Exception {
        double[] runs = new double[MEASUREMENTS];
        for (int i = 0; i < MEASUREMENTS; i++) {
            runs[i] = throughput(lab, client, MEASURE_SECONDS);
        }
        java.util.Arrays.sort(runs);
        return runs[MEASUREMENTS / 2];
    }

    /**
     * Bits per second the iperf3 {@code client} command (in b) got through the tunnel to a in
     * {@code seconds}, after one more second (TCP's ramp) left out.
     */
    private static double throughput(NamespaceLab lab, List<String> client, int seconds) throws Exception {
        List<String> command = new java.util.ArrayList<>(client);
        command.addAll(List.of("-t", Integer.toString(seconds), "-O", "1", "-J"));
        NamespaceLab.Result r = lab.exec("b", Duration.ofSeconds(30), command.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"sum_received\":\\s*\\{[^}]*?\"bits_per_second\":\\s*([0-9.eE+]+)")
            .matcher(r.output());
        assertTrue(m.find(), () -> "no sum_received in iperf3's report:\n" + r.output());
        return Double.parseDouble(m.group(1));
    }

    /** User plus system CPU time of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat; 100 per second on Linux). */
    private static long cpuTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static List<String> pinned(String taskset, String cpu, List<String> command) {
        List<String> c = new java.util.ArrayList<>(List.of(taskset, "-c", cpu));
        c.addAll(command);
        return c;
    }

    private static long counter(NamespaceLab lab, String name) {
        Long value = lab.snapshot("a").counters().get(name);
        if (value == null) {
            throw new AssertionError("gateway a has no counter " + name);
        }
        return value;
    }
}
