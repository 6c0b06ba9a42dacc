package cnnlab.ops.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cnnlab.Cnn;
import cnnlab.ops.Buffers;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast engine's Java window loops give the reference engine's floats bit for bit (they visit windows and add
 * terms in its order), on one thread and with the planes split over two, on inputs big enough to be split. The
 * inputs are full of ties (small integers) with NaN, infinities and -0 sprinkled in, so the winner rules (first
 * extreme, NaN wins) and the median's NaN rule are exercised in every geometry; max pooling where every window
 * lies inside the input (no padding or overhang) has its own loop, and its backward by indices its own scatter.
 */
class PlaneLoopsTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();
    private int threadsBefore;

    @BeforeEach
    void rememberThreads() {
        threadsBefore = Nd4j.getEnvironment().maxThreads();
    }

    @AfterEach
    void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(threadsBefore);
    }

    /**
     * Both shapes are above the size from which work is split over threads: 2x9x45x45 (36,450 cells) by planes,
     * 1x3x110x110 (36,300 cells, a small colour photo) also by bands of output rows within a plane.
     */
    private static final long[][] SHAPES = {{2, 9, 45, 45}, {1, 3, 110, 110}};

    private static INDArray tiesWithSpecials(long seed, long[] shape) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3])];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(200) == 0 ? specials[r.nextInt(specials.length)] : r.nextInt(4) - 1;
        }
        return Buffers.array(v, shape);
    }

    static Stream<Arguments> geometries() {
        return Stream.of(
                Arguments.of("2 (plain)", PoolParams.of(2), 1),
                Arguments.of("3 s2 (plain, overlapping)", PoolParams.of(3, 2), 2),
                Arguments.of("3 s1 p1", PoolParams.of(3, 1, 1), 1),
                Arguments.of("3 s1 p1", PoolParams.of(3, 1, 1), 2),
                Arguments.of("3 s2 p1 ceil", PoolParams.of(3, 2, 1).withCeilMode(true), 2),
                Arguments.of("3 s2 p1 ceil, pad not counted", PoolParams.of(3, 2, 1).withCeilMode(true)
                        .withCountIncludePad(false), 2),
                Arguments.of("2 s2 ceil", PoolParams.of(2, 2).withCeilMode(true), 2),
                Arguments.of("2x3 s(1,2) p(1,1)", new PoolParams(2, 3, 1, 2, 1, 1, 1, 1, false, true), 2),
                Arguments.of("2 s1 dilation 2", PoolParams.of(2, 1).withDilation(2), 2),
                Arguments.of("3x2 s(2,1) dilation (1,2)", new PoolParams(3, 2, 2, 1, 0, 0, 1, 2, false, true), 2));
    }

    private static void same(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(Buffers.floats(expected), Buffers.floats(actual), what);
    }

    @ParameterizedTest(name = "{0}, {2} thread(s)")
    @MethodSource("geometries")
    void windowOpsGiveTheReferenceFloats(String name, PoolParams p, int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        for (long[] shape : SHAPES) {
            windowOpsGiveTheReferenceFloats(name, p, tiesWithSpecials(name.hashCode(), shape));
        }
    }

    private static void windowOpsGiveTheReferenceFloats(String name, PoolParams p, INDArray x) {
        Pooled ref = REF.maxPool2dWithIndices(x, p), fast = FAST.maxPool2dWithIndices(x, p);
        same(ref.output(), fast.output(), "maxPool2d");
        assertArrayEquals(Buffers.longs(ref.indices()), Buffers.longs(fast.indices()), "indices");
        INDArray g = Nd4j.rand(DataType.FLOAT, ref.output().shape()).subi(0.5);
        INDArray dx = REF.maxPool2dBackward(x, g, p);
        same(dx, FAST.maxPool2dBackward(x, g, p), "maxPool2dBackward");
        same(dx, REF.maxPool2dBackward(x, g, ref.indices(), p), "reference maxPool2dBackward by indices");
        same(dx, FAST.maxPool2dBackward(x, g, fast.indices(), p), "fast maxPool2dBackward by indices");
        same(REF.minPool2d(x, p), FAST.minPool2d(x, p), "minPool2d");
        same(REF.minPool2dBackward(x, g, p), FAST.minPool2dBackward(x, g, p), "minPool2dBackward");
        same(REF.medianPool2d(x, p), FAST.medianPool2d(x, p), "medianPool2d");
        if (x.size(1) < 4) {                            // a finite input with few channels: the loops, not libnd4j
            INDArray finite = Nd4j.rand(DataType.FLOAT, x.shape());
            same(REF.maxPool2dBackward(finite, g, p), FAST.maxPool2dBackward(finite, g, p), "maxPool2dBackward");
        }
        boolean plain = name.contains("plain");                  // avg pooling on libnd4j's kernel, not the loops
        boolean dilated = p.dilationH() > 1 || p.dilationW() > 1;
        if (!dilated && !plain) {
            INDArray finite = Nd4j.rand(DataType.FLOAT, x.shape());
            same(REF.avgPool2d(finite, p), FAST.avgPool2d(finite, p), "avgPool2d");
            same(REF.avgPool2dBackward(finite, g, p), FAST.avgPool2dBackward(finite, g, p), "avgPool2dBackward");
        }
        if (dilated) {
            return;                                               // max-unpooling takes no dilation, as PyTorch's
        }
        long[] size = {x.size(2), x.size(3)};
        same(REF.maxUnpool2d(g, ref.indices(), p, size), FAST.maxUnpool2d(g, ref.indices(), p, size), "maxUnpool2d");
        if (p.paddingH() == 0 && p.paddingW() == 0) {
            PoolParams block = PoolParams.of(p.kernelH(), p.strideH());
            same(REF.unpoolNearest(g, block), FAST.unpoolNearest(g, block), "unpoolNearest");
        }
    }
}
