package cnnlab.nn;

import cnnlab.ops.Errors;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: {@code y = x W^T + b}.
 *
 * <p>Shapes: input {@code [N, in]}, weight {@code [out, in]} (PyTorch's layout), bias {@code [out]}, output
 * {@code [N, out]}. Parameter names "weight" and "bias". Backward, with {@code g = dL/dy [N, out]}:
 * <pre>
 *   dL/dW = g^T x   [out, in]        dL/db = sum of g over the batch   [out]        dL/dx = g W   [N, in]
 * </pre>
 *
 * <p>Defaults: weight and bias start as PyTorch's do, from {@code Uniform(-1/sqrt(in), 1/sqrt(in))}
 * ({@link Init}), until {@link Init} sets them from a seed.
 * <pre>
 * jshell&gt; new Linear(400, 120).forward(Nd4j.rand(DataType.FLOAT, 8, 400)).shape()
 * $1 ==&gt; long[2] { 8, 120 }
 * </pre>
 */
public final class Linear implements Layer, CachesInput {
    private final int in, out;
    private final Param weight, bias;
    private INDArray x;

    /** @throws IllegalArgumentException if a size is below 1 */
    public Linear(int in, int out) {
        String ctx = "in " + in + ", out " + out;
        Check.positive("Linear", "in features", in, ctx);
        Check.positive("Linear", "out features", out, ctx);
        Check.fits("Linear(" + in + ", " + out + ")", "a layer this large is most likely a mistake: a Linear after the"
                + " Flatten of large maps wants more pooling or stride before it", out, in);
        this.in = in;
        this.out = out;
        this.weight = new Param("weight", Nd4j.createUninitialized(DataType.FLOAT, out, in));
        this.bias = new Param("bias", Nd4j.createUninitialized(DataType.FLOAT, out));
        Init.pytorchDefault(weight.value(), bias.value());
    }

    /** @throws IllegalArgumentException if x is not {@code [N, in]} */
    @Override
    public INDArray forward(INDArray x) {
        if (x.rank() != 2 || x.size(1) != in) {
            throw Errors.error("Linear", "input must be [N, " + in + "] but is " + Errors.shape(x),
                    "input " + Errors.shape(x) + ", weight " + Errors.shape(weight.value()),
                    x.rank() > 2 ? "put a Flatten() before this layer" : x.rank() == 2 ? "its input has "
                            + x.size(1) + " features: make this layer Linear(" + x.size(1) + ", " + out + "), or"
                            + " give it " + in : "the previous layer must give " + in + " features");
        }
        this.x = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        // Nd4j.gemm calls BLAS's sgemm with the transpose as a flag; mmul of a transposed view took 3-7x longer here
        return Nd4j.gemm(this.x, weight.value(), false, true).addiRowVector(bias.value());
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        Check.notNull("Linear.backward", "gradOut", gradOut);
        if (gradOut.rank() != 2 || gradOut.size(0) != x.size(0) || gradOut.size(1) != out) {
            throw Errors.error("Linear.backward", "gradOut must be [" + x.size(0) + ", " + out + "], the shape of"
                    + " the forward pass's output, but is " + Errors.shape(gradOut), "input " + Errors.shape(x)
                    + ", weight " + Errors.shape(weight.value()));
        }
        INDArray g = gradOut.dataType() == DataType.FLOAT ? gradOut : gradOut.castTo(DataType.FLOAT);
        weight.grad().assign(Nd4j.gemm(g, x, true, false));
        bias.grad().assign(g.sum(0));
        return Nd4j.gemm(g, weight.value(), false, false);
    }

    /** {@code [out, in]}. */
    public Param weight() {
        return weight;
    }

    /** {@code [out]}. */
    public Param bias() {
        return bias;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public void forgetInput() {
        x = null;
    }

    @Override
    public String kind() {
        return "fc";
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ")";
    }
}
