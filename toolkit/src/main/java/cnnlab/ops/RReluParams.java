package cnnlab.ops;

/**
 * Parameters of {@link Ops#rrelu}: the slope band {@code [lower, upper]}, the mode and the seed.
 *
 * <p>Defaults, as PyTorch's {@code F.rrelu}: lower 1/8, upper 1/3, eval mode ({@code training=False}; a new
 * {@code nn.RReLU} module is in training mode until {@code .eval()}). In eval mode every negative
 * input is scaled by {@code (lower + upper)/2}; in training mode each negative element draws its own slope
 * uniformly from the band, from a generator seeded with {@code seed}.
 * <pre>
 * jshell&gt; RReluParams.DEFAULT.training(42)
 * $1 ==&gt; lower 0.125, upper 0.3333333333333333, training, seed 42
 * </pre>
 */
public record RReluParams(double lower, double upper, boolean training, long seed) {

    /** lower 1/8, upper 1/3, eval mode. */
    public static final RReluParams DEFAULT = new RReluParams(1.0 / 8, 1.0 / 3, false, 0L);

    public static RReluParams of(double lower, double upper) {
        return new RReluParams(lower, upper, false, 0L);
    }

    /** Training mode, drawing slopes from a generator seeded with {@code seed}. */
    public RReluParams training(long seed) {
        return new RReluParams(lower, upper, true, seed);
    }

    /** Eval mode: the fixed slope {@code (lower + upper)/2}. */
    public RReluParams eval() {
        return new RReluParams(lower, upper, false, seed);
    }

    /** The slope eval mode uses. */
    public double evalSlope() {
        return (lower + upper) / 2;
    }

    @Override
    public String toString() {
        return "lower " + lower + ", upper " + upper + (training ? ", training, seed " + seed : ", eval");
    }
}
