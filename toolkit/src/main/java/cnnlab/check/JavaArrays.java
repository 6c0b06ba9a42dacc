package cnnlab.check;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain Java arrays to and from INDArrays, for the labs. Students write the lecture's loops on {@code double}
 * arrays indexed like the formulas ({@code x[c][i][j]}, {@code w[k][c][u][v]}); these converters let them feed a
 * photo in and look at, or compare with {@link cnnlab.Cnn}, what comes out.
 *
 * <p>Shapes: {@code double[H][W]} ⇄ {@code [1, 1, H, W]}; {@code double[C][H][W]} ⇄ {@code [1, C, H, W]} (one image,
 * batch N = 1); {@code double[A][B][H][W]} ⇄ {@code [A, B, H, W]} (a conv weight or a batch); {@code double[n]} ⇄
 * {@code [n]} (a bias). INDArrays come out float32, C order; doubles are rounded to float.
 * <pre>
 * jshell&gt; double[][][] x = JavaArrays.toArray3(Images.sampleGrey("astronaut"));   // [1][512][512]
 * jshell&gt; JavaArrays.toINDArray(new double[][] {{1, 2}, {3, 4}}).shape()
 * $2 ==&gt; long[4] { 1, 1, 2, 2 }
 * </pre>
 */
public final class JavaArrays {
    private JavaArrays() {
    }

    /**
     * A plane {@code [H, W]} or {@code [1, 1, H, W]} as {@code double[H][W]}.
     *
     * @throws IllegalArgumentException if a is null or of another shape
     */
    public static double[][] toArray2(INDArray a) {
        Call.stopIfAsked();
        long[] s = shapeOf("toArray2", a);
        if (!(s.length == 2 || (s.length == 4 && s[0] == 1 && s[1] == 1))) {
            throw new IllegalArgumentException("toArray2: expected [H, W] or [1, 1, H, W] but got "
                    + Arrays.toString(s) + "\nhint: toArray3 gives double[C][H][W] for one image of C channels");
        }
        int h = Math.toIntExact(s[s.length - 2]), w = Math.toIntExact(s[s.length - 1]);
        double[] v = values(a);
        double[][] out = new double[h][w];
        for (int i = 0; i < h; i++) {
            System.arraycopy(v, i * w, out[i], 0, w);
        }
        return out;
    }

