package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Infinite and NaN values where PyTorch 1.13 has a rule (values from torch). An upstream gradient: ReLU's
 * backward is a select, so where x &lt;= 0 the result is 0 whatever the gradient; max pooling's backward is a
 * scatter, so a cell that wins no window gets 0. A multiply by a 0/1 mask would give {@code 0 * inf = NaN} there.
 * Median pooling: a window holding NaN gives NaN, as torch.median.
 */
class NonFiniteTest {
    private static final float INF = Float.POSITIVE_INFINITY, NAN = Float.NaN;

    static Stream<Arguments> engines() {
        return Stream.of(Arguments.of("reference", Cnn.reference()), Arguments.of("fast", Cnn.fast()));
    }

    /** inf, -inf and NaN exactly where expected; finite values within 1e-5 relative (sums may run in other orders). */
    private static void assertSame(float[] expected, INDArray actual, String what) {
        float[] a = actual.dup('c').data().asFloat();
        assertEquals(expected.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            boolean bothFinite = Float.isFinite(expected[i]) && Float.isFinite(a[i]);
            boolean same = bothFinite ? Math.abs(expected[i] - a[i]) <= 1e-5f * Math.max(1f, Math.abs(expected[i]))
                    : Float.compare(expected[i], a[i]) == 0;
            assertTrue(same, what + " at " + i + ": expected " + expected[i] + " but was " + a[i]);
        }
    }

