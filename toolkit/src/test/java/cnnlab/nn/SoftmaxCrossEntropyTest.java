package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The loss and its gradient against numbers worked out by hand. */
class SoftmaxCrossEntropyTest {

    private static float[] values(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /**
     * Row 0: logits (1, 2, 3), label 2. With m = 3, sum = e^-2 + e^-1 + 1 = 1.5032147, so
     * p = (0.0900306, 0.2447285, 0.6652410) and -log p[2] = log(1.5032147) = 0.4076059.
     * Row 1: logits (1, 1, 1), label 0: p = 1/3 each, -log p[0] = log 3 = 1.0986123.
     * Loss = (0.4076059 + 1.0986123) / 2 = 0.7531091; gradient = (p - onehot) / 2.
     */
    @Test
    void valueAndGradientOfTwoRows() {
        INDArray logits = Nd4j.create(new float[][] {{1, 2, 3}, {1, 1, 1}});
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(logits, new int[] {2, 0});
        assertEquals(0.7531091265562453, ce.loss(), 1e-6);
        assertArrayEquals(new float[] {0.0900306f, 0.2447285f, 0.6652410f, 1 / 3f, 1 / 3f, 1 / 3f},
                values(ce.probabilities()), 1e-6f);
        assertArrayEquals(new float[] {0.0450153f, 0.1223642f, -0.1673795f, -1 / 3f, 1 / 6f, 1 / 6f},
                values(ce.grad()), 1e-6f);
        assertArrayEquals(new long[] {2, 3}, ce.grad().shape());
    }

    /** log(1 + e^-2) for the right class two ahead: the Javadoc example. */
    @Test
    void twoClasses() {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(Nd4j.create(new float[][] {{2, 0}}), new int[] {0});
        assertEquals(Math.log(1 + Math.exp(-2)), ce.loss(), 1e-7);
    }

    /** Logits of 1000 would overflow exp; log-sum-exp keeps the loss exact and the gradient finite. */
    @Test
    void largeLogitsAreStable() {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(Nd4j.create(new float[][] {{1000, 0}, {-1000, 1000}}),
                new int[] {1, 1});
        assertEquals((1000 + 0) / 2.0, ce.loss(), 1e-9);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0, 0}, values(ce.grad()), 1e-7f);
    }

    /**
     * A class 88 logits behind has p = e^-88 = 6.1e-39, below the smallest normal float: its gradient entry is 0
     * (subnormal arithmetic is slow), while one 80 behind (1.8e-35) keeps its value, as does the probability.
     */
    @Test
    void subnormalGradientEntriesAreFlushedToZero() {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(Nd4j.create(new float[][] {{88, 0, 8}}), new int[] {0});
        float[] grad = values(ce.grad()), p = values(ce.probabilities());
        assertEquals(0f, grad[1]);
        assertTrue(p[1] > 0 && p[1] < Float.MIN_NORMAL, "the probability stays exact: " + p[1]);
        assertEquals((float) Math.exp(8 - 88 - Math.log1p(Math.exp(-88) + Math.exp(-80))), grad[2], 1e-40f);
        assertTrue(grad[2] >= Float.MIN_NORMAL, "a normal entry is kept: " + grad[2]);
        assertEquals(0f, SoftmaxCrossEntropy.flushSubnormal(-Float.MIN_VALUE));
        assertEquals(-Float.MIN_NORMAL, SoftmaxCrossEntropy.flushSubnormal(-Float.MIN_NORMAL));
    }

    @Test
    void badLabelsNameTheShapes() {
        INDArray logits = Nd4j.zeros(4, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.of(logits, new int[] {0, 1, 12, 3}));
        assertTrue(e.getMessage().contains("label 12 at index 2 is outside [0, 10)"), e.getMessage());
        assertTrue(e.getMessage().contains("logits [4,10], labels [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.of(logits, new int[] {0, 1}));
        assertTrue(e.getMessage().startsWith("SoftmaxCrossEntropy: need one label per row but got 2 labels for 4"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SoftmaxCrossEntropy.of(Nd4j.zeros(4, 1, 2, 5), new int[4]));
        assertTrue(e.getMessage().contains("must be [N, K]") && e.getMessage().contains("hint: Flatten"),
                e.getMessage());
    }
}
