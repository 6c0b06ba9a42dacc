package cnnlab.ops.reference;

import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvTransposeGeometry;
import cnnlab.ops.PaddingMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and transposed convolution, forward and backward, as loops over the lecture's formula.
 *
 * <p>Output cell {@code (n, k, oh, ow)} of a convolution is
 * <pre>
 *   y[n,k,oh,ow] = b[k] + sum over c, i, j of  x[n, c, oh*sh - pt + i*dh, ow*sw - pl + j*dw] * w[k, c, i, j]
 * </pre>
 * where reads outside the input follow the padding mode (zeros, or a copy of an input cell). Its local
 * gradients are the two factors: {@code dy/dx = w} and {@code dy/dw = x}, so the backward pass walks the same
 * loops and sends {@code g * w} to the input cell that was read and {@code g * x} to the weight.
 */
final class Convolution {
    private Convolution() {
    }

    /** The input value a (possibly padded) position reads: zero or a copy of an input cell, by the mode. */
    private static float read(Tensor4 x, int n, int c, int i, int j, PaddingMode mode) {
        int si = mode.source(i, x.h), sj = mode.source(j, x.w);
        return si < 0 || sj < 0 ? 0f : x.at(n, c, si, sj);
    }

    static INDArray conv2d(INDArray input, INDArray weight, INDArray bias, ConvGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight);
        float[] b = bias == null ? new float[g.k()] : Tensor4.values(bias);
        Tensor4 y = new Tensor4(g.n(), g.k(), g.oh(), g.ow());
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        float sum = b[k];
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int ih = oh * g.sh() - g.padTop() + i * g.dh();
                                for (int j = 0; j < g.kw(); j++) {
                                    int iw = ow * g.sw() - g.padLeft() + j * g.dw();
                                    sum += read(x, n, c, ih, iw, g.mode()) * w.at(k, c, i, j);
                                }
                            }
                        }
                        y.set(n, k, oh, ow, sum);
                    }
                }
            }
        }
        return y.toArray();
    }

    static ConvGradients conv2dBackward(INDArray input, INDArray weight, INDArray gradOut, ConvGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight), dy = Tensor4.of(gradOut);
        Tensor4 dx = new Tensor4(g.n(), g.c(), g.h(), g.w()), dw = new Tensor4(g.k(), g.c(), g.kh(), g.kw());
        float[] db = new float[g.k()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        float grad = dy.at(n, k, oh, ow);
                        db[k] += grad;
                        for (int c = 0; c < g.c(); c++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int si = g.mode().source(oh * g.sh() - g.padTop() + i * g.dh(), g.h());
                                for (int j = 0; j < g.kw(); j++) {
                                    int sj = g.mode().source(ow * g.sw() - g.padLeft() + j * g.dw(), g.w());
                                    if (si < 0 || sj < 0) {
                                        continue; // a zero-padding cell: no input to send gradient to
                                    }
                                    dx.add(n, c, si, sj, grad * w.at(k, c, i, j));
                                    dw.add(k, c, i, j, grad * x.at(n, c, si, sj));
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ConvGradients(dx.toArray(), dw.toArray(), Nd4j.create(db, new long[] {g.k()}, 'c'));
    }

    /**
     * Transposed convolution by scattering: every input value, times the kernel, is added into the output
     * window it would have been computed from. {@code oh = ih*sh - ph + i*dh}.
     */
    static INDArray convTranspose2d(INDArray input, INDArray weight, INDArray bias, ConvTransposeGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight);
        Tensor4 y = new Tensor4(g.n(), g.k(), g.oh(), g.ow());
        if (bias != null) {
            float[] b = Tensor4.values(bias);
            for (int n = 0; n < g.n(); n++) {
                for (int k = 0; k < g.k(); k++) {
                    for (int oh = 0; oh < g.oh(); oh++) {
                        for (int ow = 0; ow < g.ow(); ow++) {
                            y.set(n, k, oh, ow, b[k]);
                        }
                    }
                }
            }
        }
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ih = 0; ih < g.h(); ih++) {
                    for (int iw = 0; iw < g.w(); iw++) {
                        float v = x.at(n, c, ih, iw);
                        for (int k = 0; k < g.k(); k++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int oh = ih * g.sh() - g.ph() + i * g.dh();
                                if (oh < 0 || oh >= g.oh()) {
                                    continue;
                                }
                                for (int j = 0; j < g.kw(); j++) {
                                    int ow = iw * g.sw() - g.pw() + j * g.dw();
                                    if (ow >= 0 && ow < g.ow()) {
                                        y.add(n, k, oh, ow, v * w.at(c, k, i, j));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y.toArray();
    }

    /** The same scatter loops, run backwards: each output cell's gradient flows to the input and weight it came from. */
    static ConvGradients convTranspose2dBackward(INDArray input, INDArray weight, INDArray gradOut,
                                                 ConvTransposeGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight), dy = Tensor4.of(gradOut);
        Tensor4 dx = new Tensor4(g.n(), g.c(), g.h(), g.w()), dw = new Tensor4(g.c(), g.k(), g.kh(), g.kw());
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ih = 0; ih < g.h(); ih++) {
                    for (int iw = 0; iw < g.w(); iw++) {
                        float v = x.at(n, c, ih, iw);
                        float sum = 0f;
                        for (int k = 0; k < g.k(); k++) {
                            for (int i = 0; i < g.kh(); i++) {
                                int oh = ih * g.sh() - g.ph() + i * g.dh();
                                if (oh < 0 || oh >= g.oh()) {
                                    continue;
                                }
                                for (int j = 0; j < g.kw(); j++) {
                                    int ow = iw * g.sw() - g.pw() + j * g.dw();
                                    if (ow >= 0 && ow < g.ow()) {
                                        float grad = dy.at(n, k, oh, ow);
                                        sum += grad * w.at(c, k, i, j);
                                        dw.add(c, k, i, j, grad * v);
                                    }
                                }
                            }
                        }
                        dx.set(n, c, ih, iw, sum);
                    }
                }
            }
        }
        float[] db = new float[g.k()];
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        db[k] += dy.at(n, k, oh, ow);
                    }
                }
            }
        }
        return new ConvGradients(dx.toArray(), dw.toArray(), Nd4j.create(db, new long[] {g.k()}, 'c'));
    }
}
