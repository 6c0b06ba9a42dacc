package cnnlab.ops.reference;

import cnnlab.ops.Buffers;
import cnnlab.ops.PoolGeometry;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Max-unpooling and the lecture's nearest "copy into the block" unpooling. */
final class Unpooling {
    private Unpooling() {
    }

    /** Every value goes back to the cell its index names; all other cells stay zero. */
    static INDArray maxUnpool2d(INDArray input, INDArray indices, int outH, int outW) {
        Tensor4 x = Tensor4.of(input);
        long[] index = Buffers.longs(indices);
        Tensor4 y = new Tensor4(x.n, x.c, outH, outW);
        for (int n = 0; n < x.n; n++) {
            for (int c = 0; c < x.c; c++) {
                for (int i = 0; i < x.h; i++) {
                    for (int j = 0; j < x.w; j++) {
                        long to = index[x.index(n, c, i, j)];
                        y.set(n, c, (int) (to / outW), (int) (to % outW), x.at(n, c, i, j));
                    }
                }
            }
        }
        return y.toArray();
    }

    /**
     * Copy each value into its {@code kh x kw} block at {@code (i*sh, j*sw)}; where blocks overlap, average
     * the values that landed there. Cells no block reaches stay zero.
     */
    static INDArray nearest(INDArray input, PoolGeometry g) {
        Tensor4 x = Tensor4.of(input);
        Tensor4 sum = new Tensor4(g.n(), g.c(), g.oh(), g.ow());
        int[][] count = new int[g.oh()][g.ow()];
        for (int i = 0; i < g.h(); i++) {
            for (int j = 0; j < g.w(); j++) {
                for (int a = 0; a < g.kh(); a++) {
                    for (int b = 0; b < g.kw(); b++) {
                        count[i * g.sh() + a][j * g.sw() + b]++;
                    }
                }
            }
        }
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < g.h(); i++) {
                    for (int j = 0; j < g.w(); j++) {
                        for (int a = 0; a < g.kh(); a++) {
                            for (int b = 0; b < g.kw(); b++) {
                                sum.add(n, c, i * g.sh() + a, j * g.sw() + b, x.at(n, c, i, j));
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
