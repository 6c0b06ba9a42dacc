package cnnlab.ops.nd4j;

import static cnnlab.testing.Arrays4.assertClose;

import cnnlab.Cnn;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast engine's stride-1 conv backward as two forward calls (transposed conv for dx, a conv of the swapped
 * input for dw) against the reference engine, on LeNet's shapes and on rectangular kernels and unequal padding;
 * with 3+ channels and 8+ kernels (LeNet conv2) the full backward takes conv2d_bp, the weights alone stay split.
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
        ConvGradients weightsOnly = FAST.conv2dWeightBackward(input, weight, gradOut, p);  // always split
        assertClose(ref.dw(), weightsOnly.dw(), 1e-3, 1e-4, "dw alone");
        assertClose(ref.db(), weightsOnly.db(), 1e-3, 1e-4, "db alone");
    }
}
