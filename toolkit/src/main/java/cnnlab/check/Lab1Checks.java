package cnnlab.check;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.shape.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks of lab 1, convolution: {@code Check.lab1.outputSize(MySizes::outputSize)} and
 * {@code Check.lab1.conv2d(MyConv::conv2d)}. Expected values come from {@link Shapes} and the reference engine.
 * <p>Every method returns a {@link CheckResult} and never throws because of the student's function (null,
 * exceptions, wrong shapes and calls past the time limit are all reported); see {@link Check}.
 */
public final class Lab1Checks {
    /** Exercise 1: the output size of a convolution along one axis (dilation 1). */
    @FunctionalInterface
    public interface OutputSize {
        int outputSize(int input, int kernel, int stride, int padding);
    }

    /**
     * Exercise 2: conv2d of one image. Shapes: x {@code [C_in][H][W]}, w {@code [C_out][C_in][kH][kW]}, b
     * {@code [C_out]}, result {@code [C_out][H_out][W_out]}. Only stride and zero padding of {@code p} are used
     * (dilation 1).
     */
    @FunctionalInterface
    public interface Conv2d {
        double[][][] conv2d(double[][][] x, double[][][][] w, double[] b, ConvParams p);
    }

    static final double ATOL = 1e-4, RTOL = 1e-4;

    private final Supplier<CheckConfig> config;

    Lab1Checks(Supplier<CheckConfig> config) {
        this.config = config;
    }

    /**
     * lab1 ex1 (2 points): {@code ⌊(input + 2·padding − kernel)/stride⌋ + 1} for stride 1, for stride and padding,
     * and where the window does not fit exactly.
     * <pre>
     * jshell&gt; Check.lab1.outputSize(MySizes::outputSize)
     * </pre>
     */
    public CheckResult outputSize(OutputSize student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab1 ex1");
        List<Group> groups = List.of(
                sizeGroup("stride 1, no padding", 0.5, student, new int[][] {{5, 3, 1, 0}, {28, 5, 1, 0}}, r, 1, 1, 0, 0),
                sizeGroup("stride and padding", 0.5, student, new int[][] {{7, 3, 2, 1}, {32, 5, 1, 2}}, r, 1, 3, 1, 3),
                sizeGroup("the window does not fit exactly (floor)", 1, student,
                        new int[][] {{8, 3, 2, 0}, {10, 4, 3, 1}}, r, 2, 4, 0, 2));
        return Exercise.run(c, "lab1 ex1", "output size", student, groups, null);
    }

    private static Group sizeGroup(String name, double points, OutputSize student, int[][] publicArgs, Random r,
            int sLo, int sHi, int pLo, int pHi) {
        List<Case> pub = new ArrayList<>(), hid = new ArrayList<>();
        for (int[] a : publicArgs) {
            pub.add(sizeCase(student, a, true));
        }
        while (r != null && hid.size() < 3) {
            int k = Inputs.between(r, Math.max(1, 2 * pLo), 7), s = Inputs.between(r, sLo, sHi), p = Inputs.between(r, pLo, Math.min(pHi, k / 2));
            int i = Inputs.between(r, Math.max(1, k - 2 * p), 40);
            // the floor group's cases never fit exactly, the others' always do (as their public cases): each group
            // checks one thing, and a bug in one (Math.ceil) costs the same points whatever the seed
            boolean exact = (i + 2 * p - k) % s == 0;
            if (i + 2 * p >= k && name.startsWith("the window") != exact) {
                hid.add(sizeCase(student, new int[] {i, k, s, p}, false));
            }
        }
        return new Group(name, points, pub, hid);
    }

    private static Case sizeCase(OutputSize student, int[] a, boolean shown) {
        int expected = Shapes.convOutput(a[0], a[1], a[2], a[3], 1);
        String label = shown ? "input " + a[0] + ", kernel " + a[1] + ", stride " + a[2] + ", padding " + a[3]
                : "stride " + a[2] + ", padding " + a[3] + (a[1] > 1 ? ", kernel > 1" : ", kernel 1");
        return new Case(label, null,
                () -> student.outputSize(a[0], a[1], a[2], a[3]),
                v -> v instanceof Integer got && got == expected ? null
                        : new Compare.Mismatch("expected " + expected + ", got " + v, "wrong size"));
    }

