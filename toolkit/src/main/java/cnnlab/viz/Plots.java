package cnnlab.viz;

import cnnlab.Cnn;
import cnnlab.ops.RRelu;
import cnnlab.ops.RReluParams;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The lecture's charts as XChart objects: activation functions with their derivatives, small matrices as heat
 * maps with each value written in its cell, histograms of activations, and training curves.
 *
 * <p>Every factory returns the chart (an {@link XYChart}, {@link HeatMapChart} or {@link CategoryChart}) with a
 * title, axis titles and a size; a notebook shows it as PNG ({@code cnnlab.notebook}), and
 * {@code BitmapEncoder.getBufferedImage(chart)} renders it anywhere, headless included. The curves are computed
 * with the toolkit's own ops ({@link Cnn}), so a chart shows what the toolkit computes.
 * <pre>
 * jshell&gt; Plots.relu()                                        // relu(x) and relu'(x) on [-3, 3]
 * jshell&gt; Plots.rrelu()                                       // eval slope 11/48 and the training band [1/8, 1/3)
 * jshell&gt; var x = Nd4j.create(new float[][] {{1, 1, 2, 4}, {5, 6, 7, 8}, {3, 2, 1, 0}, {1, 2, 3, 4}});
 * jshell&gt; Plots.heatMap(x, "x")                               // 4x4 cells, row 0 at the top
 * jshell&gt; Plots.reluHistogram(Nd4j.randn(DataType.FLOAT, 10000), 40)
 * jshell&gt; Plots.trainingCurves(history)                       // a Table with "epoch", "loss", "accuracy"
 * </pre>
 *
 * <p>Bad arguments throw {@link IllegalArgumentException} naming {@code Plots.<method>} and the shape given.
 */
public final class Plots {
    /**
     * Activation charts evaluate x from -3 to 3 in steps of 0.01 (x = 0 included); each curve keeps the points
     * where it bends, plus both ends and x = 0, every one the toolkit's value at that x.
     */
    public static final double X_MIN = -3, X_MAX = 3;
    static final int STEPS_PER_UNIT = 100;
    /** Width and height of the line charts and histograms, in pixels. */
    public static final int WIDTH = 600, HEIGHT = 400;
    /** Heat maps with more rows or columns than this are drawn without the numbers (they would not fit). */
    public static final int MAX_SIZE_WITH_VALUES = 16;

    private Plots() {
    }

    // ---------------------------------------------------------------- activations

    /**
     * {@code relu(x) = max(0, x)} and its derivative (dashed) on [-3, 3], from {@link Cnn#relu} and
     * {@link Cnn#reluBackward}; x = 0 is one of the points, where the derivative is 0 (PyTorch's convention).
     * Series {@code relu(x)} and {@code relu'(x)}.
     */
    public static XYChart relu() {
        INDArray x = activationX();
        return activation("ReLU and its derivative", "relu", x, Cnn.relu(x), Cnn.reluBackward(x, Nd4j.onesLike(x)));
    }

    /** {@link #leakyRelu(double)} with PyTorch's default slope 0.01. */
    public static XYChart leakyRelu() {
        return leakyRelu(0.01);
    }

    /**
     * Leaky ReLU ({@code x} for x &gt; 0, else {@code slope * x}) and its derivative (dashed) on [-3, 3], from
     * {@link Cnn#leakyRelu(INDArray, double)} and {@link Cnn#leakyReluBackward}. Series {@code leakyRelu(x)} and
     * {@code leakyRelu'(x)}.
     *
     * @throws IllegalArgumentException if the slope is not finite
     */
    public static XYChart leakyRelu(double slope) {
        requireFinite("leakyRelu", "slope", slope);
        INDArray x = activationX();
        return activation("Leaky ReLU (slope " + number(slope) + ") and its derivative", "leakyRelu", x,
                Cnn.leakyRelu(x, slope), Cnn.leakyReluBackward(x, Nd4j.onesLike(x), slope));
    }

    /** {@link #prelu(double)} with PyTorch's initial alpha 0.25. */
    public static XYChart prelu() {
        return prelu(0.25);
    }

    /**
     * PReLU with one learned slope {@code alpha} ({@code x} for x &gt; 0, else {@code alpha * x}) and its
     * derivative with respect to x (dashed) on [-3, 3], from {@link Cnn#prelu} and {@link Cnn#preluBackward}.
     * Series {@code prelu(x)} and {@code prelu'(x)}.
     *
     * @throws IllegalArgumentException if alpha is not finite
     */
    public static XYChart prelu(double alpha) {
        requireFinite("prelu", "alpha", alpha);
        INDArray x = activationX();
        INDArray a = Nd4j.create(new float[] {(float) alpha}, new long[] {1}, 'c');
        return activation("PReLU (alpha " + number(alpha) + ") and its derivative", "prelu", x, Cnn.prelu(x, a),
                Cnn.preluBackward(x, a, Nd4j.onesLike(x)).dx());
    }

    /** {@link #rrelu(double, double)} with PyTorch's defaults lower 1/8, upper 1/3. */
    public static XYChart rrelu() {
        return rrelu(RReluParams.DEFAULT.lower(), RReluParams.DEFAULT.upper());
    }

