package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cnnlab.Cnn;
import cnnlab.testing.Tensors;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One image without the batch axis, as PyTorch takes it ({@code F.conv2d(torch.randn(3, 6, 6), w)} is
 * {@code [K, 4, 4]}): every convolution, pooling and unpooling op on a 3-D {@code [C, H, W]} input gives the batched
 * op's result for {@code [1, C, H, W]} without that axis, on both engines.
 */
class UnbatchedTest {

    static Stream<Ops> engines() {
        return Stream.of(Cnn.reference(), Cnn.fast());
    }

    private static INDArray one(INDArray batched) {
        return batched.reshape(batched.size(1), batched.size(2), batched.size(3));
    }

    private static void same(INDArray expectedBatched, INDArray actual, long[] shape, String what) {
        assertArrayEquals(shape, actual.shape(), what + " shape");
        assertClose(one(expectedBatched), actual, 0, 0, what);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void convolutionsTakeOneImage(Ops ops) {
        Random r = new Random(31);
        INDArray x4 = Tensors.uniform(r, 1, 3, 6, 6), x = one(x4);
        INDArray w = Tensors.uniform(r, 4, 3, 3, 3), b = Tensors.uniform(r, 4);
        ConvParams p = ConvParams.of(1, 1);
        same(ops.conv2d(x4, w, b, p), ops.conv2d(x, w, b, p), new long[] {4, 6, 6}, "conv2d");
        INDArray g4 = Tensors.uniform(r, 1, 4, 6, 6);
        ConvGradients d4 = ops.conv2dBackward(x4, w, g4, p), d = ops.conv2dBackward(x, w, one(g4), p);
        same(d4.dx(), d.dx(), new long[] {3, 6, 6}, "conv2d dx");
        assertClose(d4.dw(), d.dw(), 0, 0, "conv2d dw");
        assertClose(d4.db(), d.db(), 0, 0, "conv2d db");
        assertClose(d4.dw(), ops.conv2dWeightBackward(x, w, one(g4), p).dw(), 0, 0, "conv2d weight-only dw");

        INDArray tw = Tensors.uniform(r, 3, 2, 3, 3);
        ConvTransposeParams t = ConvTransposeParams.of(2, 1);
        INDArray y4 = ops.convTranspose2d(x4, tw, null, t);
        same(y4, ops.convTranspose2d(x, tw, null, t), new long[] {2, 11, 11}, "convTranspose2d");
        INDArray tg4 = Tensors.uniform(r, y4.shape());
        ConvGradients e4 = ops.convTranspose2dBackward(x4, tw, tg4, t);
        ConvGradients e = ops.convTranspose2dBackward(x, tw, one(tg4), t);
        same(e4.dx(), e.dx(), new long[] {3, 6, 6}, "convTranspose2d dx");
        assertClose(e4.dw(), e.dw(), 0, 0, "convTranspose2d dw");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void poolingAndUnpoolingTakeOneImage(Ops ops) {
        Random r = new Random(32);
        INDArray x4 = Tensors.uniform(r, 1, 3, 6, 6), x = one(x4);
        PoolParams p = PoolParams.of(2);
        long[] out = {3, 3, 3};
        same(ops.maxPool2d(x4, p), ops.maxPool2d(x, p), out, "maxPool2d");
        same(ops.minPool2d(x4, p), ops.minPool2d(x, p), out, "minPool2d");
        same(ops.avgPool2d(x4, p), ops.avgPool2d(x, p), out, "avgPool2d");
        same(ops.medianPool2d(x4, p), ops.medianPool2d(x, p), out, "medianPool2d");
        Pooled m4 = ops.maxPool2dWithIndices(x4, p), m = ops.maxPool2dWithIndices(x, p);
        same(m4.output(), m.output(), out, "maxPool2dWithIndices output");
        same(m4.indices(), m.indices(), out, "maxPool2dWithIndices indices");
        INDArray g4 = Tensors.uniform(r, 1, 3, 3, 3);
        long[] in = {3, 6, 6};
        same(ops.maxPool2dBackward(x4, g4, p), ops.maxPool2dBackward(x, one(g4), p), in, "maxPool2dBackward");
        same(ops.maxPool2dBackward(x4, g4, m4.indices(), p), ops.maxPool2dBackward(x, one(g4), m.indices(), p), in,
                "maxPool2dBackward by indices");
        same(ops.minPool2dBackward(x4, g4, p), ops.minPool2dBackward(x, one(g4), p), in, "minPool2dBackward");
        same(ops.avgPool2dBackward(x4, g4, p), ops.avgPool2dBackward(x, one(g4), p), in, "avgPool2dBackward");
        same(ops.maxUnpool2d(m4.output(), m4.indices(), p), ops.maxUnpool2d(m.output(), m.indices(), p), in,
                "maxUnpool2d");
        same(ops.maxUnpool2d(m4.output(), m4.indices(), p, new long[] {7, 7}),
                ops.maxUnpool2d(m.output(), m.indices(), p, new long[] {7, 7}), new long[] {3, 7, 7},
                "maxUnpool2d, output_size 7x7");
        same(ops.unpoolNearest(m4.output(), p), ops.unpoolNearest(m.output(), p), in, "unpoolNearest");
    }
}