    /**
     * lab1 ex2 (6 points): multi-channel conv2d with bias, stride and zero padding, including rectangular kernels
     * with unequal stride and padding. Compared with {@code Cnn.reference().conv2d} within atol 1e-4, rtol 1e-4.
     * <pre>
     * jshell&gt; Check.lab1.conv2d(MyConv::conv2d)
     * </pre>
     */
    public CheckResult conv2d(Conv2d student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab1 ex2");
        Random pub = new Random(11);
        List<Group> groups = new ArrayList<>();
        // shapes: {cin, h, w, cout, kh, kw, sh, sw, ph, pw}
        groups.add(convGroup("one channel, stride 1, no padding", student, pub, r,
                new int[][] {{1, 4, 4, 1, 3, 3, 1, 1, 0, 0}, {1, 5, 5, 1, 2, 2, 1, 1, 0, 0}},
                rr -> new int[] {1, Inputs.between(rr, 4, 8), Inputs.between(rr, 4, 8), 1, 3, 3, 1, 1, 0, 0}));
        groups.add(convGroup("several input and output channels, with bias", student, pub, r,
                new int[][] {{2, 4, 4, 3, 2, 2, 1, 1, 0, 0}},
                rr -> new int[] {Inputs.between(rr, 2, 4), Inputs.between(rr, 4, 7), Inputs.between(rr, 4, 7),
                        Inputs.between(rr, 2, 4), 3, 3, 1, 1, 0, 0}));
        groups.add(convGroup("stride and padding", student, pub, r,
                new int[][] {{1, 5, 5, 1, 3, 3, 2, 2, 1, 1}, {2, 4, 4, 2, 3, 3, 1, 1, 1, 1}},
                rr -> {
                    int s = Inputs.between(rr, 1, 3), p = Inputs.between(rr, 1, 2);
                    return new int[] {Inputs.between(rr, 1, 3), Inputs.between(rr, 5, 9), Inputs.between(rr, 5, 9),
                            Inputs.between(rr, 1, 3), 3, 3, s, s, p, p};
                }));
        groups.add(convGroup("rectangular kernel, unequal stride and padding", student, pub, r,
                new int[][] {{2, 5, 6, 2, 2, 3, 2, 1, 0, 1}},
                rr -> new int[] {Inputs.between(rr, 1, 3), Inputs.between(rr, 5, 9), Inputs.between(rr, 5, 9),
                        Inputs.between(rr, 1, 3), Inputs.between(rr, 1, 3), Inputs.between(rr, 2, 4),
                        Inputs.between(rr, 1, 3), Inputs.between(rr, 1, 2), Inputs.between(rr, 0, 1),
                        Inputs.between(rr, 0, 2)}));
        return Exercise.run(c, "lab1 ex2", "conv2d", student, groups, Compare.within(ATOL, RTOL));
    }

    private Group convGroup(String name, Conv2d student, Random pub, Random hidden, int[][] publicShapes,
            java.util.function.Function<Random, int[]> hiddenShape) {
        List<Case> p = new ArrayList<>(), h = new ArrayList<>();
        for (int[] s : publicShapes) {
            p.add(convCase(student, pub, s, true, name.contains("bias")));
        }
        for (int i = 0; hidden != null && i < 2; i++) {   // a bias where the public cases have one: one thing a group
            h.add(convCase(student, hidden, hiddenShape.apply(hidden), false, name.contains("bias")));
        }
        return new Group(name, 1.5, p, h);
    }

    private static Case convCase(Conv2d student, Random r, int[] s, boolean shown, boolean bias) {
        double[][][] x = Inputs.volume(r, s[0], s[1], s[2], shown);
        double[][][][] w = Inputs.bank(r, s[3], s[0], s[4], s[5], shown);
        double[] b = bias ? Inputs.vector(r, s[3], shown) : new double[s[3]];
        ConvParams params = ConvParams.of(s[6], s[7], s[8], s[9]);
        double[][][] expected = JavaArrays.toArray3(Cnn.reference().conv2d(JavaArrays.toINDArray(x),
                JavaArrays.toINDArray(w), JavaArrays.toINDArray(b), params));
        String label = "x " + Inputs.shape(x) + ", w " + Inputs.shape(w) + ", " + Cases.described(params);
        String inputs = Cases.show("x", x, "w", w, "b", b);
        return Cases.values(label, inputs,
                in -> student.conv2d(in.copy("x", x), in.copy("w", w), in.copy("b", b), params), expected, ATOL, RTOL,
                (m, got) -> sized(m, got, expected, x, w, params));
    }

    /**
     * A result of the wrong shape, with the sizes worked out (in a hidden case, the formula only): exercise 2 may
     * call exercise 1's {@code MySizes.outputSize}, and one slip there costs every case of this one.
     */
    private static Compare.Mismatch sized(Compare.Mismatch m, Object got, double[][][] expected, double[][][] x,
                                          double[][][][] w, ConvParams p) {
        int[] shape = m == null || !m.shown().startsWith("wrong shape") ? null : Compare.shape(got);
        int[] want = Compare.shape(expected);
        if (shape == null || shape.length == 3 && shape[1] == want[1] && shape[2] == want[2]) {
            return m;                                   // right, another mistake, or right sizes but not channels
        }
        String call = "; if your conv2d calls MySizes.outputSize, check that it gives these sizes";
        String shown = "\nhint: H_out = " + Shapes.formula(x[0].length, w[0][0].length, p.strideH(), p.paddingH(), 1)
                + ", W_out = " + Shapes.formula(x[0][0].length, w[0][0][0].length, p.strideW(), p.paddingW(), 1)
                + call;
        String hidden = "\nhint: H_out = floor((H + 2*paddingH - kH)/strideH) + 1, W_out alike" + call;
        return new Compare.Mismatch(m.shown() + shown, m.hidden() + hidden);
    }
}
