package cnnlab.check;

import cnnlab.Cnn;
import cnnlab.ops.ConvTransposeParams;
import cnnlab.ops.PoolParams;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks of lab 3, unpooling and transposed convolution: {@code Check.lab3.unpoolNearest(MyUnpool::unpoolNearest)}
 * and {@code Check.lab3.convTranspose2d(MyDeconv::convTranspose2d)}. Expected values come from the reference engine.
 * <p>Every method returns a {@link CheckResult} and never throws because of the student's function (null,
 * exceptions, wrong shapes and calls past the time limit are all reported); see {@link Check}.
 */
public final class Lab3Checks {
    /**
     * Exercise 1: the lecture's nearest unpooling. Shapes: x {@code [C][H][W]}, result
     * {@code [C][(H−1)·stride + kernel][(W−1)·stride + kernel]}.
     */
    @FunctionalInterface
    public interface UnpoolNearest {
        double[][][] unpoolNearest(double[][][] x, int kernel, int stride);
    }

    /**
     * Exercise 2: transposed convolution by scattering. Shapes: x {@code [C_in][H][W]}, w
     * {@code [C_in][C_out][kH][kW]}, b {@code [C_out]}, result {@code [C_out][H_out][W_out]} with
     * {@code H_out = (H − 1)·stride − 2·padding + kH}.
     */
    @FunctionalInterface
    public interface ConvTranspose2d {
        double[][][] convTranspose2d(double[][][] x, double[][][][] w, double[] b, int stride, int padding);
    }

    static final double ATOL = 1e-4, RTOL = 1e-4;

    private final Supplier<CheckConfig> config;

    Lab3Checks(Supplier<CheckConfig> config) {
        this.config = config;
    }

