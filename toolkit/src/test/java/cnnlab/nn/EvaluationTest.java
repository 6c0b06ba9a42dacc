package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.viz.KernelGrid;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;

/** Confusion matrix, misclassified samples and per-layer activations, on hand-made predictions and the bars net. */
class EvaluationTest {
    //                                 samples: 0  1  2  3  4  5  6
    private static final int[] LABELS = {0, 0, 1, 1, 1, 2, 2};
    private static final int[] PREDICTED = {0, 1, 1, 1, 2, 2, 0};
    private static final List<String> NAMES = List.of("cat", "dog", "owl");
    /** The captions of samples 1, 4 and 6: true class, then predicted. */
    private static final List<String> CAPTIONS = List.of("true cat → dog", "true dog → owl", "true owl → cat");

    @Test
    void countsPutTrueClassesInRowsAndPredictionsInColumns() {
        int[][] counts = Evaluation.confusionCounts(LABELS, PREDICTED, 3);
        assertArrayEquals(new int[] {1, 1, 0}, counts[0]);
        assertArrayEquals(new int[] {0, 2, 1}, counts[1]);
        assertArrayEquals(new int[] {1, 0, 1}, counts[2]);
    }

    @Test
    void tableHasNamedColumnsTotalsAndRecall() {
        Table t = Evaluation.confusionMatrix(LABELS, PREDICTED, NAMES);
        assertEquals(List.of("true", "cat", "dog", "owl", "total", "recall"), t.columnNames());
        assertEquals(NAMES, t.stringColumn("true").asList());
        assertArrayEquals(new double[] {1, 2, 0}, t.numberColumn("dog").asDoubleArray());
        assertArrayEquals(new double[] {2, 3, 2}, t.numberColumn("total").asDoubleArray());
        assertArrayEquals(new double[] {50.0, 66.7, 50.0}, t.numberColumn("recall").asDoubleArray(), 1e-12);
        assertEquals("66.7%", t.numberColumn("recall").getString(1), "a percentage, not a count like total");
        assertTrue(t.name().contains("rows: true class"));
    }

    @Test
    void recallOfAnAbsentClassIsMissing() {
        Table t = Evaluation.confusionMatrix(new int[] {0, 0}, new int[] {0, 1}, List.of("a", "b"));
        assertEquals(50.0, t.numberColumn("recall").getDouble(0), 1e-12);
        assertTrue(Double.isNaN(t.numberColumn("recall").getDouble(1)));
        assertEquals(1, t.numberColumn("b").getDouble(0), 0);
    }

    @Test
    void accuracyIsTheShareOfRightPredictionsAsTheNetworkReportsIt() {
        assertEquals(4 / 7.0, Evaluation.accuracy(LABELS, PREDICTED), 1e-12);
        assertEquals(1.0, Evaluation.accuracy(LABELS, LABELS), 0);
        Sequential net = Bars.network(Cnn.fast(), 3);
        Bars bars = Bars.of(50, 9);
        assertEquals(net.accuracy(bars.images(), bars.labels()),
                Evaluation.accuracy(bars.labels(), net.predict(bars.images())), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Evaluation.accuracy(LABELS, new int[3]));
        assertTrue(e.getMessage().startsWith("Evaluation.accuracy: need one prediction per label"), e.getMessage());
    }

    @Test
    void misclassifiedListsTheWrongSamplesInOrder() {
        assertArrayEquals(new int[] {1, 4, 6}, Evaluation.misclassified(LABELS, PREDICTED));
        assertArrayEquals(new int[0], Evaluation.misclassified(LABELS, LABELS));
    }

