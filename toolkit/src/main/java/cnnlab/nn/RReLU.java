package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import cnnlab.ops.RRelu;
import cnnlab.ops.RReluParams;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Randomized leaky ReLU, PyTorch's {@code nn.RReLU}: {@link Ops#rrelu} forward, {@link Ops#rreluBackward}
 * backward (gradOut times the slope each element was given). No parameters.
 *
 * <p>In training mode each negative element gets its own slope, drawn uniformly from {@code [lower, upper)};
 * every forward pass draws afresh, from the next seed of a generator seeded with {@code seed}, so each batch
 * differs but a run repeats exactly. In eval mode every negative input is scaled by {@code (lower + upper)/2}.
 *
 * <p>Defaults: lower 1/8, upper 1/3 (PyTorch's), training mode (as a new PyTorch module), seed 0.
 * <pre>
 * jshell&gt; var act = new RReLU(42);
 * jshell&gt; act.setTraining(false); act.forward(Nd4j.create(new float[] {-48, 1}))
 * $2 ==&gt; [  -11.0000,    1.0000]
 * </pre>
 */
public final class RReLU implements Layer, CachesInput {
    private final RReluParams params;
    private final long seed;
    private final Random seeds;             // one seed per training-mode forward pass
    private boolean training = true;
    private Ops ops = Cnn.fast();
    private RRelu last;                     // output and slopes of the last forward, for backward

    /** @throws IllegalArgumentException if a bound is not finite or lower &gt; upper */
    public RReLU(double lower, double upper, long seed) {
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
            throw new IllegalArgumentException("RReLU: need finite lower <= upper but lower is " + lower
                    + " and upper " + upper);
        }
        this.params = RReluParams.of(lower, upper);
        this.seed = seed;
        this.seeds = new Random(seed);
    }

    /** Lower 1/8, upper 1/3. */
    public RReLU(long seed) {
        this(RReluParams.DEFAULT.lower(), RReluParams.DEFAULT.upper(), seed);
    }

    @Override
    public INDArray forward(INDArray x) {
        last = ops.rrelu(x, training ? params.training(seeds.nextLong()) : params.eval());
        return last.output();
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (last == null) {
            throw Check.noForward(this);
        }
        return ops.rreluBackward(gradOut, last);
    }

    /** The slopes the last forward pass used (1 where the input was positive). */
    public INDArray lastSlopes() {
        if (last == null) {
            throw new IllegalStateException(this + ": no forward pass yet");
        }
        return last.slopes();
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    @Override
    public void useEngine(Ops ops) {
        this.ops = ops;
    }

    @Override
    public void forgetInput() {
        last = null;
    }

    @Override
    public String kind() {
        return "rrelu";
    }

    @Override
    public String toString() {
        return "RReLU(lower " + params.lower() + ", upper " + params.upper() + ", seed " + seed
                + (training ? ", training)" : ", eval)");
    }
}
