package cnnlab.ops;

import static cnnlab.testing.Arrays4.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.testing.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every bad argument, on both engines: an {@link IllegalArgumentException} whose message starts with
 * {@code <op>: }, names the shapes involved and is the same on both engines (Tribuo's and PyTorch's error
 * style, STYLE.md). After each rejection the engine must still compute a valid op correctly: a native op that
 * failed half-way would leave libnd4j's error state set for the next one.
 */
class ErrorsTest {
    private static final Random SEED = new Random(0xE77);
    private static final INDArray PROBE_X = Tensors.uniform(SEED, 1, 2, 5, 5);
    private static final INDArray PROBE_W = Tensors.uniform(SEED, 3, 2, 3, 3);
    private static final INDArray PROBE_CONV = Cnn.reference().conv2d(PROBE_X, PROBE_W, null, ConvParams.of(2, 1));
    private static final INDArray PROBE_POOL = Cnn.reference().maxPool2d(PROBE_X, PoolParams.of(3, 2, 1));

    /** A bad call: which op must be named, and what else the message must contain. */
    record Bad(String name, String op, Function<Ops, Object> call, List<String> contains) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }

    private static INDArray longs(long... shape) {
        return Nd4j.zeros(DataType.LONG, shape);
    }

    /** Indices {@code [1, 1, 2, 2]} all 0 but one. */
    private static INDArray indicesWith(long value) {
        INDArray idx = longs(1, 1, 2, 2);
        idx.putScalar(3, value);
        return idx;
    }

    static List<Bad> cases() {
        INDArray x = zeros(1, 3, 8, 8), w = zeros(2, 3, 3, 3), tw = zeros(3, 2, 3, 3);
        INDArray small = zeros(1, 1, 2, 2), g = zeros(1, 3, 8, 7);
        ConvParams conv = ConvParams.DEFAULT;
        ConvTransposeParams tconv = ConvTransposeParams.DEFAULT;
        PoolParams pool = PoolParams.of(2);
        List<Bad> b = new ArrayList<>();

        // channels
        b.add(new Bad("conv2d channel mismatch", "conv2d", o -> o.conv2d(x, zeros(2, 4, 3, 3), null, conv),
                List.of("input has 3 channels but weight expects 4", "[1,3,8,8]", "[2,4,3,3]")));
        b.add(new Bad("conv2dBackward channel mismatch", "conv2dBackward",
                o -> o.conv2dBackward(x, zeros(2, 4, 3, 3), zeros(1, 2, 6, 6), conv),
                List.of("[1,3,8,8]", "[2,4,3,3]")));
        b.add(new Bad("convTranspose2d channel mismatch", "convTranspose2d",
                o -> o.convTranspose2d(x, zeros(4, 2, 3, 3), null, tconv), List.of("[1,3,8,8]", "[4,2,3,3]")));

        // kernel larger than the (padded) input
        b.add(new Bad("conv2d kernel larger than input", "conv2d",
                o -> o.conv2d(zeros(1, 3, 2, 2), w, null, conv),
                List.of("3x3 kernel does not fit input 2x2", "\nhint: ", "[1,3,2,2]", "[2,3,3,3]")));
        b.add(new Bad("conv2d kernel larger than padded input", "conv2d",
                o -> o.conv2d(zeros(1, 1, 2, 4), zeros(1, 1, 5, 3), null, ConvParams.of(1, 1, 1, 0)),
                List.of("5x3 kernel does not fit input 2x4", "H_out = floor((2 + 2*1 - 5)/1) + 1 = 0", "\nhint: ",
                        "[1,1,2,4]", "[1,1,5,3]")));
        b.add(new Bad("conv2d dilated kernel larger than input", "conv2d",
                o -> o.conv2d(zeros(1, 1, 4, 4), zeros(1, 1, 3, 3), null, conv.withDilation(2)),
                List.of("does not fit", "\nhint: ", "[1,1,4,4]", "[1,1,3,3]")));
        b.add(new Bad("conv2dBackward kernel larger than input", "conv2dBackward",
                o -> o.conv2dBackward(zeros(1, 3, 2, 2), w, zeros(1, 2, 1, 1), conv),
                List.of("does not fit", "\nhint: ", "[1,3,2,2]", "[2,3,3,3]")));

        // stride, dilation, kernel below 1
        b.add(new Bad("conv2d stride 0", "conv2d", o -> o.conv2d(x, w, null, ConvParams.of(0, 1)),
                List.of("stride must be at least 1 but is 0", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("conv2d negative stride on one axis", "conv2d",
                o -> o.conv2d(x, w, null, conv.withStride(1, -2)),
                List.of("stride must be at least 1 but is (1, -2)", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("conv2d dilation 0", "conv2d", o -> o.conv2d(x, w, null, conv.withDilation(0)),
                List.of("dilation must be at least 1", "[1,3,8,8]")));
        b.add(new Bad("convTranspose2d stride 0", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, ConvTransposeParams.of(0, 0)),
                List.of("stride must be at least 1", "[1,3,8,8]", "[3,2,3,3]")));
        b.add(new Bad("maxPool2d stride 0", "maxPool2d", o -> o.maxPool2d(x, PoolParams.of(2, 0)),
                List.of("stride must be at least 1", "[1,3,8,8]")));
        b.add(new Bad("avgPool2d negative stride", "avgPool2d", o -> o.avgPool2d(x, PoolParams.of(2, -1)),
                List.of("stride must be at least 1", "[1,3,8,8]")));
        b.add(new Bad("maxPool2d kernel 0", "maxPool2d", o -> o.maxPool2d(x, PoolParams.of(0)),
                List.of("kernel must be at least 1", "[1,3,8,8]")));
        b.add(new Bad("unpoolNearest stride 0", "unpoolNearest", o -> o.unpoolNearest(x, 2, 0),
                List.of("stride must be at least 1", "[1,3,8,8]")));
        b.add(new Bad("maxUnpool2d stride 0", "maxUnpool2d",
                o -> o.maxUnpool2d(small, longs(1, 1, 2, 2), PoolParams.of(2, 0)),
                List.of("stride must be at least 1", "[1,1,2,2]")));

        // negative padding
        b.add(new Bad("conv2d negative padding", "conv2d", o -> o.conv2d(x, w, null, ConvParams.of(1, -1)),
                List.of("padding must be non-negative but is -1", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("convTranspose2d negative padding", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, ConvTransposeParams.of(1, 1, 0, -1)),
                List.of("padding must be non-negative but is (0, -1)", "[1,3,8,8]", "[3,2,3,3]")));
        b.add(new Bad("convTranspose2d negative output padding", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, tconv.withOutputPadding(-1)),
                List.of("output padding must be non-negative", "[1,3,8,8]", "[3,2,3,3]")));
        b.add(new Bad("maxPool2d negative padding", "maxPool2d", o -> o.maxPool2d(x, PoolParams.of(2, 2, -1)),
                List.of("padding must be non-negative", "[1,3,8,8]")));
        b.add(new Bad("maxUnpool2d negative padding", "maxUnpool2d",
                o -> o.maxUnpool2d(small, longs(1, 1, 2, 2), PoolParams.of(2, 2, -1)),
                List.of("padding must be non-negative", "[1,1,2,2]")));

        // rank
        b.add(new Bad("conv2d 5-D input", "conv2d", o -> o.conv2d(zeros(1, 1, 3, 8, 8), w, null, conv),
                List.of("input must be 4-D", "[1,1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("conv2d 2-D input", "conv2d", o -> o.conv2d(zeros(8, 8), w, null, conv),
                List.of("input must be 4-D [N, C, H, W] or 3-D [C, H, W] (one image)", "[8,8]",
                        "\nhint: one grey image: input.reshape(1, 1, 8, 8)")));
        b.add(new Bad("conv2d unbatched input with the wrong channels", "conv2d",
                o -> o.conv2d(zeros(4, 8, 8), w, null, conv), List.of("channels", "[1,4,8,8]", "[2,3,3,3]",
                        "\nnote: the input [4,8,8] is one image without a batch axis")));
        b.add(new Bad("conv2d 3-D weight", "conv2d", o -> o.conv2d(x, zeros(3, 3, 3), null, conv),
                List.of("weight must be 4-D", "[1,3,8,8]", "[3,3,3]")));
        b.add(new Bad("convTranspose2d 5-D input", "convTranspose2d",
                o -> o.convTranspose2d(zeros(1, 1, 3, 8, 8), tw, null, tconv), List.of("must be 4-D", "[1,1,3,8,8]")));
        b.add(new Bad("avgPool2d 5-D input", "avgPool2d", o -> o.avgPool2d(zeros(1, 1, 3, 8, 8), pool),
                List.of("input must be 4-D", "[1,1,3,8,8]")));
        b.add(new Bad("medianPool2d 2-D input", "medianPool2d", o -> o.medianPool2d(zeros(8, 8), pool),
                List.of("input must be 4-D", "[8,8]", "reshape(1, 1, 8, 8)")));
        b.add(new Bad("unpoolNearest 5-D input", "unpoolNearest", o -> o.unpoolNearest(zeros(1, 1, 1, 2, 2), 2, 2),
                List.of("input must be 4-D", "[1,1,1,2,2]")));
        b.add(new Bad("maxUnpool2d 3-D indices", "maxUnpool2d", o -> o.maxUnpool2d(small, longs(1, 2, 2), pool),
                List.of("indices must be 4-D", "[1,1,2,2]", "[1,2,2]")));
        b.add(new Bad("conv2d empty axis", "conv2d",
                o -> o.conv2d(Nd4j.create(DataType.FLOAT, 1, 3, 0, 8), w, null, conv),
                List.of("empty axis", "[1,3,0,8]")));

        // bias
        b.add(new Bad("conv2d bias of the wrong length", "conv2d", o -> o.conv2d(x, w, zeros(3), conv),
                List.of("bias must be [2]", "[1,3,8,8]", "[2,3,3,3]", "bias [3]")));
        b.add(new Bad("conv2d 2-D bias", "conv2d", o -> o.conv2d(x, w, zeros(1, 2), conv),
                List.of("bias must be [2]", "bias [1,2]")));
        b.add(new Bad("convTranspose2d bias of the wrong length", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, zeros(3), tconv), List.of("bias must be [2]", "[1,3,8,8]", "[3,2,3,3]")));

        // pooling windows
        b.add(new Bad("maxPool2d padding over half the kernel", "maxPool2d",
                o -> o.maxPool2d(x, PoolParams.of(2, 2, 2)),
                List.of("padding 2 is more than half the 2x2 kernel", "\nhint: use padding at most 1", "[1,3,8,8]")));
        b.add(new Bad("avgPool2d padding over half the kernel", "avgPool2d",
                o -> o.avgPool2d(x, PoolParams.of(3, 1, 2)),
                List.of("more than half", "[1,3,8,8]")));
        b.add(new Bad("minPool2d padding over half one axis", "minPool2d",
                o -> o.minPool2d(x, new PoolParams(3, 2, 1, 1, 1, 2, 1, 1, false, true)),
                List.of("padding (1, 2) is more than half the 3x2 kernel", "[1,3,8,8]")));
        b.add(new Bad("medianPool2d padding over half the kernel", "medianPool2d",
                o -> o.medianPool2d(x, PoolParams.of(3, 1, 2)), List.of("more than half", "[1,3,8,8]")));
        b.add(new Bad("maxPool2d window larger than input", "maxPool2d", o -> o.maxPool2d(small, PoolParams.of(3, 1)),
                List.of("3x3 window does not fit input 2x2", "\nhint: ", "[1,1,2,2]")));
        b.add(new Bad("avgPool2d window larger than input", "avgPool2d",
                o -> o.avgPool2d(zeros(1, 1, 4, 4), PoolParams.window(5, 1)),
                List.of("5x1 window does not fit input 4x4", "\nhint: ", "[1,1,4,4]")));
        b.add(new Bad("minPool2d dilated window larger than input", "minPool2d",
                o -> o.minPool2d(zeros(1, 1, 4, 4), PoolParams.of(3, 1).withDilation(2)),
                List.of("does not fit", "[1,1,4,4]")));
        b.add(new Bad("medianPool2d window larger than input", "medianPool2d",
                o -> o.medianPool2d(small, PoolParams.of(3)), List.of("does not fit", "[1,1,2,2]")));
        b.add(new Bad("maxPool2d dilated window reading only padding", "maxPool2d",
                o -> o.maxPool2d(zeros(1, 1, 1, 1), new PoolParams(1, 2, 1, 1, 0, 1, 2, 2, false, true)),
                List.of("only padding", "[1,1,1,1]", "\nhint: ")));
        b.add(new Bad("avgPool2d with dilation", "avgPool2d", o -> o.avgPool2d(x, PoolParams.of(2).withDilation(2)),
                List.of("has no dilation", "[1,3,8,8]")));

        // unpooling
        b.add(new Bad("maxUnpool2d indices shape differs from input", "maxUnpool2d",
                o -> o.maxUnpool2d(small, longs(1, 1, 2, 3), pool),
                List.of("indices have shape [1,1,2,3] but the input has shape [1,1,2,2]")));
        b.add(new Bad("maxUnpool2d negative index", "maxUnpool2d", o -> o.maxUnpool2d(small, indicesWith(-1), pool),
                List.of("index -1", "outside the 4x4 output plane", "[1,1,2,2]")));
        b.add(new Bad("maxUnpool2d index H_out*W_out", "maxUnpool2d", o -> o.maxUnpool2d(small, indicesWith(16), pool),
                List.of("index 16", "valid: 0 to 15", "[1,1,2,2]")));
        b.add(new Bad("maxUnpool2d index past a given output_size", "maxUnpool2d",
                o -> o.maxUnpool2d(small, indicesWith(9), pool, new long[] {3, 3}),
                List.of("index 9", "3x3 output plane", "[1,1,2,2]")));
        INDArray four = zeros(1, 1, 4, 4);
        b.add(new Bad("maxPool2dBackward by indices of another shape", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, longs(1, 1, 2, 3), pool),
                List.of("indices have shape [1,1,2,3] but gradOut has shape [1,1,2,2]", "[1,1,4,4]", "\nhint: ")));
        b.add(new Bad("maxPool2dBackward by a negative index", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, indicesWith(-1), pool),
                List.of("index -1 at [0,0,1,1] is outside the 4x4 input plane (valid: 0 to 15)", "[1,1,4,4]")));
        b.add(new Bad("maxPool2dBackward by index H*W", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, indicesWith(16), pool),
                List.of("index 16", "4x4 input plane", "maxPool2dWithIndices")));
        b.add(new Bad("maxPool2dBackward by an index that is 0 as an int", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, indicesWith(1L << 32), pool),
                List.of("index 4294967296", "4x4 input plane")));
        INDArray halfway = Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2);           // a float 3.5 used to be cut to 3
        halfway.putScalar(2, 3.5);
        b.add(new Bad("maxPool2dBackward by a float index that is not whole", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, halfway, pool),
                List.of("index 3.5 at [0,0,1,0] is not a whole number", "int64", "maxPool2dWithIndices")));
        b.add(new Bad("maxUnpool2d by a float index that is not whole", "maxUnpool2d",
                o -> o.maxUnpool2d(small, halfway, pool), List.of("index 3.5 at [0,0,1,0] is not a whole number")));
        INDArray nan = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2);
        nan.putScalar(1, Double.NaN);
        b.add(new Bad("maxUnpool2d by a NaN index", "maxUnpool2d", o -> o.maxUnpool2d(small, nan, pool),
                List.of("index NaN at [0,0,0,1] is not a whole number")));
        b.add(new Bad("maxPool2dBackward by indices, null", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, small, null, pool), List.of("indices is null", "[1,1,4,4]")));
        b.add(new Bad("maxPool2dBackward by indices, gradOut of the wrong shape", "maxPool2dBackward",
                o -> o.maxPool2dBackward(four, zeros(1, 1, 3, 3), longs(1, 1, 3, 3), pool),
                List.of("gradOut has shape [1,1,3,3] but the op's output has shape [1,1,2,2]")));
        b.add(new Bad("maxUnpool2d unreachable output_size", "maxUnpool2d",
                o -> o.maxUnpool2d(small, longs(1, 1, 2, 2), pool, new long[] {6, 4}),
                List.of("output_size 6x4 is not reachable", "[1,1,2,2]")));
        b.add(new Bad("maxUnpool2d output_size of 3 elements", "maxUnpool2d",
                o -> o.maxUnpool2d(small, longs(1, 1, 2, 2), pool, new long[] {1, 4, 4}),
                List.of("output_size must be {H, W} or {N, C, H, W}", "[1,1,2,2]")));
        b.add(new Bad("unpoolNearest with padding", "unpoolNearest",
                o -> o.unpoolNearest(small, PoolParams.of(2, 2, 1)),
                List.of("takes only a kernel and a stride", "[1,1,2,2]")));

        // transposed convolution
        b.add(new Bad("convTranspose2d output padding equal to stride", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, ConvTransposeParams.of(2, 0).withOutputPadding(2)),
                List.of("output padding 2 must be smaller than either the stride 2 or the dilation 1", "[1,3,8,8]")));
        b.add(new Bad("convTranspose2d output padding 1 at stride 1", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, tconv.withOutputPadding(1)),
                List.of("must be smaller than either the stride", "[1,3,8,8]", "[3,2,3,3]")));
        b.add(new Bad("convTranspose2d output padding too large on one axis", "convTranspose2d",
                o -> o.convTranspose2d(x, tw, null, tconv.withStride(2, 1).withOutputPadding(0, 1)),
                List.of("output padding (0, 1)", "[1,3,8,8]")));
        b.add(new Bad("convTranspose2d empty output", "convTranspose2d",
                o -> o.convTranspose2d(zeros(1, 1, 2, 2), zeros(1, 1, 3, 3), null, ConvTransposeParams.of(1, 2)),
                List.of("the output would be", "[1,1,2,2]", "[1,1,3,3]")));

        // gradOut of the wrong shape, for every backward
        b.add(new Bad("conv2dBackward gradOut", "conv2dBackward", o -> o.conv2dBackward(x, w, zeros(1, 2, 5, 6), conv),
                List.of("gradOut has shape [1,2,5,6] but the op's output has shape [1,2,6,6]", "[1,3,8,8]",
                        "[2,3,3,3]")));
        b.add(new Bad("conv2dWeightBackward gradOut", "conv2dWeightBackward",
                o -> o.conv2dWeightBackward(x, w, zeros(1, 2, 5, 6), conv),
                List.of("gradOut has shape [1,2,5,6] but the op's output has shape [1,2,6,6]", "[1,3,8,8]",
                        "[2,3,3,3]")));
        b.add(new Bad("convTranspose2dBackward gradOut", "convTranspose2dBackward",
                o -> o.convTranspose2dBackward(x, tw, zeros(1, 2, 9, 9), tconv),
                List.of("gradOut has shape [1,2,9,9] but the op's output has shape [1,2,10,10]", "[1,3,8,8]")));
        b.add(new Bad("maxPool2dBackward gradOut", "maxPool2dBackward",
                o -> o.maxPool2dBackward(x, zeros(1, 3, 4, 3), pool),
                List.of("gradOut has shape [1,3,4,3] but the op's output has shape [1,3,4,4]", "[1,3,8,8]")));
        b.add(new Bad("minPool2dBackward gradOut", "minPool2dBackward",
                o -> o.minPool2dBackward(x, zeros(1, 3, 8, 8), pool),
                List.of("[1,3,8,8]", "[1,3,4,4]")));
        b.add(new Bad("avgPool2dBackward gradOut", "avgPool2dBackward",
                o -> o.avgPool2dBackward(x, zeros(3, 4, 4), pool),
                List.of("[3,4,4]", "[1,3,4,4]", "[1,3,8,8]")));
        b.add(new Bad("reluBackward gradOut", "reluBackward", o -> o.reluBackward(x, g),
                List.of("[1,3,8,7]", "[1,3,8,8]")));
        b.add(new Bad("leakyReluBackward gradOut", "leakyReluBackward", o -> o.leakyReluBackward(x, g, 0.1),
                List.of("[1,3,8,7]", "[1,3,8,8]")));
        b.add(new Bad("preluBackward gradOut", "preluBackward", o -> o.preluBackward(x, zeros(3), g),
                List.of("[1,3,8,7]", "[1,3,8,8]")));
        b.add(new Bad("rreluBackward gradOut", "rreluBackward",
                o -> o.rreluBackward(g, o.rrelu(x, RReluParams.DEFAULT)),
                List.of("[1,3,8,7]", "[1,3,8,8]")));

        // an unbatched input [C, H, W] with a batched companion: PyTorch rejects it too
        b.add(new Bad("conv2dBackward unbatched input, batched gradOut", "conv2dBackward",
                o -> o.conv2dBackward(zeros(3, 8, 8), w, zeros(1, 2, 6, 6), conv),
                List.of("gradOut has 4 axes", "unbatched", "[3,8,8]", "[1,2,6,6]")));
        b.add(new Bad("avgPool2dBackward unbatched input, batched gradOut", "avgPool2dBackward",
                o -> o.avgPool2dBackward(zeros(3, 8, 8), zeros(1, 3, 4, 4), pool),
                List.of("gradOut has 4 axes", "[3,8,8]", "[1,3,4,4]")));
        b.add(new Bad("maxPool2dBackward unbatched input, batched indices", "maxPool2dBackward",
                o -> o.maxPool2dBackward(zeros(3, 8, 8), zeros(3, 4, 4), longs(1, 3, 4, 4), pool),
                List.of("indices has 4 axes", "[3,8,8]", "[1,3,4,4]")));
        // an unbatched input's error gives shapes as one image [1, C, H, W], and says so
        b.add(new Bad("maxPool2dBackward unbatched gradOut of the wrong size", "maxPool2dBackward",
                o -> o.maxPool2dBackward(zeros(3, 8, 8), zeros(3, 2, 2), pool),
                List.of("[1,3,2,2]", "\nnote: the input [3,8,8] is one image without a batch axis;"
                        + " the shapes above are given with a batch axis of 1")));
        b.add(new Bad("convTranspose2d unbatched input with the wrong channels", "convTranspose2d",
                o -> o.convTranspose2d(zeros(4, 8, 8), tw, null, tconv),
                List.of("[1,4,8,8]", "note: the input [4,8,8] is one image")));
        b.add(new Bad("maxUnpool2d unbatched input, batched indices", "maxUnpool2d",
                o -> o.maxUnpool2d(zeros(3, 4, 4), longs(1, 3, 4, 4), pool, null),
                List.of("indices has 4 axes", "[3,4,4]", "[1,3,4,4]")));

        // arrays too large for either engine, refused before any memory is taken
        b.add(new Bad("conv2d with a padding of 10^9", "conv2d",
                o -> o.conv2d(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3), null, ConvParams.of(1, 1_000_000_000)),
                List.of("the output [1,1,2000000003,2000000003] would hold 4,000,000,012,000,000,000 values, more"
                        + " than one array can (2,147,483,639)", "padding (1000000000, 1000000000)",
                        "\nhint: check the padding, stride and dilation")));
        b.add(new Bad("conv2d whose padded input is too large", "conv2d",
                o -> o.conv2d(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3), null, ConvParams.of(1, 30000).withDilation(30000)),
                List.of("the padded input [1,1,60005,60005] would hold 3,600,600,025 values")));
        b.add(new Bad("convTranspose2d with a stride of 10^5", "convTranspose2d",     // aborted the JVM before
                o -> o.convTranspose2d(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3), null, ConvTransposeParams.of(100_000, 0)),
                List.of("the output [1,1,400003,400003] would hold 160,002,400,009 values")));
        b.add(new Bad("maxPool2d with a window of 2*10^9", "maxPool2d",    // ran out of heap spelling the window
                o -> o.maxPool2d(zeros(1, 1, 5, 5), PoolParams.of(2_000_000_001, 1, 1_000_000_000)),
                List.of("the padded input [1,1,2000000005,2000000005] would hold")));
        b.add(new Bad("unpoolNearest to a 500000x500000 output", "unpoolNearest",
                o -> o.unpoolNearest(zeros(1, 1, 5, 5), 100_000, 100_000),
                List.of("the output [1,1,500000,500000] would hold 250,000,000,000 values")));

        // sizes past an int
        b.add(new Bad("conv2d 'same' with a dilation of 2^30", "conv2d",
                o -> o.conv2d(zeros(1, 1, 5, 5), zeros(1, 1, 3, 3), null, ConvParams.same().withDilation(1 << 30)),
                List.of("more than an int holds", "[1,1,5,5]")));
        b.add(new Bad("convTranspose2d with a stride of 2^31 - 1", "convTranspose2d",
                o -> o.convTranspose2d(zeros(1, 1, 3, 3), zeros(1, 1, 3, 3), null,
                        ConvTransposeParams.of(Integer.MAX_VALUE, 0)),
                List.of("more than an int holds", "[1,1,3,3]")));
        b.add(new Bad("maxPool2d with a dilation of 2^30", "maxPool2d",
                o -> o.maxPool2d(x, PoolParams.of(3, 1, 1).withDilation(1 << 30)), List.of("[1,3,8,8]")));
        b.add(new Bad("maxUnpool2d with an output_size of 2^40", "maxUnpool2d",
                o -> o.maxUnpool2d(zeros(1, 1, 2, 2), longs(1, 1, 2, 2), pool, new long[] {1L << 40, 4}),
                List.of("not reachable", "1099511627776x4")));
        b.add(new Bad("unpoolNearest with a stride of 2^31 - 1", "unpoolNearest",
                o -> o.unpoolNearest(zeros(1, 1, 3, 3), PoolParams.of(2, Integer.MAX_VALUE)),
                List.of("more than an int holds", "[1,1,3,3]")));

        // null arguments
        b.add(new Bad("conv2d null input", "conv2d", o -> o.conv2d(null, w, null, conv),
                List.of("input is null", "[2,3,3,3]")));
        b.add(new Bad("conv2d null weight", "conv2d", o -> o.conv2d(x, null, null, conv),
                List.of("weight is null", "[1,3,8,8]")));
        b.add(new Bad("conv2d null params", "conv2d", o -> o.conv2d(x, w, null, null),
                List.of("params is null", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("conv2dBackward null gradOut", "conv2dBackward", o -> o.conv2dBackward(x, w, null, conv),
                List.of("gradOut is null", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("convTranspose2d null input", "convTranspose2d", o -> o.convTranspose2d(null, tw, null, tconv),
                List.of("input is null", "[3,2,3,3]")));
        b.add(new Bad("convTranspose2d null weight", "convTranspose2d", o -> o.convTranspose2d(x, null, null, tconv),
                List.of("weight is null", "[1,3,8,8]")));
        b.add(new Bad("convTranspose2d null params", "convTranspose2d", o -> o.convTranspose2d(x, tw, null, null),
                List.of("params is null", "[1,3,8,8]", "[3,2,3,3]")));
        b.add(new Bad("convTranspose2dBackward null gradOut", "convTranspose2dBackward",
                o -> o.convTranspose2dBackward(x, tw, null, tconv), List.of("gradOut is null", "[1,3,8,8]")));
        b.add(new Bad("maxPool2d null input", "maxPool2d", o -> o.maxPool2d(null, pool), List.of("input is null")));
        b.add(new Bad("maxPool2d null params", "maxPool2d", o -> o.maxPool2d(x, null),
                List.of("params is null", "[1,3,8,8]")));
        b.add(new Bad("avgPool2d null params", "avgPool2d", o -> o.avgPool2d(x, null),
                List.of("params is null", "[1,3,8,8]")));
        b.add(new Bad("minPool2d null input", "minPool2d", o -> o.minPool2d(null, pool), List.of("input is null")));
        b.add(new Bad("medianPool2d null params", "medianPool2d", o -> o.medianPool2d(x, null),
                List.of("params is null", "[1,3,8,8]")));
        b.add(new Bad("maxPool2dBackward null gradOut", "maxPool2dBackward", o -> o.maxPool2dBackward(x, null, pool),
                List.of("gradOut is null", "[1,3,8,8]")));
        b.add(new Bad("maxUnpool2d null indices", "maxUnpool2d", o -> o.maxUnpool2d(small, null, pool),
                List.of("indices is null", "[1,1,2,2]")));
        b.add(new Bad("maxUnpool2d null params", "maxUnpool2d", o -> o.maxUnpool2d(small, longs(1, 1, 2, 2), null),
                List.of("params is null", "[1,1,2,2]")));
        b.add(new Bad("unpoolNearest null params", "unpoolNearest", o -> o.unpoolNearest(small, null),
                List.of("params is null", "[1,1,2,2]")));
        b.add(new Bad("relu null input", "relu", o -> o.relu(null), List.of("x is null")));
        b.add(new Bad("leakyRelu null input", "leakyRelu", o -> o.leakyRelu(null), List.of("x is null")));
        b.add(new Bad("reluBackward null gradOut", "reluBackward", o -> o.reluBackward(x, null),
                List.of("gradOut is null", "[1,3,8,8]")));
        b.add(new Bad("prelu null alpha", "prelu", o -> o.prelu(x, null), List.of("alpha is null", "[1,3,8,8]")));
        b.add(new Bad("prelu null input", "prelu", o -> o.prelu(null, zeros(3)), List.of("x is null", "[3]")));
        b.add(new Bad("rrelu null params", "rrelu", o -> o.rrelu(x, null), List.of("params is null", "[1,3,8,8]")));
        b.add(new Bad("rreluBackward null forward", "rreluBackward", o -> o.rreluBackward(g, null),
                List.of("forward is null", "[1,3,8,7]")));

        // padding modes
        b.add(new Bad("conv2d padding same with stride 2", "conv2d",
                o -> o.conv2d(x, w, null, ConvParams.same().withStride(2)),
                List.of("padding 'same' needs stride 1 but stride is 2", "\nhint: ", "[1,3,8,8]", "[2,3,3,3]")));
        b.add(new Bad("conv2d reflect padding equal to input", "conv2d",
                o -> o.conv2d(zeros(1, 3, 3, 3), w, null, ConvParams.of(1, 3).withPaddingMode(PaddingMode.REFLECT)),
                List.of("reflect padding 3 must be smaller than the input 3x3", "[1,3,3,3]", "[2,3,3,3]")));
        b.add(new Bad("conv2d reflect padding larger than input on one axis", "conv2d",
                o -> o.conv2d(zeros(1, 3, 2, 5), w, null,
                        ConvParams.of(1, 1, 2, 1).withPaddingMode(PaddingMode.REFLECT)),
                List.of("reflect padding (2, 1) must be smaller than the input 2x5", "[1,3,2,5]")));
        b.add(new Bad("conv2d reflect padding same with a large kernel", "conv2d",
                o -> o.conv2d(zeros(1, 3, 2, 2), zeros(2, 3, 5, 5), null,
                        ConvParams.same().withPaddingMode(PaddingMode.REFLECT)),
                List.of("reflect padding 2 must be smaller than the input 2x2", "[1,3,2,2]", "[2,3,5,5]")));
        b.add(new Bad("conv2d circular padding larger than input", "conv2d",
                o -> o.conv2d(zeros(1, 3, 2, 2), w, null, ConvParams.of(1, 3).withPaddingMode(PaddingMode.CIRCULAR)),
                List.of("circular padding 3 must not exceed the input 2x2", "[1,3,2,2]")));

        // activations
        b.add(new Bad("prelu alpha of the wrong length", "prelu", o -> o.prelu(x, zeros(2)),
                List.of("alpha must have 1 element or one per channel (3)", "[1,3,8,8]", "[2]")));
        b.add(new Bad("preluBackward alpha of the wrong length", "preluBackward", o -> o.preluBackward(x, zeros(4), x),
                List.of("one per channel (3)", "[1,3,8,8]", "[4]")));
        b.add(new Bad("prelu alpha of rank 2, as PyTorch rejects", "prelu", o -> o.prelu(x, zeros(1, 1)),
                List.of("alpha must be a scalar or 1-D", "rank 2", "[1,3,8,8]", "[1,1]", "hint: alpha.reshape(1)")));
        b.add(new Bad("preluBackward per-channel alpha of rank 2", "preluBackward",
                o -> o.preluBackward(x, zeros(1, 3), x), List.of("scalar or 1-D", "[1,3]")));
        b.add(new Bad("prelu per-channel alpha on a 1-D input", "prelu", o -> o.prelu(zeros(5), zeros(3)),
                List.of("one per channel (1)", "[5]", "[3]")));
        b.add(new Bad("rrelu lower above upper", "rrelu", o -> o.rrelu(x, RReluParams.of(0.5, 0.1)),
                List.of("lower must be at most upper", "lower is 0.5 and upper 0.1", "[1,3,8,8]")));
        b.add(new Bad("rrelu NaN lower", "rrelu", o -> o.rrelu(x, RReluParams.of(Double.NaN, 0.3)),
                List.of("lower is NaN", "[1,3,8,8]")));
        return b;
    }

    /** A valid conv2d and max pool, compared with values computed before any rejection. */
    private static void stillWorks(Ops ops, String after) {
        assertClose(PROBE_CONV, ops.conv2d(PROBE_X, PROBE_W, null, ConvParams.of(2, 1)),
                ops.name() + " conv2d after rejecting " + after);
        assertClose(PROBE_POOL, ops.maxPool2d(PROBE_X, PoolParams.of(3, 2, 1)),
                ops.name() + " maxPool2d after rejecting " + after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedAlikeByBothEnginesWithTheOpAndShapesNamed(Bad bad) {
        List<String> messages = new ArrayList<>();
        for (Ops ops : Tensors.ENGINES) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.call().apply(ops),
                    ops.name() + ": " + bad.name());
            String m = e.getMessage();
            assertTrue(m.startsWith(bad.op() + ": "), ops.name() + ": message starts with '" + bad.op() + ": ': " + m);
            for (String part : bad.contains()) {
                assertTrue(m.contains(part), ops.name() + ": message contains '" + part + "': " + m);
            }
            messages.add(m);
            stillWorks(ops, bad.name());
        }
        assertEquals(messages.get(0), messages.get(1), "both engines give the same message");
    }

    @Test
    void channelMismatchMessageIsTheStyleGuideExample() {
        for (Ops ops : Tensors.ENGINES) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ops.conv2d(zeros(1, 3, 8, 8), zeros(2, 4, 3, 3), null, ConvParams.DEFAULT));
            assertTrue(e.getMessage().startsWith(
                    "conv2d: input has 3 channels but weight expects 4 (input [1,3,8,8], weight [2,4,3,3], "),
                    e.getMessage());
        }
    }

    @Test
    void windowThatDoesNotFitMessageIsTheStyleGuideExample() {
        for (Ops ops : Tensors.ENGINES) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ops.maxPool2d(zeros(1, 1, 2, 2), PoolParams.of(3, 1)));
            String m = e.getMessage();
            assertTrue(m.startsWith("maxPool2d: 3x3 window does not fit input 2x2: "
                    + "H_out = floor((2 + 2*0 - 3)/1) + 1 = 0"), m);
            assertTrue(m.contains("(input [1,1,2,2], kernel 3x3, stride (1, 1), padding (0, 0))"), m);
            assertTrue(m.endsWith("\nhint: pad by 1 or use a 2x2 window"), m);
        }
    }

    /** The hint offers padding only when the op allows that much: a pool may pad at most half its kernel. */
    @Test
    void windowHintOffersPaddingOnlyWithinTheAllowedRange() {
        for (Ops ops : Tensors.ENGINES) {
            String m = assertThrows(IllegalArgumentException.class,
                    () -> ops.maxPool2d(zeros(1, 1, 1, 1), PoolParams.of(3, 1).withDilation(2))).getMessage();
            assertTrue(m.endsWith("\nhint: use a 1x1 window"), m);
            String c = assertThrows(IllegalArgumentException.class,
                    () -> ops.conv2d(zeros(1, 1, 1, 1), zeros(1, 1, 4, 4))).getMessage();
            assertTrue(c.endsWith("\nhint: pad by 2 or use a 1x1 kernel"), c);
        }
    }
}
