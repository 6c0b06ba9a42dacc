package cnnlab.ops.reference;

import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvTransposeGeometry;
import cnnlab.ops.PaddingMode;
import cnnlab.ops.Parallel;
import cnnlab.shape.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution and transposed convolution, forward and backward, as loops over the lecture's formula.
 *
 * <p>Output cell {@code (n, k, oh, ow)} of a convolution is
 * <pre>
 *   y[n,k,oh,ow] = b[k] + sum over c, i, j of  xp[n, c, oh*sh + i*dh, ow*sw + j*dw] * w[k, c, i, j]
 * </pre>
 * where {@code xp} is the input with its padding written out (zeros, or copies of input cells, by the mode), and
 * {@code oh = (H + pt + pb - dh*(kh-1) - 1)/sh + 1} (with dh = 1 and pt = pb = p, the lecture's
 * {@code o = (M - w + 2p)/S + 1}) comes in {@code g}, worked out by {@link Shapes}. Its
 * local gradients are the two factors: {@code dy/dxp = w} and {@code dy/dw = xp}, so the backward pass walks the
 * same loops and sends {@code g * w} to the padded cell that was read and {@code g * xp} to the weight; the
 * padded cells' gradients then go back to the input cells they copied.
 *
 * <p>The loops read that sum another way, the way that keeps memory access in a straight line: an output map is
 * the bias plus, for each kernel tap {@code (c, i, j)}, what that tap reads for every output cell (the input plane
 * shifted by the tap, sampled with the stride) times the tap's weight. Each output cell still adds its terms in the
 * order c, i, j. The backward pass is built from the same pieces: with stride 1 (and finite weights) the input's
 * gradient is a convolution itself (the gradient against the kernel turned 180 degrees), otherwise the tap reads
 * run backward (each tap sends the weighted gradient to the cells it read). A transposed convolution is the
 * notebook's stamps (each input value stamps the kernel, scaled, onto the output, {@link #scatter}); it is computed
 * the equivalent way that keeps within the engine's speed limit, the input spread out with zeros and convolved by
 * the turned kernel ({@link #spreadAndConvolve}). Independent output maps run on all cores ({@link Parallel}).
 */
final class Convolution {
    private Convolution() {
    }

    /** The input with the padding written out: {@code [N, C, pt + H + pb, pl + W + pr]}, read by the mode. */
    private static Tensor4 padded(Tensor4 x, ConvGeometry g) {
        Tensor4 xp = new Tensor4(x.n, x.c, g.padTop() + x.h + g.padBottom(), g.padLeft() + x.w + g.padRight());
        for (int n = 0; n < x.n; n++) {
            for (int c = 0; c < x.c; c++) {
                for (int i = 0; i < xp.h; i++) {
                    int si = g.mode().source(i - g.padTop(), x.h);
                    for (int j = 0; j < xp.w; j++) {
                        int sj = g.mode().source(j - g.padLeft(), x.w);
                        xp.set(n, c, i, j, si < 0 || sj < 0 ? 0f : x.at(n, c, si, sj));
                    }
                }
            }
        }
        return xp;
    }

    /** The adjoint of {@link #padded}: each padded cell's gradient goes to the input cell it copied (or nowhere). */
    private static Tensor4 unpadded(Tensor4 dxp, ConvGeometry g) {
        Tensor4 dx = new Tensor4(g.n(), g.c(), g.h(), g.w());
        for (int n = 0; n < g.n(); n++) {
            for (int c = 0; c < g.c(); c++) {
                for (int i = 0; i < dxp.h; i++) {
                    int si = g.mode().source(i - g.padTop(), g.h());
                    for (int j = 0; j < dxp.w; j++) {
                        int sj = g.mode().source(j - g.padLeft(), g.w());
                        if (si >= 0 && sj >= 0) {
                            dx.add(n, c, si, sj, dxp.at(n, c, i, j));
                        }
                    }
                }
            }
        }
        return dx;
    }

    static INDArray conv2d(INDArray input, INDArray weight, INDArray bias, ConvGeometry g) {
        float[] b = bias == null ? new float[g.k()] : Tensor4.values(bias);
        return correlate(padded(Tensor4.of(input), g), Tensor4.of(weight), b, g).toArray();
    }

    /**
     * A piece of {@link #correlate} takes as many images as keep its maps within this many floats (256 KB, about a
     * core's L2 share), so that small maps (LeNet's 10x10) still make long runs for the JIT's vector loop: LeNet
     * conv2's forward one image per piece took 3.9 ms a call, 2 threads.
     */
    private static final int PIECE_FLOATS = 1 << 16;

    /**
     * A piece of the work for one core: output maps {@code y[n, k]} for images {@code [n0, n1)} and kernels
     * {@code [k0, k1)}. Only the split of the loops over n and k; it changes no sum.
     */
    private record Piece(int n0, int n1, int k0, int k1) {
        /**
         * Images in runs small enough that a run's maps stay in cache ({@link #PIECE_FLOATS}), and, when there
         * are fewer runs than cores, each run's kernels split into groups, so that every core has a piece.
         */
        static Piece[] split(ConvGeometry g, int mapLength) {
            int imagesPerPiece = Math.max(1, Math.min(PIECE_FLOATS / (g.k() * mapLength),
                    (g.n() + Parallel.THREADS - 1) / Parallel.THREADS));
            int imageRuns = (g.n() + imagesPerPiece - 1) / imagesPerPiece;
            int kernelGroups = Math.min(g.k(), Math.max(1, Parallel.THREADS / imageRuns));
            Piece[] pieces = new Piece[imageRuns * kernelGroups];
            for (int run = 0, at = 0; run < imageRuns; run++) {
                for (int group = 0; group < kernelGroups; group++) {
                    int n0 = run * imagesPerPiece;
                    pieces[at++] = new Piece(n0, Math.min(g.n(), n0 + imagesPerPiece),
                            g.k() * group / kernelGroups, g.k() * (group + 1) / kernelGroups);
                }
            }
            return pieces;
        }
    }

    /**
     * The formula above on an input whose padding is already written out, read tap by tap:
     * <pre>
     *   y[n, k] = b[k]
     *   for each tap (c, i, j):
     *       y[n, k] += w[k, c, i, j] * (plane xp[n, c] shifted by (i*dh, j*dw), every sh-th row and sw-th column)
     * </pre>
     * The cell-by-cell loop it equals, bit for bit, is in {@code ConvolutionOrderTest}.
     */
    private static Tensor4 correlate(Tensor4 xp, Tensor4 w, float[] b, ConvGeometry g) {
        Tensor4 y = new Tensor4(g.n(), g.k(), g.oh(), g.ow());
        Taps taps = new Taps(xp, g);
        Piece[] pieces = Piece.split(g, taps.length);
        Parallel.forEach(pieces.length, p -> {
            Piece piece = pieces[p];
            int images = piece.n1() - piece.n0();
            // maps[k - k0] holds y[n, k] for every n of the piece, one map after another; reads likewise
            float[][] maps = new float[piece.k1() - piece.k0()][images * taps.length];
            float[] reads = new float[images * taps.length];
            for (int k = piece.k0(); k < piece.k1(); k++) {
                Arrays.fill(maps[k - piece.k0()], b[k]);                        // y = b[k]
            }
            for (int c = 0; c < g.c(); c++) {                                   //   + sum over c, i, j of
                if (Parallel.stopping()) {              // the stop button: the call ends, its output unseen
                    return;
                }
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++) {
                        // xp[n, c, oh*sh + i*dh, ow*sw + j*dw] for every n, oh, ow of the piece
                        for (int n = piece.n0(); n < piece.n1(); n++) {
                            taps.read(n, c, i, j, reads, (n - piece.n0()) * taps.length);
                        }
                        for (int k = piece.k0(); k < piece.k1(); k++) {         //     * w[k, c, i, j]
                            addScaled(maps[k - piece.k0()], reads, w.at(k, c, i, j));
                        }
                    }
                }
            }
            for (int n = piece.n0(); n < piece.n1(); n++) {
                for (int k = piece.k0(); k < piece.k1(); k++) {
                    taps.copyOut(maps[k - piece.k0()], (n - piece.n0()) * taps.length, y, n, k);
                }
            }
        });
        return y;
    }

    /**
     * What one kernel tap {@code (c, i, j)} reads for every output cell of a map: the padded input plane c,
     * shifted by the tap and sampled with the stride, {@code xp[n, c, oh*sh + i*dh, ow*sw + j*dw]}. A map is then
     * the bias plus the sum over taps of weight times reads.
     *
     * <p>With stride 1, output row oh+1 reads the input row after the one row oh reads, so the reads are one
     * straight run of the input, copied in one go. The map is then kept "wide": its rows as long as the padded
     * input's, with extra cells at each row's end that are never copied out.
     */
    private static final class Taps {
        final Tensor4 xp;
        final ConvGeometry g;
        final boolean wide;                                                      // stride 1: one straight run
        final int pitch;                                                         // from one output row to the next
        final int length;                                                        // cells of a (wide) map

        Taps(Tensor4 xp, ConvGeometry g) {
            this.xp = xp;
            this.g = g;
            this.wide = g.sh() == 1 && g.sw() == 1;
            this.pitch = wide ? xp.w : g.ow();
            this.length = (g.oh() - 1) * pitch + g.ow();
        }

        /** Image n's reads for tap (c, i, j), into {@code reads} from {@code at} on. */
        void read(int n, int c, int i, int j, float[] reads, int at) {
            int first = xp.index(n, c, i * g.dh(), j * g.dw());                  // what output cell (0, 0) reads
            if (wide) {
                System.arraycopy(xp.data, first, reads, at, length);
                return;
            }
            for (int oh = 0; oh < g.oh(); oh++) {
                int row = first + oh * g.sh() * xp.w;
                for (int ow = 0; ow < g.ow(); ow++) {
                    reads[at + oh * pitch + ow] = xp.data[row + ow * g.sw()];
                }
            }
        }

        /** Map {@code y[n, k]} laid out as {@link #read} lays out reads: zero in the wide rows' extra cells. */
        float[] laidOut(Tensor4 y, int n, int k) {
            float[] map = new float[length];
            for (int oh = 0; oh < g.oh(); oh++) {
                System.arraycopy(y.data, y.index(n, k, oh, 0), map, oh * pitch, g.ow());
            }
            return map;
        }

        /**
         * The sum of a map's cells: each row's sum, leaving out the wide rows' extra cells, then the rows' sums
         * added (the rows' sums do not wait for each other, so the core works on several at once).
         */
        float sumOfCells(float[] map) {
            float sum = 0;
            for (int oh = 0; oh < g.oh(); oh++) {
                float row = 0;
                for (int ow = 0, at = oh * pitch; ow < g.ow(); ow++, at++) {
                    row += map[at];
                }
                sum += row;
            }
            return sum;
        }

        /** The map's cells from {@code at} on, without the wide rows' extra cells, into {@code y[n, k]}. */
        void copyOut(float[] map, int at, Tensor4 y, int n, int k) {
            for (int oh = 0; oh < g.oh(); oh++) {
                System.arraycopy(map, at + oh * pitch, y.data, y.index(n, k, oh, 0), g.ow());
            }
        }
    }

    /** {@code y[o] += x[o] * weight} for every o: with both arrays read from 0, the JIT runs it 8 floats at a time. */
    private static void addScaled(float[] y, float[] x, float weight) {
        for (int o = 0; o < y.length; o++) {
            y[o] += x[o] * weight;
        }
    }

    /**
     * {@code y[yAt + o*yStep] += x[xAt + o] * weight} for {@code o < count}: one weight times one row, added into
     * a row of an image with a step (the stride) where the formula has ow*sw.
     */
    private static void addScaledRow(float[] y, int yAt, int yStep, float[] x, int xAt, float weight, int count) {
        for (int o = 0; o < count; o++) {
            y[yAt + o * yStep] += x[xAt + o] * weight;
        }
    }

    /*
     * The backward pass sends each output cell's gradient g back along the terms that made it: g * w to the padded
     * input cell that was read (dx), g * xp to the weight (dw), g to the bias (db).
     */
    static ConvGradients conv2dBackward(INDArray input, INDArray weight, INDArray gradOut, ConvGeometry g) {
        Tensor4 xp = padded(Tensor4.of(input), g), w = Tensor4.of(weight), dy = Tensor4.of(gradOut);
        Tensor4 dxp;
        if (g.sh() == 1 && g.sw() == 1 && w.allFinite()) {
            // the scatter below is then itself a transposed convolution of the gradient: padded cell (r, s)
            // collects g * w[k, c, i, j] from output cell (r - i*dh, s - j*dw). (That convolution reads zeros
            // around the gradient, and 0 * inf is NaN: a kernel with an infinite or NaN weight takes the scatter.)
            // (w [K, C, kh, kw] is read as that transposed convolution's weight [C_in = K, C_out = C, kh, kw])
            dxp = spreadAndConvolve(dy, w, 1, 1, g.dh(), g.dw());
        } else {
            dxp = sentBackThroughTaps(dy, w, g, xp.h, xp.w);
        }
        return new ConvGradients(unpadded(dxp, g).toArray(), weightGradient(xp, dy, g).toArray(),
                Nd4j.create(biasGradient(dy), new long[] {g.k()}, 'c'));
    }

    /**
     * The padded input's gradient, tap by tap, the forward's reads run backward. Through tap {@code (c, i, j)},
     * output cell {@code (oh, ow)} of map k read {@code xp[n, c, oh*sh + i*dh, ow*sw + j*dw]} and weighed it by
     * {@code w[k, c, i, j]}; so that input cell gets back {@code w[k, c, i, j] * dy[n, k, oh, ow]} from every k.
     * For each tap: the gradient maps times their weights, added over k (whole maps, 8 floats at a time), then
     * sent to the cells the tap read. A cell's terms come in the order i, j, and k within each tap. The scatter
     * below, a row of gradient cells at a time, took 123-138 ms for AlexNet conv1's input gradient; this, 9-16 ms.
     */
    private static Tensor4 sentBackThroughTaps(Tensor4 dy, Tensor4 w, ConvGeometry g, int padH, int padW) {
        Tensor4 dxp = new Tensor4(g.n(), g.c(), padH, padW);
        int cells = g.oh() * g.ow();
        float[][] maps = new float[g.n() * g.k()][];                           // dy[n, k] from index 0
        for (int map = 0; map < maps.length; map++) {
            maps[map] = Arrays.copyOfRange(dy.data, map * cells, (map + 1) * cells);
        }
        Parallel.forEach(g.n() * g.c(), plane -> {
            int n = plane / g.c(), c = plane % g.c();
            float[] sent = new float[cells];
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    Arrays.fill(sent, 0f);
                    for (int k = 0; k < g.k(); k++) {
                        addScaled(sent, maps[n * g.k() + k], w.at(k, c, i, j));
                    }
                    for (int oh = 0; oh < g.oh(); oh++) {
                        for (int ow = 0; ow < g.ow(); ow++) {
                            dxp.add(n, c, oh * g.sh() + i * g.dh(), ow * g.sw() + j * g.dw(), sent[oh * g.ow() + ow]);
                        }
                    }
                }
            }
        });
        return dxp;
    }

    /**
     * {@code dw[k, c, i, j]}: the sum over images and output cells of {@code dy[n, k, oh, ow]} times the padded
     * input cell that tap read, {@code xp[n, c, oh*sh + i*dh, ow*sw + j*dw]}. That is the forward's tap reads
     * ({@link Taps}) again: a weight's gradient is its map of gradients times its tap's reads, cell by cell, added
     * over the images, and then the cells of that map added up. Each tap {@code (c, i, j)} is its own piece.
     */
    private static Tensor4 weightGradient(Tensor4 xp, Tensor4 dy, ConvGeometry g) {
        Taps taps = new Taps(xp, g);
        float[][][] gradients = new float[g.n()][g.k()][];                      // dy[n, k], laid out as the reads
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                gradients[n][k] = taps.laidOut(dy, n, k);
            }
        }
        Tensor4 dw = new Tensor4(g.k(), g.c(), g.kh(), g.kw());
        int tapsPerChannel = g.kh() * g.kw();
        Parallel.forEachRun(Parallel.THREADS, g.c() * tapsPerChannel, (from, to) -> {
            float[][] reads = new float[g.n()][taps.length];                    // one tap's reads, image by image
            float[] products = new float[taps.length];
            for (int tap = from; tap < to; tap++) {
                if (Parallel.stopping()) {              // the stop button: the call ends, its output unseen
                    return;
                }
                int c = tap / tapsPerChannel, i = tap % tapsPerChannel / g.kw(), j = tap % g.kw();
                for (int n = 0; n < g.n(); n++) {
                    taps.read(n, c, i, j, reads[n], 0);
                }
                for (int k = 0; k < g.k(); k++) {
                    multiply(products, gradients[0][k], reads[0]);
                    for (int n = 1; n < g.n(); n++) {
                        addProduct(products, gradients[n][k], reads[n]);
                    }
                    dw.set(k, c, i, j, taps.sumOfCells(products));
                }
            }
        });
        return dw;
    }

    /** {@code y[o] = a[o] * b[o]} for every o. */
    private static void multiply(float[] y, float[] a, float[] b) {
        for (int o = 0; o < y.length; o++) {
            y[o] = a[o] * b[o];
        }
    }

    /** {@code y[o] += a[o] * b[o]} for every o: arrays read from 0, so the JIT runs it 8 floats at a time. */
    private static void addProduct(float[] y, float[] a, float[] b) {
        for (int o = 0; o < y.length; o++) {
            y[o] += a[o] * b[o];
        }
    }

    /** {@code db[k]}: the sum of the gradient over images and cells of map k. */
    private static float[] biasGradient(Tensor4 dy) {
        float[] db = new float[dy.c];
        for (int n = 0; n < dy.n; n++) {
            for (int k = 0; k < dy.c; k++) {
                for (int i = 0; i < dy.h; i++) {
                    for (int j = 0; j < dy.w; j++) {
                        db[k] += dy.at(n, k, i, j);
                    }
                }
            }
        }
        return db;
    }

    /*
     * A transposed convolution scatters: every input value, times the kernel, is added into the output window it
     * would have been computed from, in the "full" output of (H-1)*sh + dh*(kH-1) + 1 rows. Its padding then crops
     * ph rows from the top (and output padding adds rows at the bottom, zero past the full output):
     *   full[n, k, ih*sh + i*dh, iw*sw + j*dw] += x[n, c, ih, iw] * w[c, k, i, j];   y = full[.., ph:ph+oH, pw:pw+oW]
     */

    /**
     * The full output drawn the other way, as in the lecture: spread the input out (sh-1 zero rows between its
     * rows, sw-1 zero columns between its columns), pad it with zeros by the kernel's reach, and convolve it with
     * stride 1 by the kernel turned 180 degrees, its two channel axes swapped. {@code w} is {@code [C, K, kH, kW]}.
     */
    private static Tensor4 spreadAndConvolve(Tensor4 x, Tensor4 w, int sh, int sw, int dh, int dw) {
        int cIn = w.n, kOut = w.c, kh = w.h, kw = w.w;                            // w is [C, K, kH, kW]
        int reachH = (kh - 1) * dh, reachW = (kw - 1) * dw;
        int spreadH = (x.h - 1) * sh + 1, spreadW = (x.w - 1) * sw + 1;
        Tensor4 spread = new Tensor4(x.n, x.c, reachH + spreadH + reachH, reachW + spreadW + reachW);   // padded
        for (int n = 0; n < x.n; n++) {
            for (int c = 0; c < x.c; c++) {
                for (int ih = 0; ih < x.h; ih++) {
                    for (int iw = 0; iw < x.w; iw++) {
                        spread.set(n, c, reachH + ih * sh, reachW + iw * sw, x.at(n, c, ih, iw));
                    }
                }
            }
        }
        Tensor4 turned = new Tensor4(kOut, cIn, kh, kw);                         // [K, C, kH, kW], turned 180
        for (int c = 0; c < cIn; c++) {
            for (int k = 0; k < kOut; k++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        turned.set(k, c, kh - 1 - i, kw - 1 - j, w.at(c, k, i, j));
                    }
                }
            }
        }
        int fullH = Shapes.outputSize(spreadH, reachH, reachH, kh, 1, dh, false);   // = the transposed output size
        int fullW = Shapes.outputSize(spreadW, reachW, reachW, kw, 1, dw, false);
        ConvGeometry g = new ConvGeometry(x.n, cIn, spreadH, spreadW, kOut, kh, kw, 1, 1, reachH, reachH, reachW,
                reachW, dh, dw, fullH, fullW, PaddingMode.ZEROS);
        return correlate(spread, turned, new float[kOut], g);
    }

    /**
     * The scatter itself, onto an {@code outH x outW} map (at least the full output): each input value times the
     * kernel, added into its window. (A convolution's input gradient is this scatter of its output gradient, with
     * {@code w} read as {@code [K, C, kH, kW]}; {@link #sentBackThroughTaps} adds the same terms faster.) A
     * transposed convolution takes it for a kernel with an infinite or NaN weight, where {@link #spreadAndConvolve}
     * would multiply the spread's zeros by it (0 * inf is NaN where the scatter adds nothing). {@code w} is
     * {@code [C, K, kH, kW]}; each output map
     * {@code full[n, k]} collects its terms in the order c, i, j, ih, iw.
     */
    private static Tensor4 scatter(Tensor4 x, Tensor4 w, int sh, int sw, int dh, int dw, int outH, int outW) {
        Tensor4 full = new Tensor4(x.n, w.c, outH, outW);
        Parallel.forEach(x.n * w.c, map -> {
            int n = map / w.c, k = map % w.c;
            for (int c = 0; c < x.c; c++) {
                for (int i = 0; i < w.h; i++) {
                    for (int j = 0; j < w.w; j++) {
                        for (int ih = 0; ih < x.h; ih++) {
                            addScaledRow(full.data, full.index(n, k, ih * sh + i * dh, j * dw), sw, x.data,
                                    x.index(n, c, ih, 0), w.at(c, k, i, j), x.w);
                        }
                    }
                }
            }
        });
        return full;
    }

    static INDArray convTranspose2d(INDArray input, INDArray weight, INDArray bias, ConvTransposeGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight);
        // the full (uncropped) output: the transposed formula with no padding and no output padding
        int fullH = Shapes.convTransposeOutput(g.h(), g.kh(), g.sh(), 0, 0, g.dh());
        int fullW = Shapes.convTransposeOutput(g.w(), g.kw(), g.sw(), 0, 0, g.dw());
        Tensor4 full = w.allFinite() ? spreadAndConvolve(x, w, g.sh(), g.sw(), g.dh(), g.dw())
                : scatter(x, w, g.sh(), g.sw(), g.dh(), g.dw(), fullH, fullW);   // 0 * inf: only the stamps' terms
        float[] b = bias == null ? new float[g.k()] : Tensor4.values(bias);
        Tensor4 y = new Tensor4(g.n(), g.k(), g.oh(), g.ow());
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        int fh = oh + g.ph(), fw = ow + g.pw();    // crop p; past the full output: output padding
                        y.set(n, k, oh, ow, b[k] + (fh < fullH && fw < fullW ? full.at(n, k, fh, fw) : 0f));
                    }
                }
            }
        }
        return y.toArray();
    }

    /**
     * Backwards, a transposed convolution is a convolution: the output's gradient is put back into the full output
     * (zero where the padding cropped), and then {@code dx[n, c, ih, iw]} is the sum over k, i, j of the full
     * gradient at {@code (ih*sh + i*dh, iw*sw + j*dw)} times {@code w[c, k, i, j]}: a convolution of it by w with the
     * stride, whose weight gradient is the transposed convolution's. The bias collects the output's gradient.
     */
    static ConvGradients convTranspose2dBackward(INDArray input, INDArray weight, INDArray gradOut,
                                                 ConvTransposeGeometry g) {
        Tensor4 x = Tensor4.of(input), w = Tensor4.of(weight), dy = Tensor4.of(gradOut);
        // the uncropped output (no padding, no output padding), tall enough for the cropped window too
        int fh = Math.max(Shapes.convTransposeOutput(g.h(), g.kh(), g.sh(), 0, 0, g.dh()), g.ph() + g.oh());
        int fw = Math.max(Shapes.convTransposeOutput(g.w(), g.kw(), g.sw(), 0, 0, g.dw()), g.pw() + g.ow());
        Tensor4 dFull = new Tensor4(g.n(), g.k(), fh, fw);
        for (int n = 0; n < g.n(); n++) {
            for (int k = 0; k < g.k(); k++) {
                for (int oh = 0; oh < g.oh(); oh++) {
                    for (int ow = 0; ow < g.ow(); ow++) {
                        dFull.set(n, k, oh + g.ph(), ow + g.pw(), dy.at(n, k, oh, ow));
                    }
                }
            }
        }
        ConvGeometry conv = new ConvGeometry(g.n(), g.k(), fh, fw, g.c(), g.kh(), g.kw(), g.sh(), g.sw(), 0, 0, 0, 0,
                g.dh(), g.dw(), g.h(), g.w(), PaddingMode.ZEROS);
        // dx[n, c, ih, iw] = sum over k, i, j of dFull[n, k, ih*sh + i*dh, iw*sw + j*dw] * w[c, k, i, j]:
        // a convolution of dFull (K channels) by w read as [C, K, kH, kW], with the stride
        Tensor4 dx = correlate(dFull, w, new float[g.c()], conv);
        // dw[c, k, i, j] = sum over n, ih, iw of x[n, c, ih, iw] * dFull[n, k, ih*sh + i*dh, iw*sw + j*dw]: that
        // convolution's weight gradient, with dFull as its input and x as its output's gradient
        Tensor4 dw = weightGradient(dFull, x, conv);
        return new ConvGradients(dx.toArray(), dw.toArray(), Nd4j.create(biasGradient(dy), new long[] {g.k()}, 'c'));
    }
}
