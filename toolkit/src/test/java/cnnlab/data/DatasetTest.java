package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.viz.ColorMaps;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;

class DatasetTest {
    private static final List<String> NAMES = List.of("cat", "dog", "bird");

    /** 30 cats, 20 dogs, 10 birds, sorted by class; every pixel of image i is i / 100 (so values tell indices). */
    private static Dataset indexed() {
        int n = 60, h = 4, w = 3;
        int[] labels = new int[n];
        float[] v = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 30 ? 0 : i < 50 ? 1 : 2;
            Arrays.fill(v, i * h * w, (i + 1) * h * w, i / 100f);
        }
        return new Dataset("toy", "toy (test)", Nd4j.create(v, new long[] {n, 1, h, w}, 'c'), labels, NAMES);
    }

    private static int originalIndex(Dataset d, int k) {
        return Math.round(d.images().getFloat(k, 0, 0, 0) * 100);
    }

    private static int[] originals(Dataset d) {
        int[] out = new int[d.size()];
        Arrays.setAll(out, k -> originalIndex(d, k));
        return out;
    }

    @Test
    void splitIsStratifiedDisjointAndComplete() {
        Dataset d = indexed();
        Dataset.Split split = d.split(0.2, 42);
        assertArrayEquals(new int[] {6, 4, 2}, split.test().counts(), "round(0.2 * count) of each class");
        assertArrayEquals(new int[] {24, 16, 8}, split.train().counts());
        Set<Integer> seen = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.test())) {
            for (int k = 0; k < part.size(); k++) {
                int i = originalIndex(part, k);
                assertTrue(seen.add(i), "image " + i + " is in both sets");
                assertEquals(d.labels()[i], part.labels()[k], "a label travels with its image");
            }
        }
        assertEquals(60, seen.size());
        assertTrue(split.test().source().contains("seed 42") && split.test().source().contains("test 12"),
                split.test().source());
        assertEquals("stratified split: train 48, test 12 (3 classes, each in both)", split.toString());
    }

    @Test
    void splitIsDeterminedBySeedAndShuffled() {
        Dataset d = indexed();
        int[] a = originals(d.split(0.25, 7).test()), b = originals(d.split(0.25, 7).test());
        assertArrayEquals(a, b, "same seed, same split in the same order");
        int[] c = originals(d.split(0.25, 8).test());
        int[] sortedA = a.clone(), sortedC = c.clone();
        Arrays.sort(sortedA);
        Arrays.sort(sortedC);
        assertFalse(Arrays.equals(sortedA, sortedC), "another seed holds out other images");
        int[] train = d.split(0.25, 7).train().labels();
        int[] sorted = train.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(sorted, train), "classes are mixed, not in blocks");
    }

    @Test
    void everyClassKeepsAtLeastOneImageOnEachSide() {
        int[] labels = {0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        Dataset d = new Dataset("t", "t", Nd4j.zeros(DataType.FLOAT, labels.length, 1, 2, 2), labels, NAMES);
        Dataset.Split split = d.split(0.1, 1);
        assertArrayEquals(new int[] {0, 1, 1}, split.test().counts(), "a single image trains; 2 split 1 + 1");
        assertArrayEquals(new int[] {1, 1, 9}, split.train().counts());
        assertArrayEquals(new int[] {0, 1, 9}, d.split(0.9, 1).test().counts(), "at most all but one");
    }

    @Test
    void splitRejectsAFractionOutsideZeroToOne() {
        for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> indexed().split(f, 1));
            assertTrue(e.getMessage().startsWith("Dataset.split: testFraction") && e.getMessage().contains("" + f),
                    e.getMessage());
        }
    }

    @Test
    void aSplitWithNoClassOfTwoAndANullClassNameAreClearErrors() {
        Dataset singles = new Dataset("t", "t", Nd4j.zeros(DataType.FLOAT, 3, 1, 2, 2), new int[] {0, 1, 2}, NAMES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> singles.split(0.5, 1));
        assertTrue(e.getMessage().startsWith("Dataset.split: no class has 2 images"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset("t", "t",
                Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2), new int[] {0, 1}, java.util.Arrays.asList("a", null)));
        assertTrue(e.getMessage().startsWith("Dataset: class name 1 is null"), e.getMessage());
    }

    @Test
    void summaryHasOneRowPerClassWithCountMeanAndStd() {
        int[] labels = {0, 0, 1, 2};
        float[] v = new float[4 * 4];
        Arrays.fill(v, 0, 8, 0.25f); // class 0: every pixel 0.25
        v[8] = 0; v[9] = 1; v[10] = 0; v[11] = 1; // class 1: half 0, half 1
        Arrays.fill(v, 12, 16, 0.8f);
        Table t = new Dataset("t", "t (test)", Nd4j.create(v, new long[] {4, 1, 2, 2}, 'c'), labels, NAMES)
                .summary();
        assertEquals(List.of("label", "class", "count", "pixel mean", "pixel std"), t.columnNames());
        assertEquals("t (test)", t.name());
        assertEquals(3, t.rowCount());
        assertEquals(List.of("cat", "dog", "bird"), t.stringColumn("class").asList());
        assertEquals(List.of(2, 1, 1), t.intColumn("count").asList());
        assertEquals(0.25, t.doubleColumn("pixel mean").get(0), 1e-9);
        assertEquals(0.0, t.doubleColumn("pixel std").get(0), 1e-9);
        assertEquals(0.5, t.doubleColumn("pixel mean").get(1), 1e-9);
        assertEquals(0.5, t.doubleColumn("pixel std").get(1), 1e-9);
        assertEquals(0.8, t.doubleColumn("pixel mean").get(2), 1e-4);
    }

    @Test
    void sampleGridHasOneRowPerClassAndPerClassColumns() {
        Dataset d = indexed(); // images 4 x 3
        BufferedImage grid = d.sampleGrid(5);
        int tileW = 3 * Dataset.GRID_ZOOM, tileH = 4 * Dataset.GRID_ZOOM, gap = Dataset.GRID_GAP;
        assertEquals(d.gridLabelWidth() + gap + 5 * (tileW + gap), grid.getWidth());
        assertEquals(gap + 3 * (tileH + gap), grid.getHeight());
        // row 1 (dogs), column 2 is the third dog: image 32, every pixel 0.32
        Point at = d.gridTile(1, 2);
        int grey = Math.round(0.32f * 255);
        for (int[] xy : new int[][] {{0, 0}, {tileW - 1, tileH - 1}}) {
            int rgb = grid.getRGB(at.x + xy[0], at.y + xy[1]);
            assertEquals(grey * 0x010101, rgb & 0xffffff, "tile pixel " + Arrays.toString(xy));
        }
        assertNotEquals(grey * 0x010101, grid.getRGB(at.x + tileW, at.y) & 0xffffff, "a gap follows the tile");
    }

    @Test
    void mnistSizedGridIsAsDocumented() {
        Dataset d = new Dataset("m", "m", Nd4j.zeros(DataType.FLOAT, 20, 1, 28, 28), new int[20],
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        BufferedImage grid = d.sampleGrid(10);
        assertEquals(582, grid.getHeight());
        // one digit a label: the column is the digit's width and 14 px, not the 100 px a class name may take
        int digits = d.gridLabelWidth();
        assertTrue(digits >= 18 && digits <= 30, "label column " + digits);
        assertEquals(digits + 2 + 10 * 58, grid.getWidth());
        BufferedImage random = d.sampleGrid(3, 9);
        assertEquals(digits + 2 + 3 * 58, random.getWidth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.sampleGrid(0));
        assertTrue(e.getMessage().contains("perClass"), e.getMessage());
    }

    /** A long class name widens the label column to at most GRID_LABEL_WIDTH and is cut to fit there. */
    @Test
    void theLabelColumnFitsTheWidestLabel() {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        Dataset shortNames = new Dataset("s", "s", images, new int[] {0, 1}, List.of("cat", "dog"));
        Dataset longNames = new Dataset("l", "l", images, new int[] {0, 1},
                List.of("cat", "an animal with a very long name indeed"));
        assertTrue(shortNames.gridLabelWidth() < Dataset.GRID_LABEL_WIDTH, "" + shortNames.gridLabelWidth());
        assertTrue(shortNames.gridLabelWidth() > new Dataset("d", "d", images, new int[] {0, 1},
                List.of("0", "1")).gridLabelWidth(), "'0 cat' is wider than '0'");
        assertEquals(Dataset.GRID_LABEL_WIDTH, longNames.gridLabelWidth());
        assertEquals(Dataset.GRID_LABEL_WIDTH + 2 + 2 * 6, longNames.sampleGrid(2).getWidth());
        // the first tile (black: the images are 0) starts right after the column and its gap of background
        BufferedImage grid = shortNames.sampleGrid(1);
        int first = shortNames.gridLabelWidth() + Dataset.GRID_GAP, y = shortNames.gridTile(0, 0).y;
        assertEquals(0, grid.getRGB(first, y) & 0xffffff, "the tile");
        assertNotEquals(0, grid.getRGB(first - 1, y) & 0xffffff, "the gap before it");
    }

    @Test
    void aNanPixelIsMagentaAndAGridTooLargeIsRefused() {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        images.putScalar(new long[] {1, 0, 1, 1}, Float.NaN);
        Dataset d = new Dataset("n", "n", images, new int[] {0, 0}, List.of("a"));
        BufferedImage grid = d.sampleGrid(2);
        Point second = d.gridTile(0, 1);
        assertEquals(ColorMaps.NAN, grid.getRGB(second.x + 3, second.y + 3) & 0xffffff, "NaN is drawn magenta");
        assertEquals(0, grid.getRGB(second.x, second.y) & 0xffffff, "a 0 beside it stays black");
        // 2 images of 3000x3000 a row: 12,040 x 6,004 pixels at zoom 2, past 2^26; the old code asked the JDK
        Dataset big = new Dataset("b", "b", Nd4j.zeros(DataType.FLOAT, 2, 1, 3000, 3000), new int[2], List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.sampleGrid(2));
        int wide = big.gridLabelWidth() + 2 + 2 * 6002;
        assertTrue(e.getMessage().contains(wide + "x6004 pixels") && e.getMessage().contains("Images.resize"),
                e.getMessage());
    }

    @Test
    void aGridOfFourChannelsIsRefusedWithAHintThatWorks() {
        // four channels used to be drawn as their first, grey, without a word
        Dataset rgba = new Dataset("c", "c", Nd4j.zeros(DataType.FLOAT, 1, 4, 2, 2), new int[1], List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rgba.sampleGrid(1));
        assertTrue(e.getMessage().contains("[1, 4, 2, 2]") && e.getMessage().contains("hint: pick the channels"),
                e.getMessage());
        Dataset d = rgba;   // the hint, as written
        Dataset rgb = new Dataset(d.name(), d.source(), d.images().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3))
                .dup(), d.labels(), d.classNames());
        assertEquals(3, rgb.sampleGrid(1).getRaster().getNumBands());
    }

    @Test
    void selectSliceShuffleAndImageCopyTheRightImages() {
        Dataset d = indexed();
        Dataset s = d.select(59, 0, 31);
        assertArrayEquals(new int[] {59, 0, 31}, originals(s));
        assertArrayEquals(new int[] {2, 0, 1}, s.labels());
        assertArrayEquals(new long[] {3, 1, 4, 3}, s.images().shape());
        assertArrayEquals(new int[] {10, 11, 12}, originals(d.slice(10, 13)));
        int[] shuffled = originals(d.shuffled(3)), sorted = shuffled.clone();
        Arrays.sort(sorted);
        assertFalse(Arrays.equals(shuffled, sorted));
        assertArrayEquals(originals(d), sorted, "a permutation");
        assertArrayEquals(new long[] {1, 1, 4, 3}, d.image(45).shape());
        assertEquals(0.45f, d.image(45).getFloat(0, 0, 3, 2), 1e-6);
        assertEquals("bird", d.className(55));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.select(60));
        assertTrue(e.getMessage().contains("index 60") && e.getMessage().contains("0..59"), e.getMessage());
    }

    @Test
    void constructorChecksLabelsAndKeepsDenseFloatArrays() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        assertSame(x, new Dataset("t", "t", x, new int[] {0, 1}, NAMES).images(), "no copy needed");
        Dataset fromDouble = new Dataset("t", "t", Nd4j.zeros(DataType.DOUBLE, 2, 1, 2, 2), new int[2], NAMES);
        assertEquals(DataType.FLOAT, fromDouble.images().dataType());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("t", "t", x, new int[] {0}, NAMES));
        assertTrue(count.getMessage().contains("1 labels for 2 images"), count.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("t", "t", x, new int[] {0, 3}, NAMES));
        assertTrue(range.getMessage().contains("label 3") && range.getMessage().contains("0..2"), range.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("t", "t", Nd4j.zeros(DataType.FLOAT, 2, 4), new int[2], NAMES));
        assertTrue(rank.getMessage().contains("[N, C, H, W]") && rank.getMessage().contains("[2, 4]"),
                rank.getMessage());
    }
}
