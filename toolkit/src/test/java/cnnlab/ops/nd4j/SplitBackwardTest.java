package cnnlab.ops.nd4j;

import static cnnlab.testing.Arrays4.assertClose;

import cnnlab.Cnn;
import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PaddingMode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast engine's stride-1 conv backward against the reference engine, on LeNet's shapes and on rectangular
 * kernels and unequal padding: through oneDNN's backward primitives (the weights' alone for
 * {@code conv2dWeightBackward}), and as the split into two forward calls (transposed conv for dx, a conv of the
 * swapped input for dw) that libnd4j's route takes when oneDNN is not loaded.
 */
class SplitBackwardTest {
    private static final Ops REF = Cnn.reference(), FAST = Cnn.fast();

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new long[] {8, 1, 28, 28}, new long[] {6, 1, 5, 5}, 2, 2),     // LeNet conv1
                Arguments.of(new long[] {8, 6, 14, 14}, new long[] {16, 6, 5, 5}, 0, 0),    // LeNet conv2
                Arguments.of(new long[] {3, 4, 9, 7}, new long[] {5, 4, 3, 2}, 1, 0),
                Arguments.of(new long[] {1, 2, 6, 11}, new long[] {3, 2, 1, 4}, 0, 2),
                Arguments.of(new long[] {2, 3, 5, 5}, new long[] {2, 3, 5, 5}, 0, 0));
    }

    @ParameterizedTest(name = "x{0} w{1} pad ({2}, {3})")
    @MethodSource("shapes")
    void matchesTheReference(long[] x, long[] w, int ph, int pw) {
        Nd4j.getRandom().setSeed(7);
        INDArray input = Nd4j.randn(DataType.FLOAT, x), weight = Nd4j.randn(DataType.FLOAT, w);
        ConvParams p = ConvParams.of(1, 1, ph, pw);
        INDArray gradOut = Nd4j.randn(DataType.FLOAT, REF.conv2d(input, weight, null, p).shape());
        ConvGradients ref = REF.conv2dBackward(input, weight, gradOut, p);
        ConvGradients fast = FAST.conv2dBackward(input, weight, gradOut, p);
        assertClose(ref.dx(), fast.dx(), 1e-4, 1e-4, "dx");
        assertClose(ref.dw(), fast.dw(), 1e-3, 1e-4, "dw");
        assertClose(ref.db(), fast.db(), 1e-3, 1e-4, "db");
        ConvGradients weightsOnly = FAST.conv2dWeightBackward(input, weight, gradOut, p);
        assertClose(ref.dw(), weightsOnly.dw(), 1e-3, 1e-4, "dw alone");
        assertClose(ref.db(), weightsOnly.db(), 1e-3, 1e-4, "db alone");
        int h = (int) x[2], w0 = (int) x[3], kh = (int) w[2], kw = (int) w[3];
        ConvGeometry g = new ConvGeometry((int) x[0], (int) x[1], h, w0, (int) w[0], kh, kw, 1, 1, ph, ph, pw, pw,
                1, 1, h + 2 * ph - kh + 1, w0 + 2 * pw - kw + 1, PaddingMode.ZEROS);
        ConvGradients split = Convolutions.splitBackward(input, weight, gradOut, g, true);
        assertClose(ref.dx(), split.dx(), 1e-4, 1e-4, "dx, split");
        assertClose(ref.dw(), split.dw(), 1e-3, 1e-4, "dw, split");
        assertClose(ref.db(), split.db(), 1e-3, 1e-4, "db, split");
    }
}
