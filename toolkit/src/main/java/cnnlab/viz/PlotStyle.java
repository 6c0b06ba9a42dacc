package cnnlab.viz;

import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.style.AxesChartStyler;

/** The look every chart of {@link Plots} shares: white background, light grid, fonts legible in a notebook. */
final class PlotStyle {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** Line colours: ColorBrewer-like blue, red, green, orange, purple, brown, pink, grey. */
    static final Color[] SERIES = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};

    private PlotStyle() {
    }

    /** Applies the shared look; axis numbers are formatted in {@link Locale#ROOT} (a decimal point). */
    static void apply(AxesChartStyler s) {
        s.setLocale(Locale.ROOT);
        s.setChartTitleFont(TITLE);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setLegendFont(LEGEND);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(160, 160, 160));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setChartTitleBoxVisible(false);
        s.setChartPadding(12);
        s.setSeriesColors(SERIES);
        s.setToolTipsEnabled(false);
    }

    /** {@code c} with alpha {@code a} in [0, 255]. */
    static Color translucent(Color c, int a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }
}
