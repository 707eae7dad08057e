package io.qgate.perf;

import java.util.List;
import java.util.Locale;

/**
 * The results as an SVG chart written by hand: one panel per metric, two panels per row, in each
 * a bar per tunnel at its median with a whisker from its minimum to its maximum and the median
 * written above. Every panel has its own scale from zero; a tunnel keeps its colour in every
 * panel. The file is plain SVG 1.1 that browsers and GitHub render without scripts or fonts.
 */
public final class SvgChart {
    static final int PANEL_WIDTH = 420;
    static final int PANEL_HEIGHT = 210;
    static final int COLUMNS = 2;
    private static final int TOP = 30;
    private static final int BOTTOM = 30;
    private static final int SIDE = 14;
    /** One colour per tunnel position (colour-blind-safe Okabe-Ito palette). */
    private static final List<String> COLOURS = List.of("#999999", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00",
        "#CC79A7", "#F0E442");

    private SvgChart() {
    }

    /** The chart of every metric of the measured tunnels. */
    public static String render(List<TunnelOutcome> outcomes) {
        List<TunnelOutcome> measured = outcomes.stream().filter(o -> !o.runs().isEmpty()).toList();
        List<Metric> metrics = MarkdownTable.metrics(measured);
        int rows = Math.max(1, (metrics.size() + COLUMNS - 1) / COLUMNS);
        int width = PANEL_WIDTH * COLUMNS;
        int height = PANEL_HEIGHT * rows;
        StringBuilder svg = document(width, height);
        for (int i = 0; i < metrics.size(); i++) {
            panel(svg, metrics.get(i), measured, (i % COLUMNS) * PANEL_WIDTH, (i / COLUMNS) * PANEL_HEIGHT);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, Metric m, List<TunnelOutcome> tunnels, int x0, int y0) {
        svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", x0, y0));
        title(svg, SIDE, m.heading());
        double top = 0;
        for (TunnelOutcome o : tunnels) {
            double max = o.max(m);
            if (!Double.isNaN(max)) {
                top = Math.max(top, max);
            }
        }
        double scale = top > 0 ? (PANEL_HEIGHT - TOP - BOTTOM - 14) / (top * 1.05) : 0;
        int baseline = PANEL_HEIGHT - BOTTOM;
        double slot = (PANEL_WIDTH - 2.0 * SIDE) / Math.max(1, tunnels.size());
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
            SIDE, baseline, PANEL_WIDTH - SIDE, baseline));
        for (int t = 0; t < tunnels.size(); t++) {
            TunnelOutcome o = tunnels.get(t);
            double cx = SIDE + slot * (t + 0.5);
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
                cx, baseline + 14, escape(o.tunnel())));
            double median = o.median(m);
            if (Double.isNaN(median)) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\""
                    + " fill=\"#666\">n/a</text>%n", cx, baseline - 4));
                continue;
            }
            double barWidth = slot * 0.6;
            double h = median * scale;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                cx - barWidth / 2, baseline - h, barWidth, h, COLOURS.get(t % COLOURS.size())));
            double yMin = baseline - o.min(m) * scale;
            double yMax = baseline - o.max(m) * scale;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>%n",
                cx, yMin, cx, yMax));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
                cx, Math.min(yMax, baseline - h) - 4, MarkdownTable.number(median, m.decimals())));
        }
        svg.append("</g>\n");
    }

    /**
     * The start of an SVG 1.1 document of {@code width} by {@code height} pixels on a white
     * background; the caller appends its panels and {@code </svg>}. Shared with {@link SoakChart}.
     */
    static StringBuilder document(int width, int height) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
            + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">%n", width, height, width, height));
        return svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    }

    /** A panel's bold title at {@code x}, on the panel's first line. */
    static void title(StringBuilder svg, int x, String text) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
            x, escape(text)));
    }

    /** Text for an SVG text node: the three characters XML reserves there, escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
