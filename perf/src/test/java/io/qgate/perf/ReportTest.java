package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The Markdown table, the SVG chart and the JSON document, on fixed outcomes. */
class ReportTest {
    private static final BenchEnvironment ENV = new BenchEnvironment("0.0.1", "3.12", "2.6.14", "6.18", 2, "EPYC", "0.10");

    private static RunResult run(int repeat, double gbit, double p99, double kpps) {
        Map<Metric, Double> values = new LinkedHashMap<>();
        values.put(Metric.pingMillis(false, 99), p99);
        values.put(Metric.tcpGbit(1), gbit);
        values.put(Metric.udpPacketsPerSecond(64), kpps);
        values.put(Metric.udpLoss(64), 5.0);
        return new RunResult(repeat, values, -1);
    }

    private static List<TunnelOutcome> outcomes() {
        TunnelOutcome wg = Runs.outcome("wireguard-go", run(1, 1.0, 0.5, 100), run(2, 1.25, 0.4, 120), run(3, 0.5, 0.6, 80));
        TunnelOutcome qgate = Runs.outcome("qgate", run(1, 3.0, 0.2, 300), run(2, 4.0, 0.3, 400), run(3, 5.0, 0.1, 500));
        TunnelOutcome ipsec = new TunnelOutcome("ipsec");
        ipsec.skip("this kernel lacks ESP.");
        return List.of(wg, ipsec, qgate);
    }

    private static BenchOptions options() {
        return BenchOptions.parse("--measure", "tcp,udp,ping-idle", "--repo", "/r");
    }

    @Test
    void markdownShowsMedianWithMinToMaxPerMetricAndTunnel() {
        String md = MarkdownTable.render(options(), ENV, outcomes());
        assertTrue(md.startsWith("# Tunnel comparison\n\nwireguard-go 0.0.1, iperf3 3.12, openvpn 2.6.14, Linux 6.18"), md);
        assertTrue(md.contains("| measurement | wireguard-go | qgate |\n|---|---|---|\n"), md);
        assertTrue(md.contains("| ping p99, idle (ms) | 0.500 (0.400–0.600) | 0.200 (0.100–0.300) |\n"), md);
        assertTrue(md.contains("| TCP, 1 stream (Gbit/s) | 1.00 (0.50–1.25) | 4.00 (3.00–5.00) |\n"), md);
        assertTrue(md.contains("| UDP 64 B received (k packets/s) | 100.0 (80.0–120.0) | 400.0 (300.0–500.0) |\n"), md);
        assertTrue(md.contains("- ipsec was not measured: this kernel lacks ESP.\n"), md);
        assertTrue(md.contains("each in new namespaces with a new tunnel, after 10 s of one-stream TCP through it, not recorded."), md);
        String cold = MarkdownTable.render(BenchOptions.parse("--warmup", "0", "--repo", "/r"), ENV, outcomes());
        assertTrue(cold.contains("with a new tunnel, measured as it comes up (no warm-up)."), cold);
    }

    @Test
    void rowsFollowTheKindOfFigureNotTheOrderMeasured() {
        String md = MarkdownTable.render(options(), ENV, outcomes());
        int tcp = md.indexOf("| TCP, 1 stream (Gbit/s)");
        int udp = md.indexOf("| UDP 64 B received");
        int ping = md.indexOf("| ping p99, idle (ms)");
        assertTrue(tcp > 0 && tcp < udp && udp < ping, "TCP, then UDP, then ping, though ping was measured first: " + md);
    }

    @Test
    void markdownGivesQgatesRatiosToWireguardGoButNotOfLossPercentages() {
        String md = MarkdownTable.render(options(), ENV, outcomes());
        assertTrue(md.contains("| measurement | qgate / wireguard-go |\n"), md);
        assertTrue(md.contains("| TCP, 1 stream | 4.00x |\n"), md);
        assertTrue(md.contains("| ping p99, idle | 0.40x |\n"), md);
        assertTrue(!md.contains("| UDP 64 B loss | "), md);
    }

    @Test
    void aSingleRunIsShownWithoutARangeAndAMissingFigureAsADash() {
        TunnelOutcome one = Runs.outcome("plain", Runs.tcp(1, 10, 0, 1.9, -1));
        assertEquals("10.00", MarkdownTable.cell(one, Runs.TCP1));
        assertEquals("-", MarkdownTable.cell(one, Metric.tunnelCores(1)));
    }

    @Test
    void svgIsWellFormedWithAPanelPerMetricAndABarPerTunnel() throws Exception {
        String svg = SvgChart.render(outcomes());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(4, doc.getElementsByTagName("g").getLength(), "one panel per metric");
        assertEquals(1 + 4 * 2, doc.getElementsByTagName("rect").getLength(), "the background and a bar per tunnel per metric");
        assertEquals(Integer.toString(SvgChart.PANEL_HEIGHT * 2), doc.getDocumentElement().getAttribute("height"));
        assertTrue(svg.contains(">TCP, 1 stream (Gbit/s)</text>"), svg);
        assertTrue(svg.contains(">4.00</text>"), "qgate's median is written over its bar");
    }

    @Test
    void barsAreScaledSoTheLargestMaximumFillsThePlotArea() {
        String svg = SvgChart.render(List.of(Runs.outcome("plain", Runs.tcp(1, 10, 0, 1.9, -1), Runs.tcp(2, 20, 0, 1.9, -1))));
        assertTrue(svg.contains("height=\"" + String.format(java.util.Locale.ROOT, "%.1f", 15 * (210 - 30 - 30 - 14) / (20 * 1.05)) + "\""),
            "the median bar is 15/21 of the plot height: " + svg);
    }

    @Test
    void svgEscapesXmlsReservedCharacters() {
        assertEquals("a &lt;b&gt; &amp; c", SvgChart.escape("a <b> & c"));
    }

    @Test
    void writesTheTableChartAndJsonIntoTheResultsFolder(@TempDir Path dir) throws Exception {
        Report.write(dir, options(), ENV, outcomes());
        assertTrue(Files.readString(dir.resolve(Report.TABLE)).endsWith("![chart](chart.svg)\n"));
        assertTrue(Files.readString(dir.resolve(Report.CHART)).startsWith("<svg "));
        JsonNode json = ResultJson.document(options(), ENV, outcomes());
        JsonNode qgate = json.get("tunnels").get(2);
        assertEquals(4.0, qgate.get("summary").get("tcp-1-gbit-per-second").get("median").asDouble());
        assertEquals(3.0, qgate.get("summary").get("tcp-1-gbit-per-second").get("min").asDouble());
        assertEquals(0.1, qgate.get("runs").get(2).get("values").get("ping-idle-p99-ms").asDouble());
        assertEquals("this kernel lacks ESP.", json.get("tunnels").get(1).get("skipped").asText());
        assertEquals("2.6.14", json.get("environment").get("openvpn").asText());
        assertEquals(10, json.get("settings").get("warmup-seconds").asInt(), "the warm-up is part of the settings");
    }
}