    @Test
    void gridShowsTheFirstMistakesWithCaptions() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 7, 1, 28, 28);
        BufferedImage all = Evaluation.misclassifiedGrid(images, LABELS, PREDICTED, NAMES, 20);
        BufferedImage two = Evaluation.misclassifiedGrid(images, LABELS, PREDICTED, NAMES, 2);
        // three tiles in a row vs two, each 28 * 3 pixels wide
        KernelGrid.Layout three = KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 3, 1, 28, 28),
                KernelGrid.Options.of(Evaluation.GRID_ZOOM, 3).withSeparator(2).withCaptions(CAPTIONS));
        assertEquals(three.width(), all.getWidth());
        assertEquals(three.height(), all.getHeight());
        assertTrue(two.getWidth() < all.getWidth());
        assertEquals(28 * Evaluation.GRID_ZOOM, three.tileWidth());
        assertNull(Evaluation.misclassifiedGrid(images, LABELS, LABELS, NAMES, 20), "nothing wrong, no picture");
    }

    @Test
    void gridTileShowsTheMisclassifiedImageItself() {
        // sample 4 (the second mistake) is white, every other sample black: the second tile is the white one
        INDArray images = Nd4j.zeros(DataType.FLOAT, 7, 1, 4, 4);
        images.get(NDArrayIndex.point(4)).assign(1);
        BufferedImage grid = Evaluation.misclassifiedGrid(images, LABELS, PREDICTED, NAMES, 3);
        KernelGrid.Layout l = KernelGrid.layout(Nd4j.zeros(DataType.FLOAT, 3, 1, 4, 4),
                KernelGrid.Options.of(Evaluation.GRID_ZOOM, 3).withSeparator(2).withCaptions(CAPTIONS));
        int y = l.y(0) + 1;
        int first = l.x(0) + 1, second = l.x(1) + 1;
        assertEquals(0x000000, grid.getRGB(first, y) & 0xffffff);
        assertEquals(0xffffff, grid.getRGB(second, y) & 0xffffff);
    }

    @Test
    void activationsFollowTheLayersUpToTheFlatten() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        INDArray x = Bars.of(1, 5).images();
        LinkedHashMap<String, INDArray> a = Evaluation.activations(net, x);
        assertEquals(List.of("input", "conv1", "relu1", "pool1"), List.copyOf(a.keySet()));
        assertArrayEquals(new long[] {1, 4, 8, 8}, a.get("conv1").shape());
        assertArrayEquals(new long[] {1, 4, 4, 4}, a.get("pool1").shape());
        INDArray conv = Cnn.conv2d(x, net.param("conv1.weight").value(), net.param("conv1.bias").value(),
                cnnlab.ops.ConvParams.of(1, 1));
        assertEquals(conv, a.get("conv1"));
        assertEquals(Cnn.relu(conv), a.get("relu1"));
        assertTrue(net.isTraining(), "the mode is restored");
        assertFalse(Evaluation.activations(net.eval(), x).isEmpty());
        assertFalse(net.isTraining());
    }

    @Test
    void badInputsNameTheMethodAndTheSizes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.confusionCounts(LABELS, new int[] {0, 1}, 3));
        assertTrue(e.getMessage().startsWith("Evaluation.confusionCounts: need one prediction per label"),
                e.getMessage());
        assertTrue(e.getMessage().contains("labels [7], predictions [2]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.confusionMatrix(LABELS, PREDICTED, List.of("cat", "dog")));
        assertTrue(e.getMessage().contains("prediction 2 of sample 4 is not a class 0..1"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.confusionMatrix(LABELS, PREDICTED, List.of("a", "a", "b")));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.misclassifiedGrid(
                Nd4j.zeros(DataType.FLOAT, 6, 1, 4, 4), LABELS, PREDICTED, NAMES, 5));
        assertTrue(e.getMessage().contains("got 7 for 6 images") && e.getMessage().contains("[6,1,4,4]"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.misclassifiedGrid(
                Nd4j.zeros(DataType.FLOAT, 7, 2, 4, 4), LABELS, PREDICTED, NAMES, 5));
        assertTrue(e.getMessage().contains("C = 1 or 3"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.activations(Bars.network(Cnn.fast(), 1),
                Nd4j.zeros(DataType.FLOAT, 2, 1, 8, 8)));
        assertTrue(e.getMessage().startsWith("Evaluation.activations: image must be one image [1, C, H, W]")
                && e.getMessage().contains("[2,1,8,8]") && e.getMessage().contains("hint:"), e.getMessage());
    }
}
