package io.qgate.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class SoakReportTest {
    private static final SoakTraffic TRAFFIC = new SoakTraffic(new UdpReport(1000, 0, 40), new UdpReport(1000, 10, 40),
        new PingSummary(40, 39), new PingStats(new double[] {0.2, 0.3, 0.4}), List.of("iperf3: something odd."));

    @Test
    void theReportGivesTheVerdictEveryCheckEverySeriesAndTheTraffic() {
        List<SoakSample> samples = Soaks.flat();
        String md = SoakReport.render(List.of("Command: `perf/bin/soak --minutes 0.67`"), Soaks.options(), samples,
            SoakVerdict.judge(samples, Soaks.options()), TRAFFIC);
        assertTrue(md.startsWith("# qgate soak: 40 s at 200 Mbit/s each way, rekey_after 5 s, a sample every 10 s\n"), md);
        assertTrue(md.contains("Command: `perf/bin/soak --minutes 0.67`  \n"), md);
        assertTrue(md.contains("## Verdict: flat, every check passed\n"), md);
        assertTrue(md.contains("| rekeys, gateway b | at least 80% of 8 | 8 (100%) | pass |\n"), md);
        assertTrue(md.contains("| resident memory (MiB) | a | 200.0 | 200.4 | 200.0 | 200.4 |\n"), md);
        assertTrue(md.contains("| received through the tunnel (Mbit/s) | b | 200.0 | 200.0 | 200.0 | 200.0 |\n"), md);
        assertTrue(md.contains("| heap after the last GC (MiB) | a | 4.0 | 4.0 | 4.0 | 4.0 |\n"), md);
        assertTrue(md.contains("- iperf3 UDP b to a: 1000 datagrams sent, 10 lost (1.0000%), 25 received per second\n"), md);
        assertTrue(md.contains("- ping a to b, one a second: 40 sent, 39 answered, 1 lost; round trip p50 0.300 ms, p99 0.400 ms\n"), md);
        assertTrue(md.contains("- iperf3: something odd.\n"), md);
    }

    @Test
    void aFailedCheckIsMarkedAndSeriesWithoutValuesShowADash() {
        List<SoakSample> samples = Soaks.with(4, Soaks.sample(40, Side.A, 200 * 1024 + 400, 27, 29, 8, 0));
        String md = SoakReport.render(List.of(), Soaks.options(), samples, SoakVerdict.judge(samples, Soaks.options()), TRAFFIC);
        assertTrue(md.contains("## Verdict: NOT flat, a check FAILED\n"), md);
        assertTrue(md.contains("| open file descriptors, gateway a | constant in the steady part | from 25 to 27 | **FAIL** |\n"), md);
        assertEquals("-", MarkdownTable.number(Double.NaN, 1));
    }

    @Test
    void eachRowOfTheCsvHasAFieldPerColumnAndNoValueIsEmpty() {
        String header = SoakCsv.HEADER;
        String first = SoakCsv.row(Soaks.flat().getFirst());
        String later = SoakCsv.row(Soaks.flat().get(2));
        int columns = header.split(",", -1).length;
        assertEquals(columns, first.split(",", -1).length);
        assertEquals(columns, later.split(",", -1).length);
        assertTrue(first.startsWith("0.0,a,4242,204800,102400,25,29,,0,1,0,0,"), first);
        assertTrue(first.endsWith(","), "no throughput in the first sample: " + first);
        assertTrue(later.endsWith(",200.00"), later);
    }

    @Test
    void theCurvesAreSvgWithALinePerGatewayInEachOfSixPanels() throws Exception {
        String svg = SoakChart.render(Soaks.flat());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList lines = doc.getElementsByTagName("polyline");
        assertEquals(6 * 2, lines.getLength());
        String rss = ((Element) lines.item(0)).getAttribute("points");
        assertEquals(5, rss.split(" ").length, "a point per sample: " + rss);
        String throughput = ((Element) lines.item(8)).getAttribute("points");
        assertEquals(4, throughput.split(" ").length, "the first sample has no throughput: " + throughput);
        String live = ((Element) lines.item(10)).getAttribute("points");
        assertEquals(4, live.split(" ").length, "no heap after GC before the first collection: " + live);
        assertTrue(svg.contains(">resident outside the Java heap (MiB)</text>"), svg);
        assertTrue(svg.contains(">open file descriptors</text>") && svg.contains(">threads</text>"), svg);
        assertTrue(svg.contains(">0.7 min</text>"), svg);
    }

    @Test
    void theConsoleLineShowsBothGatewaysAndTheirMemoryOutsideTheHeap() {
        Map<Side, SoakSample> now = new EnumMap<>(Side.class);
        now.put(Side.A, Soaks.flat().get(2));
        now.put(Side.B, Soaks.flat().get(3));
        assertEquals("soak:    0.2 min  RSS 200.1/200.1 MiB (outside the heap 100.1/100.1)  fds 25/25  threads 29/29  rekeys 2/2"
            + "  rx 200.0/200.0 Mbit/s  rekey drops 0", Soak.progress(now));
    }
}
