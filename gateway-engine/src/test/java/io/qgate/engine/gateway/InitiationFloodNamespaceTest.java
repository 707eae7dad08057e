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
 * at a real gateway while its legitimate peer sends it a TCP stream (iperf3): the peer keeps at
 * least 80% of the throughput it has unloaded; the gateway's resident memory stays bounded; the
 * gateway enters the cookie-requiring state (its log says so, the {@code handshakes_under_load}
 * gauge is 1 and {@code control_dropped_cookie_required} grows) once per flood and leaves it once
 * the flood is over. The attacker's addresses are made local in b's namespace ({@code ip route add
 * local ... dev lo}) and routed back from a's, so the cookie replies have somewhere to go, as for a
 * spoofing attacker on the path. The gateways' data planes ({@code cpus = [0]}: pipeline and
 * reader threads) and both iperf3 ends share CPU 0; the attacker's process runs on CPU 1, and so
 * do the gateways' control threads, which a gateway with {@code cpus} keeps off the data plane's
 * CPUs (docs/CONFIG.md): the flood's handshake work then competes with the attacker, not with the
 * packets. Needs root, /dev/net/tun, ip, ping, taskset and iperf3 (CI has them).
 *
 * <p>The throughput is measured in {@link #PAIRS} pairs, each an unloaded 8 s run and then a run
 * under a flood of its own, and the figure compared with 80% is the median of the pairs' ratios:
 * on this 2-core machine one run's throughput drifts by 10 to 20% from one minute to the next, and
 * a ratio of neighbouring runs cancels the drift where a ratio of separate medians does not. One
 * pair's ratio still ranged 74 to 119% in a CI run, so five pairs, not three.
 */
class InitiationFloodNamespaceTest {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final int RATE = 50_000;
    /** Each flood: engaging and warming up, then one measurement (with its omitted first second), then slack. */
    private static final int FLOOD_SECONDS = 14;
    private static final long FLOOD_WARM_UP_MILLIS = 3_000;
    private static final int MEASURE_SECONDS = 8;
    private static final int PAIRS = 5;
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
            // the gateways' data planes and both iperf3 ends share one CPU, unloaded and loaded
            // alike; the attacker runs on the other, as on a machine of its own, and so do the
            // gateways' control threads, which `cpus` keeps off the data plane's CPUs
            for (String side : List.of("a", "b")) {
                lab.interfaceOption(side, "cpus", "[" + TUNNEL_CPU + "]");
                lab.startGateway(side);
            }
            for (String side : List.of("a", "b")) {
                assertTrue(lab.awaitLog(side, "session established", 1, UP), () -> "no session on " + side);
            }
            assertTrue(lab.logText("a").contains("data plane on CPUs [" + TUNNEL_CPU + "], control thread on CPUs [" + ATTACKER_CPU + "]"),
                () -> lab.logTail("a"));
            lab.spawn("a", List.of(taskset, "-c", TUNNEL_CPU, iperf, "-s", "-p", "5301", "-B", NamespaceLab.INNER_A));
            Thread.sleep(500);
            List<String> client = List.of(taskset, "-c", TUNNEL_CPU, iperf, "-c", NamespaceLab.INNER_A, "-p", "5301");
            throughput(lab, client, 8); // warms both gateways' data paths up (the JIT), so that the first unloaded figure is their steady one
            long rssBefore = lab.gatewayRssKib("a");
            long cookiesBefore = counter(lab, GatewayTelemetry.CONTROL_DROPPED + "cookie_required");
            assertEquals(0L, counter(lab, GatewayTelemetry.UNDER_LOAD), "no load before the flood");

            double[] unloaded = new double[PAIRS];
            double[] loaded = new double[PAIRS];
            double[] ratios = new double[PAIRS];
            long[] cpu = new long[3];
            double engagedAfter = 0;
            double disengagedAfter = 0;
            double floodRate = Double.MAX_VALUE;
            long gaugeDuring = 1;
            long rssDuring = 0;
            boolean disengaged = true;
            for (int pair = 0; pair < PAIRS; pair++) {
                unloaded[pair] = throughput(lab, client, MEASURE_SECONDS);
                Process flood = lab.spawn("b", pinned(taskset, ATTACKER_CPU, NamespaceLab.java(Flood.class.getName(), "--target",
                    NamespaceLab.OUTER_A + ":51820", "--source-base", "10.99.0.1", "--sources", "4096", "--kind", "initiation",
                    "--rate", Integer.toString(RATE), "--seconds", Integer.toString(FLOOD_SECONDS), "--seed", Integer.toString(7 + pair))));
                long floodStarted = System.nanoTime();
                int round = pair + 1;
                assertTrue(lab.awaitLog("a", "handshakes under load", round, Duration.ofSeconds(5)),
                    () -> "the gateway did not require cookies within 5 s of flood " + round + ":\n" + lab.logTail("a"));
                engagedAfter = Math.max(engagedAfter, (System.nanoTime() - floodStarted) / 1e9);
                // measure the sustained state: past the flood's first seconds, in which the gateway's JIT
                // compiles the cookie path it has never run (about 1 CPU-second of C2 here)
                Thread.sleep(Math.max(0, FLOOD_WARM_UP_MILLIS - (System.nanoTime() - floodStarted) / 1_000_000));
                long[] cpuBefore = {cpuTicks(lab.gateway("a").pid()), cpuTicks(lab.gateway("b").pid()), cpuTicks(flood.pid())};
                loaded[pair] = throughput(lab, client, MEASURE_SECONDS);
                long[] cpuAfter = {cpuTicks(lab.gateway("a").pid()), cpuTicks(lab.gateway("b").pid()), cpuTicks(flood.pid())};
                for (int i = 0; i < cpu.length; i++) {
                    cpu[i] += cpuAfter[i] - cpuBefore[i];
                }
                ratios[pair] = loaded[pair] / unloaded[pair];
                gaugeDuring = Math.min(gaugeDuring, counter(lab, GatewayTelemetry.UNDER_LOAD));
                rssDuring = Math.max(rssDuring, lab.gatewayRssKib("a"));
                assertTrue(flood.waitFor(FLOOD_SECONDS + 30, TimeUnit.SECONDS), "the flood did not end");
                String floodOutput = new String(flood.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, flood.exitValue(), floodOutput);
                @SuppressWarnings("unchecked")
                Map<String, Object> report = (Map<String, Object>) MiniJson.parse(floodOutput.strip().lines().reduce((x, y) -> y).orElseThrow());
                floodRate = Math.min(floodRate, (Long) report.get("sent") / ((Number) report.get("seconds")).doubleValue());
                long floodEnded = System.nanoTime();
                disengaged &= lab.awaitLog("a", "handshake load is gone", round, Duration.ofSeconds(20));
                disengagedAfter = Math.max(disengagedAfter, (System.nanoTime() - floodEnded) / 1e9);
            }
            Thread.sleep(200); // the gauge is published at the control thread's 50 ms tick
            long cookies = counter(lab, GatewayTelemetry.CONTROL_DROPPED + "cookie_required") - cookiesBefore;
            double ratio = median(ratios);
            String summary = String.format("initiation flood: at least %.0f initiations/s sent; peer throughput in %d pairs"
                    + " (Mbit/s unloaded -> under the flood) %s, median ratio %.0f%%; cookies required at most %.1f s after a flood"
                    + " began, %d cookie replies, load gone at most %.1f s after a flood ended; gateway RSS %d MiB before, at most"
                    + " %d MiB during", floodRate, PAIRS, pairs(unloaded, loaded, ratios), 100 * ratio, engagedAfter, cookies,
                disengagedAfter, rssBefore / 1024, rssDuring / 1024);
            System.out.println(summary);
            System.out.printf("CPU seconds during the loaded measurements: gateway a %.2f, gateway b %.2f, flood generator %.2f%n",
                cpu[0] / 100.0, cpu[1] / 100.0, cpu[2] / 100.0);

            assertTrue(floodRate >= 0.9 * RATE, () -> "the flood generator did not reach its rate here: " + summary);
            assertEquals(1L, gaugeDuring, summary);
            assertTrue(cookies > 10_000, summary);
            assertTrue(ratio >= KEEP, summary);
            assertTrue(rssDuring - rssBefore < RSS_GROWTH_LIMIT_KIB, summary);
            assertTrue(disengaged, () -> "the gateway still required cookies 20 s after a flood: " + summary + "\n" + lab.logTail("a"));
            assertEquals(0L, counter(lab, GatewayTelemetry.UNDER_LOAD), summary);
            long changes = lab.logText("a").lines().filter(l -> l.contains("handshakes under load")).count();
            assertEquals(PAIRS, changes, () -> "cookies were required once per flood, not on and off:\n" + lab.logTail("a"));
            NamespaceLab.Result ping = lab.exec("b", Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", NamespaceLab.INNER_A);
            assertTrue(ping.output().contains("3 received"), () -> "the tunnel works after the flood:\n" + ping.output());
            assertTrue(lab.gateway("a").isAlive());
            assertFalse(lab.logText("a").contains("Exception"), () -> lab.logTail("a"));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String pairs(double[] unloaded, double[] loaded, double[] ratios) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < unloaded.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format("%.0f->%.0f (%.0f%%)", unloaded[i] / 1e6, loaded[i] / 1e6, 100 * ratios[i]));
        }
        return s.toString();
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
