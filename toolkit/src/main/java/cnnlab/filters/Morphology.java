package cnnlab.filters;

import cnnlab.shape.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grey-scale morphology with a flat rectangular structuring element, written as image processing defines it and
 * computed with its own loops (not with the pooling ops), so that a notebook can put it beside max pooling and
 * show that the two agree.
 *
 * <p>For a flat element {@code B = {0..seH-1} x {0..seW-1}} anchored at its top-left cell:
 * <pre>
 *   dilation  (f ⊕ B)(i, j) = max over (a, b) in B of f(i + a, j + b)
 *   erosion   (f ⊖ B)(i, j) = min over (a, b) in B of f(i + a, j + b)
 * </pre>
 * evaluated where the element lies inside the image (no border extension), on every {@code stride}-th row and
 * column. Textbooks write dilation with the reflected element, {@code f(i - a, j - b)}; for a flat rectangle that
 * only moves the anchor, so the values are the same, shifted by {@code (seH - 1, seW - 1)}.
 *
 * <p>Shapes: input {@code [N, C, H, W]}, output {@code [N, C, H_out, W_out]} with
 * {@code H_out = floor((H - seH)/stride) + 1} (and likewise for W). Default stride: 1.
 * <pre>
 * jshell&gt; var x = Nd4j.createFromArray(new float[][] {{1,1,2,4},{5,6,7,8},{3,2,1,0},{1,2,3,4}}).reshape(1,1,4,4);
 * jshell&gt; Morphology.dilate(x, 2, 2, 2)     // [1, 1, 2, 2]: 6 8 / 3 4, as Cnn.maxPool2d(x, PoolParams.of(2))
 * </pre>
 */
public final class Morphology {
    private Morphology() {
    }

    /** Dilation with a flat {@code seH x seW} element at every pixel where it fits (stride 1). */
    public static INDArray dilate(INDArray x, int seH, int seW) {
        return dilate(x, seH, seW, 1);
    }

    /**
     * Dilation with a flat {@code seH x seW} element, evaluated on every {@code stride}-th row and column.
     *
     * @throws IllegalArgumentException if x is not {@code [N, C, H, W]}, a size or the stride is below 1, or the
     *                                  element is larger than the image
     */
    public static INDArray dilate(INDArray x, int seH, int seW, int stride) {
        return apply("dilate", x, seH, seW, stride, true);
    }

    /** Erosion with a flat {@code seH x seW} element at every pixel where it fits (stride 1). */
    public static INDArray erode(INDArray x, int seH, int seW) {
        return erode(x, seH, seW, 1);
    }

    /**
     * Erosion with a flat {@code seH x seW} element, evaluated on every {@code stride}-th row and column.
     *
     * @throws IllegalArgumentException as {@link #dilate(INDArray, int, int, int)}
     */
    public static INDArray erode(INDArray x, int seH, int seW, int stride) {
        return apply("erode", x, seH, seW, stride, false);
    }

    private static INDArray apply(String op, INDArray x, int seH, int seW, int stride, boolean max) {
        if (x == null || x.rank() != 4) {
            throw new IllegalArgumentException("Morphology." + op + ": expected an image [N, C, H, W] but got "
                    + (x == null ? "null" : Arrays.toString(x.shape()))
                    + "\nhint: a grey plane [H, W] becomes [1, 1, H, W] with x.reshape(1, 1, H, W)");
        }
        long[] s = x.shape();
        if (seH < 1 || seW < 1 || stride < 1) {
            throw new IllegalArgumentException("Morphology." + op + ": element size and stride must be at least 1"
                    + " but are " + seH + "x" + seW + ", stride " + stride + " (input " + Arrays.toString(s) + ")");
        }
        int n = Math.toIntExact(s[0]), c = Math.toIntExact(s[1]), h = Math.toIntExact(s[2]),
                w = Math.toIntExact(s[3]);
        if (seH > h || seW > w) {
            throw new IllegalArgumentException("Morphology." + op + ": the " + seH + "x" + seW
                    + " element does not fit the " + h + "x" + w + " image (input " + Arrays.toString(s) + ")"
                    + "\nhint: use an element no larger than the image");
        }
        // the output size of a pooling window without padding: the toolkit's one formula (Shapes)
        int oh = Shapes.poolOutput(h, seH, stride, 0, 1, false), ow = Shapes.poolOutput(w, seW, stride, 0, 1, false);
        float[] in = x.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[n * c * oh * ow];
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                    for (int a = 0; a < seH; a++) {
                        for (int b = 0; b < seW; b++) {
                            float v = in[base + (i * stride + a) * w + j * stride + b];
                            best = max ? Math.max(best, v) : Math.min(best, v);
                        }
                    }
                    out[(plane * oh + i) * ow + j] = best;
                }
            }
        }
        return Nd4j.create(out, new long[] {n, c, oh, ow}, 'c');
    }
}
