package cnnlab.check;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.ops.RRelu;
import cnnlab.ops.RReluParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks of lab 4, ReLU and backprop: {@code Check.lab4.reluFamily(new MyRelu())} and
 * {@code Check.lab4.numericGradient(MyGradCheck::numericGradient)}. Expected values come from the reference engine
 * (activations and their backward, conv2dBackward) or from analytic derivatives.
 * <p>Every method returns a {@link CheckResult} and never throws because of the student's function (null,
 * exceptions, wrong shapes and calls past the time limit are all reported); see {@link Check}.
 */
public final class Lab4Checks {
    /**
     * Exercise 2: the centred-difference gradient {@code (f(x + h·e_i) − f(x − h·e_i)) / 2h} of f at x, one entry
     * per coordinate; x must be unchanged afterwards.
     */
    @FunctionalInterface
    public interface NumericGradient {
        double[] numericGradient(ToDoubleFunction<double[]> f, double[] x, double h);
    }

    static final double ATOL = 1e-5, RTOL = 1e-5;
    /** Gradient tolerance: centred differences with h = 0.01 are off by about h²·f'''/6; forward ones by h·f''/2. */
    static final double GRAD_ATOL = 2e-3, GRAD_RTOL = 1e-3;

    private final Supplier<CheckConfig> config;

    Lab4Checks(Supplier<CheckConfig> config) {
        this.config = config;
    }

    /** The student's scalar function applied to every input, as one call. */
    private interface Elementwise {
        double at(ReluFamily f, double x);
    }

