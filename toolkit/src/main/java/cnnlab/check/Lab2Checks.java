package cnnlab.check;

import cnnlab.Cnn;
import cnnlab.ops.PoolParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks of lab 2, pooling: {@code Check.lab2.pooling(new MyPool())} and
 * {@code Check.lab2.maxPoolBackward(MyPoolBackward::maxPoolBackward)}. Expected values come from the reference
 * engine.
 * <p>Every method returns a {@link CheckResult} and never throws because of the student's function (null,
 * exceptions, wrong shapes and calls past the time limit are all reported); see {@link Check}.
 */
public final class Lab2Checks {
    /**
     * Exercise 2: the gradient of a loss through max pooling. Shapes: x {@code [C][H][W]}, gradOut
     * {@code [C][H_out][W_out]}, result {@code [C][H][W]}.
     */
    @FunctionalInterface
    public interface MaxPoolBackward {
        double[][][] maxPoolBackward(double[][][] x, double[][][] gradOut, int kernel, int stride);
    }

    static final double ATOL = 1e-4, RTOL = 1e-4;

    private final Supplier<CheckConfig> config;

    Lab2Checks(Supplier<CheckConfig> config) {
        this.config = config;
    }

    private interface Pool {
        double[][][] pool(double[][][] x, int kernel, int stride);
    }

    private interface RefPool {
        INDArray pool(INDArray x, PoolParams p);
    }

