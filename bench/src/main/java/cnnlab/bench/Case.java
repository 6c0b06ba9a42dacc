package cnnlab.bench;

import cnnlab.ops.ConvParams;
import cnnlab.ops.ConvTransposeParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shapes of issue 8, each an op with its input, weight and parameters. The same list is handed to the
 * PyTorch script ({@link #spec()}), so both sides time exactly the same shapes.
 */
public enum Case {
    CONV_ALEXNET("conv2d", "AlexNet conv1: 1x3x227x227, 96x3x11x11, stride 4", Kind.CONV,
            new long[] {1, 3, 227, 227}, new long[] {96, 3, 11, 11}, 4, 0),
    CONV_VGG("conv2d", "VGG 3x3: 8x64x56x56 -> 64, pad 1", Kind.CONV,
            new long[] {8, 64, 56, 56}, new long[] {64, 64, 3, 3}, 1, 1),
    CONV_LENET1("conv2d", "LeNet conv1: 64x1x28x28 -> 6@5x5, pad 2", Kind.CONV,
            new long[] {64, 1, 28, 28}, new long[] {6, 1, 5, 5}, 1, 2),
    CONV_LENET2("conv2d", "LeNet conv2: 64x6x14x14 -> 16@5x5", Kind.CONV,
            new long[] {64, 6, 14, 14}, new long[] {16, 6, 5, 5}, 1, 0),
    MAX_POOL("maxPool2d", "2x2 stride 2 on 8x64x112x112", Kind.MAX_POOL,
            new long[] {8, 64, 112, 112}, new long[] {2, 2}, 2, 0),
    AVG_POOL("avgPool2d", "3x3 stride 2 on 8x64x112x112", Kind.AVG_POOL,
            new long[] {8, 64, 112, 112}, new long[] {3, 3}, 2, 0),
    CONV_TRANSPOSE("convTranspose2d", "k4 s2 p1: 8x64x28x28 -> 32", Kind.CONV_TRANSPOSE,
            new long[] {8, 64, 28, 28}, new long[] {64, 32, 4, 4}, 2, 1),
    RELU("relu", "8x64x112x112", Kind.RELU, new long[] {8, 64, 112, 112}, new long[0], 1, 0);

    /** What an op computes, which decides its inputs and its backward. */
    public enum Kind { CONV, CONV_TRANSPOSE, MAX_POOL, AVG_POOL, RELU }

    private final String op;
    private final String shape;
    private final Kind kind;
    private final long[] input;
    private final long[] weight;
    private final int stride;
    private final int padding;

    Case(String op, String shape, Kind kind, long[] input, long[] weight, int stride, int padding) {
        this.op = op;
        this.shape = shape;
        this.kind = kind;
        this.input = input;
        this.weight = weight;
        this.stride = stride;
        this.padding = padding;
    }

    public String op() {
        return op;
    }

    public String shape() {
        return shape;
    }

    public Kind kind() {
        return kind;
    }

    /** The input shape, {@code [N, C, H, W]}. */
    long[] inputShape() {
        return input.clone();
    }

    /** The weight shape (a conv's {@code [K, C, kH, kW]}), or the window for pooling. */
    long[] weightShape() {
        return weight.clone();
    }

    int stride() {
        return stride;
    }

    int padding() {
        return padding;
    }

    /** A short label for charts, e.g. "conv2d AlexNet conv1". */
    public String label() {
        int colon = shape.indexOf(':');
        return op + " " + (colon > 0 ? shape.substring(0, colon) : shape.replace("on 8x64x112x112", "").trim());
    }

    /** Seeded inputs for one case: {x, weight (or null), bias (or null), gradOut, max-pool indices (or null)}. */
    public Inputs inputs(Ops ops) {
        Nd4j.getRandom().setSeed(42 + ordinal());
        INDArray x = Nd4j.randn(DataType.FLOAT, input);
        INDArray w = null, b = null;
        if (kind == Kind.CONV || kind == Kind.CONV_TRANSPOSE) {
            w = Nd4j.randn(DataType.FLOAT, weight).muli(0.1);
            b = Nd4j.randn(DataType.FLOAT, kind == Kind.CONV ? weight[0] : weight[1]);
        }
        INDArray indices = null, y;
        if (kind == Kind.MAX_POOL) {            // the backward takes the forward's indices, as PyTorch's autograd
            Pooled pooled = ops.maxPool2dWithIndices(x, PoolParams.of((int) weight[0], stride));
            y = pooled.output();
            indices = pooled.indices();
        } else {
            y = forward(ops, x, w, b);
        }
        return new Inputs(x, w, b, Nd4j.randn(DataType.FLOAT, y.shape()), indices);
    }

    /** The forward pass of this case on {@code ops}. */
    public INDArray forward(Ops ops, INDArray x, INDArray w, INDArray b) {
        return switch (kind) {
            case CONV -> ops.conv2d(x, w, b, ConvParams.of(stride, padding));
            case CONV_TRANSPOSE -> ops.convTranspose2d(x, w, b, ConvTransposeParams.of(stride, padding));
            case MAX_POOL -> ops.maxPool2d(x, PoolParams.of((int) weight[0], stride));
            case AVG_POOL -> ops.avgPool2d(x, PoolParams.of((int) weight[0], stride));
            case RELU -> ops.relu(x);
        };
    }

    /** The backward pass of this case on {@code ops}: every gradient the op's backward returns. */
    public Object backward(Ops ops, Inputs in) {
        return switch (kind) {
            case CONV -> ops.conv2dBackward(in.x(), in.w(), in.gradOut(), ConvParams.of(stride, padding));
            case CONV_TRANSPOSE -> ops.convTranspose2dBackward(in.x(), in.w(), in.gradOut(),
                    ConvTransposeParams.of(stride, padding));
            case MAX_POOL -> ops.maxPool2dBackward(in.x(), in.gradOut(), in.indices(),
                    PoolParams.of((int) weight[0], stride));
            case AVG_POOL -> ops.avgPool2dBackward(in.x(), in.gradOut(), PoolParams.of((int) weight[0], stride));
            case RELU -> ops.reluBackward(in.x(), in.gradOut());
        };
    }

    /** One line of the PyTorch script's input: {@code name kind input weight stride padding}. */
    public String spec() {
        return String.format(Locale.ROOT, "%s %s %s %s %d %d", name(), kind, dims(input),
                weight.length == 0 ? "-" : dims(weight), stride, padding);
    }

    private static String dims(long[] shape) {
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** A case's arrays; indices only for max pooling (where each maximum was, from the forward pass). */
    public record Inputs(INDArray x, INDArray w, INDArray b, INDArray gradOut, INDArray indices) {
    }
}
