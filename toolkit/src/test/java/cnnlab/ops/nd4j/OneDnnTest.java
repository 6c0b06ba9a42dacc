package cnnlab.ops.nd4j;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import cnnlab.shape.Shapes;
import cnnlab.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution and its gradients on oneDNN called directly ({@link OneDnn}) against libnd4j's conv2d and
 * conv2d_bp and the reference engine: the layouts oneDNN picks differ by shape (blocked or plain input and output,
 * direct or GEMM kernels, blocks of 8 channels for one input channel and up to 8 maps), so the shapes cover one
 * channel, many channels, strides, rectangular kernels, no bias, and inputs that are views. Max pooling on oneDNN
 * against the reference engine, on ties.
 */
class OneDnnTest {
    private static final Ops REF = Cnn.reference();

    static {
        Cnn.fast();
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new long[] {8, 1, 28, 28}, new long[] {6, 1, 5, 5}, 1, 1, 2, 2, true),      // LeNet conv1
                Arguments.of(new long[] {4, 1, 13, 11}, new long[] {8, 1, 3, 3}, 2, 1, 1, 0, true),      // 8 maps
                Arguments.of(new long[] {2, 1, 9, 9}, new long[] {3, 1, 2, 4}, 1, 2, 0, 1, false),
                Arguments.of(new long[] {8, 6, 14, 14}, new long[] {16, 6, 5, 5}, 1, 1, 0, 0, true),     // LeNet conv2
                Arguments.of(new long[] {1, 3, 67, 67}, new long[] {96, 3, 11, 11}, 4, 4, 0, 0, true),   // AlexNet-like
                Arguments.of(new long[] {2, 64, 12, 12}, new long[] {64, 64, 3, 3}, 1, 1, 1, 1, true),  // VGG-like
                Arguments.of(new long[] {3, 4, 9, 7}, new long[] {5, 4, 3, 2}, 2, 1, 1, 0, false),
                Arguments.of(new long[] {1, 2, 6, 11}, new long[] {3, 2, 1, 4}, 1, 3, 0, 2, true),
                Arguments.of(new long[] {2, 17, 5, 5}, new long[] {33, 17, 5, 5}, 1, 1, 0, 0, false));
    }

    @ParameterizedTest(name = "x{0} w{1} stride ({2}, {3}) pad ({4}, {5}) bias {6}")
    @MethodSource("shapes")
    void matchesLibnd4jAndTheReference(long[] x, long[] w, int sh, int sw, int ph, int pw, boolean bias) {
        assertTrue(OneDnn.active(), "oneDNN should load on this machine");
        Nd4j.getRandom().setSeed(11);
        INDArray input = Nd4j.randn(DataType.FLOAT, x), weight = Nd4j.randn(DataType.FLOAT, w);
        INDArray b = bias ? Nd4j.randn(DataType.FLOAT, w[0]) : null;
        int oh = (int) ((x[2] + 2L * ph - w[2]) / sh + 1), ow = (int) ((x[3] + 2L * pw - w[3]) / sw + 1);
        INDArray direct = OneDnn.conv2d(input, weight, b, sh, sw, ph, pw, oh, ow);
        assertNotNull(direct, "oneDNN built no primitive");
        assertArrayEquals(new long[] {x[0], w[0], oh, ow}, direct.shape());
        INDArray libnd4j = Native.libnd4jConv2d(input, weight, b, sh, sw, ph, pw, oh, ow);
        assertClose(libnd4j, direct, 1e-4, 1e-4, "against libnd4j");  // sums in another order
        INDArray reference = REF.conv2d(input, weight, b, ConvParams.of(sh, sw, ph, pw));
        assertClose(reference, direct, 1e-4, 1e-4, "against the reference engine");
    }

    /**
     * One input channel and up to 8 maps: the forward is timed in blocks of 8 channels and in oneDNN's own layout
     * on its first call, and the faster kept (blocks of 8 won on a Zen 4 EPYC, oneDNN's 16 on a Zen 5). Both give
     * the reference engine's maps, whichever this machine keeps.
     */
    @Test
    void bothLayoutsOfAOneChannelForwardGiveTheSameMaps() {
        Nd4j.getRandom().setSeed(17);
        INDArray input = Nd4j.randn(DataType.FLOAT, 8, 1, 28, 28), weight = Nd4j.randn(DataType.FLOAT, 6, 1, 5, 5);
        INDArray b = Nd4j.randn(DataType.FLOAT, 6);
        INDArray[] both = OneDnn.conv2dBothLayouts(input, weight, b, 2, 2, 28, 28);
        assertNotNull(both, "LeNet conv1's shape has two layouts");
        INDArray reference = REF.conv2d(input, weight, b, ConvParams.of(1, 2));
        assertClose(reference, both[0], 1e-4, 1e-4, "blocks of 8 channels");
        assertClose(reference, both[1], 1e-4, 1e-4, "oneDNN's own layout");
        assertNull(OneDnn.conv2dBothLayouts(Nd4j.ones(DataType.FLOAT, 1, 3, 8, 8),
                Nd4j.ones(DataType.FLOAT, 4, 3, 3, 3), null, 0, 0, 6, 6), "three channels: one layout");
    }

    @ParameterizedTest(name = "backward: x{0} w{1} stride ({2}, {3}) pad ({4}, {5})")
    @MethodSource("shapes")
    void gradientsMatchLibnd4jAndTheReference(long[] x, long[] w, int sh, int sw, int ph, int pw, boolean bias) {
        Nd4j.getRandom().setSeed(13);
        INDArray input = Nd4j.randn(DataType.FLOAT, x), weight = Nd4j.randn(DataType.FLOAT, w);
        ConvParams p = ConvParams.of(sh, sw, ph, pw);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, REF.conv2d(input, weight, null, p).shape());
        INDArray[] direct = OneDnn.conv2dBackward(input, weight, gradOut, sh, sw, ph, pw);
        assertNotNull(direct, "oneDNN built no primitive");
        INDArray[] libnd4j = Native.libnd4jConv2dBackward(input, weight, gradOut, sh, sw, ph, pw);
        ConvGradients reference = REF.conv2dBackward(input, weight, gradOut, p);
        INDArray[] want = {reference.dx(), reference.dw(), reference.db()};
        String[] names = {"dx", "dw", "db"};
        for (int i = 0; i < 3; i++) {
            assertClose(libnd4j[i], direct[i], 1e-3, 1e-4, names[i] + " against libnd4j");
            assertClose(want[i], direct[i], 1e-3, 1e-4, names[i] + " against the reference engine");
        }
        INDArray[] weightsOnly = OneDnn.conv2dWeightBackward(input, weight, gradOut, sh, sw, ph, pw);
        assertNotNull(weightsOnly, "oneDNN built no weights primitive");
        assertClose(want[1], weightsOnly[0], 1e-3, 1e-4, "dw alone against the reference engine");
        assertClose(want[2], weightsOnly[1], 1e-3, 1e-4, "db alone against the reference engine");
    }

    /**
     * Where both backward primitives read the gradient in the same blocked layout, the data primitive's conversion
     * serves the weights' too: each call's weight gradient must come from that call's gradient, not the last one's.
     */
    @Test
    void eachBackwardCallReadsItsOwnGradient() {
        Nd4j.getRandom().setSeed(17);
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 32, 10, 10), weight = Nd4j.randn(DataType.FLOAT, 32, 32, 3, 3);
        ConvParams p = ConvParams.of(1, 1);
        for (int call = 0; call < 3; call++) {
            INDArray gradOut = Nd4j.randn(DataType.FLOAT, 2, 32, 10, 10);
            INDArray[] direct = OneDnn.conv2dBackward(input, weight, gradOut, 1, 1, 1, 1);
            assertNotNull(direct, "oneDNN built no primitive");
            ConvGradients reference = REF.conv2dBackward(input, weight, gradOut, p);
            assertClose(reference.dx(), direct[0], 1e-3, 1e-4, "dx, call " + call);
            assertClose(reference.dw(), direct[1], 1e-3, 1e-4, "dw, call " + call);
            assertClose(reference.db(), direct[2], 1e-3, 1e-4, "db, call " + call);
        }
    }

    static Stream<Arguments> poolings() {
        return Stream.of(
                Arguments.of(new long[] {8, 6, 28, 28}, PoolParams.of(2)),                               // LeNet pool1
                Arguments.of(new long[] {2, 64, 15, 15}, PoolParams.of(3, 2)),                           // overlapping
                Arguments.of(new long[] {1, 3, 12, 10}, PoolParams.of(3, 1, 1)),
                Arguments.of(new long[] {2, 5, 11, 9}, PoolParams.of(3, 2, 1).withCeilMode(true)),
                Arguments.of(new long[] {1, 17, 9, 13}, new PoolParams(2, 3, 1, 2, 1, 1, 1, 1, false, true)),
                Arguments.of(new long[] {3, 1, 7, 7}, PoolParams.of(2, 2).withCeilMode(true)));
    }

    private static PoolGeometry geometry(long[] x, PoolParams p) {
        int h = (int) x[2], w = (int) x[3];
        int oh = Shapes.poolOutput(h, p.kernelH(), p.strideH(), p.paddingH(), 1, p.ceilMode());
        int ow = Shapes.poolOutput(w, p.kernelW(), p.strideW(), p.paddingW(), 1, p.ceilMode());
        return new PoolGeometry((int) x[0], (int) x[1], h, w, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                p.paddingH(), p.paddingW(), 1, 1, oh, ow, p.ceilMode(), true);
    }

    /**
     * Max pooling on oneDNN's primitives gives PyTorch's maxima and indices (the reference engine's) on inputs
     * full of ties, where the first maximum of each window must win, with padding and ceil-mode overhang.
     */
    @ParameterizedTest(name = "x{0} {1}")
    @MethodSource("poolings")
    void maxPoolingGivesTheFirstMaximumOfEachWindow(long[] x, PoolParams p) {
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.FLOAT, x).muli(4).castTo(DataType.INT).castTo(DataType.FLOAT).subi(2);
        PoolGeometry g = geometry(x, p);
        Pooled want = REF.maxPool2dWithIndices(input, p), direct = OneDnn.maxPool2dWithIndices(input, g);
        assertNotNull(direct, "oneDNN built no primitive");
        assertArrayEquals(want.output().dup('c').data().asFloat(), direct.output().data().asFloat(), "maxima");
        assertArrayEquals(want.indices().dup('c').data().asLong(), direct.indices().data().asLong(), "indices");
        assertArrayEquals(want.output().dup('c').data().asFloat(), OneDnn.maxPool2d(input, g).data().asFloat(),
                "maxima without indices");
    }

    /**
     * oneDNN starts each window from the lowest float and reads padding as that, so a window of nothing but the
     * lowest float at the border reports a padded cell; the route declines and the engine's loops answer.
     */
    @Test
    void aBorderWindowOfLowestFloatsIsLeftToTheLoops() {
        INDArray x = Nd4j.valueArrayOf(new long[] {1, 2, 5, 5}, -Float.MAX_VALUE, DataType.FLOAT);
        PoolParams p = PoolParams.of(3, 1, 1);
        assertTrue(OneDnn.maxPool2dWithIndices(x, geometry(x.shape(), p)) == null, "a padded winner is declined");
        Pooled want = REF.maxPool2dWithIndices(x, p), got = Cnn.fast().maxPool2dWithIndices(x, p);
        assertArrayEquals(want.indices().dup('c').data().asLong(), got.indices().dup('c').data().asLong());
        assertArrayEquals(want.output().dup('c').data().asFloat(), got.output().dup('c').data().asFloat());
    }

    @Test
    void viewsAreReadAsTheirValues() {
        Nd4j.getRandom().setSeed(3);
        INDArray wide = Nd4j.randn(DataType.FLOAT, 4, 3, 10, 10);
        INDArray x = wide.permute(1, 0, 2, 3);                  // [3, 4, 10, 10], strided
        INDArray w = Nd4j.randn(DataType.FLOAT, 5, 2, 4, 3, 3).get(NDArrayIndex.all(), NDArrayIndex.point(1));
        INDArray direct = OneDnn.conv2d(x, w, null, 1, 1, 1, 1, 10, 10);
        assertClose(REF.conv2d(x.dup('c'), w.dup('c'), null, ConvParams.of(1, 1, 1, 1)), direct, 1e-4, 1e-4,
                "views");
    }

    @Test
    void keepsAtMostSoManyShapesAndRebuildsForgottenOnes() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 2, 1, 3, 3);
        INDArray first = Nd4j.randn(DataType.FLOAT, 1, 1, 5, 5);
        INDArray want = REF.conv2d(first, w, null, ConvParams.of(1, 0));
        for (int size = 5; size < 5 + OneDnn.KEPT + 4; size++) {
            INDArray x = size == 5 ? first : Nd4j.randn(DataType.FLOAT, 1, 1, size, size);
            assertNotNull(OneDnn.conv2d(x, w, null, 1, 1, 0, 0, size - 2, size - 2));
            assertTrue(OneDnn.kept() <= OneDnn.KEPT, () -> "kept " + OneDnn.kept());
        }
        assertClose(want, OneDnn.conv2d(first, w, null, 1, 1, 0, 0, 3, 3), 1e-5, 1e-5, "after being forgotten");
    }

    @Test
    void keepsBoundedMemoryForBigShapes() {
        INDArray w = Nd4j.randn(DataType.FLOAT, 64, 3, 3, 3);
        long most = 0;
        for (int size = 400; size < 464; size += 8) {       // each output 64x(size-2)^2 floats: 40 MB and more
            INDArray x = Nd4j.randn(DataType.FLOAT, 1, 3, size, size);
            assertNotNull(OneDnn.conv2d(x, w, null, 1, 1, 0, 0, size - 2, size - 2));
            most = Math.max(most, OneDnn.keptBytes());
            assertTrue(OneDnn.keptBytes() <= OneDnn.KEPT_BYTES, () -> "kept " + OneDnn.keptBytes() + " bytes");
        }
        assertTrue(most > OneDnn.KEPT_BYTES / 2, "the shapes should have needed blocked layouts: " + most);
    }

    @Test
    void threadsCallingAtOnceGetTheirOwnResults() throws Exception {
        Nd4j.getRandom().setSeed(5);
        List<INDArray[]> cases = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 12 + i, 12 + i), w = Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3);
            cases.add(new INDArray[] {x, w, REF.conv2d(x, w, null, ConvParams.of(1, 1, 1, 1))});
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (INDArray[] c : cases) {
                running.add(pool.submit(() -> {
                    for (int r = 0; r < 50; r++) {
                        assertClose(c[2], Cnn.fast().conv2d(c[0], c[1], null, ConvParams.of(1, 1, 1, 1)), 1e-4,
                                1e-4, "thread's result");
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Each shape's primitives are built on one thread and then run on another, calls taking turns (a cell, then a
     * lab check's thread for the student's code). With oneDNN's own scratch memory, which belongs to the thread that
     * built the primitive, the first shape (oneDNN runs it by im2col and GEMM) crashed the JVM, and so in a JVM of
     * its own.
     */
    @Test
    void primitivesBuiltOnOneThreadRunOnAnother() throws Exception {
        List<String> lines = ChildJvm.run(TakingTurns.class).strip().lines().toList();
        assertEquals(List.of("conv2d ok", "conv2dBackward ok", "conv2dWeightBackward ok", "maxPool2dWithIndices ok"),
                lines.subList(lines.size() - 4, lines.size()));
    }

    /** Calls on two threads in turn, each result against the reference engine's; prints each op's name and "ok". */
    static final class TakingTurns {
        public static void main(String[] args) throws Exception {
            Nd4j.getRandom().setSeed(11);
            ExecutorService[] two = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor()};
            List<Object[]> convs = List.of(
                    new Object[] {new long[] {1, 1, 1, 6}, new long[] {1, 1, 1, 9}, ConvParams.of(1, 2, 0, 4)},
                    new Object[] {new long[] {1, 2, 4, 4}, new long[] {3, 2, 1, 1},
                        ConvParams.of(2, 1, 0, 3).withDilation(3, 2)},
                    new Object[] {new long[] {4, 6, 14, 14}, new long[] {16, 6, 5, 5}, ConvParams.DEFAULT});
            try {
                for (String op : List.of("conv2d", "conv2dBackward", "conv2dWeightBackward")) {
                    for (Object[] c : convs) {
                        INDArray x = Nd4j.randn(DataType.FLOAT, (long[]) c[0]);
                        INDArray w = Nd4j.randn(DataType.FLOAT, (long[]) c[1]);
                        ConvParams p = (ConvParams) c[2];
                        INDArray g = Nd4j.randn(DataType.FLOAT, REF.conv2d(x, w, null, p).shape());
                        ConvGradients want = REF.conv2dBackward(x, w, g, p);
                        for (int r = 0; r < 10; r++) {
                            two[r % 2].submit(() -> {
                                switch (op) {
                                    case "conv2d" -> assertClose(REF.conv2d(x, w, null, p),
                                            Cnn.fast().conv2d(x, w, null, p), op);
                                    case "conv2dBackward" -> {
                                        ConvGradients got = Cnn.fast().conv2dBackward(x, w, g, p);
                                        assertClose(want.dx(), got.dx(), op + " dx");
                                        assertClose(want.dw(), got.dw(), op + " dw");
                                    }
                                    default -> assertClose(want.dw(), Cnn.fast().conv2dWeightBackward(x, w, g, p).dw(),
                                            op + " dw");
                                }
                                return null;
                            }).get();
                        }
                    }
                    System.out.println(op + " ok");
                }
                INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 9, 9);
                PoolParams p = PoolParams.of(3, 2, 1);
                Pooled want = REF.maxPool2dWithIndices(x, p);
                for (int r = 0; r < 10; r++) {
                    two[r % 2].submit(() -> {
                        assertClose(want.indices(), Cnn.fast().maxPool2dWithIndices(x, p).indices(), 0, 0, "indices");
                        return null;
                    }).get();
                }
                System.out.println("maxPool2dWithIndices ok");
            } finally {
                two[0].shutdown();
                two[1].shutdown();
            }
        }
    }
}
