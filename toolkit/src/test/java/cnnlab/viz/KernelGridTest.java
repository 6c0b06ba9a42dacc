package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.filters.Kernels;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KernelGridTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int NEUTRAL = KernelGrid.NEUTRAL.getRGB() & 0xffffff;

    private static INDArray seeded(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    /** The colour drawn for kernel pixel (row, col) of tile i: the middle of its zoom x zoom block. */
    private static int kernelPixel(BufferedImage image, KernelGrid.Layout l, int i, int row, int col) {
        Point p = l.topLeft(i);
        return rgb(image, p.x + col * l.zoom() + l.zoom() / 2, p.y + row * l.zoom() + l.zoom() / 2);
    }

    private static IllegalArgumentException rejects(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("KernelGrid: "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        return e;
    }

    // ---------------------------------------------------------------- layout

    @Test
    void alexNetsFirstLayerIn12ColumnsAtZoom3() {
        INDArray bank = seeded(1, 96, 3, 11, 11);
        KernelGrid.Options options = KernelGrid.Options.of(3, 12).withSeparator(1);
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.RGB, l.mode());
        assertEquals(96, l.count());
        assertEquals(8, l.rows());
        assertEquals(12, l.columns());
        assertEquals(33, l.tileWidth());
        assertEquals(33, l.tileHeight());
        assertEquals(1 + 12 * (33 + 1), l.width());   // 409
        assertEquals(1 + 8 * (33 + 1), l.height());   // 273
        assertEquals(new Point(1, 1), l.topLeft(0));
        assertEquals(new Point(1 + 34, 1 + 34), l.topLeft(13));
        assertEquals(new Point(1 + 11 * 34, 1 + 7 * 34), l.topLeft(95));
        assertEquals(l.topLeft(13), l.topLeft(1, 1));

        BufferedImage image = KernelGrid.draw(bank, options);
        assertEquals(409, image.getWidth());
        assertEquals(273, image.getHeight());
        assertEquals(NEUTRAL, rgb(image, 0, 0), "the border is the separator colour");
        assertEquals(NEUTRAL, rgb(image, 34, 20), "between tile 0 and tile 1");
        assertEquals(NEUTRAL, rgb(image, 20, 34), "between row 0 and row 1");
        assertEquals(NEUTRAL, rgb(image, 408, 272));
    }

    @ParameterizedTest(name = "{0} filters of {1}x{1}, zoom {2}, separator {3}, columns {4}")
    @CsvSource({"96, 11, 3, 1, 12", "96, 11, 4, 2, 8", "64, 5, 2, 2, 0", "7, 3, 5, 1, 0", "1, 7, 1, 0, 0",
            "10, 3, 2, 1, 25"})
    void theSizeFollowsTheFormula(int k, int size, int zoom, int sep, int columnsAsked) {
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withZoom(zoom).withSeparator(sep);
        if (columnsAsked > 0) {
            options = options.withColumns(columnsAsked);
        }
        KernelGrid.Layout l = KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, k, 1, size, size), options);
        int columns = columnsAsked > 0 ? Math.min(columnsAsked, k) : KernelGrid.nearSquareColumns(k);
        int rows = (k + columns - 1) / columns, tile = size * zoom;
        assertEquals(columns, l.columns());
        assertEquals(rows, l.rows());
        assertEquals(sep + columns * (tile + sep), l.width());
        assertEquals(sep + rows * (tile + sep), l.height());
        for (int i = 0; i < k; i++) {
            assertEquals(new Point(sep + (i % columns) * (tile + sep), sep + (i / columns) * (tile + sep)),
                    l.topLeft(i), "tile " + i);
        }
    }

    @Test
    void columnsAreNearSquareAndFillTheLastRowWhenTheyCan() {
        assertEquals(12, KernelGrid.nearSquareColumns(96));
        assertEquals(8, KernelGrid.nearSquareColumns(64));
        assertEquals(4, KernelGrid.nearSquareColumns(8));
        assertEquals(3, KernelGrid.nearSquareColumns(7));
        assertEquals(1, KernelGrid.nearSquareColumns(1));
        assertEquals(16, KernelGrid.nearSquareColumns(256));
        assertEquals(6, KernelGrid.nearSquareColumns(27), "not 9 x 3");
        assertEquals(3, KernelGrid.nearSquareColumns(3));
        for (int n = 1; n <= 300; n++) {
            int c = KernelGrid.nearSquareColumns(n), rows = (n + c - 1) / c;
            assertTrue(c >= rows && c <= 2 * rows + 1 && (long) c * rows < n + c, n + " tiles in " + c + " columns x " + rows + " rows");
        }
    }

    @Test
    void automaticZoomMakesTilesAtLeast48Pixels() {
        assertEquals(55, KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 4, 3, 11, 11)).tileWidth());
        assertEquals(48, KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 4, 1, 3, 3)).tileWidth());
        KernelGrid.Layout big = KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 2, 1, 64, 32));
        assertEquals(1, big.zoom());
        assertEquals(32, big.tileWidth());
        assertEquals(64, big.tileHeight());
    }

    // ---------------------------------------------------------------- normalisation

    @Test
    void perFilterScalingStretchesEachFilterAndLeavesAConstantOneMidGrey() {
        INDArray bank = seeded(2, 5, 3, 4, 4);
        bank.get(NDArrayIndex.point(1)).muli(0.01);                 // a weak filter
        bank.get(NDArrayIndex.point(3)).assign(7f);                 // a constant filter
        bank.get(NDArrayIndex.point(4)).assign(0f);                 // an all-zero filter
        INDArray before = bank.dup();
        INDArray t = KernelGrid.normalised(bank, KernelGrid.Options.DEFAULT.withPerFilter(true));
        assertArrayEquals(new long[] {5, 3, 4, 4}, t.shape());
        assertFalse(t.isNaN().any() || t.isInfinite().any());
        for (int k : new int[] {0, 1, 2}) {
            INDArray f = t.get(NDArrayIndex.point(k));
            assertEquals(0, f.minNumber().doubleValue(), 1e-6, "filter " + k + " reaches black");
            assertEquals(1, f.maxNumber().doubleValue(), 1e-6, "filter " + k + " reaches white");
        }
        for (int k : new int[] {3, 4}) {
            INDArray f = t.get(NDArrayIndex.point(k));
            assertEquals(0.5, f.minNumber().doubleValue(), 0, "constant filter " + k + " is mid-grey");
            assertEquals(0.5, f.maxNumber().doubleValue(), 0);
        }
        assertEquals(before, bank, "the bank is not changed");

        BufferedImage image = KernelGrid.draw(bank, KernelGrid.Options.DEFAULT.withPerFilter(true));
        KernelGrid.Layout l = KernelGrid.layout(bank, KernelGrid.Options.DEFAULT);
        assertEquals(0x808080, kernelPixel(image, l, 3, 0, 0), "constant filter drawn mid-grey");
        assertEquals(0x808080, kernelPixel(image, l, 4, 2, 3));
    }

    @Test
    void wholeBankScalingKeepsFiltersComparable() {
        INDArray bank = seeded(3, 4, 1, 5, 5);
        bank.get(NDArrayIndex.point(1)).muli(0.01);
        bank.get(NDArrayIndex.point(2)).assign(0.25f);
        float min = bank.minNumber().floatValue(), max = bank.maxNumber().floatValue();
        INDArray t = KernelGrid.normalised(bank, KernelGrid.Options.DEFAULT.withPerFilter(false));
        assertFalse(t.isNaN().any());
        assertEquals(0, t.minNumber().doubleValue(), 1e-6);
        assertEquals(1, t.maxNumber().doubleValue(), 1e-6);
        INDArray weak = t.get(NDArrayIndex.point(1));
        assertTrue(weak.maxNumber().doubleValue() - weak.minNumber().doubleValue() < 0.05,
                "a weak filter stays nearly flat on the bank's scale");
        double constant = (0.25 - min) / (max - min);
        assertEquals(constant, t.getDouble(2, 0, 0, 0), 1e-6);
        assertEquals(constant, t.getDouble(2, 0, 4, 4), 1e-6);
        assertEquals((bank.getDouble(0, 0, 1, 2) - min) / (max - min), t.getDouble(0, 0, 1, 2), 1e-6);
    }

    /** A NaN weight is magenta in the picture, never a colour a number could have (it was black, the minimum). */
    @Test
    void aNaNWeightIsDrawnInTheNaNColour() {
        INDArray bank = seeded(4, 2, 1, 3, 3);
        bank.putScalar(new long[] {1, 0, 2, 0}, Float.NaN);
        for (KernelGrid.Options o : List.of(KernelGrid.Options.DEFAULT, KernelGrid.Options.diverging())) {
            BufferedImage image = KernelGrid.draw(bank, o);
            KernelGrid.Layout l = KernelGrid.layout(bank, o);
            assertEquals(ColorMaps.NAN, kernelPixel(image, l, 1, 2, 0), o.toString());
            assertNotEquals(ColorMaps.NAN, kernelPixel(image, l, 1, 2, 1), o.toString());
        }
        INDArray colour = seeded(5, 2, 3, 3, 3);
        colour.putScalar(new long[] {0, 1, 1, 1}, Float.NaN);           // one channel of one pixel
        BufferedImage image = KernelGrid.draw(colour);
        assertEquals(ColorMaps.NAN, kernelPixel(image, KernelGrid.layout(colour, KernelGrid.Options.DEFAULT), 0, 1, 1));
    }

    @Test
    void nonFiniteWeightsDrawWithoutNaN() {
        INDArray bank = seeded(4, 2, 1, 3, 3);
        bank.putScalar(new long[] {0, 0, 1, 1}, Float.NaN);
        bank.putScalar(new long[] {1, 0, 0, 0}, Float.POSITIVE_INFINITY);
        INDArray t = KernelGrid.normalised(bank, KernelGrid.Options.DEFAULT);
        assertFalse(t.isNaN().any());
        assertEquals(0, t.minNumber().doubleValue(), 1e-6);
        assertEquals(1, t.maxNumber().doubleValue(), 1e-6);
        KernelGrid.draw(bank, KernelGrid.Options.diverging());
    }

    // ---------------------------------------------------------------- colour

    @Test
    void rgbFiltersDrawChannelZeroRedOneGreenTwoBlue() {
        INDArray bank = Nd4j.zeros(DataType.FLOAT, 3, 3, 2, 2);
        for (int k = 0; k < 3; k++) {
            bank.putScalar(new long[] {k, k, 0, 1}, 1f);            // filter k: only channel k, one pixel
        }
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withZoom(4);
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.RGB, l.mode());
        BufferedImage image = KernelGrid.draw(bank, options);
        assertEquals(0xff0000, kernelPixel(image, l, 0, 0, 1), "channel 0 is red");
        assertEquals(0x00ff00, kernelPixel(image, l, 1, 0, 1), "channel 1 is green");
        assertEquals(0x0000ff, kernelPixel(image, l, 2, 0, 1), "channel 2 is blue");
        assertEquals(0x000000, kernelPixel(image, l, 0, 1, 0), "zero is the filter's minimum: black");
        INDArray t = KernelGrid.normalised(bank, options);
        assertEquals(1, t.getDouble(0, 0, 0, 1), 0);
        assertEquals(0, t.getDouble(0, 1, 0, 1), 0);
    }

    @Test
    void symmetricSingleChannelFiltersUseTheDivergingMapAroundWhiteZero() {
        INDArray ramp = Nd4j.create(new float[] {-2, -1, 0, 1, 2}, new long[] {1, 1, 1, 5}, 'c');
        INDArray bank = Nd4j.concat(0, ramp, Nd4j.zeros(DataType.FLOAT, 1, 1, 1, 5));
        KernelGrid.Options options = KernelGrid.Options.diverging().withZoom(3);
        INDArray t = KernelGrid.normalised(bank, options);
        for (int i = 0; i < 5; i++) {
            assertEquals(1, t.getDouble(0, 0, 0, i) + t.getDouble(0, 0, 0, 4 - i), 1e-6, "symmetric about 0.5");
        }
        assertEquals(0.5, t.getDouble(0, 0, 0, 2), 0);
        assertEquals(0, t.getDouble(0, 0, 0, 0), 0);
        assertEquals(1, t.getDouble(0, 0, 0, 4), 0);

        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.PLANE, l.mode());
        BufferedImage image = KernelGrid.draw(bank, options);
        for (int i = 0; i < 5; i++) {
            assertEquals(ColorMaps.diverging((i - 2) / 2.0), kernelPixel(image, l, 0, 0, i), "value " + (i - 2));
        }
        assertEquals(0xf7f7f7, kernelPixel(image, l, 0, 0, 2), "zero is white");
        int minus = kernelPixel(image, l, 0, 0, 1), plus = kernelPixel(image, l, 0, 0, 3);
        assertTrue((minus & 255) > (minus >> 16), "negative is blue");
        assertTrue((plus >> 16) > (plus & 255), "positive is red");
        for (int i = 0; i < 5; i++) {
            assertEquals(0xf7f7f7, kernelPixel(image, l, 1, 0, i), "the all-zero filter is white, no NaN");
        }
    }

    @Test
    void greyPlanesAreMinMaxGrey() {
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withZoom(2);
        INDArray sobel = Kernels.sobelX();
        KernelGrid.Layout l = KernelGrid.layout(sobel, options);
        BufferedImage image = KernelGrid.draw(sobel, options);
        assertEquals(0x000000, kernelPixel(image, l, 0, 1, 0), "-2 is black");
        assertEquals(0xffffff, kernelPixel(image, l, 0, 1, 2), "+2 is white");
        assertEquals(0x808080, kernelPixel(image, l, 0, 0, 1), "0 is mid-grey");
    }

    // ---------------------------------------------------------------- other channel counts

    @Test
    void otherChannelCountsDrawOneRowPerInputChannel() {
        INDArray bank = seeded(5, 6, 4, 3, 3);
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withZoom(5).withSeparator(2);
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.CHANNEL_ROWS, l.mode());
        assertEquals(4, l.rows(), "one row per input channel");
        assertEquals(6, l.columns(), "one column per filter");
        assertEquals(24, l.count());
        assertEquals(new Point(2 + 3 * 17, 2 + 2 * 17), l.topLeft(2, 3), "channel 2 of filter 3");
        assertEquals(2 + 6 * 17, l.width());
        assertEquals(2 + 4 * 17, l.height());
        assertArrayEquals(new long[] {6, 4, 3, 3}, KernelGrid.normalised(bank, options).shape());

        KernelGrid.Layout rgbAsRows = KernelGrid.layout(seeded(6, 5, 3, 3, 3), options.withRgb(false));
        assertEquals(KernelGrid.Mode.CHANNEL_ROWS, rgbAsRows.mode());
        assertEquals(3, rgbAsRows.rows());
    }

    @Test
    void oneChosenChannelIsDrawnAsAPlane() {
        INDArray bank = seeded(7, 6, 4, 3, 3);
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withChannel(2).withPerFilter(false);
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.PLANE, l.mode());
        assertEquals(6, l.count());
        assertEquals(3, l.columns());
        INDArray t = KernelGrid.normalised(bank, options);
        assertArrayEquals(new long[] {6, 1, 3, 3}, t.shape());
        INDArray channel2 = bank.get(NDArrayIndex.all(), NDArrayIndex.point(2));
        double min = channel2.minNumber().doubleValue(), max = channel2.maxNumber().doubleValue();
        assertEquals((bank.getDouble(4, 2, 1, 0) - min) / (max - min), t.getDouble(4, 0, 1, 0), 1e-6);
    }

    // ---------------------------------------------------------------- labels

    @Test
    void labelsWidenCellsToFitAndAddAStripUnderEachRow() {
        INDArray bank = seeded(8, 10, 1, 3, 3);
        KernelGrid.Options plain = KernelGrid.Options.of(2, 5);
        KernelGrid.Layout without = KernelGrid.layout(bank, plain);
        KernelGrid.Layout with = KernelGrid.layout(bank, plain.withLabels(true));
        assertEquals(0, without.labelHeight());
        assertEquals(KernelGrid.LABEL_HEIGHT, with.labelHeight());
        assertTrue(with.cellWidth() > with.tileWidth(), "a 6 px tile is narrower than its label");
        assertEquals(1 + 2 * (6 + KernelGrid.LABEL_HEIGHT + 1), with.height());
        assertEquals(1 + 5 * (with.cellWidth() + 1), with.width());
        assertEquals(with.topLeft(0).y + 6 + KernelGrid.LABEL_HEIGHT + 1, with.topLeft(5).y);

        BufferedImage image = KernelGrid.draw(bank, plain.withLabels(true));
        assertEquals(with.width(), image.getWidth());
        assertTrue(inks(image, with, 0), "the label under tile 0 is drawn");
        assertFalse(inks(KernelGrid.draw(bank, plain.withLabels(true).withCaptions(List.of("", "", "", "", "", "",
                "", "", "", ""))), with, 0), "an empty caption draws nothing");
    }

    @Test
    void captionsReplaceIndicesAndMustMatchTheFilters() {
        INDArray bank = Nd4j.concat(0, Kernels.sobelX(), Kernels.sobelY(), Kernels.laplacian4());
        List<String> names = List.of("Sobel x", "Sobel y", "Laplacian");
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withCaptions(names);
        assertTrue(options.labels(), "captions turn labels on");
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertTrue(l.cellWidth() >= KernelGrid.metrics(KernelGrid.FONT).stringWidth("Laplacian"));
        assertTrue(inks(KernelGrid.draw(bank, options), l, 2));
        rejects(() -> KernelGrid.draw(bank, KernelGrid.Options.DEFAULT.withCaptions(List.of("a", "b"))),
                "2 captions for 3 filters", "[3,1,3,3]", "hint: ");
    }

    @Test
    void channelRowsHaveRowHeaders() {
        KernelGrid.Layout l = KernelGrid.layout(seeded(9, 4, 5, 3, 3),
                KernelGrid.Options.DEFAULT.withLabels(true));
        assertTrue(l.headerWidth() > 0);
        assertTrue(l.x(0) > l.headerWidth());
        assertEquals(0, KernelGrid.layout(seeded(9, 4, 1, 3, 3), KernelGrid.Options.DEFAULT.withLabels(true))
                .headerWidth(), "no row headers for a plane bank");
    }

    @Test
    void channelRowsNumberTheFiltersOnceUnderTheLastRow() {
        INDArray bank = seeded(10, 4, 3, 3, 3);
        KernelGrid.Options options = KernelGrid.Options.of(2, 0).withRgb(false).withLabels(true);
        KernelGrid.Layout l = KernelGrid.layout(bank, options);
        assertEquals(KernelGrid.Mode.CHANNEL_ROWS, l.mode());
        assertEquals(KernelGrid.LABEL_HEIGHT, l.labelHeight());
        assertEquals(l.topLeft(0, 0).y + 6 + 1, l.topLeft(1, 0).y, "no label strip between channel rows");
        assertEquals(1 + 3 * (6 + 1) + KernelGrid.LABEL_HEIGHT, l.height(), "one strip, under the last row");

        BufferedImage image = KernelGrid.draw(bank, options);
        assertEquals(l.height(), image.getHeight());
        for (int column = 0; column < 4; column++) {
            assertTrue(inks(image, l, 2 * 4 + column), "filter " + column + "'s number under the last row");
        }
    }

    /** Whether any pixel of the label strip under tile i differs from the background. */
    private static boolean inks(BufferedImage image, KernelGrid.Layout l, int i) {
        int row = i / l.columns(), column = i % l.columns();
        int left = l.headerWidth() + l.separator() + column * (l.cellWidth() + l.separator());
        int top = l.y(row) + l.tileHeight();
        for (int y = top; y < top + l.labelHeight(); y++) {
            for (int x = left; x < left + l.cellWidth(); x++) {
                if (rgb(image, x, y) != NEUTRAL) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badBanksAreRejectedWithTheirShapes() {
        rejects(() -> KernelGrid.draw(null), "null");
        rejects(() -> KernelGrid.draw(Nd4j.zeros(DataType.FLOAT, 3, 3)), "must be 4-D", "2-D", "([3,3])",
                "hint: ", "reshape(1, 1, 3, 3)");
        rejects(() -> KernelGrid.draw(Nd4j.zeros(DataType.FLOAT, 120, 400)), "must be 4-D", "w.reshape(120, C, H, W),"
                + " C*H*W = 400", "LeNet-5's fc1: reshape(120, 16, 5, 5)");
        rejects(() -> KernelGrid.draw(Nd4j.zeros(DataType.FLOAT, 8, 5, 5)), "must be 4-D", "([8,5,5])",
                "reshape(8, 1, 5, 5)");
        rejects(() -> KernelGrid.draw(Nd4j.create(DataType.FLOAT, 0, 3, 11, 11)), "empty", "[0,3,11,11]");
        rejects(() -> KernelGrid.layout(seeded(1, 4, 3, 5, 5), KernelGrid.Options.DEFAULT.withChannel(3)),
                "channel 3 is out of range", "3 input channels", "[4,3,5,5]", "hint: channels are 0..2");
        rejects(() -> KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 1, 1, 1, 1),
                KernelGrid.Options.DEFAULT.withZoom(10_000)), "10002x10002 pixels", "[1,1,1,1]", "hint: ");
        rejects(() -> KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 2, 1, 3, 3),
                KernelGrid.Options.DEFAULT.withZoom(Integer.MAX_VALUE)), "12884901885x6442450943 pixels");
    }

    @Test
    void badOptionsAreRejectedWithTheValueGiven() {
        rejects(() -> KernelGrid.Options.DEFAULT.withZoom(0), "zoom must be at least 1", "(zoom 0)",
                "withAutoZoom");
        rejects(() -> KernelGrid.Options.of(-2, 4), "zoom");
        // AUTO is documented for both: of takes it too
        assertEquals(KernelGrid.Options.DEFAULT.withZoom(3).withAutoColumns(),
                KernelGrid.Options.of(3, KernelGrid.AUTO));
        assertEquals(KernelGrid.Options.DEFAULT.withAutoZoom().withColumns(4),
                KernelGrid.Options.of(KernelGrid.AUTO, 4));
        rejects(() -> KernelGrid.Options.DEFAULT.withColumns(0), "columns must be at least 1", "(columns 0)");
        rejects(() -> KernelGrid.Options.DEFAULT.withSeparator(-1), "separator", "(separator -1)");
        rejects(() -> KernelGrid.Options.DEFAULT.withChannel(-3), "channel", "(channel -3)");
        rejects(() -> KernelGrid.Options.DEFAULT.withCaptions(java.util.Arrays.asList("a", null)), "caption 1");
    }

    @Test
    void optionsAreValuesWithReadableText() {
        KernelGrid.Options a = KernelGrid.Options.DEFAULT.withZoom(4).withColumns(8).withLabels(true);
        assertEquals(a, KernelGrid.Options.of(4, 8).withLabels(true));
        assertNotEquals(a, KernelGrid.Options.DEFAULT);
        assertEquals(KernelGrid.AUTO, KernelGrid.Options.DEFAULT.zoom());
        assertEquals(KernelGrid.AUTO, a.withAutoZoom().withAutoColumns().columns());
        assertEquals("zoom 4, columns 8, separator 1, per filter min-max, labels", a.toString());
        assertEquals("96 tiles (RGB) in 8 rows x 12 columns, tiles 33x33 px (zoom 3), image 409x273 px",
                KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 96, 3, 11, 11), KernelGrid.Options.of(3, 12))
                        .toString());
    }
}
