package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static cnnlab.testing.Tensors.plane;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.shape.Shapes;
import cnnlab.testing.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The lecture's worked numbers, each as its own test, on both engines. Expected values are written out by
 * hand (or computed here with independent loops), never taken from either engine.
 */
class LectureExamplesTest {

    static List<Ops> engines() {
        return Tensors.ENGINES;
    }

    /** The 4x4 response of the pooling slides. */
    private static final double[][] RESPONSE = {
            {1, 1, 2, 4},
            {5, 6, 7, 8},
            {3, 2, 1, 0},
            {1, 2, 3, 4}};

    // ---------------------------------------------------------------- output sizes

    /**
     * x[i][j] = 8i + j; an all-ones 3x3 kernel sums each window, and a window of a linear ramp sums to 9 times its
     * centre: y[i][j] = 9 * (8(i+1) + (j+1)).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void eightByEightInputWithThreeByThreeKernelGivesSixBySixWindowSums(Ops ops) {
        INDArray x = Nd4j.arange(64).castTo(DataType.FLOAT).reshape(1, 1, 8, 8);
        INDArray y = ops.conv2d(x, Nd4j.ones(DataType.FLOAT, 1, 1, 3, 3));
        assertArrayEquals(new long[] {1, 1, 6, 6}, y.shape());
        double[][] expected = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                expected[i][j] = 9 * (8 * (i + 1) + (j + 1));
            }
        }
        assertClose(plane(expected), y, ops.name());
        assertEquals(9 * (8 + 1), y.getDouble(0, 0, 0, 0), 0, "top-left window: 0+1+2+8+9+10+16+17+18 = 81");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void nineByNineWithThreeByThreeKernelGivesFourByFourAtStrideTwoAndSevenBySevenAtStrideOne(Ops ops) {
        INDArray x = Tensors.uniform(new Random(9), 1, 1, 9, 9), w = Tensors.uniform(new Random(3), 1, 1, 3, 3);
        assertArrayEquals(new long[] {1, 1, 4, 4}, ops.conv2d(x, w, ConvParams.of(2, 0)).shape());
        assertArrayEquals(new long[] {1, 1, 7, 7}, ops.conv2d(x, w, ConvParams.of(1, 0)).shape());
        assertEquals(ops.conv2d(x, w, null, ConvParams.of(2, 0)), ops.conv2d(x, w, ConvParams.of(2, 0)),
                "without a bias is with a null bias");
        assertEquals(4, Shapes.convOutput(9, 3, 2, 0, 1));
        assertEquals(7, Shapes.convOutput(9, 3, 1, 0, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void threeByThreeKernelWithPaddingOneAndStrideOneKeepsTheSize(Ops ops) {
        for (int size : new int[] {3, 5, 8, 9}) {
            INDArray x = Tensors.uniform(new Random(size), 1, 2, size, size);
            INDArray y = ops.conv2d(x, Tensors.uniform(new Random(1), 3, 2, 3, 3), null, ConvParams.of(1, 1));
            assertArrayEquals(new long[] {1, 3, size, size}, y.shape(), "size " + size);
            assertEquals(size, Shapes.convOutput(size, 3, 1, 1, 1));
        }
    }

    // ---------------------------------------------------------------- pooling the 4x4 response

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void maxPoolingTwoByTwoAtStrideOneGivesThreeByThree(Ops ops) {
        INDArray y = ops.maxPool2d(plane(RESPONSE), PoolParams.of(2, 1));
        assertClose(plane(new double[][] {{6, 7, 8}, {6, 7, 8}, {3, 3, 4}}), y, 0, 0, ops.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void maxPoolingTwoByTwoAtStrideTwoGivesTwoByTwoWithIndices(Ops ops) {
        Pooled p = ops.maxPool2dWithIndices(plane(RESPONSE), PoolParams.of(2));
        assertClose(plane(new double[][] {{6, 8}, {3, 4}}), p.output(), 0, 0, ops.name());
        // 6 at (1,1), 8 at (1,3), 3 at (2,0), 4 at (3,3): flat h*4 + w
        assertArrayEquals(new long[] {5, 7, 8, 15}, p.indices().dup('c').data().asLong(), ops.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void averagePoolingOfTheResponse(Ops ops) {
        // stride 1: (1+1+5+6)/4, (1+2+6+7)/4, (2+4+7+8)/4; (5+6+3+2)/4, ...
        assertClose(plane(new double[][] {{3.25, 4, 5.25}, {4, 4, 4}, {2, 2, 2}}),
                ops.avgPool2d(plane(RESPONSE), PoolParams.of(2, 1)), ops.name() + " stride 1");
        assertClose(plane(new double[][] {{3.25, 5.25}, {2, 2}}),
                ops.avgPool2d(plane(RESPONSE), PoolParams.of(2)), ops.name() + " stride 2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void minPoolingOfTheResponse(Ops ops) {
        assertClose(plane(new double[][] {{1, 1, 2}, {2, 1, 0}, {1, 1, 0}}),
                ops.minPool2d(plane(RESPONSE), PoolParams.of(2, 1)), 0, 0, ops.name() + " stride 1");
        assertClose(plane(new double[][] {{1, 2}, {1, 0}}),
                ops.minPool2d(plane(RESPONSE), PoolParams.of(2)), 0, 0, ops.name() + " stride 2");
    }

    /** Four values per window: the median is the mean of the middle two, e.g. {1,1,5,6} gives (1+5)/2 = 3. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void medianPoolingOfTheResponse(Ops ops) {
        assertClose(plane(new double[][] {{3, 4, 5.5}, {4, 4, 4}, {2, 2, 2}}),
                ops.medianPool2d(plane(RESPONSE), PoolParams.of(2, 1)), 0, 0, ops.name() + " stride 1");
        assertClose(plane(new double[][] {{3, 5.5}, {2, 2}}),
                ops.medianPool2d(plane(RESPONSE), PoolParams.of(2)), 0, 0, ops.name() + " stride 2");
    }

    // ---------------------------------------------------------------- volumes

    /** Channel k of the output is the sum over the input's channels of each channel's 2-D convolution, plus b[k]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void threeChannelVolumeWithTwoKernelsAndBiasGivesTwoChannelsOfChannelSumsPlusBias(Ops ops) {
        Random random = new Random(3);
        INDArray x = Tensors.uniform(random, 1, 3, 6, 5), w = Tensors.uniform(random, 2, 3, 3, 3);
        INDArray b = Nd4j.create(new float[] {0.5f, -2f}, new long[] {2});
        INDArray y = ops.conv2d(x, w, b, ConvParams.DEFAULT);
        assertArrayEquals(new long[] {1, 2, 4, 3}, y.shape());
        for (int k = 0; k < 2; k++) {
            INDArray sum = Nd4j.zeros(DataType.FLOAT, 1, 1, 4, 3).addi(b.getDouble(k));
            for (int c = 0; c < 3; c++) {
                INDArray xc = x.get(NDArrayIndex.all(), NDArrayIndex.interval(c, c + 1)).dup();
                INDArray wkc = w.get(NDArrayIndex.interval(k, k + 1), NDArrayIndex.interval(c, c + 1)).dup();
                sum.addi(ops.conv2d(xc, wkc));
            }
            assertClose(sum, y.get(NDArrayIndex.all(), NDArrayIndex.interval(k, k + 1)).dup(),
                    ops.name() + " channel " + k);
        }
        // by hand: channel c of x constant c+1, kernel k constant k+1: each output is 9*(1+2+3)*(k+1) + b[k]
        INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4), ones = Nd4j.zeros(DataType.FLOAT, 2, 3, 3, 3);
        for (int c = 0; c < 3; c++) {
            flat.get(NDArrayIndex.all(), NDArrayIndex.point(c)).assign(c + 1);
        }
        for (int k = 0; k < 2; k++) {
            ones.get(NDArrayIndex.point(k)).assign(k + 1);
        }
        INDArray z = ops.conv2d(flat, ones, b, ConvParams.DEFAULT);
        assertClose(Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2).addi(54.5), z.get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, 1)).dup(), ops.name() + " 54*1 + 0.5");
        assertClose(Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2).addi(106), z.get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, 2)).dup(), ops.name() + " 54*2 - 2");
    }

    // ---------------------------------------------------------------- unpooling

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void nearestUnpoolingWithKernelTwoStrideTwoCopiesEachValueIntoItsBlock(Ops ops) {
        INDArray y = ops.unpoolNearest(plane(new double[][] {{1, 2}, {3, 4}}), 2, 2);
        assertClose(plane(new double[][] {{1, 1, 2, 2}, {1, 1, 2, 2}, {3, 3, 4, 4}, {3, 3, 4, 4}}), y, 0, 0,
                ops.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void nearestUnpoolingWithKernelTwoStrideOneAveragesOverlappingBlocks(Ops ops) {
        INDArray y = ops.unpoolNearest(plane(new double[][] {{1, 2}, {3, 4}}), 2, 1);
        assertClose(plane(new double[][] {{1, 1.5, 2}, {2, 2.5, 3}, {3, 3.5, 4}}), y, 0, 0, ops.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void nearestUnpoolingWithStrideLargerThanKernelLeavesZeroGaps(Ops ops) {
        INDArray y = ops.unpoolNearest(plane(new double[][] {{1, 2}, {3, 4}}), 1, 2);
        assertClose(plane(new double[][] {{1, 0, 2}, {0, 0, 0}, {3, 0, 4}}), y, 0, 0, ops.name());
    }

    // ---------------------------------------------------------------- activations

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void reluDerivativeAtZeroIsZero(Ops ops) {
        INDArray x = Nd4j.create(new float[] {-1, 0, 2}, new long[] {3});
        INDArray ones = Nd4j.ones(DataType.FLOAT, 3);
        assertClose(Nd4j.create(new float[] {0, 0, 2}, new long[] {3}), ops.relu(x), 0, 0, ops.name() + " relu");
        assertClose(Nd4j.create(new float[] {0, 0, 1}, new long[] {3}), ops.reluBackward(x, ones), 0, 0,
                ops.name() + " relu'");
    }

    // ---------------------------------------------------------------- pooling as morphology

    /**
     * Grayscale dilation with a flat 2x2 structuring element anchored at its top-left cell,
     * {@code (f ⊕ B)(i, j) = max over (a, b) in {0,1}² of f(i + a, j + b)}, taken where B fits, is max pooling
     * with a 2x2 window at stride 1. The dilation is computed here with its own loops.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void maxPoolingIsGrayscaleDilationWithAFlatTwoByTwoElement(Ops ops) {
        INDArray f = Tensors.uniform(new Random(2), 1, 1, 7, 6);
        double[] v = Tensors.values(f);
        double[][] dilation = new double[6][5];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        m = Math.max(m, v[(i + a) * 6 + (j + b)]);
                    }
                }
                dilation[i][j] = m;
            }
        }
        assertClose(plane(dilation), ops.maxPool2d(f, PoolParams.of(2, 1)), 0, 0, ops.name());
        // and min pooling is erosion, its dual: erode(-f) = -dilate(f)
        INDArray eroded = ops.minPool2d(f.neg(), PoolParams.of(2, 1));
        assertClose(plane(dilation).neg(), eroded, 0, 0, ops.name() + ": erosion of -f is -(dilation of f)");
    }

    // ---------------------------------------------------------------- transposed convolution

    /** Strides, paddings and dilations of the adjoint check; each one an {int[] {sh, sw, ph, pw, dh, dw}}. */
    static final List<int[]> ADJOINT_GEOMETRIES = List.of(
            new int[] {1, 1, 0, 0, 1, 1}, new int[] {2, 2, 1, 1, 1, 1}, new int[] {2, 3, 0, 1, 1, 1},
            new int[] {1, 2, 1, 0, 2, 1}, new int[] {3, 1, 2, 1, 2, 2});

