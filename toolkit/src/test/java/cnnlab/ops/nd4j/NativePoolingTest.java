package cnnlab.ops.nd4j;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.PoolParams;
import cnnlab.shape.Shapes;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast engine's shortcut to libnd4j's own pooling ops (finite input; max pooling with padding or ceil mode
 * through an input padded with -inf) against the reference engine, where those ops could differ from PyTorch: ties
 * (the first maximum must win), NaN and infinities (must take the Java loops), and which geometries count as
 * plain.
 */
class NativePoolingTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();

    /** Inputs with many ties: small integers, so most 2x2 and 3x3 windows hold their maximum twice or more. */
    private static INDArray ties(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray x = Nd4j.create(DataType.FLOAT, shape);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextInt(3));
        }
        return x;
    }

    static Stream<Arguments> windows() {
        return Stream.of(Arguments.of(2, 2), Arguments.of(3, 2), Arguments.of(3, 1), Arguments.of(2, 1),
                Arguments.of(5, 3));
    }

    @ParameterizedTest(name = "k{0} s{1}")
    @MethodSource("windows")
    void maxPoolingWithTiesMatchesTheReference(int k, int s) {
        INDArray x = ties(k * 10L + s, 2, 5, 13, 11);
        PoolParams p = PoolParams.of(k, s);
        INDArray g = Nd4j.rand(DataType.FLOAT, REF.maxPool2d(x, p).shape());
        assertClose(REF.maxPool2d(x, p), FAST.maxPool2d(x, p), 0, 0, "maxPool2d");
        assertClose(REF.maxPool2dBackward(x, g, p), FAST.maxPool2dBackward(x, g, p), 1e-6, 1e-6, "maxPool2dBackward");
        assertClose(REF.minPool2dBackward(x, g, p), FAST.minPool2dBackward(x, g, p), 1e-6, 1e-6, "minPool2dBackward");
    }

    static Stream<Arguments> paddedWindows() {
        return Stream.of(Arguments.of("3 s1 p1", PoolParams.of(3, 1, 1)),
                Arguments.of("3 s2 p1 ceil", PoolParams.of(3, 2, 1).withCeilMode(true)),
                Arguments.of("2 s2 ceil", PoolParams.of(2, 2).withCeilMode(true)),
                Arguments.of("5 s3 p2 ceil", PoolParams.of(5, 3, 2).withCeilMode(true)),
                Arguments.of("2x3 s(1,2) p(1,1)", new PoolParams(2, 3, 1, 2, 1, 1, 1, 1, false, true)));
    }

    /** Padding and ceil mode reach libnd4j's kernel through an input padded with -inf, which never wins. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("paddedWindows")
    void paddedMaxAndMinPoolingWithTiesMatchTheReference(String name, PoolParams p) {
        INDArray x = ties(name.hashCode(), 2, 5, 13, 11);
        INDArray g = Nd4j.rand(DataType.FLOAT, REF.maxPool2d(x, p).shape());
        assertClose(REF.maxPool2d(x, p), FAST.maxPool2d(x, p), 0, 0, "maxPool2d");
        assertClose(REF.minPool2d(x, p), FAST.minPool2d(x, p), 0, 0, "minPool2d");
        assertClose(REF.maxPool2dBackward(x, g, p), FAST.maxPool2dBackward(x, g, p), 1e-6, 1e-6, "maxPool2dBackward");
        assertClose(REF.minPool2dBackward(x, g, p), FAST.minPool2dBackward(x, g, p), 1e-6, 1e-6, "minPool2dBackward");
    }

    /** One channel takes the Java loops (few channels), four libnd4j's kernel: both send ties to the first cell. */
    @ParameterizedTest(name = "{0} channel(s)")
    @ValueSource(ints = {1, 4})
    void aConstantInputSendsEveryGradientToTheTopLeftCellOfItsWindow(int channels) {
        INDArray x = Nd4j.ones(DataType.FLOAT, 1, channels, 4, 4);
        INDArray dx = FAST.maxPool2dBackward(x, Nd4j.ones(DataType.FLOAT, 1, channels, 2, 2), PoolParams.of(2));
        assertEquals(4 * channels, dx.sumNumber().intValue());
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < 4; h++) {
                for (int w = 0; w < 4; w++) {
                    assertEquals(h % 2 == 0 && w % 2 == 0 ? 1f : 0f, dx.getFloat(0, c, h, w), "dx at " + h + "," + w);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specials")
    void nanAndInfinityTakeTheGeneralPathAndMatchTheReference(String name, float special) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 6, 6);
        x.putScalar(new long[] {0, 0, 1, 1}, special);
        x.putScalar(new long[] {0, 1, 4, 5}, special);
        PoolParams p = PoolParams.of(2);
        INDArray g = Nd4j.rand(DataType.FLOAT, 1, 2, 3, 3);
        assertClose(REF.maxPool2d(x, p), FAST.maxPool2d(x, p), 0, 0, "maxPool2d");
        assertClose(REF.maxPool2dBackward(x, g, p), FAST.maxPool2dBackward(x, g, p), 1e-6, 1e-6, "maxPool2dBackward");
        assertClose(REF.avgPool2d(x, p), FAST.avgPool2d(x, p), 1e-6, 1e-6, "avgPool2d");
    }

    static Stream<Arguments> specials() {
        return Stream.of(Arguments.of("NaN", Float.NaN), Arguments.of("+inf", Float.POSITIVE_INFINITY),
                Arguments.of("-inf", Float.NEGATIVE_INFINITY));
    }

    static Stream<Arguments> windowsAndChannels() {
        return windows().flatMap(a -> Stream.of(3, 6).map(c -> Arguments.of(a.get()[0], a.get()[1], c)));
    }

    /** 3 channels take the Java loops, 6 libnd4j's avgpool2d_bp (given an input of shape only). */
    @ParameterizedTest(name = "k{0} s{1}, {2} channels")
    @MethodSource("windowsAndChannels")
    void averagePoolingMatchesTheReference(int k, int s, int channels) {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, channels, 13, 11);
        PoolParams p = PoolParams.of(k, s);
        INDArray g = Nd4j.randn(DataType.FLOAT, REF.avgPool2d(x, p).shape());
        assertClose(REF.avgPool2d(x, p), FAST.avgPool2d(x, p), 1e-5, 1e-5, "avgPool2d");
        assertClose(REF.avgPool2dBackward(x, g, p), FAST.avgPool2dBackward(x, g, p), 1e-5, 1e-5, "avgPool2dBackward");
    }

    @Test
    void onlyUnpaddedUndilatedWindowsWithoutCeilOverhangArePlain() {
        assertTrue(Windows.plain(geometry(PoolParams.of(2), 8)));
        assertTrue(Windows.plain(geometry(PoolParams.of(3, 2), 9)));
        assertTrue(Windows.plain(geometry(PoolParams.of(3, 2).withCeilMode(true), 9)), "ceil mode, no overhang");
        assertFalse(Windows.plain(geometry(PoolParams.of(3, 2).withCeilMode(true), 8)), "ceil overhang");
        assertFalse(Windows.plain(geometry(PoolParams.of(3, 1, 1), 8)), "padding");
        assertFalse(Windows.plain(geometry(PoolParams.of(3).withDilation(2), 8)), "dilation");
    }

    private static PoolGeometry geometry(PoolParams p, int size) {
        int oh = Shapes.poolOutput(size, p.kernelH(), p.strideH(), p.paddingH(), p.dilationH(), p.ceilMode());
        return new PoolGeometry(1, 1, size, size, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.paddingH(),
                p.paddingW(), p.dilationH(), p.dilationW(), oh, oh, p.ceilMode(), p.countIncludePad());
    }
}
