package io.qgate.perf;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A soak's curves as hand-written SVG 1.1 (no scripts, no fonts): one panel per plotted
 * {@link SoakSeries}, two panels per row, time in minutes across, each gateway a line in its own
 * colour. Every panel's scale starts at zero, so a flat line looks flat and a leak looks like a
 * slope rather than like noise magnified.
 */
public final class SoakChart {
    static final int PANEL_WIDTH = 460;
    static final int PANEL_HEIGHT = 230;
    static final int COLUMNS = 2;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 42;
    private static final int BOTTOM = 34;
    /** Gateway a, gateway b (Okabe-Ito blue and vermilion, colour-blind-safe, as in {@link SvgChart}). */
    private static final String[] COLOURS = {"#0072B2", "#D55E00"};

    private SoakChart() {
    }

    /** The chart of {@code samples} (both gateways, in time order). */
    public static String render(List<SoakSample> samples) {
        List<SoakSeries> series = Arrays.stream(SoakSeries.values()).filter(SoakSeries::plotted).toList();
        int rows = (series.size() + COLUMNS - 1) / COLUMNS;
        int width = PANEL_WIDTH * COLUMNS;
        int height = PANEL_HEIGHT * rows;
        double endMinutes = Math.max(samples.stream().mapToDouble(SoakSample::elapsedSeconds).max().orElse(0) / 60, 1e-9);
        StringBuilder svg = SvgChart.document(width, height);
        for (int i = 0; i < series.size(); i++) {
            panel(svg, series.get(i), samples, endMinutes, (i % COLUMNS) * PANEL_WIDTH, (i / COLUMNS) * PANEL_HEIGHT);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, SoakSeries series, List<SoakSample> samples, double endMinutes, int x0, int y0) {
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", x0, y0));
        SvgChart.title(svg, LEFT, series.heading());
        double top = series.max(samples);
        top = Double.isNaN(top) || top <= 0 ? 1 : top * 1.1;
        int plotWidth = PANEL_WIDTH - LEFT - RIGHT;
        int plotHeight = PANEL_HEIGHT - TOP - BOTTOM;
        int baseline = TOP + plotHeight;
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d %dV%dH%d\" fill=\"none\" stroke=\"#333\"/>%n",
            LEFT, TOP, baseline, LEFT + plotWidth));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>%n",
            LEFT - 4, TOP + 4, MarkdownTable.number(top, series.decimals())));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">0</text>%n",
            LEFT - 4, baseline + 4));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">0</text>%n", LEFT, baseline + 14));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s min</text>%n",
            LEFT + plotWidth, baseline + 14, MarkdownTable.number(endMinutes, endMinutes < 10 ? 1 : 0)));
        for (Side side : Side.values()) {
            StringBuilder points = new StringBuilder();
            for (SoakSample s : samples) {
                double v = series.of(s);
                if (s.side() == side && !Double.isNaN(v)) {
                    double x = LEFT + s.elapsedSeconds() / 60 / endMinutes * plotWidth;
                    double y = baseline - v / top * plotHeight;
                    points.append(points.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                }
            }
            String colour = COLOURS[side.ordinal()];
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                points, colour));
            // the legend goes on its own line under the title, which may be as wide as the panel
            int legendX = LEFT + side.ordinal() * 75;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"24\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"33\" font-size=\"10\">gateway %s</text>%n", legendX, colour, legendX + 14, side.suffix()));
        }
        svg.append("</g>\n");
    }
}