    /**
     * lab3 ex1 (3 points): each value copied into its kernel × kernel block; where blocks overlap the mean of the
     * values covering a cell, and 0 where none does. Compared with {@code Cnn.reference().unpoolNearest}.
     * <pre>
     * jshell&gt; Check.lab3.unpoolNearest(MyUnpool::unpoolNearest)
     * </pre>
     */
    public CheckResult unpoolNearest(UnpoolNearest student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab3 ex1");
        Random pub = new Random(31);
        List<Group> groups = List.of(
                new Group("stride = kernel: each value fills its block", 1,
                        List.of(unpoolCase(student, new double[][][] {{{1, 2}, {3, 4}}}, 2, 2, true),
                                unpoolCase(student, Inputs.volume(pub, 2, 2, 3, true), 3, 3, true)),
                        Cases.hidden(r, 2, rr -> {
                            int k = Inputs.between(rr, 2, 4);
                            return unpoolCase(student, Inputs.volume(rr, Inputs.between(rr, 1, 3),
                                    Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), false), k, k, false);
                        })),
                new Group("stride < kernel: overlapping blocks are averaged", 1.5,
                        List.of(unpoolCase(student, new double[][][] {{{1, 2}, {3, 4}}}, 3, 2, true),
                                unpoolCase(student, Inputs.volume(pub, 1, 3, 3, true), 3, 1, true)),
                        Cases.hidden(r, 3, rr -> {
                            int k = Inputs.between(rr, 2, 4), s = Inputs.between(rr, 1, k - 1);
                            return unpoolCase(student, Inputs.volume(rr, Inputs.between(rr, 1, 3),
                                    Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), false), k, s, false);
                        })),
                // a mean over no blocks is 0/0: the cells between blocks must stay 0, not NaN
                new Group("stride > kernel: cells no block covers stay 0", 0.5,
                        List.of(unpoolCase(student, new double[][][] {{{1, 2}, {3, 4}}}, 2, 3, true)),
                        Cases.hidden(r, 2, rr -> {
                            int k = Inputs.between(rr, 1, 3), s = k + Inputs.between(rr, 1, 2);
                            return unpoolCase(student, Inputs.volume(rr, Inputs.between(rr, 1, 2),
                                    Inputs.between(rr, 2, 4), Inputs.between(rr, 2, 4), false), k, s, false);
                        })));
        return Exercise.run(c, "lab3 ex1", "nearest unpooling", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Case unpoolCase(UnpoolNearest student, double[][][] x, int k, int s, boolean shown) {
        double[][][] expected = JavaArrays.toArray3(Cnn.reference().unpoolNearest(JavaArrays.toINDArray(x),
                PoolParams.of(k, s)));
        return Cases.values("x " + Inputs.shape(x) + ", kernel " + k + ", stride " + s, Cases.show("x", x),
                in -> student.unpoolNearest(in.copy("x", x), k, s), expected, ATOL, RTOL);
    }

    /**
     * lab3 ex2 (5 points): transposed convolution, each input value scattering {@code x · w} into the output,
     * with stride, padding (cropping the border) and several channels with a bias. Compared with
     * {@code Cnn.reference().convTranspose2d}.
     * <pre>
     * jshell&gt; Check.lab3.convTranspose2d(MyDeconv::convTranspose2d)
     * </pre>
     */
    public CheckResult convTranspose2d(ConvTranspose2d student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab3 ex2");
        Random pub = new Random(32);
        // {cin, h, w, cout, kh, kw, stride, padding}; kernels are rectangular in some cases of every group but the
        // first, where kh used for kw would pass
        List<Group> groups = List.of(
                group("one channel, stride 1", 1, student, pub, r,
                        new int[][] {{1, 2, 2, 1, 2, 2, 1, 0}, {1, 3, 3, 1, 3, 3, 1, 0}},
                        rr -> {
                            int k = Inputs.between(rr, 2, 3);
                            return new int[] {1, Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), 1, k, k, 1, 0};
                        }),
                group("stride 2 and 3: scattered copies overlap and add", 1.5, student, pub, r,
                        new int[][] {{1, 2, 2, 1, 3, 3, 2, 0}, {1, 3, 2, 1, 2, 3, 3, 0}},
                        rr -> new int[] {1, Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), 1, Inputs.between(rr, 2, 4),
                                Inputs.between(rr, 2, 4), Inputs.between(rr, 2, 3), 0}),
                group("several input and output channels, with bias", 1.5, student, pub, r,
                        new int[][] {{2, 2, 3, 3, 2, 2, 1, 0}},
                        rr -> new int[] {Inputs.between(rr, 2, 3), Inputs.between(rr, 2, 4), Inputs.between(rr, 2, 4),
                                Inputs.between(rr, 2, 3), Inputs.between(rr, 2, 3), Inputs.between(rr, 2, 3),
                                Inputs.between(rr, 1, 2), 0}),
                // one channel, as its public case: a slip with channels (the weight's two axes swapped) is the
                // channel group's to find, not a hidden case's under "padding"
                group("padding crops the border", 1, student, pub, r, new int[][] {{1, 3, 3, 1, 3, 3, 2, 1}},
                        rr -> {
                            int kh = Inputs.between(rr, 3, 4), kw = Inputs.between(rr, 3, 4);
                            return new int[] {1, Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), 1, kh, kw,
                                    Inputs.between(rr, 1, 3), Inputs.between(rr, 1, (Math.min(kh, kw) - 1) / 2)};
                        }));
        return Exercise.run(c, "lab3 ex2", "transposed convolution", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Group group(String name, double points, ConvTranspose2d student, Random pub, Random hidden,
            int[][] publicShapes, java.util.function.Function<Random, int[]> hiddenShape) {
        Case[] p = new Case[publicShapes.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = deconvCase(student, pub, publicShapes[i], true, name.contains("bias"));
        }
        // hidden cases have a bias where the group's public ones do: each group checks one thing
        return new Group(name, points, List.of(p), Cases.hidden(hidden, 2,
                rr -> deconvCase(student, rr, hiddenShape.apply(rr), false, name.contains("bias"))));
    }

    private static Case deconvCase(ConvTranspose2d student, Random r, int[] s, boolean shown, boolean bias) {
        double[][][] x = Inputs.volume(r, s[0], s[1], s[2], shown);
        double[][][][] w = Inputs.bank(r, s[0], s[3], s[4], s[5], shown);
        double[] b = bias ? Inputs.vector(r, s[3], shown) : new double[s[3]];
        int stride = s[6], padding = s[7];
        double[][][] expected = JavaArrays.toArray3(Cnn.reference().convTranspose2d(JavaArrays.toINDArray(x),
                JavaArrays.toINDArray(w), JavaArrays.toINDArray(b), ConvTransposeParams.of(stride, padding)));
        return Cases.values("x " + Inputs.shape(x) + ", w " + Inputs.shape(w) + ", stride " + stride + ", padding "
                        + padding, Cases.show("x", x, "w", w, "b", b),
                in -> student.convTranspose2d(in.copy("x", x), in.copy("w", w), in.copy("b", b), stride, padding),
                expected, ATOL, RTOL);
    }
}
