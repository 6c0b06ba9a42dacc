package cnnlab.nn;

import cnnlab.ops.Errors;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Data augmentation: new training images made from the old ones, so that a network sees a slightly different
 * digit every epoch and learns less by heart.
 *
 * <p>{@link #shift} moves each image by a few pixels, as handwriting sits a little off-centre. {@link Trainer}
 * applies it to every mini-batch when {@link FitParams#maxShift()} is above 0.
 * <pre>
 * jshell&gt; var x = Nd4j.arange(9).castTo(DataType.FLOAT).reshape(1, 1, 3, 3);
 * jshell&gt; Augment.shift(x, new int[] {0}, new int[] {1})    // right by 1 column
 * $2 ==&gt; [[[[0, 0, 1.0000], [0, 3.0000, 4.0000], [0, 6.0000, 7.0000]]]]
 * </pre>
 */
public final class Augment {
    private Augment() {
    }

    /**
     * Each sample of {@code x [N, C, H, W]} moved by its own random (dy, dx), each drawn uniformly from
     * {@code -maxShift .. maxShift}; pixels moved in from outside are 0. Returns a new array; x is unchanged.
     *
     * @throws IllegalArgumentException if x is not rank 4, or maxShift is negative or not smaller than H and W
     */
    public static INDArray shift(INDArray x, int maxShift, Random random) {
        checkShift(x, maxShift);
        int n = Math.toIntExact(x.size(0));
        int[] dy = new int[n], dx = new int[n];
        for (int i = 0; i < n; i++) {
            dy[i] = random.nextInt(2 * maxShift + 1) - maxShift;
            dx[i] = random.nextInt(2 * maxShift + 1) - maxShift;
        }
        return shift(x, dy, dx);
    }

    /**
     * Sample i of {@code x [N, C, H, W]} moved down by {@code dy[i]} rows and right by {@code dx[i]} columns
     * (negative: up, left); pixels moved in from outside are 0.
     *
     * @throws IllegalArgumentException if x is not rank 4, there is not one shift per sample, or a shift is not
     *                                  smaller than the image
     */
    public static INDArray shift(INDArray x, int[] dy, int[] dx) {
        String where = "Augment.shift";
        if (x == null || x.rank() != 4) {
            throw new IllegalArgumentException(where + ": need images [N, C, H, W] but got "
                    + (x == null ? "null" : Errors.shape(x)));
        }
        if (dy.length != x.size(0) || dx.length != x.size(0)) {
            throw Errors.error(where, "need one shift per sample", "images " + Errors.shape(x) + ", "
                    + dy.length + " row shifts, " + dx.length + " column shifts");
        }
        long h = x.size(2), w = x.size(3);
        INDArray out = Nd4j.zeros(x.dataType(), x.shape());
        for (int i = 0; i < dy.length; i++) {
            if (Math.abs(dy[i]) >= h || Math.abs(dx[i]) >= w) {
                throw Errors.error(where, "shift (" + dy[i] + ", " + dx[i] + ") of sample " + i
                        + " moves the whole image out", "images " + Errors.shape(x));
            }
            out.get(sample(i, Math.max(0, dy[i]), h + Math.min(0, dy[i]), Math.max(0, dx[i]), w + Math.min(0, dx[i])))
                    .assign(x.get(sample(i, Math.max(0, -dy[i]), h - Math.max(0, dy[i]), Math.max(0, -dx[i]),
                            w - Math.max(0, dx[i]))));
        }
        return out;
    }

    private static INDArrayIndex[] sample(int i, long rowFrom, long rowTo, long colFrom, long colTo) {
        return new INDArrayIndex[] {NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.interval(rowFrom, rowTo),
                NDArrayIndex.interval(colFrom, colTo)};
    }

    static void checkShift(INDArray x, int maxShift) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("Augment.shift: the largest shift must be at least 0 but is "
                    + maxShift);
        }
        if (x != null && x.rank() == 4 && (maxShift >= x.size(2) || maxShift >= x.size(3))) {
            throw Errors.error("Augment.shift", "a shift of up to " + maxShift
                    + " pixels can move the whole image out", "images " + Errors.shape(x));
        }
    }
}
