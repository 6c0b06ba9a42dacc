package cnnlab.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded inputs and small numeric helpers shared by the parity, gradient-check, lecture and error tests.
 * Every random array comes from a {@link Random} the caller seeded, so a failure reproduces exactly.
 */
public final class Tensors {
    private Tensors() {
    }

    /** Both engines, reference first. */
    public static final List<Ops> ENGINES = List.of(Cnn.reference(), Cnn.fast());

    /** {@link #ENGINES}, for {@code @MethodSource("cnnlab.testing.Tensors#engines")}. */
    public static List<Ops> engines() {
        return ENGINES;
    }

    /** float32, row-major, values uniform in [-1, 1): continuous, so ties have probability ~0. */
    public static INDArray uniform(Random random, long... shape) {
        float[] v = new float[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return Nd4j.create(v, shape, 'c');
    }

    /**
     * float32 values that are all different and at least {@code gap} apart (a shuffled, centred ladder
     * {@code gap * (i - length/2)}), so a perturbation smaller than {@code gap/2} never changes which cell of a
     * window is the maximum or minimum.
     */
    public static INDArray separated(Random random, double gap, long... shape) {
        int length = Math.toIntExact(length(shape));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (gap * (order.get(i) - length / 2.0));
        }
        return Nd4j.create(v, shape, 'c');
    }

    /**
     * Uniform values whose magnitude is at least {@code margin} (sign random), for activations whose derivative
     * jumps at 0: a centred difference with a step below {@code margin} never crosses the kink.
     */
    public static INDArray awayFromZero(Random random, double margin, long... shape) {
        float[] v = new float[Math.toIntExact(length(shape))];
        for (int i = 0; i < v.length; i++) {
            float magnitude = (float) (margin + random.nextFloat() * (1 - margin));
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return Nd4j.create(v, shape, 'c');
    }

    public static long length(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** A row-major float array from literal rows, shaped {@code [1, 1, rows, cols]}. */
    public static INDArray plane(double[][] rows) {
        int h = rows.length, w = rows[0].length;
        float[] v = new float[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                v[i * w + j] = (float) rows[i][j];
            }
        }
        return Nd4j.create(v, new long[] {1, 1, h, w}, 'c');
    }

    /** All values, row-major, in double. */
    public static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** {@code sum(a * b)} in double: the inner product of two arrays of the same shape. */
    public static double dot(INDArray a, INDArray b) {
        assertArrayEquals(a.shape(), b.shape(), "dot: shapes");
        double[] x = values(a), y = values(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** {@code sum(|a * b|)}: the scale of {@link #dot}'s rounding error. */
    public static double absDot(INDArray a, INDArray b) {
        double[] x = values(a), y = values(b);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] * y[i]);
        }
        return s;
    }

    /** Same shape, same dtype and bit-for-bit the same values (NaN equal to NaN). */
    public static void assertIdentical(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
        double[] e = values(expected), a = values(actual);
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i])) {
                fail(what + ": changed at flat index " + i + ": was " + e[i] + ", now " + a[i]);
            }
        }
    }

    /** Up to {@code count} distinct flat indices of an array of {@code length} elements, in random order. */
    public static int[] sample(Random random, long length, int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        return all.subList(0, Math.min(count, all.size())).stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Checks an analytic gradient of {@code L(a) = sum(f(a) * r)} against centred differences at a sample of
     * coordinates of {@code a}: {@code (L(a + h e_i) - L(a - h e_i)) / (2h)}, with L summed in double from
     * f's float32 output. The step actually taken is the float32 difference of the two perturbed values, so
     * the only errors left are float rounding of f's outputs and the curvature of f (none for linear ops).
     *
     * @param coordinates flat row-major indices of {@code a} to check
     * @param h           the step
     * @param atol        absolute tolerance
     * @param rtol        tolerance relative to the numeric derivative
     */
    public static void assertGradient(String what, Function<INDArray, INDArray> f, INDArray a, INDArray r,
                                      INDArray analytic, int[] coordinates, double h, double atol, double rtol) {
        assertArrayEquals(a.shape(), analytic.shape(), what + ": gradient shape");
        double[] grad = values(analytic);
        float[] base = a.dup('c').data().asFloat();
        for (int i : coordinates) {
            float up = (float) (base[i] + h), down = (float) (base[i] - h);
            double lossUp = dot(f.apply(with(a, base, i, up)), r);
            double lossDown = dot(f.apply(with(a, base, i, down)), r);
            double numeric = (lossUp - lossDown) / ((double) up - (double) down);
            if (Math.abs(grad[i] - numeric) > atol + rtol * Math.abs(numeric)) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(a.shape(), i);
                fail(what + ": at " + java.util.Arrays.toString(at) + " analytic " + grad[i] + " but centred"
                        + " difference " + numeric + " (atol " + atol + ", rtol " + rtol + ")");
            }
        }
    }

    private static INDArray with(INDArray a, float[] base, int index, float value) {
        float[] v = base.clone();
        v[index] = value;
        return Nd4j.create(v, a.shape(), 'c');
    }
}
