package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.PoolParams;
import cnnlab.viz.FeatureMaps.PathLayout;
import cnnlab.viz.FeatureMaps.Stage;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FeatureMapsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static INDArray seeded(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    /** {@code [1, C, h, w]} whose channel c is the constant {@code amplitudes[c]}. */
    private static INDArray constants(int h, int w, float... amplitudes) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, amplitudes.length, h, w);
        for (int c = 0; c < amplitudes.length; c++) {
            x.get(NDArrayIndex.point(0), NDArrayIndex.point(c)).assign(amplitudes[c]);
        }
        return x;
    }

    private static int grey(BufferedImage image, Point p, int dx, int dy) {
        return image.getRGB(p.x + dx, p.y + dy) & 255;
    }

    private static IllegalArgumentException rejects(String op, Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        return e;
    }

    // ---------------------------------------------------------------- channels and energy

    @Test
    void topChannelsAreOrderedByEnergyHighestFirst() {
        INDArray x = constants(4, 5, 1f, -3f, 0.5f, 2f, -2f, 0f);
        assertArrayEquals(new double[] {20, 180, 5, 80, 80, 0}, FeatureMaps.energies(x, null), 1e-9,
                "sum of squares over 4x5 values");
        assertArrayEquals(new int[] {1, 3, 4}, FeatureMaps.topChannels(x, 3), "a negative map has energy too;"
                + " ties keep channel order");
        assertArrayEquals(new int[] {1, 3, 4, 0, 2, 5}, FeatureMaps.topChannels(x, 99), "k > C ranks them all");
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, FeatureMaps.channels(x, FeatureMaps.Options.DEFAULT),
                "without topK, every channel in order");
        assertArrayEquals(new int[] {1, 3}, FeatureMaps.channels(x, FeatureMaps.Options.top(2)));
    }

    @Test
    void energyIgnoresNonFiniteValues() {
        INDArray x = constants(2, 2, 1f, 1f);
        x.putScalar(new long[] {0, 1, 0, 0}, Float.NaN);
        assertArrayEquals(new double[] {4, 3}, FeatureMaps.energies(x, null), 1e-9);
        assertArrayEquals(new int[] {0, 1}, FeatureMaps.topChannels(x, 2));
    }

    @Test
    void aChosenBatchElementIsTheOneRanked() {
        INDArray batch = Nd4j.concat(0, constants(3, 3, 1f, 2f, 3f), constants(3, 3, 3f, 2f, 1f));
        assertArrayEquals(new int[] {2, 1, 0}, FeatureMaps.channels(batch, FeatureMaps.Options.top(3).withBatch(0)));
        assertArrayEquals(new int[] {0, 1, 2}, FeatureMaps.channels(batch, FeatureMaps.Options.top(3).withBatch(1)));
        rejects("FeatureMaps", () -> FeatureMaps.draw(batch), "a batch of 2", "[2,3,3,3]", "hint: ", "withBatch");
        rejects("FeatureMaps", () -> FeatureMaps.draw(batch, FeatureMaps.Options.DEFAULT.withBatch(2)),
                "batch element 2 is out of range 0..1", "[2,3,3,3]");
    }

    // ---------------------------------------------------------------- one activation's grid

    @Test
    void theGridPlacesOneTilePerChannelShown() {
        INDArray x = seeded(1, 1, 6, 10, 20);
        FeatureMaps.Options options = FeatureMaps.Options.DEFAULT.withLabels(false);
        KernelGrid.Layout l = FeatureMaps.layout(x, options);
        assertEquals(6, l.count());
        assertEquals(3, l.columns());
        assertEquals(2, l.rows());
        assertEquals(4, l.zoom(), "96 / 20 = 4: the largest whole zoom within 96 px");
        assertEquals(80, l.tileWidth());
        assertEquals(40, l.tileHeight());
        assertEquals(2 + 3 * (80 + 2), l.width());
        assertEquals(2 + 2 * (40 + 2), l.height());
        assertEquals(new Point(2 + 2 * 82, 2 + 42), l.topLeft(5));
        BufferedImage image = FeatureMaps.draw(x, options);
        assertEquals(l.width(), image.getWidth());
        assertEquals(l.height(), image.getHeight());

        KernelGrid.Layout top = FeatureMaps.layout(x, options.withTopK(4).withZoom(1).withColumns(4));
        assertEquals(4, top.count());
        assertEquals(1, top.rows());
        assertEquals(20, top.tileWidth());

        KernelGrid.Layout labelled = FeatureMaps.layout(x, FeatureMaps.Options.DEFAULT);
        assertEquals(KernelGrid.LABEL_HEIGHT, labelled.labelHeight(), "labels are on by default");
    }

    @Test
    void sharedScaleKeepsWeakMapsWeakAndPerMapScaleStretchesThem() {
        INDArray ramp = Nd4j.linspace(0, 1, 16, DataType.FLOAT).reshape(1, 1, 4, 4);
        INDArray x = Nd4j.concat(1, ramp, ramp.mul(0.5), Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 4));
        FeatureMaps.Options shared = FeatureMaps.Options.DEFAULT.withZoom(2);
        KernelGrid.Layout l = FeatureMaps.layout(x, shared);
        BufferedImage a = FeatureMaps.draw(x, shared);
        assertEquals(255, grey(a, l.topLeft(0), 7, 7), "the strongest value is white");
        assertEquals(128, grey(a, l.topLeft(1), 7, 7), "half as strong is mid-grey on the shared scale");
        assertEquals(0, grey(a, l.topLeft(2), 0, 0), "a dead map is black on the shared scale");
        BufferedImage b = FeatureMaps.draw(x, shared.withSharedScale(false));
        assertEquals(255, grey(b, l.topLeft(1), 7, 7), "per-map scale stretches the weak map");
        assertEquals(0, grey(b, l.topLeft(1), 0, 0));
        assertEquals(128, grey(b, l.topLeft(2), 0, 0), "a constant map on its own scale is mid-grey, not NaN");
    }

    @Test
    void symmetricScaleDrawsSignedMapsOnTheDivergingMap() {
        INDArray x = Nd4j.create(new float[] {-4, 0, 2, 4}, new long[] {1, 1, 2, 2}, 'c');
        FeatureMaps.Options options = FeatureMaps.Options.DEFAULT.withScale(Scale.SYMMETRIC).withZoom(3);
        Point p = FeatureMaps.layout(x, options).topLeft(0);
        BufferedImage image = FeatureMaps.draw(x, options);
        assertEquals(ColorMaps.diverging(-1), image.getRGB(p.x, p.y) & 0xffffff);
        assertEquals(ColorMaps.diverging(0), image.getRGB(p.x + 3, p.y) & 0xffffff);
        assertEquals(ColorMaps.diverging(0.5), image.getRGB(p.x, p.y + 3) & 0xffffff);
    }

    @Test
    void theClippedScaleIsTakenPerMapOrSharedAsAsked() {
        float[] v = new float[2 * 200];
        for (int i = 0; i < 200; i++) {
            v[i] = i < 198 ? 1 : 50;         // map 0: ones and two 50s; clipped at 1
            v[200 + i] = i < 198 ? 2 : -2;   // map 1: twos; clipped at 2
        }
        INDArray x = Nd4j.create(v, new long[] {1, 2, 10, 20}, 'c');
        FeatureMaps.Options own = FeatureMaps.Options.DEFAULT.withScale(Scale.SYMMETRIC_CLIPPED).withZoom(1)
                .withSharedScale(false);
        BufferedImage image = FeatureMaps.draw(x, own);
        Point p0 = FeatureMaps.layout(x, own).topLeft(0), p1 = FeatureMaps.layout(x, own).topLeft(1);
        assertEquals(ColorMaps.diverging(1), image.getRGB(p0.x, p0.y) & 0xffffff, "a 1 is full red on its own map");
        assertEquals(ColorMaps.diverging(1), image.getRGB(p1.x, p1.y) & 0xffffff);
        FeatureMaps.Options shared = own.withSharedScale(true);
        image = FeatureMaps.draw(x, shared);
        p0 = FeatureMaps.layout(x, shared).topLeft(0);
        assertEquals(ColorMaps.diverging(0.5), image.getRGB(p0.x, p0.y) & 0xffffff, "half of the shared clip, 2");
    }

    // ---------------------------------------------------------------- paths

    @Test
    void aPathHasOneLabelledRowPerStageScaledToTheRowHeight() {
        INDArray input = Nd4j.rand(DataType.FLOAT, 1, 3, 120, 180);
        INDArray conv = seeded(2, 1, 8, 60, 90);
        INDArray relu = Cnn.relu(conv);
        INDArray pool = Cnn.maxPool2d(relu, PoolParams.of(2));                       // [1, 8, 30, 45]
        INDArray deep = seeded(3, 1, 16, 6, 9);
        List<Stage> stages = List.of(Stage.picture("input", input), Stage.of("conv", conv), Stage.of("ReLU", relu),
                Stage.of("pool", pool), Stage.of("deep", deep));
        FeatureMaps.Options options = FeatureMaps.Options.top(4);
        PathLayout l = FeatureMaps.pathLayout(stages, options);

        assertEquals(5, l.rows().size());
        assertEquals(List.of("input", "conv", "ReLU", "pool", "deep"),
                l.rows().stream().map(PathLayout.Row::label).toList());
        assertEquals("[1,8,30,45]", l.rows().get(3).shape());
        assertTrue(l.rows().get(0).picture());
        assertEquals(1, l.rows().get(0).tiles(), "the RGB input is one picture");
        assertEquals(0, l.rows().get(0).labelHeight());
        for (int r = 1; r < 5; r++) {
            assertEquals(4, l.rows().get(r).tiles(), "top 4 of row " + r);
            assertEquals(KernelGrid.LABEL_HEIGHT, l.rows().get(r).labelHeight());
        }

        // heights: shorter stages enlarged by a whole factor; taller ones resized to the tallest enlarged one
        // (conv's 60 x 2 = 120), so that the input is not drawn smaller than its maps
        assertEquals(120, l.rows().get(0).tileHeight());
        assertEquals(180, l.rows().get(0).tileWidth());
        assertEquals(0, l.rows().get(0).zoom());
        assertEquals(2, l.rows().get(1).zoom(), "round(96 / 60) = 2");
        assertEquals(120, l.rows().get(1).tileHeight());
        assertEquals(3, l.rows().get(3).zoom(), "round(96 / 30) = 3");
        assertEquals(90, l.rows().get(3).tileHeight());
        assertEquals(16, l.rows().get(4).zoom(), "round(96 / 6) = 16");
        assertEquals(144, l.rows().get(4).tileWidth());
        // with nothing enlarged, every taller stage is resized to exactly the row height
        PathLayout tall = FeatureMaps.pathLayout(List.of(Stage.picture("input", input), Stage.of("conv", conv)),
                options.withRowHeight(40));
        assertEquals(40, tall.rows().get(0).tileHeight());
        assertEquals(40, tall.rows().get(1).tileHeight());
        PathLayout inputOnly = FeatureMaps.pathLayout(List.of(Stage.picture("input", input)), options);
        assertEquals(96, inputOnly.rows().get(0).tileHeight());
        assertEquals(144, inputOnly.rows().get(0).tileWidth());

        // conv -> ReLU -> pool keep the conv row's strongest channels; the 16-channel stage picks its own
        int[] convTop = FeatureMaps.channels(conv, options);
        assertArrayEquals(convTop, l.rows().get(1).channels());
        assertArrayEquals(convTop, l.rows().get(2).channels());
        assertArrayEquals(convTop, l.rows().get(3).channels());
        assertArrayEquals(FeatureMaps.channels(deep, options), l.rows().get(4).channels());

        // rows are stacked without overlap; a channel stays in its column
        int y = l.separator();
        for (PathLayout.Row row : l.rows()) {
            assertEquals(y, row.y());
            assertTrue(row.height() >= row.tileHeight() + row.labelHeight());
            y += row.height() + l.separator();
        }
        assertEquals(y, l.height());
        assertTrue(l.cellWidth() >= 180, "the widest tile fits its cell");
        for (int t = 0; t < 4; t++) {
            int centre = l.topLeft(1, t).x + l.rows().get(1).tileWidth() / 2;
            assertEquals(centre, l.topLeft(3, t).x + l.rows().get(3).tileWidth() / 2, 1, "column " + t);
        }
        assertEquals(l.headerWidth() + l.separator() + 4 * (l.cellWidth() + l.separator()), l.width());
        assertTrue(l.topLeft(0, 0).x >= l.headerWidth());

        BufferedImage image = FeatureMaps.path(stages, options);
        assertEquals(l.width(), image.getWidth());
        assertEquals(l.height(), image.getHeight());
    }

    @Test
    void aPathFromAMapTakesAnRgbOrGreyFirstEntryAsThePicture() {
        LinkedHashMap<String, INDArray> stages = new LinkedHashMap<>();
        stages.put("photo", Nd4j.rand(DataType.FLOAT, 1, 1, 20, 20));
        stages.put("conv", seeded(4, 1, 3, 18, 18));
        stages.put("pool", seeded(5, 1, 3, 9, 9));
        List<Stage> list = Stage.fromMap(stages);
        assertEquals(List.of(true, false, false), list.stream().map(Stage::picture).toList(),
                "a 3-channel conv output later on is maps, not a colour picture");
        PathLayout l = FeatureMaps.pathLayout(list, FeatureMaps.Options.DEFAULT.withRowHeight(40));
        assertEquals(List.of("photo", "conv", "pool"), l.rows().stream().map(PathLayout.Row::label).toList());
        assertArrayEquals(new int[] {1, 3, 3}, l.rows().stream().mapToInt(PathLayout.Row::tiles).toArray());
        assertArrayEquals(new int[] {0, 1, 2}, l.rows().get(2).channels());
        assertEquals(40, l.rows().get(0).tileHeight(), "20 px enlarged twice");
        assertEquals(36, l.rows().get(1).tileHeight(), "round(40 / 18) = 2");
        assertEquals(36, l.rows().get(2).tileHeight(), "round(40 / 9) = 4");
        BufferedImage image = FeatureMaps.path(stages);
        assertEquals(FeatureMaps.pathLayout(list, null).width(), image.getWidth());

        LinkedHashMap<String, INDArray> mapsOnly = new LinkedHashMap<>();
        mapsOnly.put("conv1", seeded(6, 1, 8, 5, 5));
        assertFalse(Stage.fromMap(mapsOnly).get(0).picture(), "an 8-channel first stage is maps");
    }

    @Test
    void aPathThroughTheToolkitsOwnOps() {
        INDArray x = Images.resize(Nd4j.rand(DataType.FLOAT, 1, 1, 40, 60), 32, 48);
        INDArray conv = Cnn.conv2d(x, seeded(7, 8, 1, 5, 5));                           // [1, 8, 28, 44]
        INDArray relu = Cnn.relu(conv);
        INDArray pool = Cnn.maxPool2d(relu, PoolParams.of(2));                        // [1, 8, 14, 22]
        List<Stage> stages = List.of(Stage.picture("input", x), Stage.of("conv", conv), Stage.of("ReLU", relu),
                Stage.of("max pool", pool));
        PathLayout l = FeatureMaps.pathLayout(stages, FeatureMaps.Options.DEFAULT);
        assertEquals(4, l.rows().size());
        assertEquals(8, l.rows().get(3).tiles());
        assertEquals("[1,8,14,22]", l.rows().get(3).shape());
        assertEquals(98, l.rows().get(3).tileHeight(), "14 enlarged round(96 / 14) = 7 times");
        BufferedImage image = FeatureMaps.path(stages);
        assertEquals(l.width(), image.getWidth());
        assertEquals(3, l.rows().get(0).zoom(), "round(96 / 32) = 3");
        assertEquals(Math.round(x.getFloat(0, 0, 5, 7) * 255), grey(image, l.topLeft(0, 0), 7 * 3 + 1, 5 * 3 + 1),
                "an input in [0, 1] is drawn as it is");
        int channel = l.rows().get(2).channels()[0], zoom = l.rows().get(2).zoom();
        for (int i = 0; i < 28; i++) {
            if (relu.getFloat(0, channel, i, i) == 0) {
                assertEquals(0, grey(image, l.topLeft(2, 0), i * zoom, i * zoom), "ReLU's zeros are black");
            }
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badActivationsAreRejectedWithTheirShapes() {
        rejects("FeatureMaps", () -> FeatureMaps.draw(null), "null");
        rejects("FeatureMaps", () -> FeatureMaps.draw(Nd4j.zeros(DataType.FLOAT, 30, 30)),
                "must be 4-D [N, C, H, W] or 3-D [C, H, W]", "is 2-D ([30,30])");
        rejects("FeatureMaps", () -> FeatureMaps.draw(Nd4j.create(DataType.FLOAT, 0, 5, 5)), "empty", "[0,5,5]");
        rejects("FeatureMaps", () -> FeatureMaps.draw(Nd4j.create(DataType.FLOAT, 1, 0, 5, 5)), "empty",
                "[1,0,5,5]");
        rejects("FeatureMaps", () -> FeatureMaps.topChannels(seeded(1, 1, 4, 3, 3), 0), "topK must be at least 1",
                "(topK 0)");
        rejects("FeatureMaps", () -> FeatureMaps.Options.DEFAULT.withBatch(-1), "(batch -1)");
        rejects("FeatureMaps", () -> FeatureMaps.Options.DEFAULT.withRowHeight(2), "(rowHeight 2)");
        rejects("FeatureMaps", () -> FeatureMaps.Options.DEFAULT.withZoom(0), "(zoom 0)");
        // the tile's size used to overflow int first, giving a negative size in the message
        rejects("FeatureMaps", () -> FeatureMaps.draw(seeded(1, 1, 2, 4, 4),
                FeatureMaps.Options.DEFAULT.withZoom(Integer.MAX_VALUE)), "17179869182x8589934608 pixels",
                "hint: use a smaller zoom");
    }

    /** One image without its batch axis, as the ops take and give it, draws as with the axis. */
    @Test
    void aThreeDimensionalActivationIsOneImage() {
        INDArray maps = seeded(4, 1, 5, 6, 7), copy = maps.dup();
        INDArray unbatched = maps.reshape(5, 6, 7);
        assertImagesEqual(FeatureMaps.draw(maps), FeatureMaps.draw(unbatched));
        assertArrayEquals(FeatureMaps.channels(maps, FeatureMaps.Options.top(2)),
                FeatureMaps.channels(unbatched, FeatureMaps.Options.top(2)));
        assertArrayEquals(new long[] {5, 6, 7}, unbatched.shape());
        assertEquals(copy, maps);
        INDArray image = seeded(5, 1, 3, 12, 12);
        var batched = new LinkedHashMap<String, INDArray>();
        batched.put("input", image);
        batched.put("conv", maps);
        var unbatchedPath = new LinkedHashMap<String, INDArray>();
        unbatchedPath.put("input", image.reshape(3, 12, 12));
        unbatchedPath.put("conv", unbatched);
        assertTrue(Stage.fromMap(unbatchedPath).get(0).picture(), "a 3-channel [C, H, W] input is the picture");
        PathLayout with = FeatureMaps.pathLayout(Stage.fromMap(batched), FeatureMaps.Options.DEFAULT);
        PathLayout without = FeatureMaps.pathLayout(Stage.fromMap(unbatchedPath), FeatureMaps.Options.DEFAULT);
        assertEquals(2, without.rows().size());
        for (int r = 0; r < 2; r++) {                     // the same tiles; only the shapes in the labels differ
            assertArrayEquals(with.rows().get(r).channels(), without.rows().get(r).channels());
            assertEquals(with.rows().get(r).zoom(), without.rows().get(r).zoom());
        }
        assertTrue(FeatureMaps.path(unbatchedPath).getWidth() > 0);
    }

    private static void assertImagesEqual(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int w = expected.getWidth(), h = expected.getHeight();
        assertArrayEquals(expected.getRGB(0, 0, w, h, null, 0, w), actual.getRGB(0, 0, w, h, null, 0, w));
    }

    /** A maps stage's header shows its shared colour scale: a bar from one end to the other, the values under it. */
    @Test
    void aMapsStageShowsItsColourScale() {
        INDArray maps = Nd4j.create(new float[] {-2, 0, 1, 0.5f}, new long[] {1, 1, 2, 2}, 'c');
        for (Scale scale : new Scale[] {Scale.SYMMETRIC, Scale.MIN_MAX}) {
            FeatureMaps.Options o = FeatureMaps.Options.DEFAULT.withScale(scale);
            BufferedImage image = FeatureMaps.path(List.of(Stage.of("conv", maps)), o);
            PathLayout l = FeatureMaps.pathLayout(List.of(Stage.of("conv", maps)), o);
            int barTop = l.rows().get(0).y() + FeatureMaps.HEADER_HEIGHT + 4, right = l.headerWidth() - 9;
            float[] ends = scale == Scale.SYMMETRIC ? new float[] {-2, 2} : new float[] {-2, 1};
            float[] range = {ends[0], ends[1], 2};
            assertEquals(Images.colour(ends[0], range, scale), image.getRGB(8, barTop + 1) & 0xffffff, scale + " low");
            assertEquals(Images.colour(ends[1], range, scale), image.getRGB(right, barTop + 1) & 0xffffff,
                    scale + " high");
        }
        assertEquals("-2", FeatureMaps.legendValue(-2f));
        assertEquals("0.691", FeatureMaps.legendValue(0.6911f));
        assertEquals("3.5", FeatureMaps.legendValue(3.5f));
        assertEquals("1.25e+03", FeatureMaps.legendValue(1250f));
        assertEquals("1e+03", FeatureMaps.legendValue(1000f));
        assertEquals("3.4e+38", FeatureMaps.legendValue(3.4e38f));
        assertEquals("100", FeatureMaps.legendValue(100f));
        assertEquals("120", FeatureMaps.legendValue(120f));
        assertEquals("0.05", FeatureMaps.legendValue(0.05f));
        assertEquals("0", FeatureMaps.legendValue(-0f));
        assertEquals("0", FeatureMaps.legendValue(0f));
    }

    /** The legend's texts: the scale's ends, marked where the clipped scale paints larger values the end's colour. */
    @Test
    void theLegendSaysWhereTheScaleClips() {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 2 == 0 ? 1 : -1) * (i < 996 ? 0.5f : 8f);    // 0.2% of the values far out on each side
        }
        FeatureMaps.Options o = FeatureMaps.Options.DEFAULT;
        FeatureMaps.Legend clipped = FeatureMaps.legend(values, o.withScale(Scale.SYMMETRIC_CLIPPED));
        assertEquals(FeatureMaps.AT_MOST + "-0.5", clipped.low());
        assertEquals(FeatureMaps.AT_LEAST + "0.5", clipped.high());
        assertEquals(0.5f, clipped.hi());
        values[997] = -0.5f;                                                // only the positive side clips now
        values[999] = -0.5f;
        FeatureMaps.Legend oneSide = FeatureMaps.legend(values, o.withScale(Scale.SYMMETRIC_CLIPPED));
        assertEquals("-0.5", oneSide.low());
        assertEquals(FeatureMaps.AT_LEAST + "0.5", oneSide.high());
        FeatureMaps.Legend whole = FeatureMaps.legend(values, o.withScale(Scale.SYMMETRIC));
        assertEquals("-8", whole.low());
        assertEquals("8", whole.high());
        FeatureMaps.Legend minMax = FeatureMaps.legend(values, o.withScale(Scale.MIN_MAX));
        assertEquals("-0.5", minMax.low());
        assertEquals("8", minMax.high());
        assertEquals(List.of("0", "1"), List.of(FeatureMaps.legend(values, o.withScale(Scale.FIXED)).low(),
                FeatureMaps.legend(values, o.withScale(Scale.FIXED)).high()));
        assertFalse(FeatureMaps.legend(new float[] {Float.NaN}, o).finite());
        assertNull(FeatureMaps.legend(values, o.withSharedScale(false)));
        assertTrue(List.of("≤ ", "<= ").contains(FeatureMaps.AT_MOST), FeatureMaps.AT_MOST);
    }

    /** Maps with no finite value, or values near float's largest, still get a legend that says what is drawn. */
    @Test
    void theLegendOfOddMaps() {
        INDArray nan = Nd4j.create(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, new long[] {1, 1, 2, 2},
                'c');
        BufferedImage none = FeatureMaps.path(List.of(Stage.of("nan", nan)));
        assertTrue(none.getWidth() > 0);
        INDArray huge = Nd4j.create(new float[] {-3e38f, 0, 1e38f, 3e38f}, new long[] {1, 1, 2, 2}, 'c');
        FeatureMaps.Options o = FeatureMaps.Options.DEFAULT.withScale(Scale.MIN_MAX);
        BufferedImage image = FeatureMaps.path(List.of(Stage.of("huge", huge)), o);
        PathLayout l = FeatureMaps.pathLayout(List.of(Stage.of("huge", huge)), o);
        int barTop = l.rows().get(0).y() + FeatureMaps.HEADER_HEIGHT + 4;
        assertEquals(0x000000, image.getRGB(8, barTop + 1) & 0xffffff, "the low end black, not NaN's colour");
        assertEquals(0xffffff, image.getRGB(l.headerWidth() - 9, barTop + 1) & 0xffffff, "the high end white");
    }

    @Test
    void badPathsNameTheStage() {
        rejects("FeatureMaps.path", () -> FeatureMaps.path(List.of()), "no stages", "hint: ");
        INDArray maps = seeded(1, 1, 8, 6, 6);
        rejects("FeatureMaps.path", () -> FeatureMaps.path(List.of(Stage.picture("input", maps))),
                "stage 'input' is a picture but has 8 channels", "[1,8,6,6]", "hint: ", "Stage.of");
        rejects("FeatureMaps.path", () -> FeatureMaps.path(List.of(Stage.of("conv", maps),
                Stage.of("flat", Nd4j.zeros(DataType.FLOAT, 1, 288)))), "stage 'flat' must be 4-D", "[1,288]");
        rejects("FeatureMaps.path", () -> FeatureMaps.path(List.of(Stage.of("batch", seeded(2, 3, 2, 4, 4)))),
                "stage 'batch' is a batch of 3", "withBatch");
        rejects("FeatureMaps", () -> Stage.of(null, maps), "label");
    }
}
