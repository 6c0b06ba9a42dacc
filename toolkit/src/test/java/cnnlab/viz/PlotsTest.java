package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.PoolParams;
import cnnlab.ops.RReluParams;
import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The data behind each chart (series names, x and y values, heat map cells, bin counts), never its pixels; plus
 * that every chart renders headless.
 */
class PlotsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** The lecture's 4x4 pooling example. */
    private static final float[][] LECTURE = {{1, 1, 2, 4}, {5, 6, 7, 8}, {3, 2, 1, 0}, {1, 2, 3, 4}};

    private static INDArray column(double[] xs) {
        float[] f = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            f[i] = (float) xs[i];
        }
        return Nd4j.create(f, new long[] {f.length}, 'c');
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The series' y is the toolkit's f at the series' own x, exactly. */
    private static void assertPointsAre(XYSeries s, UnaryOperator<INDArray> f) {
        double[] expected = values(f.apply(column(s.getXData())));
        assertArrayEquals(expected, s.getYData(), 0.0, s.getName());
    }

    /** Read as a polyline, the series agrees with the toolkit's f on the whole grid (nothing lost between points). */
    private static void assertLineFollows(XYSeries s, UnaryOperator<INDArray> f) {
        INDArray grid = Plots.activationX();
        double[] gx = values(grid), gy = values(f.apply(grid));
        double[] x = s.getXData(), y = s.getYData();
        int k = 0;
        for (int i = 0; i < gx.length; i++) {
            while (x[k + 1] < gx[i]) {
                k++;
            }
            double t = (gx[i] - x[k]) / (x[k + 1] - x[k]);
            assertEquals(gy[i], y[k] + t * (y[k + 1] - y[k]), 1e-5, s.getName() + " at x = " + gx[i]);
        }
    }

    private static double yAt(XYSeries s, double x) {
        double[] xs = s.getXData();
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == x) {
                return s.getYData()[i];
            }
        }
        throw new AssertionError(s.getName() + " has no point at x = " + x);
    }

    // ---------------------------------------------------------------- activations

    @Test
    void reluAndItsDerivativeAreTheToolkitsOnMinus3To3() {
        XYChart chart = Plots.relu();
        assertEquals(List.of("relu(x)", "relu'(x)"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries f = chart.getSeriesMap().get("relu(x)"), df = chart.getSeriesMap().get("relu'(x)");
        for (XYSeries s : List.of(f, df)) {
            assertEquals(-3.0, s.getXData()[0]);
            assertEquals(3.0, s.getXData()[s.getXData().length - 1]);
        }
        UnaryOperator<INDArray> relu = Cnn::relu;
        UnaryOperator<INDArray> drelu = x -> Cnn.reluBackward(x, Nd4j.onesLike(x));
        assertPointsAre(f, relu);
        assertPointsAre(df, drelu);
        assertLineFollows(f, relu);
        assertLineFollows(df, drelu);
        assertEquals(0.0, yAt(df, 0.0), "relu'(0) = 0, plotted at x = 0");
        assertEquals(0.0, yAt(f, 0.0));
        assertEquals(1.0, yAt(df, 3.0));
        assertEquals(3.0, yAt(f, 3.0));
        assertNull(f.getLineStyle().getDashArray(), "the function solid");
        assertTrue(df.getLineStyle().getDashArray()[0] >= 8, "the derivative in dashes that read as dashes, not dots");
    }

    static Stream<Arguments> family() {
        UnaryOperator<INDArray> leaky = x -> Cnn.leakyRelu(x, 0.2);
        UnaryOperator<INDArray> dleaky = x -> Cnn.leakyReluBackward(x, Nd4j.onesLike(x), 0.2);
        UnaryOperator<INDArray> leakyDefault = x -> Cnn.leakyRelu(x);
        UnaryOperator<INDArray> dleakyDefault = x -> Cnn.leakyReluBackward(x, Nd4j.onesLike(x), 0.01);
        INDArray alpha = Nd4j.create(new float[] {0.25f}, new long[] {1}, 'c');
        UnaryOperator<INDArray> prelu = x -> Cnn.prelu(x, alpha);
        UnaryOperator<INDArray> dprelu = x -> Cnn.preluBackward(x, alpha, Nd4j.onesLike(x)).dx();
        INDArray negative = Nd4j.create(new float[] {-0.5f}, new long[] {1}, 'c');
        UnaryOperator<INDArray> preluNeg = x -> Cnn.prelu(x, negative);
        UnaryOperator<INDArray> dpreluNeg = x -> Cnn.preluBackward(x, negative, Nd4j.onesLike(x)).dx();
        return Stream.of(
                Arguments.of("leakyRelu(0.2)", Plots.leakyRelu(0.2), "leakyRelu", leaky, dleaky, 0.2),
                Arguments.of("leakyRelu()", Plots.leakyRelu(), "leakyRelu", leakyDefault, dleakyDefault, 0.01),
                Arguments.of("prelu()", Plots.prelu(), "prelu", prelu, dprelu, 0.25),
                Arguments.of("prelu(-0.5)", Plots.prelu(-0.5), "prelu", preluNeg, dpreluNeg, -0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("family")
    void leakyAndParametricReluAreTheToolkits(String label, XYChart chart, String f, UnaryOperator<INDArray> forward,
                                             UnaryOperator<INDArray> backward, double slope) {
        assertEquals(List.of(f + "(x)", f + "'(x)"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries y = chart.getSeriesMap().get(f + "(x)"), dy = chart.getSeriesMap().get(f + "'(x)");
        assertPointsAre(y, forward);
        assertPointsAre(dy, backward);
        assertLineFollows(y, forward);
        assertLineFollows(dy, backward);
        assertEquals(slope, yAt(dy, -3.0), 1e-6);
        assertEquals(slope, yAt(dy, 0.0), 1e-6, "the derivative at 0 is the negative side's, as the toolkit's");
        assertEquals(-3 * slope, yAt(y, -3.0), 1e-6);
        assertTrue(chart.getTitle().contains(Plots.number(slope)), chart.getTitle());
    }

    @Test
    void rreluShowsTheEvalCurveAndTheTrainingBand() {
        double lower = 0.1, upper = 0.4;
        XYChart chart = Plots.rrelu(lower, upper);
        assertEquals(List.of("training: rrelu(x)", "training: rrelu'(x)", "rrelu(x), eval", "rrelu'(x), eval"),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        RReluParams p = RReluParams.of(lower, upper);
        XYSeries eval = chart.getSeriesMap().get("rrelu(x), eval");
        XYSeries deval = chart.getSeriesMap().get("rrelu'(x), eval");
        UnaryOperator<INDArray> forward = x -> Cnn.rrelu(x, p).output();
        UnaryOperator<INDArray> backward = x -> Cnn.rreluBackward(Nd4j.onesLike(x), Cnn.rrelu(x, p));
        assertPointsAre(eval, forward);
        assertPointsAre(deval, backward);
        assertLineFollows(eval, forward);
        assertEquals(0.25, yAt(deval, -3.0), 1e-6, "eval slope (l+u)/2");
        assertEquals(1.0, yAt(deval, 3.0));
        assertTrue(eval.getLabel().contains("0.25"), eval.getLabel());

        // the output band: a polygon on x in [-3, 0] between lower*x and upper*x
        XYSeries band = chart.getSeriesMap().get("training: rrelu(x)");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle());
        double[] bx = band.getXData(), by = band.getYData();
        for (int i = 0; i < bx.length; i++) {
            assertTrue(bx[i] >= -3 && bx[i] <= 0, "x = " + bx[i]);
            double a = lower * bx[i], b = upper * bx[i];
            assertTrue(by[i] >= Math.min(a, b) - 1e-6 && by[i] <= Math.max(a, b) + 1e-6, "y = " + by[i]);
        }
        assertEquals(-3 * upper, min(by), 1e-6);
        assertEquals(0.0, max(by), 1e-6);
        assertEquals(-3 * lower, yAt(band, -3.0), 1e-6, "the lower edge comes first");

        // the slope band spans [lower, upper] on x <= 0
        XYSeries slopes = chart.getSeriesMap().get("training: rrelu'(x)");
        assertEquals(lower, min(slopes.getYData()), 1e-6);
        assertEquals(upper, max(slopes.getYData()), 1e-6);

        // and a seeded training pass of the toolkit falls inside the bands
        INDArray x = Plots.activationX();
        var trained = Cnn.rrelu(x, p.training(7));
        double[] xs = values(x), ys = values(trained.output()), s = values(trained.slopes());
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] <= 0) {
                assertTrue(s[i] >= lower - 1e-6 && s[i] <= upper + 1e-6);
                assertTrue(ys[i] <= lower * xs[i] + 1e-6 && ys[i] >= upper * xs[i] - 1e-6);
            }
        }
    }

    @Test
    void rreluDefaultsArePyTorchs() {
        XYChart chart = Plots.rrelu();
        assertEquals(11.0 / 48, yAt(chart.getSeriesMap().get("rrelu'(x), eval"), -3.0), 1e-6);
        assertTrue(chart.getTitle().contains("0.125") && chart.getTitle().contains("0.333"), chart.getTitle());
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElseThrow();
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElseThrow();
    }

    // ---------------------------------------------------------------- heat map

    /** The value XChart will draw in the cell at column x, y-th row from the bottom. */
    private static double cell(HeatMapSeries s, int x, int y) {
        for (Number[] c : s.getHeatData()) {
            if (c[0].intValue() == x && c[1].intValue() == y) {
                return c[2].doubleValue();
            }
        }
        throw new AssertionError("no cell (" + x + ", " + y + ")");
    }

    @Test
    void heatMapPutsRowZeroAtTheTopAndColumnZeroAtTheLeft() {
        INDArray x = Nd4j.create(LECTURE);
        HeatMapChart chart = Plots.heatMap(x, "x");
        HeatMapSeries s = chart.getHeatMapSeries();
        assertEquals(16, s.getHeatData().size());
        assertEquals(List.of(0, 1, 2, 3), s.getXData(), "columns left to right");
        assertEquals(List.of(3, 2, 1, 0), s.getYData(), "rows labelled bottom-up, so row 0 is the top label");
        // matrix[0][2] = 2 is in the top row (XChart's y = H-1), third column (x = 2)
        assertEquals(2.0, cell(s, 2, 3));
        assertEquals(8.0, cell(s, 3, 2), "matrix[1][3]");
        assertEquals(0.0, cell(s, 3, 1), "matrix[2][3]");
        for (Number[] c : s.getHeatData()) {
            int col = c[0].intValue(), row = 3 - c[1].intValue();
            assertEquals(LECTURE[row][col], c[2].doubleValue(), 0.0, "cell " + row + "," + col);
            assertEquals(row, s.getYData().get(c[1].intValue()), "the label of the cell's row");
        }
    }

    @Test
    void heatMapOfANonSquareMatrixIsNotTransposed() {
        INDArray m = Nd4j.create(new float[][] {{1, 2, 3}, {4, 5, 6}}).reshape(1, 1, 2, 3);
        HeatMapSeries s = Plots.heatMap(m, "2x3").getHeatMapSeries();
        assertEquals(3, s.getXData().size(), "three columns along x");
        assertEquals(2, s.getYData().size(), "two rows along y");
        assertEquals(3.0, cell(s, 2, 1), "matrix[0][2] top right");
        assertEquals(4.0, cell(s, 0, 0), "matrix[1][0] bottom left");
    }

    @Test
    void heatMapOfTheLecturesMaxPool() {
        INDArray x = Nd4j.create(LECTURE).reshape(1, 1, 4, 4);
        INDArray pooled = Cnn.maxPool2d(x, PoolParams.of(2, 1));
        HeatMapChart chart = Plots.heatMap(pooled, "maxPool2d(x), 2x2, stride 1");
        HeatMapSeries s = chart.getHeatMapSeries();
        double[][] expected = {{6, 7, 8}, {6, 7, 8}, {3, 3, 4}};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[r][c], cell(s, c, 2 - r), "row " + r + ", column " + c);
            }
        }
        assertTrue(chart.getStyler().isShowValue(), "values are written in the cells");
    }

    @Test
    void heatMapCellsReadAsTheLectureWritesNumbers() {
        HeatMapChart chart = Plots.heatMap(Nd4j.create(new float[][] {{1.5f, 6}, {-0.25f, 1f / 3}}));
        DecimalFormat f = new DecimalFormat(chart.getStyler().getHeatMapValueDecimalPattern(),
                DecimalFormatSymbols.getInstance(Locale.US));
        assertEquals("1.5", f.format(1.5));
        assertEquals("6", f.format(6.0));
        assertEquals("-0.25", f.format(-0.25));
        assertEquals("0.333", f.format(1.0 / 3));
        assertEquals("2x2 matrix", chart.getTitle());
        // symmetric colour range around zero
        assertEquals(-6.0, chart.getStyler().getMin());
        assertEquals(6.0, chart.getStyler().getMax());
    }

    @Test
    void heatMapOfTinyValuesWritesThemAsPowersOfTen() {
        HeatMapChart chart = Plots.heatMap(Nd4j.create(new float[][] {{1e-4f, -3e-4f}, {0, 2e-5f}}), "gradients");
        DecimalFormat f = new DecimalFormat(chart.getStyler().getHeatMapValueDecimalPattern(),
                DecimalFormatSymbols.getInstance(Locale.US));
        assertEquals("-3E-4", f.format(-3e-4), "not -0, which the cell's strong blue would contradict");
        assertEquals("2E-5", f.format(2e-5));
    }

    /** The exact-magenta pixels' bounding box {x0, y0, x1, y1}, and how many of them; null if none. */
    private static int[] magenta(BufferedImage image) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1, n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == ColorMaps.NAN) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                    n++;
                }
            }
        }
        return n == 0 ? null : new int[] {x0, y0, x1, y1, n};
    }

    @Test
    void heatMapDrawsANanCellMagentaWithItsNameInside() {
        // XChart filled the NaN cell black and wrote "NaN" in black on it
        HeatMapChart chart = Plots.heatMap(Nd4j.create(new float[][] {{1, Float.NaN}, {-1, 0}}), "a NaN");
        BufferedImage image = render(chart);
        int[] box = magenta(image);
        assertNotNull(box, "the NaN cell is magenta");
        int midX = (box[0] + box[2]) / 2, midY = (box[1] + box[3]) / 2;
        assertTrue(midX > image.getWidth() / 2 && midY < image.getHeight() / 2, "row 0, column 1: top right");
        assertTrue(box[4] > 0.8 * (box[2] - box[0] + 1) * (box[3] - box[1] + 1), "one filled cell, the text aside");
        int dark = 0;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                dark += (image.getRGB(x, y) & 0xffffff) == 0 ? 1 : 0;
            }
        }
        assertTrue(dark > 20, "\"NaN\" written in black inside it");
        assertNull(magenta(render(Plots.heatMap(Nd4j.create(new float[][] {{1, 2}, {-1, 0}}), "none"))));
    }

    @Test
    void aColourLimitFixesTheScaleAndIsChecked() {
        HeatMapChart chart = Plots.heatMap(Nd4j.create(new float[][] {{1, -2}}), "fixed", 8);
        assertEquals(-8.0, chart.getStyler().getMin());
        assertEquals(8.0, chart.getStyler().getMax());
        for (double bad : new double[] {0, -1, Double.POSITIVE_INFINITY}) {
            assertRejects(() -> Plots.heatMap(Nd4j.create(new float[][] {{1}}), "t", bad), "Plots.heatMap",
                    "limit " + bad);
        }
    }

    /** The strongest red in columns [from, to) of a picture: red less the mean of green and blue, 0 for grey. */
    private static int reddest(BufferedImage image, int from, int to) {
        int best = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = from; x < to; x++) {
                int rgb = image.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                best = Math.max(best, r - (g + b) / 2);
            }
        }
        return best;
    }

    @Test
    void aRowOfHeatMapsSharesOneScale() {
        // alone, a 1 and a 4 are both drawn full red; in a row the 1 is a quarter as strong
        BufferedImage alone = render(Plots.heatMap(Nd4j.create(new float[][] {{1}}), "one"));
        BufferedImage row = Plots.heatMapRow(Plots.titled("one", Nd4j.create(new float[][] {{1}})),
                Plots.titled("four", Nd4j.create(new float[][] {{4}})));
        int half = row.getWidth() / 2;
        assertEquals(reddest(alone, 0, alone.getWidth()), reddest(row, half, row.getWidth()), "the 4: full red");
        assertTrue(reddest(row, 0, half) < reddest(row, half, row.getWidth()) / 2,
                reddest(row, 0, half) + " against " + reddest(row, half, row.getWidth()));
        assertRejects(Plots::heatMapRow, "Plots.heatMapRow", "no maps", "hint: ");
        assertRejects(() -> Plots.heatMapRow(Plots.titled("a", null)), "Plots.heatMapRow", "map 0 of 1", "'a'");
        assertRejects(() -> Plots.heatMapRow(Plots.titled("a", Nd4j.zeros(DataType.FLOAT, 2, 2, 2))),
                "Plots.heatMapRow", "[2, 2, 2]");
    }

    @Test
    void aMatrixTooLargeForCellsIsRefusedWithWhatToDrawInstead() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 3000, 3000), "big"));
        assertTrue(e.getMessage().startsWith("Plots.heatMap: a 3000x3000 matrix is too large for a heat map of cells"),
                e.getMessage());
        assertTrue(e.getMessage().contains("hint: draw it as a picture, Images.toImage(matrix, Scale.SYMMETRIC)"));
        assertThrows(IllegalArgumentException.class, () -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 1, 100_000)));
        render(Plots.heatMap(Nd4j.zeros(DataType.FLOAT, Plots.MAX_HEAT_MAP_SIDE, 2), "the largest taken"));
    }

    @Test
    void heatMapIsSizedToTheMatrix() {
        HeatMapChart small = Plots.heatMap(Nd4j.ones(DataType.FLOAT, 2, 2), "small");
        HeatMapChart large = Plots.heatMap(Nd4j.ones(DataType.FLOAT, 6, 6), "large");
        assertTrue(large.getWidth() > small.getWidth() && large.getHeight() > small.getHeight());
        assertTrue(large.getWidth() <= 900 && large.getHeight() <= 900);
        HeatMapChart big = Plots.heatMap(Nd4j.rand(DataType.FLOAT, 30, 30), "30x30");
        assertFalse(big.getStyler().isShowValue(), "30x30 numbers would not fit");
        assertTrue(big.getWidth() <= 900 && big.getHeight() <= 900);
    }

    @Test
    void heatMapOfAConstantOrNaNMatrixStillRenders() {
        render(Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 3, 3), "zeros"));
        render(Plots.heatMap(Nd4j.create(new float[][] {{Float.NaN, 1}, {Float.POSITIVE_INFINITY, -2}}), "nan"));
        render(Plots.heatMap(Nd4j.create(new float[][] {{5}}), "1x1"));
    }

    // ---------------------------------------------------------------- histograms

    private static double sum(CategorySeries s) {
        return s.getYData().stream().filter(java.util.Objects::nonNull).mapToDouble(Number::doubleValue).sum();
    }

    @Test
    void histogramCountsEveryFiniteValueOnce() {
        java.util.Random r = new java.util.Random(3);
        float[] data = new float[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        INDArray v = Nd4j.create(data, new long[] {4, 250}, 'c');
        v.putScalar(0, Float.NaN);
        v.putScalar(1, Float.POSITIVE_INFINITY);
        v.putScalar(2, Float.NEGATIVE_INFINITY);
        CategoryChart chart = Plots.histogram(v, 25, "activations");
        assertEquals(1, chart.getSeriesMap().size());
        CategorySeries s = chart.getSeriesMap().values().iterator().next();
        // about 25: the round width (0.5 here) leaves between half as many and one more
        int bins = s.getXData().size();
        assertTrue(bins >= 12 && bins <= 26, "bins: " + bins);
        assertEquals(bins, s.getYData().size());
        assertEquals(997.0, sum(s), "1000 values, 3 not finite");
        assertTrue(chart.getXAxisTitle().contains("3 NaN/infinite left out"), chart.getXAxisTitle());
        assertEquals("activations", chart.getTitle());
        assertEquals("count", chart.getYAxisTitle());
    }

    @Test
    void scoreHistogramBandsRunFromZeroToTheMaximum() {
        CategoryChart chart = Plots.scoreHistogram(new double[] {8, 4, 0, 8, 7.9, 2}, 8, 25, "lab0");
        CategorySeries s = chart.getSeriesMap().get("students");
        assertEquals(List.of("0–25", "25–50", "50–75", "75–100"), new ArrayList<>(s.getXData()));
        // a band includes its lower edge: 0 -> 0-25, 2 (25%) -> 25-50, 4 (50%) -> 50-75, 7.9 and full marks -> 75-100
        assertEquals(List.of(1.0, 1.0, 1.0, 3.0), new ArrayList<>(s.getYData()));
        assertTrue(chart.getXAxisTitle().contains("8 points"), chart.getXAxisTitle());
        render(chart);
    }

    @Test
    void scoreHistogramRejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.scoreHistogram(new double[] {1}, 8, 30, "x"));
        assertTrue(e.getMessage().startsWith("Plots.scoreHistogram: bandPercent must divide 100 but is 30"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.scoreHistogram(new double[0], 8, 10, "x"));
        assertThrows(IllegalArgumentException.class, () -> Plots.scoreHistogram(new double[] {1}, 0, 10, "x"));
        assertThrows(IllegalArgumentException.class, () -> Plots.scoreHistogram(new double[] {Double.NaN}, 8, 10, "x"));
    }

    @Test
    void histogramOfOneBinOrAConstantArray() {
        INDArray v = Nd4j.create(new float[] {2, 2, 2, 2, 2});
        CategorySeries one = Plots.histogram(v, 1, "constant").getSeriesMap().get("constant");
        assertEquals(List.of(5.0), new ArrayList<>(one.getYData()));
        CategorySeries many = Plots.histogram(v, 4, "constant").getSeriesMap().get("constant");
        assertEquals(5.0, sum(many));
        // width 1, bins centred on 0 to 4: the smallest and the largest value each have one
        CategorySeries edges = Plots.histogram(Nd4j.create(new float[] {0, 1, 2, 3, 4}), 4, "e")
                .getSeriesMap().get("e");
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0), new ArrayList<>(edges.getYData()));
        assertEquals(List.of("0", "1", "2", "3", "4"), new ArrayList<>(edges.getXData()));
    }

    @Test
    void reluHistogramOverlaysBeforeAndAfterOnTheSameBins() {
        INDArray x = Nd4j.create(new float[] {-2, -1.5f, -1, -0.5f, 0, 0.5f, 1, 1.5f, 2, 2});
        CategoryChart chart = Plots.reluHistogram(x, 8);
        assertEquals(List.of("before ReLU", "after ReLU"), new ArrayList<>(chart.getSeriesMap().keySet()));
        CategorySeries before = chart.getSeriesMap().get("before ReLU"), after = chart.getSeriesMap().get("after ReLU");
        assertEquals(new ArrayList<>(before.getXData()), new ArrayList<>(after.getXData()), "same bins");
        assertEquals(10.0, sum(before));
        assertEquals(10.0, sum(after));
        // bins of width 0.5 centred on -2, -1.5, ..., 2, each labelled: the five values <= 0 land in 0's after ReLU
        assertEquals(List.of("-2", "-1.5", "-1", "-0.5", "0", "0.5", "1", "1.5", "2"),
                new ArrayList<>(before.getXData()));
        // counts on a log axis, where an empty bin is drawn as nothing: a count of 0 has no place on it
        assertEquals(java.util.Arrays.asList(null, null, null, null, 5.0, 1.0, 1.0, 1.0, 2.0),
                new ArrayList<>(after.getYData()));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals("count (log scale)", chart.getYAxisTitle());
        assertFalse(Plots.histogram(x, 8, "plain").getStyler().isYAxisLogarithmic());
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0), new ArrayList<>(before.getYData()));
        // the first series is filled bars, the second an opaque outline over them: where they overlap, the
        // picture shows both in the legend's own colours, never a mixed colour the legend does not have
        assertEquals(CategorySeriesRenderStyle.Bar, before.getChartCategorySeriesRenderStyle());
        assertEquals(CategorySeriesRenderStyle.SteppedBar, after.getChartCategorySeriesRenderStyle());
        assertEquals(0, after.getFillColor().getAlpha(), "an outline only");
        assertEquals(255, after.getLineColor().getAlpha());
    }

    @Test
    void activationHistogramShowsWhatTheActivationGiven() {
        INDArray x = Nd4j.create(new float[] {-2, -1, 0, 1, 2});
        CategoryChart chart = Plots.activationHistogram(x, Cnn.leakyRelu(x, 0.5), 5);
        CategorySeries after = chart.getSeriesMap().get("after");
        List<String> labels = new ArrayList<>();
        after.getXData().forEach(l -> labels.add(l.toString()));
        // -2 and -1 become -1 and -0.5: a leaky slope keeps the tail, where reluHistogram's would be empty
        assertEquals(1.0, new ArrayList<>(after.getYData()).get(labels.indexOf("-1")).doubleValue());
        assertEquals(List.of("before", "after"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertRejects(() -> Plots.activationHistogram(x, null, 5), "Plots.activationHistogram", "null");
    }

    @Test
    void histogramBinsHaveARoundWidthAndALabelOnZero() {
        assertEquals(0.2, Plots.roundWidth(0.191), 1e-12);
        assertEquals(2.5, Plots.roundWidth(2.1), 1e-12);
        assertEquals(5e-4, Plots.roundWidth(3e-4), 1e-15);
        assertEquals(1.0, Plots.roundWidth(1.0), 1e-12);
        java.util.Random r = new java.util.Random(5);
        float[] data = new float[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (r.nextGaussian() + 0.3);
        }
        CategorySeries s = Plots.reluHistogram(Nd4j.create(data), 40).getSeriesMap().get("after ReLU");
        List<String> labels = new ArrayList<>();
        s.getXData().forEach(l -> labels.add(l.toString()));
        int zero = labels.indexOf("0");
        assertTrue(zero > 0, "a label on 0: " + labels);
        List<Double> counts = new ArrayList<>();
        s.getYData().forEach(y -> counts.add(y == null ? 0 : y.doubleValue()));
        double atZero = counts.get(zero), most = counts.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        assertEquals(most, atZero, "ReLU's tall bar is the one labelled 0");
        long shown = labels.stream().filter(l -> !l.isBlank()).count();
        assertTrue(shown >= 4 && shown <= 10, "labels: " + labels);
    }

    @Test
    void histogramsOfNamedArrays() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("conv1", Nd4j.rand(DataType.FLOAT, 100));
        m.put("conv2", Nd4j.rand(DataType.FLOAT, 3, 50));
        CategoryChart chart = Plots.histograms(m, 10, "two layers");
        assertEquals(List.of("conv1", "conv2"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertEquals(100.0, sum(chart.getSeriesMap().get("conv1")));
        assertEquals(150.0, sum(chart.getSeriesMap().get("conv2")));
    }

    /** A fixed axis: the bins cover from .. to wherever the values fall, and still every value. */
    @Test
    void histogramsOnAFixedAxis() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("learned", Nd4j.createFromArray(0.31, 0.62, 0.93, 0.95));
        m.put("random", Nd4j.createFromArray(0.02, 0.04));
        CategoryChart chart = Plots.histograms(m, 20, "R²", 0, 1);
        List<String> labels = new ArrayList<>();
        chart.getSeriesMap().get("learned").getXData().forEach(l -> labels.add(l.toString()));
        assertEquals("0", labels.get(0), "the axis starts at 0: " + labels);
        assertEquals("1", labels.get(labels.size() - 1), "and ends at 1: " + labels);
        assertEquals(21, labels.size(), "bins of 0.05 centred on 0, 0.05, .., 1");
        assertEquals(4.0, sum(chart.getSeriesMap().get("learned")));
        assertEquals(2.0, sum(chart.getSeriesMap().get("random")));
        CategoryChart wider = Plots.histograms(Map.of("x", Nd4j.createFromArray(-0.5, 2.0)), 5, "past it", 0, 1);
        List<String> widerLabels = new ArrayList<>();
        wider.getSeriesMap().get("x").getXData().forEach(l -> widerLabels.add(l.toString()));
        assertTrue(widerLabels.contains("-0.5") && widerLabels.contains("2"), "values past the axis widen it: "
                + widerLabels);
        for (double[] bad : new double[][] {{1, 0}, {Double.NaN, 1}, {0, Double.POSITIVE_INFINITY}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Plots.histograms(m, 20, "R²", bad[0], bad[1]));
            assertTrue(e.getMessage().startsWith("Plots.histograms: the axis must go from"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- training curves

    private static Table history() {
        return Table.create("LeNet-5", IntColumn.create("epoch", 1, 2, 3, 4),
                DoubleColumn.create("loss", 2.3, 0.9, 0.5, 0.4),
                StringColumn.create("note", "a", "b", "c", "d"),
                DoubleColumn.create("accuracy", 0.2, 0.7, 0.85, 0.9),
                DoubleColumn.create("seconds", 14.2, 13.1, 13.5, 12.9));      // a fit's: time, not a curve
    }

    @Test
    void trainingCurvesPlotEachNumericColumnAgainstEpoch() {
        XYChart chart = Plots.trainingCurves(history());
        assertEquals(List.of("loss", "accuracy (%)"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries loss = chart.getSeriesMap().get("loss"), acc = chart.getSeriesMap().get("accuracy (%)");
        assertArrayEquals(new double[] {1, 2, 3, 4}, loss.getXData());
        assertArrayEquals(new double[] {2.3, 0.9, 0.5, 0.4}, loss.getYData());
        assertArrayEquals(new double[] {1, 2, 3, 4}, acc.getXData());
        assertArrayEquals(new double[] {20, 70, 85, 90}, acc.getYData(), 1e-12, "in percent, as the bar prints it");
        assertEquals(0, loss.getYAxisGroup());
        assertEquals(1, acc.getYAxisGroup(), "accuracy on the right axis");
        assertEquals("accuracy (%), right axis", acc.getLabel());
        assertEquals("LeNet-5", chart.getTitle());
        assertEquals("epoch", chart.getXAxisTitle());
        assertEquals("loss", chart.getYAxisTitle());
        assertEquals("accuracy (%), dashed", chart.getYAxisGroupTitle(1));
    }

    @Test
    void trainingCurvesNameTheirAxesInWordsAndKeepAccuraciesOverOneAsGiven() {
        Table t = Table.create("h", IntColumn.create("epoch", 1, 2), DoubleColumn.create("train_loss", 1, 0.5),
                DoubleColumn.create("test_loss", 1.2, 0.7), DoubleColumn.create("train_accuracy", 40, 80));
        XYChart chart = Plots.trainingCurves(t);
        assertEquals(List.of("train loss", "test loss", "train accuracy"),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        assertEquals("loss", chart.getYAxisTitle(), "what both loss series share");
        assertEquals("train accuracy, dashed", chart.getYAxisGroupTitle(1));
        assertArrayEquals(new double[] {40, 80}, chart.getSeriesMap().get("train accuracy").getYData(),
                "already in percent: not multiplied again");
    }

    @Test
    void trainingCurvesFromNamedArraysCountEpochsFromOne() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("train loss", new double[] {1.0, 0.5, 0.25});
        m.put("val loss", new double[] {1.1, 0.7});
        XYChart chart = Plots.trainingCurves(m);
        assertEquals(List.of("train loss", "val loss"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {1, 2, 3}, chart.getSeriesMap().get("train loss").getXData());
        assertArrayEquals(new double[] {1, 2}, chart.getSeriesMap().get("val loss").getXData());
        assertArrayEquals(new double[] {1.1, 0.7}, chart.getSeriesMap().get("val loss").getYData());
        assertEquals("Training curves", chart.getTitle());
        // a table without a name is titled alike
        Table t = Table.create(IntColumn.create("epoch", 0, 1), DoubleColumn.create("loss", 1, 0.5));
        assertEquals("Training curves", Plots.trainingCurves(t).getTitle());
    }

    @Test
    void chartsOfNothingOrTooMuchAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Plots.trainingCurves(
                Table.create("empty", IntColumn.create("epoch"), DoubleColumn.create("loss"))));
        assertTrue(e.getMessage().startsWith("Plots.trainingCurves: the table has no rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.histogram(Nd4j.rand(DataType.FLOAT, 10), Integer.MAX_VALUE, "h"));
        assertTrue(e.getMessage().startsWith("Plots.histogram: bins must be from 1 to 1000"), e.getMessage());
        Map<String, INDArray> unnamed = new LinkedHashMap<>();
        unnamed.put("", Nd4j.rand(DataType.FLOAT, 10));
        e = assertThrows(IllegalArgumentException.class, () -> Plots.histograms(unnamed, 10, "t"));
        assertTrue(e.getMessage().startsWith("Plots.histograms: every series needs a name"), e.getMessage());
    }

    /** A diverged run's infinite loss is a gap in its line: XChart refused the whole chart. */
    @Test
    void trainingCurvesWithAnInfiniteLossDrawTheRest() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("loss", new double[] {1, 0.5, Double.NaN, Double.POSITIVE_INFINITY});
        XYChart chart = Plots.trainingCurves(m);
        double[] y = chart.getSeriesMap().get("loss").getYData();
        assertEquals(1, y[0]);
        assertTrue(Double.isNaN(y[3]), "the infinite epoch is a gap");
        render(chart);
    }

    // ---------------------------------------------------------------- every chart

    static Stream<Arguments> charts() {
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("loss", new double[] {2, 1, 0.5});
        curves.put("accuracy", new double[] {0.3, 0.6, 0.8});
        return Stream.of(
                Arguments.of("relu", Plots.relu()),
                Arguments.of("leakyRelu", Plots.leakyRelu(0.1)),
                Arguments.of("prelu", Plots.prelu(0.25)),
                Arguments.of("rrelu", Plots.rrelu()),
                Arguments.of("heatMap", Plots.heatMap(Nd4j.create(LECTURE), "x")),
                Arguments.of("heatMap pooled", Plots.heatMap(
                        Cnn.maxPool2d(Nd4j.create(LECTURE).reshape(1, 1, 4, 4), PoolParams.of(2, 1)))),
                Arguments.of("histogram", Plots.histogram(Nd4j.rand(DataType.FLOAT, 500), 20, "uniform")),
                Arguments.of("reluHistogram", Plots.reluHistogram(Nd4j.randn(DataType.FLOAT, 500), 30)),
                Arguments.of("trainingCurves table", Plots.trainingCurves(history())),
                Arguments.of("trainingCurves map", Plots.trainingCurves(curves)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void everyChartHasTitlesAndASensibleSize(String name, Chart<?, ?> chart) {
        assertFalse(chart.getTitle() == null || chart.getTitle().isBlank(), name + ": title");
        assertFalse(chart.getXAxisTitle() == null || chart.getXAxisTitle().isBlank(), name + ": x axis title");
        assertFalse(chart.getYAxisTitle() == null || chart.getYAxisTitle().isBlank(), name + ": y axis title");
        assertTrue(chart.getWidth() >= 250 && chart.getWidth() <= 900, name + ": width " + chart.getWidth());
        assertTrue(chart.getHeight() >= 250 && chart.getHeight() <= 900, name + ": height " + chart.getHeight());
        assertTrue(chart.getStyler().getChartTitleFont().getSize() >= 14, name + ": title font");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void everyChartRendersHeadless(String name, Chart<?, ?> chart) {
        BufferedImage image = render(chart);
        assertEquals(chart.getWidth(), image.getWidth(), name);
        assertEquals(chart.getHeight(), image.getHeight(), name);
    }

    private static BufferedImage render(Chart<?, ?> chart) {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        assertNotNull(image);
        return image;
    }

    // ---------------------------------------------------------------- errors

    private static void assertRejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheMethodAndTheShape() {
        assertRejects(() -> Plots.heatMap(null, "t"), "Plots.heatMap", "null");
        assertRejects(() -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 2, 3, 4), "t"), "Plots.heatMap", "[2, 3, 4]");
        assertRejects(() -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 1, 2, 4, 4)), "Plots.heatMap", "[1, 2, 4, 4]");
        assertRejects(() -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 5), "t"), "Plots.heatMap", "[5]");
        assertRejects(() -> Plots.heatMap(Nd4j.zeros(DataType.FLOAT, 0, 3), "t"), "Plots.heatMap", "[0, 3]");

        INDArray v = Nd4j.zeros(DataType.FLOAT, 2, 3);
        assertRejects(() -> Plots.histogram(v, 0, "t"), "Plots.histogram", "bins", "0", "[2, 3]");
        assertRejects(() -> Plots.histogram(null, 10, "t"), "Plots.histogram", "null");
        assertRejects(() -> Plots.histogram(Nd4j.zeros(DataType.FLOAT, 0), 10, "t"), "Plots.histogram", "[0]");
        assertRejects(() -> Plots.reluHistogram(null, 10), "Plots.reluHistogram", "null");
        assertRejects(() -> Plots.reluHistogram(v, -1), "Plots.reluHistogram", "bins", "[2, 3]");
        assertRejects(() -> Plots.histograms(Map.of(), 10, "t"), "Plots.histograms");

        Table noEpoch = Table.create("h", DoubleColumn.create("loss", 1, 0.5));
        assertRejects(() -> Plots.trainingCurves(noEpoch), "Plots.trainingCurves", "epoch", "[loss]", "2 rows");
        Table onlyEpoch = Table.create("h", IntColumn.create("epoch", 1, 2));
        assertRejects(() -> Plots.trainingCurves(onlyEpoch), "Plots.trainingCurves", "[epoch]");
        Table textEpoch = Table.create("h", StringColumn.create("epoch", "a"), DoubleColumn.create("loss", 1));
        assertRejects(() -> Plots.trainingCurves(textEpoch), "Plots.trainingCurves", "not numeric");
        assertRejects(() -> Plots.trainingCurves((Table) null), "Plots.trainingCurves", "null");
        assertRejects(() -> Plots.trainingCurves(Map.of()), "Plots.trainingCurves");
        assertRejects(() -> Plots.trainingCurves(Map.of("loss", new double[0])), "Plots.trainingCurves", "loss",
                "length 0");

        assertRejects(() -> Plots.rrelu(0.4, 0.1), "Plots.rrelu", "0.4", "0.1");
        assertRejects(() -> Plots.leakyRelu(Double.NaN), "Plots.leakyRelu", "NaN");
        assertRejects(() -> Plots.prelu(Double.POSITIVE_INFINITY), "Plots.prelu", "Infinity");
    }
}
