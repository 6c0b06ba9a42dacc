package cnnlab.nn;

import cnnlab.ops.Errors;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned tensor and its gradient, both float32 and of the same shape. Layers overwrite {@link #grad()} in
 * their backward pass; optimisers update {@link #value()} in place; {@link Sequential#load} assigns into it.
 * Two params are equal only if they are the same object (optimisers keep their state per param).
 * <pre>
 * jshell&gt; net.param("conv1.weight")
 * $1 ==&gt; weight [6,1,5,5]
 * </pre>
 */
public final class Param {
    private final String name;
    private final INDArray value;
    private final INDArray grad;

    /**
     * A parameter named {@code name} ("weight", "bias", "alpha"), holding {@code value} itself (not a copy;
     * converted to float32 if needed), with a zero gradient.
     */
    public Param(String name, INDArray value) {
        this.name = name;
        this.value = value.dataType() == DataType.FLOAT ? value : value.castTo(DataType.FLOAT);
        this.grad = Nd4j.zeros(DataType.FLOAT, value.shape());
    }

    /** The name within its layer, as in PyTorch: "weight", "bias", "alpha". */
    public String name() {
        return name;
    }

    /** The current value (updated in place by the optimiser). */
    public INDArray value() {
        return value;
    }

    /** dL/d value from the last backward pass. */
    public INDArray grad() {
        return grad;
    }

    /** The number of scalars. */
    public long size() {
        return value.length();
    }

    /** {@code weight [6,1,5,5]}. */
    @Override
    public String toString() {
        return name + " " + Errors.shape(value);
    }
}