    /**
     * One image {@code [C, H, W]} or {@code [1, C, H, W]} as {@code double[C][H][W]}.
     *
     * @throws IllegalArgumentException if a is null, or of another rank, or a batch of more than one image
     */
    public static double[][][] toArray3(INDArray a) {
        Call.stopIfAsked();
        long[] s = shapeOf("toArray3", a);
        if (!(s.length == 3 || (s.length == 4 && s[0] == 1))) {
            throw new IllegalArgumentException("toArray3: expected one image [C, H, W] or [1, C, H, W] but got "
                    + Arrays.toString(s) + (s.length == 4 ? "\nhint: take one image with x.slice(n), or use toArray4" : ""));
        }
        int c = Math.toIntExact(s[s.length - 3]), h = Math.toIntExact(s[s.length - 2]), w = Math.toIntExact(s[s.length - 1]);
        double[] v = values(a);
        double[][][] out = new double[c][h][w];
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(v, (k * h + i) * w, out[k][i], 0, w);
            }
        }
        return out;
    }

    /**
     * A 4-D array {@code [A, B, H, W]} (a conv weight, or a batch) as {@code double[A][B][H][W]}.
     *
     * @throws IllegalArgumentException if a is null or not 4-D
     */
    public static double[][][][] toArray4(INDArray a) {
        Call.stopIfAsked();
        long[] s = shapeOf("toArray4", a);
        if (s.length != 4) {
            throw new IllegalArgumentException("toArray4: expected a 4-D array but got " + Arrays.toString(s));
        }
        int n = Math.toIntExact(s[0]), c = Math.toIntExact(s[1]), h = Math.toIntExact(s[2]), w = Math.toIntExact(s[3]);
        double[] v = values(a);
        double[][][][] out = new double[n][c][h][w];
        for (int m = 0; m < n; m++) {
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(v, ((m * c + k) * h + i) * w, out[m][k][i], 0, w);
                }
            }
        }
        return out;
    }

    /**
     * A vector {@code [n]} (a bias) as {@code double[n]}.
     *
     * @throws IllegalArgumentException if a is null or not 1-D
     */
    public static double[] toArray1(INDArray a) {
        Call.stopIfAsked();
        long[] s = shapeOf("toArray1", a);
        if (s.length != 1) {
            throw new IllegalArgumentException("toArray1: expected a 1-D array but got " + Arrays.toString(s));
        }
        return values(a);
    }

    /**
     * {@code double[n]} as a float32 vector {@code [n]}.
     *
     * @throws IllegalArgumentException if x is null
     */
    public static INDArray toINDArray(double[] x) {
        Call.stopIfAsked();
        if (x == null) {
            throw new IllegalArgumentException("toINDArray: the array is null");
        }
        return Nd4j.create(floats(x), new long[] {x.length}, 'c');
    }

    /**
     * {@code double[H][W]} as one grey image {@code [1, 1, H, W]}.
     *
     * @throws IllegalArgumentException if x is null, empty, or ragged (a row of another length or null)
     */
    public static INDArray toINDArray(double[][] x) {
        Call.stopIfAsked();
        return toINDArray(new double[][][] {x});
    }

    /**
     * {@code double[C][H][W]} as one image {@code [1, C, H, W]}.
     *
     * @throws IllegalArgumentException if x is null, empty, or ragged
     */
    public static INDArray toINDArray(double[][][] x) {
        Call.stopIfAsked();
        return toINDArray(new double[][][][] {x});
    }

    /**
     * {@code double[A][B][H][W]} as {@code [A, B, H, W]}.
     *
     * @throws IllegalArgumentException if x is null, empty, or ragged
     */
    public static INDArray toINDArray(double[][][][] x) {
        Call.stopIfAsked();
        int[] s = Compare.shape(x);
        if (s == null) {
            throw new IllegalArgumentException("toINDArray: the array is null or ragged (a row is null or of another"
                    + " length than the first)");
        }
        if (s.length != 4 || Arrays.stream(s).anyMatch(d -> d == 0)) {
            throw new IllegalArgumentException("toINDArray: the array has an empty axis " + Arrays.toString(s));
        }
        return Nd4j.create(floats(Compare.flat(x)), new long[] {s[0], s[1], s[2], s[3]}, 'c');
    }

    /**
     * A grey filter bank {@code [K, 1, kH, kW]} as {@code double[K][kH][kW]}, filter by filter.
     *
     * @throws IllegalArgumentException if bank is null, not 4-D, or has more than one input channel
     */
    public static double[][][] filters(INDArray bank) {
        Call.stopIfAsked();
        long[] s = shapeOf("filters", bank);
        if (s.length != 4 || s[1] != 1) {
            throw new IllegalArgumentException("filters: expected a grey bank [K, 1, kH, kW] but got " + Arrays.toString(s)
                    + (s.length == 4 ? "\nhint: pick one input channel c with bank.get(all(), interval(c, c + 1), all(), all())" : ""));
        }
        double[][][][] b = toArray4(bank);
        double[][][] out = new double[b.length][][];
        for (int k = 0; k < b.length; k++) {
            out[k] = b[k][0];
        }
        return out;
    }

    /**
     * Grey filters {@code double[K][kH][kW]} as a bank {@code [K, 1, kH, kW]}, for {@code KernelGrid.draw} and
     * {@code Gabor.fitBank}.
     *
     * @throws IllegalArgumentException if filters is null, empty, or ragged (a filter null or of another size)
     */
    public static INDArray bank(double[][][] filters) {
        Call.stopIfAsked();
        if (filters == null) {
            throw new IllegalArgumentException("bank: the filters are null");
        }
        double[][][][] b = new double[filters.length][1][][];
        for (int k = 0; k < filters.length; k++) {
            if (filters[k] == null) {
                throw new IllegalArgumentException("bank: filter " + k + " is null (" + filters.length + " filters)"
                        + "\nhint: fill every filter before drawing or fitting the bank");
            }
            b[k][0] = filters[k];
        }
        return toINDArray(b);
    }

    /** A deep copy. */
    public static double[][] copy(double[][] x) {
        Call.stopIfAsked();
        if (x == null) {
            return null;
        }
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] == null ? null : x[i].clone();
        }
        return out;
    }

    /** A deep copy. */
    public static double[][][] copy(double[][][] x) {
        Call.stopIfAsked();
        if (x == null) {
            return null;
        }
        double[][][] out = new double[x.length][][];
        for (int i = 0; i < x.length; i++) {
            out[i] = copy(x[i]);
        }
        return out;
    }

    /** A deep copy. */
    public static double[][][][] copy(double[][][][] x) {
        Call.stopIfAsked();
        if (x == null) {
            return null;
        }
        double[][][][] out = new double[x.length][][][];
        for (int i = 0; i < x.length; i++) {
            out[i] = copy(x[i]);
        }
        return out;
    }

    private static long[] shapeOf(String op, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(op + ": the array is null");
        }
        return a.shape();
    }

    private static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