    /**
     * Randomized leaky ReLU on [-3, 3]: the eval-mode curve (slope {@code (lower + upper)/2}) and its derivative
     * (dashed), from {@link Cnn#rrelu(INDArray, RReluParams)} and {@link Cnn#rreluBackward}, over shaded bands
     * of what training mode can give for x &lt;= 0: the output between {@code lower * x} and {@code upper * x}, and
     * the slope between lower and upper. Series {@code rrelu(x), eval}, {@code rrelu'(x), eval},
     * {@code training: rrelu(x)} and {@code training: rrelu'(x)} (the bands, as closed polygons).
     *
     * @throws IllegalArgumentException if a bound is not finite or lower &gt; upper
     */
    public static XYChart rrelu(double lower, double upper) {
        requireFinite("rrelu", "lower", lower);
        requireFinite("rrelu", "upper", upper);
        if (lower > upper) {
            throw new IllegalArgumentException("Plots.rrelu: lower must be at most upper but lower is " + number(lower)
                    + " and upper " + number(upper));
        }
        INDArray x = activationX();
        RRelu eval = Cnn.rrelu(x, RReluParams.of(lower, upper));
        INDArray ones = Nd4j.onesLike(x);
        XYChart chart = lineChart("RReLU (lower " + number(lower) + ", upper " + number(upper)
                + "): eval and training band", "x", "rrelu(x), rrelu'(x)");

        // the bands: x from 0 down to X_MIN along the lower edge, back up to 0 along the upper edge
        double[] xs = doubles(x);
        int zero = indexOfZero(xs);
        double[] lowOut = doubles(Cnn.leakyRelu(x, lower)), highOut = doubles(Cnn.leakyRelu(x, upper));
        double[] lowSlope = doubles(Cnn.leakyReluBackward(x, ones, lower));
        double[] highSlope = doubles(Cnn.leakyReluBackward(x, ones, upper));
        band(chart, "training: rrelu(x)", xs, lowOut, highOut, zero, PlotStyle.SERIES[0])
                .setLabel("training: rrelu(x) from " + number(lower) + "x to " + number(upper) + "x");
        band(chart, "training: rrelu'(x)", xs, lowSlope, highSlope, zero, PlotStyle.SERIES[1])
                .setLabel("training: rrelu'(x) in [" + number(lower) + ", " + number(upper) + ")");

        String slope = number(RReluParams.of(lower, upper).evalSlope());
        curve(chart, "rrelu(x), eval", xs, doubles(eval.output()), PlotStyle.SERIES[0], SeriesLines.SOLID)
                .setLabel("rrelu(x), eval slope " + slope);
        curve(chart, "rrelu'(x), eval", xs, doubles(Cnn.rreluBackward(ones, eval)), PlotStyle.SERIES[1],
                LONG_DASH);
        return chart;
    }

