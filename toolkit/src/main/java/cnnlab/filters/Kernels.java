package cnnlab.filters;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The classic hand-made kernels, each as a conv2d weight {@code [1, 1, k, k]} ready for a grey image.
 * Convolution here is cross-correlation (no flip), so {@link #sobelX()} responds positively where the image
 * gets brighter to the right.
 * <pre>
 * jshell&gt; Cnn.conv2d(Images.sampleGrey("camera"), Kernels.sobelX(), null, ConvParams.same())
 * </pre>
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * A {@code [1, 1, kH, kW]} weight from rows of values.
     *
     * @throws IllegalArgumentException if there are no rows, a row is null or empty, or the rows differ in length
     */
    public static INDArray of(float[][] rows) {
        if (rows == null || rows.length == 0 || rows[0] == null || rows[0].length == 0) {
            throw new IllegalArgumentException("Kernels.of: a kernel needs at least one row of at least one value"
                    + " but got " + (rows == null ? "null" : rows.length == 0 ? "no rows"
                    : rows[0] == null ? "a null row 0" : "an empty row 0")
                    + "\nhint: e.g. Kernels.of(new float[][] {{1, 0, -1}, {2, 0, -2}, {1, 0, -1}})");
        }
        int k = rows.length;
        float[] flat = new float[k * rows[0].length];
        for (int i = 0; i < k; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("Kernels.of: row " + i + " is null");
            }
            if (rows[i].length != rows[0].length) {
                throw new IllegalArgumentException("Kernels.of: row " + i + " has " + rows[i].length
                        + " values but row 0 has " + rows[0].length);
            }
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return Nd4j.create(flat, new long[] {1, 1, k, rows[0].length}, 'c');
    }

    /** {@link #of(float[][])} from rows of doubles (as the labs' own loops use), each to the nearest float. */
    public static INDArray of(double[][] rows) {
        return of(rows == null ? null : java.util.Arrays.stream(rows).map(Kernels::floats).toArray(float[][]::new));
    }

    /** {@link #of(float[][])} from rows of whole numbers: {@code Kernels.of(new int[][] {{1, 0, -1}})}. */
    public static INDArray of(int[][] rows) {
        return of(rows == null ? null : java.util.Arrays.stream(rows)
                .map(row -> row == null ? null : java.util.Arrays.stream(row).asDoubleStream().toArray())
                .toArray(double[][]::new));
    }

    private static float[] floats(double[] row) {
        if (row == null) {
            return null;
        }
        float[] f = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            f[i] = (float) row[i];
        }
        return f;
    }

    /** Horizontal gradient (responds to vertical edges): {@code [[-1,0,1],[-2,0,2],[-1,0,1]]}. */
    public static INDArray sobelX() {
        return of(new float[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}});
    }

    /** Vertical gradient (responds to horizontal edges): {@code [[-1,-2,-1],[0,0,0],[1,2,1]]}. */
    public static INDArray sobelY() {
        return of(new float[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}});
    }

    /** {@code [[-1,0,1],[-1,0,1],[-1,0,1]]}. */
    public static INDArray prewittX() {
        return of(new float[][] {{-1, 0, 1}, {-1, 0, 1}, {-1, 0, 1}});
    }

    /** {@code [[-1,-1,-1],[0,0,0],[1,1,1]]}. */
    public static INDArray prewittY() {
        return of(new float[][] {{-1, -1, -1}, {0, 0, 0}, {1, 1, 1}});
    }

    /** The 4-neighbour Laplacian {@code [[0,1,0],[1,-4,1],[0,1,0]]}. */
    public static INDArray laplacian4() {
        return of(new float[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}});
    }

    /** The 8-neighbour Laplacian {@code [[1,1,1],[1,-8,1],[1,1,1]]}. */
    public static INDArray laplacian8() {
        return of(new float[][] {{1, 1, 1}, {1, -8, 1}, {1, 1, 1}});
    }

    /** {@code [[0,-1,0],[-1,5,-1],[0,-1,0]]}: the image plus its negative Laplacian. */
    public static INDArray sharpen() {
        return of(new float[][] {{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}});
    }

    /** The largest kernel side the makers here and {@code Gabor}'s accept (a 4096 x 4096 kernel is 64 MB). */
    public static final int MAX_SIZE = 4096;

    private static void checkSize(String op, int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("Kernels." + op + ": size must be from 1 to " + MAX_SIZE + " but is "
                    + size);
        }
    }

    /**
     * A {@code size x size} box (mean) filter, every value {@code 1/size²}.
     *
     * @throws IllegalArgumentException if size is not from 1 to {@value #MAX_SIZE}
     */
    public static INDArray box(int size) {
        checkSize("box", size);
        return Nd4j.valueArrayOf(new long[] {1, 1, size, size}, 1.0f / ((float) size * size)).castTo(DataType.FLOAT);
    }

    /**
     * A normalised Gaussian {@code exp(-(x² + y²) / 2σ²)} on a {@code size x size} grid centred on the middle,
     * summing to 1. Computed relative to the taps nearest the middle, so a sigma too small for the grid gives
     * those taps all the weight (the Gaussian's limit) instead of 0/0.
     *
     * @throws IllegalArgumentException if sigma is not positive and finite, or size is not from 1 to
     *                                  {@value #MAX_SIZE}
     */
    public static INDArray gaussian(double sigma, int size) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("Kernels.gaussian: sigma must be positive and finite but is " + sigma
                    + " (size " + size + ")");
        }
        checkSize("gaussian", size);
        float[][] rows = new float[size][size];
        double centre = (size - 1) / 2.0, sum = 0;
        double nearest = 2 * Math.pow(centre - Math.floor(centre), 2);     // 0, or 0.5 on an even grid
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double dy = i - centre, dx = j - centre, beyond = dx * dx + dy * dy - nearest;
                sum += rows[i][j] = beyond == 0 ? 1 : (float) Math.exp(-beyond / (2 * sigma * sigma));
            }
        }
        for (float[] row : rows) {
            for (int j = 0; j < size; j++) {
                row[j] /= (float) sum;
            }
        }
        return of(rows);
    }
}
