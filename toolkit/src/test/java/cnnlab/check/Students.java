package cnnlab.check;

import java.util.concurrent.atomic.AtomicBoolean;

/** Student behaviours shared by the check tests: a loop that ignores interrupts, and correct loop solutions. */
final class Students {
    /** Lets every {@link #spin()} end when a test is over, so abandoned threads do not eat the build's CPU. */
    static final AtomicBoolean RELEASE = new AtomicBoolean();

    /** Time limit of one student call in the looping tests: short, so that they stay fast. */
    static final double LIMIT = 0.3;
    /** Time limit of one student call in all other tests: generous, so that a busy machine never fails them. */
    static final double GENEROUS = 20;

    private Students() {
    }

    /** A loop that ignores interruption, as a student's {@code while (true)} would; it ends only on release. */
    static <T> T spin() {
        long n = 0;
        while (!RELEASE.get()) {
            n++;
        }
        throw new IllegalStateException("released after " + n + " iterations");
    }

    static double[][][] conv2d(double[][][] x, double[][][][] w, double[] b, cnnlab.ops.ConvParams p) {
        int cin = x.length, h = x[0].length, wd = x[0][0].length, cout = w.length, kh = w[0][0].length,
                kw = w[0][0][0].length;
        int oh = (h + 2 * p.paddingH() - kh) / p.strideH() + 1, ow = (wd + 2 * p.paddingW() - kw) / p.strideW() + 1;
        double[][][] y = new double[cout][oh][ow];
        for (int k = 0; k < cout; k++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double s = b[k];
                    for (int c = 0; c < cin; c++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int r = i * p.strideH() - p.paddingH() + u, q = j * p.strideW() - p.paddingW() + v;
                                if (r >= 0 && r < h && q >= 0 && q < wd) {
                                    s += w[k][c][u][v] * x[c][r][q];
                                }
                            }
                        }
                    }
                    y[k][i][j] = s;
                }
            }
        }
        return y;
    }
}
