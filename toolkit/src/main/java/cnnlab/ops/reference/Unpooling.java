package cnnlab.ops.reference;

import cnnlab.ops.Buffers;
import cnnlab.ops.PoolGeometry;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Max-unpooling and the lecture's nearest "copy into the block" unpooling. */
final class Unpooling {
    private Unpooling() {
    }

    /**
     * Every value goes back to the cell its index names, the flat index {@code ih * W_out + iw} max pooling
     * recorded; all other cells stay zero. (Two values with one index: the later one stays, as in PyTorch.)
     */
    static INDArray maxUnpool2d(INDArray input, INDArray indices, int outH, int outW) {
        Tensor4 x = Tensor4.of(input);
        long[] index = Buffers.longs(indices);
        Tensor4 y = new Tensor4(x.n, x.c, outH, outW);
        for (int n = 0; n < x.n; n++) {
            for (int c = 0; c < x.c; c++) {
                for (int ih = 0; ih < x.h; ih++) {
                    for (int iw = 0; iw < x.w; iw++) {
                        long to = index[x.index(n, c, ih, iw)];
                        y.set(n, c, (int) (to / outW), (int) (to % outW), x.at(n, c, ih, iw));
                    }
                }
            }
        }
        return y.toArray();
    }

    /**
     * Copy each value into its {@code kh x kw} block at {@code (ih*sh, iw*sw)}; where blocks overlap, average
     * the values that landed there. Cells no block reaches stay zero. The output has
     * {@code oh = (H - 1)*sh + kh} rows (the lecture's {@code (M - 1)S + k}: the transposed formula with p = 0,
     * worked out by {@link cnnlab.shape.Shapes#convTransposeOutput}).
     */
    static INDArray nearest(INDArray input, PoolGeometry g) {
        Tensor4 x = Tensor4.of(input);
        Tensor4 sum = new Tensor4(g.n(), g.c(), g.oh(), g.ow());
        int[][] count = new int[g.oh()][g.ow()];                 // how many blocks cover each output cell
        for (int ih = 0; ih < g.h(); ih++) {
            for (int iw = 0; iw < g.w(); iw++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        count[ih * g.sh() + i][iw * g.sw() + j]++;
                    }
                }
            }
        }
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int ih = 0; ih < g.h(); ih++) {
                    for (int iw = 0; iw < g.w(); iw++) {
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                sum.add(n, c, ih * g.sh() + i, iw * g.sw() + j, x.at(n, c, ih, iw));
                            }
                        }
                    }
                }
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        if (count[oh][ow] > 0) {
                            sum.set(n, c, oh, ow, sum.at(n, c, oh, ow) / count[oh][ow]);
                        }
                    }
                }
            }
        }
        return sum.toArray();
    }
}
