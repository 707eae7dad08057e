package io.qgate.engine.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.engine.protocol.Suite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /metrics text, parsed back against the exposition format 0.0.4 grammar. */
class PrometheusTextTest {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL_VALUE = "\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE
        + ")(?:,[a-zA-Z_][a-zA-Z0-9_]*=" + LABEL_VALUE + ")*})? (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");

    @TempDir
    Path run;

    private GatewayTelemetry telemetryWithTraffic() {
        GatewayTelemetry t = GatewayTelemetry.create(run, "qg0", new InetSocketAddress("192.0.2.1", 51820), 1);
        t.file().counter("tun_packets_read").addAndGet(10);
        t.file().counter("dropped_no_route").addAndGet(2);
        t.allocateControlCounters();
        PeerCounters peer = t.file().peer(0, "gw-b");
        peer.traffic().received(System.nanoTime(), 3, 4096, true);
        peer.traffic().sent(System.nanoTime(), 4, 5000);
        peer.counter(PeerCounter.HANDSHAKES).addAndGet(2);
        peer.counter(PeerCounter.KEY_CREATED_MS).set(System.currentTimeMillis() - 12_000);
        peer.describe(new InetSocketAddress("198.51.100.7", 40000), Suite.DEFAULT);
        for (long micros : new long[] {300, 700, 700, 4_000, 90_000, 3_000_000, 70_000_000}) {
            t.latency().record(micros * 1_000);
        }
        return t;
    }

    @Test
    void everyLineFollowsTheExpositionGrammarAndEachFamilyIsDeclaredOnceBeforeItsSamples() {
        try (GatewayTelemetry t = telemetryWithTraffic()) {
            String text = t.prometheus();
            assertTrue(text.endsWith("\n"));
            Set<String> declared = new HashSet<>();
            String current = null;
            for (String line : text.split("\n")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    assertTrue(declared.add(help.group(1)), "one HELP per family: " + line);
                    current = help.group(1);
                } else if (type.matches()) {
                    assertEquals(current, type.group(1), "TYPE follows its HELP: " + line);
                } else {
                    Matcher sample = SAMPLE.matcher(line);
                    assertTrue(sample.matches(), "not a valid sample line: '" + line + "'");
                    String family = sample.group(1).replaceAll("_(bucket|sum|count)$", "");
                    assertTrue(sample.group(1).equals(current) || family.equals(current),
                        "sample " + line + " outside its family " + current);
                }
            }
            assertTrue(text.contains("qgate_peer_rx_bytes_total{interface=\"qg0\",peer=\"gw-b\"} 4096\n"), text);
            assertTrue(text.contains("qgate_peer_tx_packets_total{interface=\"qg0\",peer=\"gw-b\"} 4\n"), text);
            assertTrue(text.contains("qgate_peer_handshakes_total{interface=\"qg0\",peer=\"gw-b\"} 2\n"), text);
            assertTrue(text.contains("qgate_dropped_packets_total{interface=\"qg0\",reason=\"no_route\"} 2\n"), text);
            assertTrue(text.contains("qgate_control_dropped_total{interface=\"qg0\",reason=\"rate_limited\"} 0\n"), text);
            assertTrue(text.contains("# TYPE qgate_handshakes_under_load gauge\nqgate_handshakes_under_load{interface=\"qg0\"} 0\n"),
                text);
            assertTrue(text.contains("endpoint=\"198.51.100.7:40000\",suite=\"" + Suite.DEFAULT.suiteName() + "\"} 1\n"), text);
            assertTrue(text.contains("qgate_peer_key_age_seconds{interface=\"qg0\",peer=\"gw-b\"} 12."), text);
            assertTrue(text.contains("# TYPE qgate_handshake_duration_seconds histogram\n"), text);
        }
    }

    @Test
    void histogramBucketsAreCumulativeAndInfEqualsCount() {
        try (GatewayTelemetry t = telemetryWithTraffic()) {
            List<Double> bounds = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            long inf = -1;
            long count = -1;
            double sum = -1;
            Pattern bucket = Pattern.compile("qgate_handshake_duration_seconds_bucket\\{interface=\"qg0\",le=\"([^\"]+)\"} ([0-9]+)");
            for (String line : t.prometheus().split("\n")) {
                Matcher m = bucket.matcher(line);
                if (m.matches()) {
                    if (m.group(1).equals("+Inf")) {
                        inf = Long.parseLong(m.group(2));
                    } else {
                        bounds.add(Double.parseDouble(m.group(1)));
                        counts.add(Long.parseLong(m.group(2)));
                    }
                } else if (line.startsWith("qgate_handshake_duration_seconds_count")) {
                    count = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("qgate_handshake_duration_seconds_sum")) {
                    sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            assertEquals(7, count);
            assertEquals(count, inf, "+Inf equals _count");
            for (int i = 1; i < counts.size(); i++) {
                assertTrue(bounds.get(i) > bounds.get(i - 1), "bounds ascend");
                assertTrue(counts.get(i) >= counts.get(i - 1), "buckets are cumulative: " + counts);
            }
            assertEquals(0.0005, bounds.get(0));
            assertEquals(1L, counts.get(0), "300 us");
            assertEquals(3L, counts.get(1), "700 us twice");
            assertEquals(4L, counts.get(3), "4 ms");
            assertEquals(6L, counts.get(counts.size() - 1), "3 s within 10 s; the minute-plus one only in +Inf");
            // 0.3 + 1.4 + 4 + 90 + 3000 + 60000 (clamped) ms, within HdrHistogram's 0.1%
            assertEquals(63.0957, sum, 63.0957 * 0.002);
        }
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusText.escape("a\\b\"c\nd"));
    }

    @Test
    void metricsServerAnswersGetOnMetricsOnly() throws Exception {
        try (GatewayTelemetry t = telemetryWithTraffic();
                MetricsServer server = MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), t::prometheus)) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals(PrometheusText.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElse(""));
            assertTrue(ok.body().contains("qgate_up{interface=\"qg0\"} 1"), ok.body());
            assertEquals(404, client.send(HttpRequest.newBuilder(base.resolve("/other")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(405, client.send(HttpRequest.newBuilder(base.resolve("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    @Test
    void anAddressInUseIsReportedWithTheFix() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MetricsServer.start(address, () -> ""));
            assertTrue(e.getMessage().startsWith("cannot serve metrics on " + address), e.getMessage());
            assertTrue(e.getMessage().endsWith("choose a free address and port for 'metrics' in the configuration"), e.getMessage());
        }
    }
}
