package cnnlab.ops.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import cnnlab.Cnn;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvParams;
import cnnlab.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference forward convolution adds each output cell's terms in the lecture's order, b[k] then c, i, j,
 * whatever the loop layout (stride-1 "wide" maps, strided reads, several maps per piece, pieces on several
 * threads): bit for bit the floats of the cell-by-cell loop below. Its weight gradient adds each output cell's
 * products over the images (image 0 first), then the cells of each output row, then the rows. With a stride, its
 * input gradient adds each input cell's terms tap by tap (i, then j), each tap's already added over k.
 */
class ConvolutionOrderTest {
    private static final String GEOMETRY =
            "x [{0},{1},{2},{3}] w [{4},{1},{5},{6}] stride ({7},{8}) pad ({9},{10}) dilation {11}";
    /** Wide and strided reads, padding, dilation, rectangular kernels, one to four images. */
    private static final String GEOMETRIES = """
            2, 3, 9, 11, 4, 3, 3, 1, 1, 1, 1, 1
            1, 2, 12, 7, 5, 3, 2, 2, 1, 0, 1, 1
            3, 1, 10, 10, 2, 5, 5, 1, 1, 2, 2, 1
            2, 2, 13, 9, 3, 3, 3, 1, 1, 2, 1, 2
            1, 3, 15, 15, 6, 4, 4, 3, 2, 1, 0, 1
            4, 2, 6, 8, 1, 1, 3, 1, 2, 0, 1, 1
            """;

    @ParameterizedTest(name = GEOMETRY)
    @CsvSource(textBlock = GEOMETRIES)
    void forwardEqualsTheCellByCellSum(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int ph,
                                       int pw, int d) {
        Random random = new Random(31L * n + 7L * h + kw + sh);
        INDArray x = Tensors.uniform(random, n, c, h, w), weight = Tensors.uniform(random, k, c, kh, kw);
        INDArray bias = Tensors.uniform(random, k);
        ConvParams p = ConvParams.of(sh, sw, ph, pw).withDilation(d);
        INDArray y = Cnn.reference().conv2d(x, weight, bias, p);
        int oh = (h + 2 * ph - d * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - d * (kw - 1) - 1) / sw + 1;
        float[] expected = new float[n * k * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int ik = 0; ik < k; ik++) {
                for (int r = 0; r < oh; r++) {
                    for (int s = 0; s < ow; s++) {
                        float sum = bias.getFloat(ik);
                        for (int ic = 0; ic < c; ic++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int row = r * sh + i * d - ph, col = s * sw + j * d - pw;
                                    float v = row < 0 || row >= h || col < 0 || col >= w ? 0f
                                            : x.getFloat(in, ic, row, col);
                                    sum += v * weight.getFloat(ik, ic, i, j);
                                }
                            }
                        }
                        expected[((in * k + ik) * oh + r) * ow + s] = sum;
                    }
                }
            }
        }
        assertArrayEquals(new long[] {n, k, oh, ow}, y.shape());
        assertArrayEquals(expected, y.dup('c').data().asFloat());
    }

    /** A random input, kernel and output gradient for one geometry, and the reference engine's gradients. */
    private record Backward(INDArray x, INDArray weight, INDArray g, ConvGradients gradients, int oh, int ow) {
        static Backward of(Random random, int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int ph,
                           int pw, int d) {
            INDArray x = Tensors.uniform(random, n, c, h, w), weight = Tensors.uniform(random, k, c, kh, kw);
            int oh = (h + 2 * ph - d * (kh - 1) - 1) / sh + 1, ow = (w + 2 * pw - d * (kw - 1) - 1) / sw + 1;
            INDArray g = Tensors.uniform(random, n, k, oh, ow);
            ConvGradients gradients = Cnn.reference().conv2dBackward(x, weight, g,
                    ConvParams.of(sh, sw, ph, pw).withDilation(d));
            return new Backward(x, weight, g, gradients, oh, ow);
        }
    }

    @ParameterizedTest(name = GEOMETRY)
    @CsvSource(textBlock = GEOMETRIES)
    void weightGradientEqualsTheCellByCellSum(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw,
                                              int ph, int pw, int d) {
        Backward b = Backward.of(new Random(17L * n + 5L * w + kh + sw), n, c, h, w, k, kh, kw, sh, sw, ph, pw, d);
        INDArray x = b.x(), g = b.g(), dw = b.gradients().dw();
        int oh = b.oh(), ow = b.ow();
        float[] expected = new float[k * c * kh * kw];
        for (int ik = 0; ik < k; ik++) {
            for (int ic = 0; ic < c; ic++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        float sum = 0;
                        for (int r = 0; r < oh; r++) {
                            float rowSum = 0;
                            for (int s = 0; s < ow; s++) {
                                float cell = 0;
                                for (int in = 0; in < n; in++) {
                                    int row = r * sh + i * d - ph, col = s * sw + j * d - pw;
                                    float v = row < 0 || row >= h || col < 0 || col >= w ? 0f
                                            : x.getFloat(in, ic, row, col);
                                    float product = g.getFloat(in, ik, r, s) * v;
                                    cell = in == 0 ? product : cell + product;
                                }
                                rowSum += cell;
                            }
                            sum += rowSum;
                        }
                        expected[((ik * c + ic) * kh + i) * kw + j] = sum;
                    }
                }
            }
        }
        assertArrayEquals(expected, dw.dup('c').data().asFloat());
    }

    @ParameterizedTest(name = GEOMETRY)
    @CsvSource(textBlock = GEOMETRIES)
    void stridedInputGradientEqualsTheTapByTapSum(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw,
                                                  int ph, int pw, int d) {
        if (sh == 1 && sw == 1) {
            return;   // stride 1 is a transposed convolution, summed in its own order
        }
        Backward b = Backward.of(new Random(13L * n + 7L * w + kh + sh), n, c, h, w, k, kh, kw, sh, sw, ph, pw, d);
        INDArray weight = b.weight(), g = b.g(), dx = b.gradients().dx();
        int oh = b.oh(), ow = b.ow();
        float[] expected = new float[n * c * h * w];
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int row = 0; row < h; row++) {
                    for (int col = 0; col < w; col++) {
                        float sum = 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int r = row + ph - i * d, s = col + pw - j * d;
                                if (r < 0 || s < 0 || r % sh != 0 || s % sw != 0 || r / sh >= oh || s / sw >= ow) {
                                    continue;   // this tap of no output cell read (row, col)
                                }
                                float tap = 0;
                                for (int ik = 0; ik < k; ik++) {
                                    tap += g.getFloat(in, ik, r / sh, s / sw) * weight.getFloat(ik, ic, i, j);
                                }
                                sum += tap;
                            }
                        }
                        expected[((in * c + ic) * h + row) * w + col] = sum;
                    }
                }
            }
        }
        assertArrayEquals(expected, dx.dup('c').data().asFloat());
    }
}