    static Stream<Arguments> adjointCases() {
        return Tensors.ENGINES.stream().flatMap(ops -> ADJOINT_GEOMETRIES.stream().map(g ->
                Arguments.of(ops, g)));
    }

    /**
     * {@code <conv2d(x), y> = <x, convTranspose2d(y)>} with the same weight, stride, padding and dilation:
     * transposed convolution is the adjoint of convolution. The weight {@code [K, C, kH, kW]} is conv2d's
     * {@code C -> K} and convTranspose2d's {@code K -> C}. Output padding takes up the rows a strided window
     * never reaches, so convTranspose2d(y) has x's size. Tolerance: 1e-4 relative to {@code sum |a_i b_i|}.
     */
    @ParameterizedTest(name = "{0} stride/padding/dilation {1}")
    @MethodSource("adjointCases")
    void transposedConvolutionIsTheAdjointOfConvolution(Ops ops, int[] g) {
        Random random = new Random(Arrays.hashCode(g));
        int h = 9, w = 8;
        INDArray x = Tensors.uniform(random, 2, 3, h, w), weight = Tensors.uniform(random, 4, 3, 3, 2);
        ConvParams conv = ConvParams.DEFAULT.withStride(g[0], g[1]).withPadding(g[2], g[3]).withDilation(g[4], g[5]);
        INDArray cx = ops.conv2d(x, weight, conv);
        INDArray y = Tensors.uniform(random, cx.shape());
        ConvTransposeParams transpose = ConvTransposeParams.DEFAULT.withStride(g[0], g[1]).withPadding(g[2], g[3])
                .withDilation(g[4], g[5]).withOutputPadding(Shapes.unvisited(h, 3, g[0], g[2], g[4]),
                        Shapes.unvisited(w, 2, g[1], g[3], g[5]));
        INDArray ty = ops.convTranspose2d(y, weight, transpose);
        assertArrayEquals(x.shape(), ty.shape(), "convTranspose2d(y) has x's shape");
        assertEquals(ops.convTranspose2d(y, weight, null, transpose), ty, "without a bias is with a null bias");
        double left = Tensors.dot(cx, y), right = Tensors.dot(x, ty);
        double scale = Tensors.absDot(cx, y);
        assertTrue(Math.abs(left - right) <= 1e-4 * scale,
                ops.name() + ": <conv(x), y> = " + left + " but <x, convT(y)> = " + right);
    }
}
