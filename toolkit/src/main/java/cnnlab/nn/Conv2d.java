package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution layer, PyTorch's {@code nn.Conv2d}: {@link Ops#conv2d} forward, {@link Ops#conv2dBackward}
 * backward.
 *
 * <p>Shapes: input {@code [N, C_in, H, W]}, weight {@code [C_out, C_in, k, k]}, bias {@code [C_out]}, output
 * {@code [N, C_out, H_out, W_out]} with {@code H_out = floor((H + 2*padding - dilation*(k-1) - 1)/stride) + 1}.
 * Parameter names "weight" and "bias".
 *
 * <p>Defaults: {@link ConvParams#DEFAULT} (stride 1, padding 0); weight and bias start as PyTorch's do, from
 * {@code Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))} ({@link Init}), until {@link Init} sets them from a seed (as
 * {@link LeNet5#create} does).
 * <pre>
 * jshell&gt; var conv = new Conv2d(1, 6, 5, ConvParams.of(1, 2));
 * jshell&gt; conv.forward(Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28)).shape()
 * $2 ==&gt; long[4] { 8, 6, 28, 28 }
 * </pre>
 */
public final class Conv2d implements Layer, CachesInput {
    private final int inChannels, outChannels, kernel;
    private final ConvParams params;
    private final Param weight, bias;
    private Ops ops = Cnn.fast();
    private INDArray x;                     // the last input, for backward

    /**
     * @throws IllegalArgumentException if a channel count or the kernel size is below 1, or params is null
     */
    public Conv2d(int inChannels, int outChannels, int kernel, ConvParams params) {
        String ctx = "in " + inChannels + ", out " + outChannels + ", kernel " + kernel;
        Check.positive("Conv2d", "in channels", inChannels, ctx);
        Check.positive("Conv2d", "out channels", outChannels, ctx);
        Check.positive("Conv2d", "kernel", kernel, ctx);
        Check.notNull("Conv2d", "params", params);
        Check.fits("Conv2d(" + inChannels + ", " + outChannels + ", kernel " + kernel + ")", "a layer this large is"
                + " most likely a mistake: check the channel counts and the kernel size (AlexNet's largest has 384"
                + " channels and 3x3 kernels)", outChannels, inChannels, kernel, kernel);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.params = params;
        this.weight = new Param("weight", Nd4j.createUninitialized(DataType.FLOAT, outChannels, inChannels, kernel,
                kernel));
        this.bias = new Param("bias", Nd4j.createUninitialized(DataType.FLOAT, outChannels));
        Init.pytorchDefault(weight.value(), bias.value());
    }

    /** Stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, ConvParams.DEFAULT);
    }

    @Override
    public INDArray forward(INDArray x) {
        this.x = x;
        return ops.conv2d(x, weight.value(), bias.value(), params);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        return setGradients(ops.conv2dBackward(x, weight.value(), gradOut, params));
    }

    /** Only dw and db ({@link cnnlab.ops.Ops#conv2dWeightBackward}); returns null. */
    @Override
    public INDArray backwardParamsOnly(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        return setGradients(ops.conv2dWeightBackward(x, weight.value(), gradOut, params));
    }

    private INDArray setGradients(ConvGradients g) {
        weight.grad().assign(g.dw());
        bias.grad().assign(g.db());
        return g.dx();
    }

    /** {@code [C_out, C_in, k, k]}; its value is what {@code KernelGrid} draws. */
    public Param weight() {
        return weight;
    }

    /** {@code [C_out]}. */
    public Param bias() {
        return bias;
    }

    public ConvParams convParams() {
        return params;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public void useEngine(Ops ops) {
        this.ops = ops;
    }

    @Override
    public void forgetInput() {
        x = null;
    }

    @Override
    public String kind() {
        return "conv";
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel " + kernel + "x" + kernel + ", " + params + ")";
    }
}
