package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import cnnlab.ops.PreluGradients;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parametric ReLU, {@code x > 0 ? x : alpha * x}, with alpha learned: {@link Ops#prelu} forward,
 * {@link Ops#preluBackward} backward ({@code dL/dx} as a leaky ReLU with slope alpha, and
 * {@code dL/dalpha = sum of x * gradOut where x <= 0}).
 *
 * <p>Shapes: input any shape with channels on axis 1 ({@code [N, C, H, W]} or {@code [N, C]}); alpha
 * {@code [1]} (one slope) or {@code [C]} (one per channel), named "weight" as in PyTorch's {@code nn.PReLU}.
 *
 * <p>Defaults: one slope; alpha starts at 0.25, as in PyTorch. {@link Init} leaves it alone.
 * <pre>
 * jshell&gt; var act = new PReLU(6);          // after a 6-channel convolution
 * jshell&gt; act.alpha()
 * $2 ==&gt; weight [6]                       // all 0.25
 * </pre>
 */
public final class PReLU implements Layer, CachesInput {
    /** PyTorch's initial slope. */
    public static final double INITIAL_ALPHA = 0.25;

    private final Param alpha;
    private Ops ops = Cnn.fast();
    private INDArray x;

    /**
     * One slope per channel ({@code channels} &gt; 1) or one for all (1).
     *
     * @throws IllegalArgumentException if channels is below 1
     */
    public PReLU(int channels) {
        Check.positive("PReLU", "channels", channels, "channels " + channels);
        this.alpha = new Param("weight", Nd4j.valueArrayOf(new long[] {channels}, INITIAL_ALPHA, DataType.FLOAT));
    }

    /** One slope for all channels. */
    public PReLU() {
        this(1);
    }

    @Override
    public INDArray forward(INDArray x) {
        this.x = x;
        return ops.prelu(x, alpha.value());
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        PreluGradients g = ops.preluBackward(x, alpha.value(), gradOut);
        alpha.grad().assign(g.dalpha());
        return g.dx();
    }

    /** The learned slope(s), {@code [1]} or {@code [C]}. */
    public Param alpha() {
        return alpha;
    }

    @Override
    public List<Param> params() {
        return List.of(alpha);
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
        return "prelu";
    }

    @Override
    public String toString() {
        return "PReLU(" + alpha.size() + (alpha.size() == 1 ? " slope)" : " slopes)");
    }
}