    /** torch: relu(x).backward(g) with x = [-1, 0, 2, nan, -3, 4], g = [inf, nan, 5, 6, nan, nan]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void reluBackwardIsASelect(String name, Ops ops) {
        INDArray x = Nd4j.createFromArray(new float[] {-1, 0, 2, NAN, -3, 4});
        INDArray g = Nd4j.createFromArray(new float[] {INF, NAN, 5, 6, NAN, NAN});
        assertSame(new float[] {0, 0, 5, 6, 0, NAN}, ops.reluBackward(x, g), name + " relu dx");
        assertSame(new float[] {INF, NAN, 5, 0.06f, NAN, NAN}, ops.leakyReluBackward(x, g, 0.01),
                name + " leaky relu dx (a multiply in PyTorch too)");
    }

    /**
     * torch: prelu(x, 0.25) with x = [-1, 0, 2, -3, 4, inf], g = [1, 2, inf, 3, nan, 1]: dx = [0.25, 0.5, inf, 0.75,
     * nan, 1] and dalpha = -1 - 9 = -10 (the sum runs over x &lt;= 0 only, so 2 * inf and inf * 1 stay out).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void preluAlphaGradientSkipsPositiveInputs(String name, Ops ops) {
        INDArray x = Nd4j.createFromArray(new float[] {-1, 0, 2, -3, 4, INF});
        INDArray g = Nd4j.createFromArray(new float[] {1, 2, INF, 3, NAN, 1});
        PreluGradients d = ops.preluBackward(x, Nd4j.createFromArray(new float[] {0.25f}), g);
        assertSame(new float[] {0.25f, 0.5f, INF, 0.75f, NAN, 1}, d.dx(), name + " prelu dx");
        assertSame(new float[] {-10}, d.dalpha(), name + " prelu dalpha");
    }

    /**
     * torch: max_pool2d(x, 2, stride 1, padding 1) of [[1, 2], [3, 4]], output 3x3, backward of ones with an
     * inf at (0, 0): [[inf, 2], [2, 4]]; with NaN there, [[nan, 2], [2, 4]].
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void maxPoolBackwardIsAScatter(String name, Ops ops) {
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
        for (float bad : new float[] {INF, NAN}) {
            INDArray g = Nd4j.ones(DataType.FLOAT, 1, 1, 3, 3);
            g.putScalar(0, bad);
            assertSame(new float[] {bad, 2, 2, 4}, ops.maxPool2dBackward(x, g, PoolParams.of(2, 1, 1)),
                    name + " max-pool dx with " + bad);
        }
    }

    /** Both engines alike on random inputs with inf and NaN in the gradient, over plain and padded windows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void enginesAgreeOnNonFiniteGradients(PoolParams p) {
        Random r = new Random(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 9, 9).subi(0.5);
        INDArray y = Cnn.fast().maxPool2d(x, p), g = Nd4j.rand(DataType.FLOAT, y.shape());
        for (int i = 0; i < 4; i++) {
            g.putScalar(r.nextInt((int) g.length()), i % 2 == 0 ? INF : NAN);
        }
        INDArray gx = Nd4j.rand(DataType.FLOAT, x.shape());
        for (int i = 0; i < 6; i++) {
            gx.putScalar(r.nextInt((int) gx.length()), i % 3 == 0 ? -INF : i % 3 == 1 ? INF : NAN);
        }
        Ops ref = Cnn.reference(), fast = Cnn.fast();
        assertSame(ref.maxPool2dBackward(x, g, p).dup('c').data().asFloat(), fast.maxPool2dBackward(x, g, p),
                p + " max");
        assertSame(ref.minPool2dBackward(x, g, p).dup('c').data().asFloat(), fast.minPool2dBackward(x, g, p),
                p + " min");
        assertSame(ref.reluBackward(x, gx).dup('c').data().asFloat(), fast.reluBackward(x, gx), "relu");
    }

    /** torch.median([1, nan, 3]) is nan; a window of [3, 1, -inf, 2] has median (1 + 2) / 2. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void medianOfAWindowWithNanIsNan(String name, Ops ops) {
        INDArray x = Nd4j.createFromArray(new float[] {1, NAN, 3, 1, 3, 1, -INF, 2}).reshape(1, 1, 2, 4);
        assertSame(new float[] {NAN, 1.5f}, ops.medianPool2d(x, PoolParams.of(2)), name + " median");
    }

    /** Both engines alike with inf and NaN among the inputs, over plain, overlapping, padded and ceil windows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void enginesAgreeOnMediansWithNonFiniteInputs(PoolParams p) {
        Random r = new Random(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 9, 9).subi(0.5);
        for (int i = 0; i < 9; i++) {
            x.putScalar(r.nextInt((int) x.length()), i % 3 == 0 ? NAN : i % 3 == 1 ? INF : -INF);
        }
        assertSame(Cnn.reference().medianPool2d(x, p).dup('c').data().asFloat(), Cnn.fast().medianPool2d(x, p),
                p + " median");
    }

    static Stream<PoolParams> windows() {
        return Stream.of(PoolParams.of(2), PoolParams.of(3, 1), PoolParams.of(2, 1), PoolParams.of(3, 1, 1),
                PoolParams.of(3, 2).withCeilMode(true), PoolParams.of(2, 2, 1));
    }

    /**
     * torch: conv2d(x, w, padding=(0, 1), padding_mode=m) with x = [1, 2, 3] (1x1x1x3), w = [1, 1, 1] (1x1x1x3),
     * backward of g = [inf, 1, 1]: each padded cell's gradient goes to the cell it copied, so only the cells that
     * an infinite gradient reaches are infinite. replicate [inf, inf, 3], reflect [inf, inf, 2], circular
     * [inf, inf, inf].
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void convBackwardThroughCopiedPaddingSendsInfOnlyWhereItReaches(String name, Ops ops) {
        INDArray x = Nd4j.create(new float[] {1, 2, 3}, new long[] {1, 1, 1, 3}, 'c');
        INDArray w = Nd4j.create(new float[] {1, 1, 1}, new long[] {1, 1, 1, 3}, 'c');
        INDArray g = Nd4j.create(new float[] {INF, 1, 1}, new long[] {1, 1, 1, 3}, 'c');
        float[][] expected = {{INF, INF, 3}, {INF, INF, 2}, {INF, INF, INF}};
        PaddingMode[] modes = {PaddingMode.REPLICATE, PaddingMode.REFLECT, PaddingMode.CIRCULAR};
        for (int m = 0; m < modes.length; m++) {
            ConvParams p = ConvParams.of(1, 1, 0, 1).withPaddingMode(modes[m]);
            assertSame(expected[m], ops.conv2dBackward(x, w, g, p).dx(), name + " " + modes[m] + " dx");
        }
    }

    private static INDArray row4(float... v) {
        return Nd4j.create(v, new long[] {1, 1, 1, v.length}, 'c');
    }

    /**
     * Dilation skips the cells between a kernel's taps, non-finite or not. torch, w = [1, 1] (1x1x1x2), dilation
     * (1, 2): conv2d([1, nan, 1, 1, 1]) = [2, nan, 2]; its dx for g = [1, inf, 1] is [1, inf, 2, inf, 1];
     * conv_transpose2d([1, nan, 1]) = [1, nan, 2, nan, 1]; its dx for g = [1, 1, inf, 1, 1] is [inf, 2, inf].
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void dilatedConvolutionsLeaveTheCellsBetweenTapsOut(String name, Ops ops) {
        INDArray w = row4(1, 1);
        ConvParams p = ConvParams.DEFAULT.withDilation(1, 2);
        assertSame(new float[] {2, NAN, 2}, ops.conv2d(row4(1, NAN, 1, 1, 1), w, null, p), name + " conv2d");
        assertSame(new float[] {1, INF, 2, INF, 1}, ops.conv2dBackward(row4(1, 2, 3, 4, 5), w, row4(1, INF, 1), p)
                .dx(), name + " conv2d dx");
        ConvTransposeParams t = ConvTransposeParams.DEFAULT.withDilation(1, 2);
        assertSame(new float[] {1, NAN, 2, NAN, 1}, ops.convTranspose2d(row4(1, NAN, 1), w, null, t),
                name + " convTranspose2d");
        assertSame(new float[] {INF, 2, INF}, ops.convTranspose2dBackward(row4(1, 2, 3), w, row4(1, 1, INF, 1, 1), t)
                .dx(), name + " convTranspose2d dx");
    }

    /**
     * A kernel with an infinite weight adds inf only where that tap reaches (torch, conv2d backward of x = [1, 2, 3]
     * by w = [inf, 1] with g = [1, 1]: dx = [inf, inf, 1]; conv_transpose2d of [1, 1] by [inf, 1]: [inf, inf, 1],
     * and with stride (1, 2): [inf, 1, inf, 1]).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anInfiniteWeightReachesOnlyItsOwnCells(String name, Ops ops) {
        INDArray w = row4(INF, 1);
        assertSame(new float[] {INF, INF, 1}, ops.conv2dBackward(row4(1, 2, 3), w, row4(1, 1), ConvParams.DEFAULT)
                .dx(), name + " conv2d dx");
        assertSame(new float[] {INF, INF, 1}, ops.convTranspose2d(row4(1, 1), w, null, ConvTransposeParams.DEFAULT),
                name + " convTranspose2d");
        assertSame(new float[] {INF, 1, INF, 1}, ops.convTranspose2d(row4(1, 1), w, null,
                ConvTransposeParams.DEFAULT.withStride(1, 2)), name + " convTranspose2d stride (1, 2)");
    }

    /**
     * An infinite input cell reaches only the weights whose taps read it for an output cell (torch: conv2d of
     * x = [[1, 2, inf], [1, 1, 1]] by w = [1, 1] with g all ones has dw = [5, inf]). The tap that stops short of
     * it (dw 5) must not pick it up between the rows, where the reference engine's stride-1 reads run on.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void anInfiniteInputReachesOnlyTheWeightsThatReadIt(String name, Ops ops) {
        INDArray x = Nd4j.create(new float[] {1, 2, INF, 1, 1, 1}, new long[] {1, 1, 2, 3}, 'c');
        INDArray g = Nd4j.ones(DataType.FLOAT, 1, 1, 2, 2);
        assertSame(new float[] {5, INF}, ops.conv2dBackward(x, row4(1, 1), g, ConvParams.DEFAULT).dw(),
                name + " conv2d dw");
    }

    /**
     * A median is one of the window's values, or the mean of two: never infinite for finite values. torch:
     * median([3e38]) = 3e38, median([3e38] * 5 + [1, 2, 3, 4]) = 3e38 (the sorted window's middle one); the mean of
     * the two middle values of [-3e38, 3e38, 3e38, 3e38] is 3e38, not (3e38 + 3e38)/2 = inf in float.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aMedianNearFloatsLargestDoesNotOverflow(String name, Ops ops) {
        float big = 3e38f;
        INDArray one = Nd4j.create(new float[] {big}, new long[] {1, 1, 1, 1}, 'c');
        assertSame(new float[] {big}, ops.medianPool2d(one, PoolParams.of(1)), name + " 1 cell");
        INDArray nine = Nd4j.create(new float[] {big, big, big, big, big, 1, 2, 3, 4}, new long[] {1, 1, 3, 3}, 'c');
        assertSame(new float[] {big}, ops.medianPool2d(nine, PoolParams.of(3)), name + " 9 cells");
        INDArray three = Nd4j.create(new float[] {1, big, big}, new long[] {1, 1, 1, 3}, 'c');
        assertSame(new float[] {big}, ops.medianPool2d(three, PoolParams.window(1, 3)), name + " 3 cells");
        INDArray four = Nd4j.create(new float[] {-big, big, big, big}, new long[] {1, 1, 2, 2}, 'c');
        assertSame(new float[] {big}, ops.medianPool2d(four, PoolParams.of(2)), name + " 4 cells");
        INDArray six = Nd4j.create(new float[] {-big, -big, big, big, big, big}, new long[] {1, 1, 2, 3}, 'c');
        assertSame(new float[] {big}, ops.medianPool2d(six, PoolParams.window(2, 3)), name + " 6 cells (sorted)");
        INDArray mixed = Nd4j.create(new float[] {-big, -big, big, big}, new long[] {1, 1, 2, 2}, 'c');
        assertSame(new float[] {0}, ops.medianPool2d(mixed, PoolParams.of(2)), name + " -3e38 and 3e38");
    }

    /**
     * A slope is a float32 in PyTorch: leaky_relu(x, 1e40) and rrelu(x, 0.1, 1e40) raise "value cannot be converted
     * to type float without overflow"; rrelu's eval slope (l + u)/2 is what must fit, so rrelu(x, -1e40, 1e40) is
     * accepted in eval mode and refused in training mode, where each bound is drawn from. inf and NaN convert.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aSlopeOutsideFloatsRangeIsRefusedAsInPyTorch(String name, Ops ops) {
        INDArray x = Nd4j.createFromArray(new float[] {-1, 0, 2});
        for (double slope : new double[] {1e40, -1e40, 3.5e38}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> ops.leakyRelu(x, slope), name + " " + slope);
            assertTrue(e.getMessage().startsWith("leakyRelu: slope " + slope + " is outside float32's range"),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ops.leakyReluBackward(x, x, slope));
        }
        assertSame(new float[] {-3.4e38f, 0, 2}, ops.leakyRelu(x, 3.4e38), name + " 3.4e38 fits");
        assertSame(new float[] {-INF, NAN, 2}, ops.leakyRelu(x, Double.POSITIVE_INFINITY), name + " inf");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ops.rrelu(x, RReluParams.of(0.1, 1e40)));
        assertSame(new float[] {-1.75e38f, 0, 2}, ops.rrelu(x, RReluParams.of(0.1, 3.5e38)).output(),
                name + " eval slope 1.75e38 fits");
        assertSame(new float[] {-0f, 0, 2}, ops.rrelu(x, RReluParams.of(-1e40, 1e40)).output(), name + " eval");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ops.rrelu(x, RReluParams.of(-1e40, 1e40).training(1)));
    }

    /** torch.relu keeps the sign of zero: relu([-0.0, 0.0, -1.0, nan]) = [-0., 0., 0., nan]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void reluKeepsNegativeZero(String name, Ops ops) {
        float[] y = cnnlab.ops.Buffers.floats(ops.relu(Nd4j.createFromArray(new float[] {-0f, 0f, -1f, NAN})));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y[0]), name + ": relu(-0.0) is -0.0");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(y[1]), name);
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(y[2]), name);
        assertTrue(Float.isNaN(y[3]), name);
    }
}
