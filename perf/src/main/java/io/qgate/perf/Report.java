package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes the results folder of {@code --out}: the Markdown table and the SVG chart beside it. */
public final class Report {
    /** The Markdown table's file name. */
    public static final String TABLE = "results.md";
    /** The chart's file name. */
    public static final String CHART = "chart.svg";

    private Report() {
    }

    /**
     * Writes {@link #TABLE} (which shows the chart) and {@link #CHART} into {@code dir}, creating it.
     *
     * @throws BenchException when the folder cannot be written
     */
    public static void write(Path dir, BenchOptions options, BenchEnvironment env, List<TunnelOutcome> outcomes) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(TABLE), MarkdownTable.render(options, env, outcomes) + "![chart](" + CHART + ")\n");
            Files.writeString(dir.resolve(CHART), SvgChart.render(outcomes));
        } catch (IOException e) {
            throw new BenchException("cannot write the results to " + dir + ": " + e.getMessage(), e);
        }
    }
}