    /** x = -3, -2.99, ..., 3 as float32 {@code [601]}; x = 0 is exactly one of them. */
    static INDArray activationX() {
        int n = (int) Math.round((X_MAX - X_MIN) * STEPS_PER_UNIT) + 1;
        int offset = (int) Math.round(-X_MIN * STEPS_PER_UNIT);
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (float) (i - offset) / STEPS_PER_UNIT;
        }
        return Nd4j.create(xs, new long[] {n}, 'c');
    }

    private static XYChart activation(String title, String f, INDArray x, INDArray y, INDArray dy) {
        XYChart chart = lineChart(title, "x", f + "(x), " + f + "'(x)");
        double[] xs = doubles(x);
        curve(chart, f + "(x)", xs, doubles(y), PlotStyle.SERIES[0], SeriesLines.SOLID);
        curve(chart, f + "'(x)", xs, doubles(dy), PlotStyle.SERIES[1], LONG_DASH);
        return chart;
    }

    /**
     * A piecewise-linear curve sampled on the grid, as a line through the grid points where it bends (and x = 0):
     * every point kept is the toolkit's value at that x, the points left out lie on the straight line between
     * their neighbours. XChart dashes each segment on its own, so a dashed line of 600 tiny segments would look
     * solid; long segments also keep XChart from using the data values as axis ticks.
     */
    private static XYSeries curve(XYChart chart, String name, double[] xs, double[] ys, Color color,
                                  BasicStroke stroke) {
        int[] keep = bends(xs, ys);
        double[] kx = new double[keep.length], ky = new double[keep.length];
        for (int k = 0; k < keep.length; k++) {
            kx[k] = xs[keep[k]];
            ky[k] = ys[keep[k]];
        }
        return line(chart, name, kx, ky, color, stroke);
    }

    /** Indices of the first and last point, x = 0, and every point where the slope changes. */
    static int[] bends(double[] xs, double[] ys) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            boolean end = i == 0 || i == xs.length - 1 || xs[i] == 0;
            if (end || !onLine(xs[i - 1], ys[i - 1], xs[i], ys[i], xs[i + 1], ys[i + 1])) {
                keep.add(i);
            }
        }
        return keep.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Is (x1, y1) on the segment from (x0, y0) to (x2, y2), within float32 rounding? */
    private static boolean onLine(double x0, double y0, double x1, double y1, double x2, double y2) {
        double expected = y0 + (y2 - y0) * (x1 - x0) / (x2 - x0);
        return Math.abs(y1 - expected) <= 1e-5 * (1 + Math.abs(y0) + Math.abs(y2));
    }

    /** The region between {@code low} and {@code high} for x &lt;= 0 (indices 0..zero), as a closed polygon. */
    private static XYSeries band(XYChart chart, String name, double[] xs, double[] low, double[] high, int zero,
                             Color color) {
        int n = zero + 1;
        double[] px = new double[2 * n], py = new double[2 * n];
        for (int k = 0; k < n; k++) {
            int i = zero - k;                  // along the lower edge, from x = 0 to X_MIN
            px[k] = xs[i];
            py[k] = low[i];
            px[n + k] = xs[k];                 // back along the upper edge, from X_MIN to x = 0
            py[n + k] = high[k];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(PlotStyle.translucent(color, 50));
        s.setLineColor(PlotStyle.translucent(color, 90));
        s.setLineStyle(SeriesLines.SOLID);
        s.setLineWidth(1f);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static int indexOfZero(double[] xs) {
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("x = 0 is not on the grid");
    }

    // ---------------------------------------------------------------- heat map

    /** {@link #heatMap(INDArray, String)} titled with the matrix's size, e.g. {@code "4x4 matrix"}. */
    public static HeatMapChart heatMap(INDArray matrix) {
        long[] hw = planeSize("heatMap", matrix);
        return heatMap(matrix, hw[0] + "x" + hw[1] + " matrix");
    }

    /**
     * A small matrix as coloured cells with each value written inside, laid out as the matrix is printed: row 0
     * at the top, column 0 at the left. Colours are symmetric around zero on {@link ColorMaps#diverging} (zero
     * white, positive red, negative blue), lightened so that the black numbers stay readable; a NaN cell is magenta
     * ({@link ColorMaps#NAN}), as in every picture, and an infinity takes its end's colour. Values are written
     * as {@code 6}, {@code 1.5} or {@code 0.333} (at most three decimals, in the JVM's default locale), or all as
     * {@code 1.2E-4} when some nonzero value would show as 0; a matrix with more than
     * {@value #MAX_SIZE_WITH_VALUES} rows or columns is drawn without numbers. The chart is sized to the matrix.
     *
     * <p>XChart indexes heat map cells {@code [x][y]} with y = 0 at the bottom, so row {@code r} of an
     * {@code H}-row matrix is fed as {@code y = H - 1 - r}, and the row axis is labelled {@code H-1, ..., 0}
     * from the bottom up.
     *
     * @param matrix {@code [H, W]}, {@code [1, H, W]} or {@code [1, 1, H, W]}
     * @throws IllegalArgumentException if the matrix is null, empty, of another shape, or has more than
     *                                  {@value #MAX_HEAT_MAP_SIDE} rows or columns
     */
    public static HeatMapChart heatMap(INDArray matrix, String title) {
        return heatMap(matrix, title, Double.NaN);
    }

    /**
     * {@link #heatMap(INDArray, String)} on a given colour scale: {@code -limit} full blue, {@code +limit} full red
     * (values beyond take the end colours), so that several maps can share one scale. {@link #heatMapRow} does that
     * for a row of maps.
     *
     * @throws IllegalArgumentException as {@link #heatMap(INDArray, String)}, or if the limit is not positive and
     *                                  finite
     */
    public static HeatMapChart heatMap(INDArray matrix, String title, double limit) {
        if (!Double.isNaN(limit) && !(limit > 0 && Double.isFinite(limit))) {
            throw new IllegalArgumentException("Plots.heatMap: the colour limit must be positive and finite (limit "
                    + limit + ")");
        }
        long[] hw = planeSize("heatMap", matrix);
        if (hw[0] > MAX_HEAT_MAP_SIDE || hw[1] > MAX_HEAT_MAP_SIDE) {
            throw new IllegalArgumentException("Plots.heatMap: a " + hw[0] + "x" + hw[1] + " matrix is too large for a"
                    + " heat map of cells (at most " + MAX_HEAT_MAP_SIDE + " rows and columns; its chart would be "
                    + "at least " + hw[1] * 24 + " pixels wide)\nhint: draw it as a picture, Images.toImage(matrix,"
                    + " Scale.SYMMETRIC), or show a part of it, matrix.get(NDArrayIndex.interval(0, 16),"
                    + " NDArrayIndex.interval(0, 16))");
        }
        int h = Math.toIntExact(hw[0]), w = Math.toIntExact(hw[1]);
        float[] v = matrix.castTo(DataType.FLOAT).dup('c').data().asFloat();

        int cell = Math.max(24, Math.min(80, 560 / Math.max(h, w)));
        String t = title == null || title.isBlank() ? h + "x" + w + " matrix" : title;
        int width = Math.max(w * cell + 120, 60 + 9 * t.length()), height = h * cell + 130;
        boolean[] nan = new boolean[h * w];
        for (int i = 0; i < nan.length; i++) {
            nan[i] = Float.isNaN(v[i]);
        }
        HeatMapChart chart = new Cells(width, height, h, w, nan);
        chart.setTitle(t);
        chart.setXAxisTitle("column");
        chart.setYAxisTitle("row");

        List<Integer> columns = new ArrayList<>(), rows = new ArrayList<>();
        for (int c = 0; c < w; c++) {
            columns.add(c);
        }
        for (int r = h - 1; r >= 0; r--) {
            rows.add(r);                        // yData[y] labels the y-th row from the bottom
        }
        List<Number[]> cells = new ArrayList<>(h * w);
        double max = 0;
        boolean tiny = false;       // a value that three decimals would write as 0
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float value = v[r * w + c];
                cells.add(new Number[] {c, h - 1 - r, value});
                if (Float.isFinite(value)) {
                    max = Math.max(max, Math.abs(value));
                    tiny |= value != 0 && Math.abs(value) < 0.0005;
                }
            }
        }
        chart.addSeries(t, columns, rows, cells);

        HeatMapStyler s = chart.getStyler();
        PlotStyle.apply(s);
        s.setLegendVisible(false);
        s.setPlotContentSize(1.0);
        s.setPlotGridLinesVisible(false);
        s.setDrawBorder(false);
        s.setRangeColors(new Color[] {new Color(ColorMaps.diverging(-0.65)), new Color(ColorMaps.diverging(0)),
                new Color(ColorMaps.diverging(0.65))});
        double m = !Double.isNaN(limit) ? limit : max > 0 ? max : 1;
        s.setMin(-m);
        s.setMax(m);
        s.setShowValue(h <= MAX_SIZE_WITH_VALUES && w <= MAX_SIZE_WITH_VALUES);
        s.setHeatMapValueDecimalPattern(tiny ? SMALL_CELL_PATTERN : CELL_PATTERN);
        s.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(22, cell * 3 / 10))));
        s.setValueFontColor(Color.BLACK);
        return chart;
    }

    /**
     * A heat map whose NaN cells are magenta ({@link ColorMaps#NAN}), with "NaN" written in them when the values
     * are shown, as every other picture draws a NaN. XChart itself fills them black and writes a black "NaN" on
     * top. The cells are laid out as XChart lays them out: the plot's bounds, split evenly.
     */
    private static final class Cells extends HeatMapChart {
        private final int rows, columns;
        private final boolean[] nan;

        Cells(int width, int height, int rows, int columns, boolean[] nan) {
            super(width, height, Styler.ChartTheme.XChart);
            this.rows = rows;
            this.columns = columns;
            this.nan = nan;
        }

        @Override
        public void paint(Graphics2D g, int width, int height) {
            super.paint(g, width, height);
            HeatMapStyler s = getStyler();
            Rectangle2D b = plot.getBounds();
            // XChart's margins: half of what the plot's width as an int leaves around its content
            double marginX = ((int) b.getWidth() - s.getPlotContentSize() * b.getWidth()) / 2;
            double marginY = ((int) b.getHeight() - s.getPlotContentSize() * b.getHeight()) / 2;
            double x0 = b.getX() + marginX, y0 = b.getY() + marginY;
            double cw = (b.getWidth() - 2 * marginX) / columns, ch = (b.getHeight() - 2 * marginY) / rows;
            g.setFont(s.getValueFont());
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    if (!nan[r * columns + c]) {
                        continue;
                    }
                    Rectangle2D cell = new Rectangle2D.Double(x0 + c * cw, y0 + r * ch, cw, ch);
                    g.setColor(new Color(ColorMaps.NAN));
                    g.fill(cell);
                    if (s.isShowValue()) {
                        g.setColor(s.getValueFontColor());
                        g.drawString("NaN", (float) (cell.getCenterX() - fm.stringWidth("NaN") / 2.0),
                                (float) (cell.getCenterY() + (fm.getAscent() - fm.getDescent()) / 2.0));
                    }
                }
            }
        }
    }

    /** A matrix with its title, for {@link #heatMapRow}. */
    public record Titled(String title, INDArray matrix) {
    }

    /** A matrix with its title, for {@link #heatMapRow}: {@code Plots.titled("max", Cnn.maxPool2d(x, p))}. */
    public static Titled titled(String title, INDArray matrix) {
        return new Titled(title, matrix);
    }

    /**
     * Heat maps side by side on one colour scale, so that equal colours are equal values in every panel: the
     * scale runs to the largest magnitude among all of them (each {@link #heatMap(INDArray, String)} alone would
     * stretch its own largest value to full red, and an average pooling's 1 would look like a max pooling's 4).
     * <pre>
     * jshell&gt; Plots.heatMapRow(Plots.titled("max", Cnn.maxPool2d(x, p)),
     *    ...&gt;         Plots.titled("average", Cnn.avgPool2d(x, p)))
     * </pre>
     *
     * @throws IllegalArgumentException if there are no maps, one is null, or a matrix is not one
     *                                  ({@link #heatMap(INDArray, String)})
     */
    public static BufferedImage heatMapRow(Titled... maps) {
        if (maps == null || maps.length == 0) {
            throw new IllegalArgumentException("Plots.heatMapRow: no maps given\nhint: Plots.heatMapRow("
                    + "Plots.titled(\"x\", x), Plots.titled(\"y\", y))");
        }
        double largest = 0;
        for (int i = 0; i < maps.length; i++) {
            if (maps[i] == null || maps[i].matrix() == null) {
                throw new IllegalArgumentException("Plots.heatMapRow: map " + i + " of " + maps.length + " is "
                        + (maps[i] == null ? "null" : "'" + maps[i].title() + "' with a null matrix"));
            }
            planeSize("heatMapRow", maps[i].matrix());
            largest = Math.max(largest, Images.range(maps[i].matrix().castTo(DataType.FLOAT).dup('c').data()
                    .asFloat())[2]);
        }
        double limit = largest > 0 ? largest : 1;
        SideBySide.Panel[] panels = new SideBySide.Panel[maps.length];
        for (int i = 0; i < maps.length; i++) {
            panels[i] = SideBySide.Panel.of("", heatMap(maps[i].matrix(), maps[i].title(), limit));
        }
        return SideBySide.row(panels);
    }

    /** The heat map's number pattern: integers without decimals, others with up to three. */
    static final String CELL_PATTERN = "0.###";
    /** The pattern when some value is too small for three decimals (gradients of 1e-4): {@code 1.2E-4}. */
    static final String SMALL_CELL_PATTERN = "0.##E0";
    /** The most rows or columns a heat map of cells takes (a picture of the values suits larger matrices). */
    public static final int MAX_HEAT_MAP_SIDE = 256;

    /** {H, W} of {@code [H, W]}, {@code [1, H, W]} or {@code [1, 1, H, W]}. */
    private static long[] planeSize(String method, INDArray m) {
        if (m == null) {
            throw new IllegalArgumentException("Plots." + method + ": matrix is null (expected [H, W] or [1, 1, H, W])");
        }
        long[] s = m.shape();
        boolean ok = switch (s.length) {
            case 2 -> true;
            case 3 -> s[0] == 1;
            case 4 -> s[0] == 1 && s[1] == 1;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("Plots." + method + ": expected a matrix [H, W] or [1, 1, H, W] but got "
                    + Arrays.toString(s) + "\nhint: pick one plane, e.g. x.slice(n).slice(c) for [N, C, H, W]");
        }
        long h = s[s.length - 2], w = s[s.length - 1];
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("Plots." + method + ": the matrix is empty " + Arrays.toString(s));
        }
        return new long[] {h, w};
    }

    // ---------------------------------------------------------------- histograms

    /**
     * A histogram of an array's values (any shape) in about {@code bins} equal bins covering its smallest to its
     * largest finite value. The bins' width is round (1, 2, 2.5 or 5 times a power of ten, the smallest that needs
     * no more than about {@code bins} bins) and each is centred on a multiple of it, so 0 has a bin of its own and
     * the axis reads 0, 0.5, 1. NaN and infinite values are left out and counted in the x-axis title. One series,
     * named by the title.
     *
     * @throws IllegalArgumentException if values is null or empty, or bins &lt; 1
     */
    public static CategoryChart histogram(INDArray values, int bins, String title) {
        String t = title == null || title.isBlank() ? "histogram" : title;
        Map<String, INDArray> one = new LinkedHashMap<>();
        one.put(t, values);
        return histograms("histogram", one, bins, t);
    }

    /**
     * Overlaid histograms of several arrays on the same bins (from the smallest to the largest finite value of
     * them all), in the map's order: the first as bars, each other one as an outline over them. For "before and
     * after ReLU" see {@link #reluHistogram}.
     *
     * @throws IllegalArgumentException if the map is null or empty, an array is null or empty, or bins &lt; 1
     */
    public static CategoryChart histograms(Map<String, INDArray> series, int bins, String title) {
        return histograms("histograms", series, bins, title == null || title.isBlank() ? "histograms" : title);
    }

    /**
     * As {@link #histograms(Map, int, String)}, with bins covering {@code from .. to} as well as every value: an
     * axis that shows the whole of a bounded quantity, e.g. 0 .. 1 for R², wherever the values fall.
     *
     * @throws IllegalArgumentException as {@link #histograms(Map, int, String)}, or if from or to is not finite, or
     *                                  from &gt; to
     */
    public static CategoryChart histograms(Map<String, INDArray> series, int bins, String title, double from,
            double to) {
        if (!Double.isFinite(from) || !Double.isFinite(to) || from > to) {
            throw new IllegalArgumentException("Plots.histograms: the axis must go from a number to a larger or equal "
                    + "one, but it is " + number(from) + " .. " + number(to));
        }
        return histograms("histograms", series, bins, title == null || title.isBlank() ? "histograms" : title,
                false, new double[] {from, to});
    }

    /**
     * The values of {@code x} before and after {@link Cnn#relu}, overlaid on the same bins: ReLU moves every
     * negative value to 0. Series {@code before ReLU} and {@code after ReLU}.
     *
     * @throws IllegalArgumentException if x is null or empty, or bins &lt; 1
     */
    public static CategoryChart reluHistogram(INDArray x, int bins) {
        if (x == null) {
            throw new IllegalArgumentException("Plots.reluHistogram: x is null");
        }
        return beforeAndAfter("reluHistogram", x, x.length() == 0 ? x : Cnn.relu(x), " ReLU", bins,
                "Values before and after ReLU");
    }

    /**
     * The values before and after an activation, overlaid on the same bins, counts on a log axis as in
     * {@link #reluHistogram}: where the activation moved the values. With {@code after} as
     * {@code Cnn.leakyRelu(before, 0.2)} the negative tail shrinks to a fifth instead of landing on 0. Series
     * {@code before} and {@code after}.
     *
     * @throws IllegalArgumentException if an array is null or empty, or bins &lt; 1
     */
    public static CategoryChart activationHistogram(INDArray before, INDArray after, int bins) {
        return beforeAndAfter("activationHistogram", before, after, "", bins, "Values before and after the activation");
    }

    /** Series {@code "before" + what} and {@code "after" + what} on one log-count histogram. */
    private static CategoryChart beforeAndAfter(String method, INDArray before, INDArray after, String what, int bins,
            String title) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("before" + what, before);
        m.put("after" + what, after);
        return histograms(method, m, bins, title, true, null);
    }

    private static CategoryChart histograms(String method, Map<String, INDArray> series, int bins, String title) {
        return histograms(method, series, bins, title, false, null);
    }

    /**
     * @param logCounts counts on a logarithmic axis, where an empty bin draws nothing: ReLU's spike at 0 is a
     *                  thousand times taller than the negative tail it removes, which a linear axis hides
     * @param span      null, or {from, to}: a stretch the bins cover even where no value falls
     */
    private static CategoryChart histograms(String method, Map<String, INDArray> series, int bins, String title,
            boolean logCounts, double[] span) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("Plots." + method + ": no arrays given (" + series + ")");
        }
        List<double[]> all = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, INDArray> e : series.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("Plots." + method + ": every series needs a name, but one is "
                        + (e.getKey() == null ? "null" : "'" + e.getKey() + "'") + " (names " + series.keySet() + ")");
            }
            INDArray a = e.getValue();
            if (a == null || a.length() == 0) {
                throw new IllegalArgumentException("Plots." + method + ": " + (a == null ? "the values are null"
                        : "there are no values, shape " + Arrays.toString(a.shape())) + " ('" + e.getKey() + "')");
            }
            all.add(doubles(a));
            total += a.length();
        }
        if (bins < 1 || bins > MAX_BINS) {
            INDArray first = series.values().iterator().next();
            throw new IllegalArgumentException("Plots." + method + ": bins must be from 1 to " + MAX_BINS + " but is "
                    + bins + " (values " + Arrays.toString(first.shape()) + ")");
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] a : all) {
            for (double v : a) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            lo = hi = 0;
        }
        if (span != null) {
            lo = Math.min(lo, span[0]);
            hi = Math.max(hi, span[1]);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        // bins of a round width centred on its multiples, so that 0 is a bin's centre and the labels read 0, 0.5, 1
        double width = roundWidth((hi - lo) / bins);
        long first = (long) Math.floor(lo / width + 0.5), last = (long) Math.ceil(hi / width - 0.5);
        int n = (int) Math.max(1, last - first + 1);
        // every bin is a category; a label under every m-th, on a round multiple of m bins' width (at most 9-10)
        int m = (int) Math.max(1, Math.ceil(n / 9.0));
        while (roundWidth(m * width) != m * width && Math.abs(roundWidth(m * width) - m * width) > 1e-9 * m * width) {
            m++;
        }
        List<String> labels = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            labels.add(Math.floorMod(first + b, m) == 0 ? number((first + b) * width) : " ");
        }
        long finite = 0;
        List<double[]> counts = new ArrayList<>();
        for (double[] a : all) {
            double[] count = new double[n];
            for (double v : a) {
                if (Double.isFinite(v)) {
                    long bin = (long) Math.floor(v / width + 0.5) - first;   // [c - w/2, c + w/2) is c's bin
                    count[(int) Math.max(0, Math.min(n - 1, bin))]++;
                    finite++;
                }
            }
            counts.add(count);
        }

        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        chart.setTitle(title);
        long left = total - finite;
        chart.setXAxisTitle("value (bin width " + number(width) + ")"
                + (left > 0 ? ", " + left + " NaN/infinite left out" : ""));
        chart.setYAxisTitle(logCounts ? "count (log scale)" : "count");
        var s = chart.getStyler();
        PlotStyle.apply(s);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendVisible(series.size() > 1);
        s.setOverlapped(true);
        s.setAvailableSpaceFill(0.98);
        s.setXAxisLabelRotation(0);
        s.setPlotGridVerticalLinesVisible(false);
        s.setYAxisMin(logCounts ? 0.7 : 0.0);   // a log axis has no 0: bars rise from just under a count of 1
        s.setYAxisLogarithmic(logCounts);
        s.setYAxisDecimalPattern("#,###");
        int k = 0;
        for (String name : series.keySet()) {
            List<Double> values = asList(counts.get(k));
            if (logCounts) {
                values.replaceAll(v -> v == 0 ? null : v);
            }
            CategorySeries cs = chart.addSeries(name, labels, values);
            Color c = PlotStyle.SERIES[k % PlotStyle.SERIES.length];
            // the first series as bars, the others as outlines over them: overlapping bars of two translucent
            // colours would mix into a third that the legend does not have
            if (k == 0) {
                cs.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Bar);
                cs.setFillColor(series.size() > 1 ? PlotStyle.translucent(c, 150) : c);
            } else {
                cs.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.SteppedBar);
                cs.setLineColor(c);
                cs.setLineStyle(new BasicStroke(2.5f));
                cs.setFillColor(new Color(0, 0, 0, 0));
            }
            cs.setMarker(SeriesMarkers.NONE);
            k++;
        }
        return chart;
    }

    /** The most bins a histogram takes (more would not show, and took a minute to draw). */
    public static final int MAX_BINS = 1000;

    /** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least {@code width}. */
    static double roundWidth(double width) {
        double power = Math.pow(10, Math.floor(Math.log10(width)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= width * (1 - 1e-9)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    // ---------------------------------------------------------------- training curves

    /**
     * Training curves from a Tablesaw table: each numeric column other than {@code epoch} as a line against the
     * {@code epoch} column. Columns whose name contains "acc" (accuracy) go on a second y axis on the right,
     * dashed, so that a loss and an accuracy can share a chart; accuracies given as fractions (all in [0, 1]) are
     * drawn in percent, as the training bar prints them. Names are written as words ({@code train_loss} becomes
     * "train loss"), and an axis of several series is titled with what they share ("loss"). Titled with the
     * table's name, or "Training curves". Non-numeric columns are ignored, and so is a fit's {@code seconds}
     * column (time per epoch, which drawn on the loss's axis squashed the curves), so that
     * {@code trainingCurves(Trainer.fit(...))} draws the curves alone.
     *
     * @throws IllegalArgumentException if the table is null, has no numeric {@code epoch} column, or no other
     *         numeric column
     */
    public static XYChart trainingCurves(Table history) {
        if (history == null) {
            throw new IllegalArgumentException("Plots.trainingCurves: the table is null");
        }
        String shape = "table '" + history.name() + "', " + history.rowCount() + " rows, columns "
                + history.columnNames();
        if (history.rowCount() == 0) {
            throw new IllegalArgumentException("Plots.trainingCurves: the table has no rows, no epoch to draw ("
                    + shape + ")");
        }
        Column<?> epoch = null;
        for (Column<?> c : history.columns()) {
            if (c.name().equalsIgnoreCase("epoch")) {
                epoch = c;
            }
        }
        if (!(epoch instanceof NumericColumn<?> epochs)) {
            throw new IllegalArgumentException("Plots.trainingCurves: " + (epoch == null
                    ? "the table has no 'epoch' column" : "the 'epoch' column is not numeric") + " (" + shape + ")"
                    + "\nhint: add the epoch numbers as a column named epoch");
        }
        double[] x = epochs.asDoubleArray();
        Map<String, double[]> series = new LinkedHashMap<>();
        for (Column<?> c : history.columns()) {
            if (c != epoch && c instanceof NumericColumn<?> n && !c.name().equalsIgnoreCase("seconds")) {
                series.put(c.name(), n.asDoubleArray());
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("Plots.trainingCurves: no numeric column besides 'epoch' and"
                    + " 'seconds' (a fit's time per epoch, left out) to plot (" + shape + ")");
        }
        String name = history.name();
        return curves(name == null || name.isBlank() ? "Training curves" : name, x, series);
    }

    /**
     * Training curves from named series, each value being one epoch's (epochs 1, 2, ...); series may differ in
     * length. As {@link #trainingCurves(Table)}, names containing "acc" go on a second y axis on the right.
     *
     * @throws IllegalArgumentException if the map is null or empty, or a series is null or empty
     */
    public static XYChart trainingCurves(Map<String, double[]> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("Plots.trainingCurves: no series given (" + series + ")");
        }
        int longest = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue() == null || e.getValue().length == 0) {
                throw new IllegalArgumentException("Plots.trainingCurves: series '" + e.getKey() + "' is "
                        + (e.getValue() == null ? "null" : "empty, length 0"));
            }
            longest = Math.max(longest, e.getValue().length);
        }
        double[] epochs = new double[longest];
        for (int i = 0; i < longest; i++) {
            epochs[i] = i + 1;
        }
        return curves("Training curves", epochs, series);
    }

    private static XYChart curves(String title, double[] epochs, Map<String, double[]> given) {
        // names as words ("train_loss" -> "train loss"); accuracies given as fractions drawn in percent, as the
        // training bar prints them
        Map<String, double[]> series = new LinkedHashMap<>();
        boolean percent = true;
        for (Map.Entry<String, double[]> e : given.entrySet()) {
            if (isAccuracy(e.getKey())) {
                percent &= Arrays.stream(e.getValue()).allMatch(v -> !(v < 0 || v > 1));
            }
        }
        for (Map.Entry<String, double[]> e : given.entrySet()) {
            String name = e.getKey().replace('_', ' ');
            double[] y = e.getValue();
            if (percent && isAccuracy(name)) {
                y = Arrays.stream(y).map(v -> 100 * v).toArray();
                name += " (%)";
            }
            series.put(name, y);
        }
        List<String> left = new ArrayList<>(), right = new ArrayList<>();
        for (String name : series.keySet()) {
            (isAccuracy(name) && series.size() > 1 ? right : left).add(name);
        }
        if (left.isEmpty()) {                   // only accuracies: one axis is enough
            left.addAll(right);
            right.clear();
        }
        XYChart chart = lineChart(title, "epoch", axisTitle(left));
        var s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setXAxisDecimalPattern(allIntegers(epochs) ? "0" : "0.##");
        if (!right.isEmpty()) {
            s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
            chart.setYAxisGroupTitle(1, axisTitle(right) + ", dashed");
        }
        int k = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue();
            double[] x = Arrays.copyOf(epochs, Math.min(epochs.length, y.length));
            double[] shown = Arrays.copyOf(y, x.length);
            for (int i = 0; i < shown.length; i++) {
                shown[i] = Double.isFinite(shown[i]) ? shown[i] : Double.NaN;  // a diverged epoch: a gap in its line
            }
            boolean onRight = right.contains(e.getKey());
            XYSeries line = line(chart, e.getKey(), x, shown, PlotStyle.SERIES[k % PlotStyle.SERIES.length],
                    onRight ? LONG_DASH : SeriesLines.SOLID);
            if (x.length <= 30) {
                line.setMarker(SeriesMarkers.CIRCLE);
            }
            if (onRight) {
                line.setYAxisGroup(1);
                line.setLabel(e.getKey() + ", right axis");
            }
            k++;
        }
        return chart;
    }

    /**
     * One axis's title from its series' names: what they share ("train loss", "test loss" -> "loss"; "train
     * accuracy (%)", "test accuracy (%)" -> "accuracy (%)"), else the names joined.
     */
    static String axisTitle(List<String> names) {
        for (String shared : new String[] {"loss", "accuracy (%)", "accuracy"}) {
            if (names.size() > 1 && names.stream().allMatch(n -> n.endsWith(shared))) {
                return shared;
            }
        }
        return String.join(", ", names);
    }

    /**
     * Dashed lines (a derivative, the right axis's series): dashes long enough to read as dashes at 2.5 px; XChart's
     * DASH_DASH reads dotted.
     */
    static final BasicStroke LONG_DASH = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {10f, 6f}, 0f);

    private static boolean isAccuracy(String name) {
        return name.toLowerCase(Locale.ROOT).contains("acc");
    }

    private static boolean allIntegers(double[] xs) {
        for (double x : xs) {
            if (x != Math.rint(x)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- shared

    private static XYChart lineChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        PlotStyle.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color,
                                 BasicStroke stroke) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(stroke);
        s.setLineWidth(2.5f);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * How a class scored: a bar per band of {@code bandPercent}% of the maximum (0–10%, 10–20%, … for 10), the
     * last band including full marks. For gradebooks, where the bins must run from 0 to the maximum whatever
     * the scores are (unlike {@link #histogram}, whose bins span the values).
     *
     * <pre>{@code
     * jshell> Plots.scoreHistogram(new double[] {8, 4, 0, 8}, 8, 25, "lab0: totals")
     * // 4 bars: 0–25% (1 student), 25–50% (0), 50–75% (1), 75–100% (2)
     * }</pre>
     *
     * @throws IllegalArgumentException if scores is null or empty, max is not positive and finite, a score is not
     *     finite, or bandPercent is not one of 1, 2, 4, 5, 10, 20, 25, 50
     */
    public static CategoryChart scoreHistogram(double[] scores, double max, int bandPercent, String title) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException("Plots.scoreHistogram: no scores given (" + (scores == null ? "null" : "[]") + ")");
        }
        if (!(max > 0) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("Plots.scoreHistogram: max must be positive and finite but is " + max);
        }
        if (bandPercent < 1 || 100 % bandPercent != 0) {
            throw new IllegalArgumentException("Plots.scoreHistogram: bandPercent must divide 100 but is " + bandPercent
                    + "\nhint: use 10 for bands 0-10%, 10-20%, ...");
        }
        int bands = 100 / bandPercent;
        double[] count = new double[bands];
        for (double v : scores) {
            requireFinite("scoreHistogram", "a score", v);
            double pct = 100 * Math.min(Math.max(v, 0), max) / max;
            count[Math.min(bands - 1, (int) Math.floor(pct / bandPercent))]++;
        }
        List<String> labels = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
            labels.add(b * bandPercent + "–" + (b + 1) * bandPercent);
        }
        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        chart.setTitle(title == null || title.isBlank() ? "scores" : title);
        chart.setXAxisTitle("% of the " + number(max) + " points (the last band includes 100%)");
        chart.setYAxisTitle("students");
        var s = chart.getStyler();
        PlotStyle.apply(s);
        s.setLegendVisible(false);
        s.setAvailableSpaceFill(0.9);
        s.setXAxisLabelRotation(bands > 10 ? 90 : 0);
        s.setPlotGridVerticalLinesVisible(false);
        s.setYAxisMin(0.0);
        s.setYAxisDecimalPattern("#0");
        s.setLabelsVisible(true);
        s.setLabelsFont(PlotStyle.TICKS);
        CategorySeries cs = chart.addSeries("students", labels, asList(count));
        cs.setFillColor(PlotStyle.SERIES[0]);
        cs.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static double[] doubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static List<Double> asList(double[] a) {
        List<Double> list = new ArrayList<>(a.length);
        for (double v : a) {
            list.add(v);
        }
        return list;
    }

    private static void requireFinite(String method, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("Plots." + method + ": " + name + " must be finite but is " + v);
        }
    }

    /** 6, 1.5, 0.333: integers without decimals, others with up to three, always with a decimal point. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        java.text.DecimalFormat f = new java.text.DecimalFormat("0.###",
                java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
        String s = f.format(v);
        return s.equals("0") || s.equals("-0") ? Double.toString(v) : s;
    }
}