    /**
     * lab2 ex1 (4 points, 1 per pooling): max, average, min and median pooling with stride, compared with
     * {@code Cnn.reference()} within atol 1e-4, rtol 1e-4.
     * <pre>
     * jshell&gt; Check.lab2.pooling(new MyPool())
     * </pre>
     */
    public CheckResult pooling(Pooling student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab2 ex1");
        Random pub = new Random(21);
        List<Group> groups = List.of(
                poolGroup("max pooling", student == null ? null : student::maxPool, Cnn.reference()::maxPool2d, pub, r),
                poolGroup("average pooling", student == null ? null : student::avgPool, Cnn.reference()::avgPool2d, pub, r),
                poolGroup("min pooling", student == null ? null : student::minPool, Cnn.reference()::minPool2d, pub, r),
                poolGroup("median pooling (even windows: mean of the two middle values)",
                        student == null ? null : student::medianPool, Cnn.reference()::medianPool2d, pub, r));
        return Exercise.run(c, "lab2 ex1", "pooling", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Group poolGroup(String name, Pool student, RefPool reference, Random pub, Random hidden) {
        List<Case> p = new ArrayList<>();
        p.add(poolCase(student, reference, Cases.distinct(pub, 1, 4, 4, true), 2, 2, true));
        p.add(poolCase(student, reference, Inputs.volume(pub, 2, 5, 5, true), 3, 1, true));
        // an output wider than tall: a size worked out from H for W (or W for H) shows in public, not when graded
        p.add(poolCase(student, reference, Inputs.volume(pub, 1, 6, 9, true), 2, 3, true));
        // every value negative: a maximum that starts at 0 (or a minimum at a large value) shows
        p.add(poolCase(student, reference, negative(Inputs.volume(new Random(23), 1, 4, 4, true)), 2, 2, true));
        List<Case> h = new ArrayList<>(Cases.hidden(hidden, 3, r -> {
            int k = Inputs.between(r, 2, 4), s = Inputs.between(r, 1, 3);
            return poolCase(student, reference, Inputs.volume(r, Inputs.between(r, 1, 3), Inputs.between(r, k, 9),
                    Inputs.between(r, k, 9), false), k, s, false);
        }));
        h.addAll(Cases.hidden(hidden, 1, r -> poolCase(student, reference, negative(Inputs.volume(r,
                Inputs.between(r, 1, 3), Inputs.between(r, 4, 9), Inputs.between(r, 4, 9), false)), 2, 2, false)));
        return new Group(name, 1, p, h);
    }

    /** The volume moved below 0, in order (distinct values stay distinct): v - (max + 1) for every value v. */
    static double[][][] negative(double[][][] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : Compare.flat(x)) {
            max = Math.max(max, v);
        }
        for (double[][] plane : x) {
            for (double[] row : plane) {
                for (int j = 0; j < row.length; j++) {
                    row[j] -= max + 1;
                }
            }
        }
        return x;
    }

    private static Case poolCase(Pool student, RefPool reference, double[][][] x, int k, int s, boolean shown) {
        double[][][] expected = JavaArrays.toArray3(reference.pool(JavaArrays.toINDArray(x), PoolParams.of(k, s)));
        return Cases.values("x " + Inputs.shape(x) + ", kernel " + k + ", stride " + s,
                Cases.show("x", x), in -> student.pool(in.copy("x", x), k, s), expected, ATOL, RTOL);
    }

    /**
     * lab2 ex2 (4 points): the max-pooling backward pass routes each output's gradient to the input cell that was
     * its window's maximum (the first, row by row, on ties), adding up where overlapping windows pick the same cell.
     * Compared with {@code Cnn.reference().maxPool2dBackward}.
     * <pre>
     * jshell&gt; Check.lab2.maxPoolBackward(MyPoolBackward::maxPoolBackward)
     * </pre>
     */
    public CheckResult maxPoolBackward(MaxPoolBackward student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab2 ex2");
        Random pub = new Random(22);
        List<Group> groups = new ArrayList<>();
        groups.add(new Group("stride = kernel: each cell is in one window", 1.5,
                List.of(backCase(student, Cases.distinct(pub, 1, 4, 4, true), 2, 2, pub, true),
                        backCase(student, Cases.distinct(pub, 2, 6, 6, true), 3, 3, pub, true),
                        // every value negative: a maximum that starts at 0 finds no cell
                        backCase(student, negative(Cases.distinct(new Random(24), 1, 4, 4, true)), 2, 2, pub, true),
                        // not square: a gradient of [C][H][H] shows here
                        backCase(student, Cases.distinct(pub, 1, 4, 6, true), 2, 2, pub, true)),
                Cases.hidden(r, 3, rr -> {
                    int k = Inputs.between(rr, 2, 3);
                    double[][][] x = Cases.distinct(rr, Inputs.between(rr, 1, 3), k * Inputs.between(rr, 2, 3),
                            k * Inputs.between(rr, 2, 3), false);
                    return backCase(student, rr.nextBoolean() ? negative(x) : x, k, k, rr, false);
                })));
        groups.add(new Group("overlapping windows (stride < kernel): gradients add up", 1.5,
                List.of(backCase(student, Cases.distinct(pub, 1, 4, 4, true), 2, 1, pub, true),
                        backCase(student, Cases.distinct(pub, 1, 5, 7, true), 3, 2, pub, true)),
                Cases.hidden(r, 2, rr -> {
                    int k = Inputs.between(rr, 2, 4), s = Inputs.between(rr, 1, k - 1);
                    return backCase(student, Cases.distinct(rr, Inputs.between(rr, 1, 3), Inputs.between(rr, k + 1, 8),
                            Inputs.between(rr, k + 1, 8), false), k, s, rr, false);
                })));
        groups.add(new Group("ties: the first maximum, row by row, gets the gradient", 1,
                List.of(backCase(student, new double[][][] {{{1, 1, 0, 2}, {1, 0, 2, 2}, {3, 3, 1, 1}, {3, 3, 1, 1}}},
                        2, 2, pub, true)),
                Cases.hidden(r, 2, rr -> {
                    double[][][] x = new double[Inputs.between(rr, 1, 2)][Inputs.between(rr, 4, 7)][Inputs.between(rr, 4, 7)];
                    for (double[][] plane : x) {
                        for (double[] row : plane) {
                            for (int j = 0; j < row.length; j++) {
                                row[j] = 1 + rr.nextInt(2);   // ties of positive values, as in the public case
                            }
                        }
                    }
                    return backCase(student, x, 2, Inputs.between(rr, 1, 2), rr, false);
                })));
        return Exercise.run(c, "lab2 ex2", "max-pool backward", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Case backCase(MaxPoolBackward student, double[][][] x, int k, int s, Random r, boolean shown) {
        PoolParams p = PoolParams.of(k, s);
        INDArray xi = JavaArrays.toINDArray(x);
        long[] out = Cnn.reference().maxPool2d(xi, p).shape();
        double[][][] g = Inputs.volume(r, (int) out[1], (int) out[2], (int) out[3], shown);
        if (shown) {   // small positive integers read best in feedback
            for (double[][] plane : g) {
                for (double[] row : plane) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = Math.abs(row[j]) + 1;
                    }
                }
            }
        }
        double[][][] expected = JavaArrays.toArray3(Cnn.reference().maxPool2dBackward(xi, JavaArrays.toINDArray(g), p));
        return Cases.values("x " + Inputs.shape(x) + ", kernel " + k + ", stride " + s,
                Cases.show("x", x, "gradOut", g),
                in -> student.maxPoolBackward(in.copy("x", x), in.copy("gradOut", g), k, s), expected, ATOL, RTOL);
    }
}