    /**
     * lab4 ex1 (4 points): relu and relu' (with relu'(0) = 0), leaky ReLU and its derivative, eval-mode RReLU, and
     * PReLU's gradient with respect to alpha, compared with {@code Cnn.reference()} on inputs that include 0.
     * <pre>
     * jshell&gt; Check.lab4.reluFamily(new MyRelu())
     * </pre>
     */
    public CheckResult reluFamily(ReluFamily student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab4 ex1");
        double[] shown = {-2, -1, -0.5, 0, 0.5, 1, 2};
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("relu and its derivative (relu'(0) = 0)", 1,
                List.of(elementCase(student, "relu(x)", shown, (f, x) -> f.relu(x), Cnn.reference().relu(vec(shown)), true),
                        elementCase(student, "reluGrad(x)", shown, (f, x) -> f.reluGrad(x),
                                Cnn.reference().reluBackward(vec(shown), ones(shown.length)), true)),
                hiddenElements(r, student, "relu", (f, x) -> f.relu(x), Cnn.reference()::relu)));
        double slope = 0.1;
        groups.add(new Group("leaky ReLU and its derivative", 1,
                List.of(elementCase(student, "leakyRelu(x, 0.1)", shown, (f, x) -> f.leakyRelu(x, slope),
                                Cnn.reference().leakyRelu(vec(shown), slope), true),
                        elementCase(student, "leakyReluGrad(x, 0.1)", shown, (f, x) -> f.leakyReluGrad(x, slope),
                                Cnn.reference().leakyReluBackward(vec(shown), ones(shown.length), slope), true)),
                r == null ? List.of() : List.of(
                        randomElements(r, student, "leakyReluGrad, another slope", 0.05, true),
                        randomElements(r, student, "leakyRelu, another slope", 0.2, false))));
        RReluParams rr = RReluParams.of(0.125, 1.0 / 3);
        RRelu forward = Cnn.reference().rrelu(vec(shown), rr);
        groups.add(new Group("RReLU in eval mode: slope (lower + upper)/2", 1,
                List.of(elementCase(student, "rreluEval(x, 1/8, 1/3)", shown, (f, x) -> f.rreluEval(x, 0.125, 1.0 / 3),
                        forward.output(), true)),
                hiddenElements(r, student, "rreluEval, lower 0.1, upper 0.3", (f, x) -> f.rreluEval(x, 0.1, 0.3),
                        x -> Cnn.reference().rrelu(x, RReluParams.of(0.1, 0.3)).output())));
        groups.add(new Group("PReLU: the gradient with respect to alpha", 1,
                List.of(elementCase(student, "preluGradAlpha(x, 0.25)", shown, (f, x) -> f.preluGradAlpha(x, 0.25),
                        dalpha(shown, 0.25), true)),
                r == null ? List.of() : List.of(preluCase(r, student))));
        return Exercise.run(c, "lab4 ex1", "ReLU family", student, groups, Compare.within(ATOL, RTOL));
    }

    private static INDArray vec(double[] x) {
        return JavaArrays.toINDArray(x);
    }

    private static INDArray ones(int n) {
        return Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, n);
    }

    /** PReLU's dalpha element by element: alpha per channel of an input [1, n, 1, 1]. */
    private static INDArray dalpha(double[] x, double alpha) {
        INDArray xi = vec(x).reshape(1, x.length, 1, 1);
        INDArray a = Nd4j.valueArrayOf(new long[] {x.length}, (float) alpha);
        return Cnn.reference().preluBackward(xi, a, Nd4j.onesLike(xi)).dalpha();
    }

    private static Case preluCase(Random r, ReluFamily student) {
        double[] x = values(r);
        return elementCase(student, "preluGradAlpha, alpha 0.1", x, (f, v) -> f.preluGradAlpha(v, 0.1), dalpha(x, 0.1),
                false);
    }

    private static double[] values(Random r) {
        double[] x = Inputs.vector(r, 12, false);
        x[r.nextInt(x.length)] = 0;     // the kink is always tested
        return x;
    }

    private static List<Case> hiddenElements(Random r, ReluFamily student, String label, Elementwise f,
            java.util.function.UnaryOperator<INDArray> reference) {
        if (r == null) {
            return List.of();
        }
        double[] x = values(r);
        return List.of(elementCase(student, label, x, f, reference.apply(vec(x)), false));
    }

    private static Case randomElements(Random r, ReluFamily student, String label, double slope, boolean grad) {
        double[] x = values(r);
        INDArray expected = grad ? Cnn.reference().leakyReluBackward(vec(x), ones(x.length), slope)
                : Cnn.reference().leakyRelu(vec(x), slope);
        return elementCase(student, label, x, grad ? (f, v) -> f.leakyReluGrad(v, slope) : (f, v) -> f.leakyRelu(v, slope),
                expected, false);
    }

    private static Case elementCase(ReluFamily student, String what, double[] x, Elementwise f, INDArray expected,
            boolean shown) {
        double[] want = JavaArrays.toArray1(expected.reshape(x.length));
        // one number in, one out: the place of a wrong value is the x it was called with
        return new Case(shown ? what + " for x in " + Compare.show(x) : what, Cases.show("x", x), () -> {
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = f.at(student, x[i]);
            }
            return out;
        }, v -> Compare.values(want, v, ATOL, RTOL, i -> "for x[" + i + "] = " + Compare.num(x[i])));
    }

    /** What a student's gradient call returned, and whether it left x as it was. */
    private record Returned(double[] gradient, boolean changedX) {
    }

    /**
     * lab4 ex2 (5 points): centred differences on a function of one variable (x³, where forward differences are
     * too inaccurate), of many variables (x must be left unchanged), and through a convolution, where the result
     * must match {@code Cnn.reference().conv2dBackward}. Step h = 0.01; tolerance atol 2e-3, rtol 1e-3.
     * <pre>
     * jshell&gt; Check.lab4.numericGradient(MyGradCheck::numericGradient)
     * </pre>
     */
    public CheckResult numericGradient(NumericGradient student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab4 ex2");
        double h = 0.01;
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("one variable: f(x) = x³ (centred, not forward, differences)", 1.5,
                List.of(gradCase(student, "f(x) = x³ at x = [2]", "x = [2], h = 0.01", v -> v[0] * v[0] * v[0],
                        new double[] {2}, new double[] {12}, h)),
                Cases.hidden(r, 2, rr -> {
                    double x0 = Inputs.value(rr, false) * 3;
                    return gradCase(student, "f(x) = x³ + sin(x)", null, v -> v[0] * v[0] * v[0] + Math.sin(v[0]),
                            new double[] {x0}, new double[] {3 * x0 * x0 + Math.cos(x0)}, h);
                })));
        groups.add(new Group("many variables, and x left unchanged", 1.5,
                List.of(gradCase(student, "f(x) = Σ x_i² x_(i+1) + Σ exp(x_i / 2) at x = [1, -2, 0.5, 3]",
                        "x = [1, -2, 0.5, 3], h = 0.01", Lab4Checks::chain, new double[] {1, -2, 0.5, 3},
                        chainGradient(new double[] {1, -2, 0.5, 3}), h)),
                Cases.hidden(r, 2, rr -> {
                    double[] x = Inputs.vector(rr, Inputs.between(rr, 3, 8), false);
                    return gradCase(student, "the same f at " + x.length + " random points", null, Lab4Checks::chain, x,
                            chainGradient(x), h);
                })));
        Random pub = new Random(42);
        groups.add(new Group("through a convolution: matches conv2dBackward's dx", 2,
                List.of(convGradCase(student, pub, 1, 4, 2, ConvParams.DEFAULT, true, h)),
                Cases.hidden(r, 2, rr -> convGradCase(student, rr, Inputs.between(rr, 1, 2), Inputs.between(rr, 4, 6),
                        Inputs.between(rr, 1, 2), ConvParams.of(Inputs.between(rr, 1, 2), Inputs.between(rr, 0, 1)), false, h))));
        return Exercise.run(c, "lab4 ex2", "numeric gradient", student, groups,
                Compare.within(GRAD_ATOL, GRAD_RTOL) + ", h = 0.01");
    }

    private static double chain(double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.exp(x[i] / 2) + (i + 1 < x.length ? x[i] * x[i] * x[i + 1] : 0);
        }
        return s;
    }

    private static double[] chainGradient(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = Math.exp(x[i] / 2) / 2 + (i + 1 < x.length ? 2 * x[i] * x[i + 1] : 0) + (i > 0 ? x[i - 1] * x[i - 1] : 0);
        }
        return g;
    }

    /**
     * f(x) = Σ g ⊙ y + ½ Σ y² with y = conv2d(x, w), in double; its gradient is conv2dBackward(x, w, g + y).dx. The
     * square makes f curve, so forward differences are off by about h/2 · Σ w² per cell, far past the tolerance
     * (a linear f would let them pass).
     */
    private static Case convGradCase(NumericGradient student, Random r, int c, int size, int k, ConvParams p,
            boolean shown, double h) {
        double[][][] x = Inputs.volume(r, c, size, size, shown);
        double[][][][] w = Inputs.bank(r, 2, c, k + 1, k + 1, shown);
        INDArray wi = JavaArrays.toINDArray(w), xi = JavaArrays.toINDArray(x);
        long[] out = Cnn.reference().conv2d(xi, wi, null, p).shape();
        double[][][] g = Inputs.bank(r, 1, (int) out[1], (int) out[2], (int) out[3], shown)[0];
        double[][][] y = convDouble(x, w, p, (int) out[2], (int) out[3]);
        double[][][] upstream = new double[g.length][g[0].length][g[0][0].length];
        for (int o = 0; o < g.length; o++) {
            for (int i = 0; i < g[0].length; i++) {
                for (int j = 0; j < g[0][0].length; j++) {
                    upstream[o][i][j] = g[o][i][j] + y[o][i][j];
                }
            }
        }
        double[] expected = Compare.flat(JavaArrays.toArray3(Cnn.reference().conv2dBackward(xi, wi,
                JavaArrays.toINDArray(upstream), p).dx()));
        ToDoubleFunction<double[]> f = v -> {
            double[][][] yv = convDouble(unflat(v, c, size, size), w, p, (int) out[2], (int) out[3]);
            double sum = 0;
            for (int o = 0; o < yv.length; o++) {
                for (int i = 0; i < yv[0].length; i++) {
                    for (int j = 0; j < yv[0][0].length; j++) {
                        sum += g[o][i][j] * yv[o][i][j] + yv[o][i][j] * yv[o][i][j] / 2;
                    }
                }
            }
            return sum;
        };
        String label = "f(x) = Σ g ⊙ y + ½ Σ y², y = conv2d(x, w), x " + Inputs.shape(x) + " flattened, w "
                + Inputs.shape(w) + ", " + Cases.described(p);
        return gradCase(student, label, shown ? Cases.show("x", x, "w", w, "g", g) + "\nh = 0.01" : null, f,
                Compare.flat(x), expected, h);
    }

    /** conv2d by its definition, in double: stride and zero padding as {@code p} says, dilation 1. */
    private static double[][][] convDouble(double[][][] x, double[][][][] w, ConvParams p, int oh, int ow) {
        double[][][] y = new double[w.length][oh][ow];
        for (int o = 0; o < w.length; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int ch = 0; ch < x.length; ch++) {
                        for (int u = 0; u < w[o][ch].length; u++) {
                            for (int v = 0; v < w[o][ch][u].length; v++) {
                                int row = i * p.strideH() - p.paddingH() + u, col = j * p.strideW() - p.paddingW() + v;
                                if (row >= 0 && row < x[ch].length && col >= 0 && col < x[ch][0].length) {
                                    sum += x[ch][row][col] * w[o][ch][u][v];
                                }
                            }
                        }
                    }
                    y[o][i][j] = sum;
                }
            }
        }
        return y;
    }

    private static double[][][] unflat(double[] v, int c, int h, int w) {
        double[][][] x = new double[c][h][w];
        for (int i = 0; i < v.length; i++) {
            x[i / (h * w)][i / w % h][i % w] = v[i];
        }
        return x;
    }

    /**
     * Whether the call left x changed. Putting x[i] back by arithmetic ({@code x[i] += h; ... x[i] -= 2 * h;
     * x[i] += h;}) is a correct way, and may leave the last bit or two rounded (2 + 0.01 - 0.02 + 0.01 is
     * 1.9999999999999998), so only a difference past that counts; forgetting to put x[i] back leaves h.
     */
    static boolean changed(double[] after, double[] before) {
        for (int i = 0; i < before.length; i++) {
            if (!(Math.abs(after[i] - before[i]) <= 1e-12 * Math.max(1, Math.abs(before[i])))) {
                return true;
            }
        }
        return false;
    }

    private static Case gradCase(NumericGradient student, String label, String inputs, ToDoubleFunction<double[]> f,
            double[] x, double[] expected, double h) {
        // f asked to stop at each call: a student's loop spends its time in f, where it is not stopped from outside
        ToDoubleFunction<double[]> stoppable = v -> {
            Call.stopIfAsked();
            return f.applyAsDouble(v);
        };
        return new Case(label, inputs, () -> {
            double[] given = x.clone();
            double[] g = student.numericGradient(stoppable, given, h);
            return new Returned(g, changed(given, x));
        }, v -> {
            Returned got = (Returned) v;
            if (got.changedX()) {
                return new Compare.Mismatch("x was changed by the call: put each x[i] back after perturbing it",
                        "x was changed by the call: put each x[i] back after perturbing it");
            }
            return Compare.values(expected, got.gradient(), GRAD_ATOL, GRAD_RTOL);
        });
    }
}
