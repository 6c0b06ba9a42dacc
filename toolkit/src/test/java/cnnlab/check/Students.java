package cnnlab.check;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

    /**
     * {@code @ExtendWith(Students.Spinners.class)}: holds every {@link #spin()} while the test class runs and
     * releases them after it.
     */
    static final class Spinners implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            RELEASE.set(false);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            RELEASE.set(true);
        }
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

    /** Correct poolings, with a switch for one planted bug per pooling. */
    static class Pools implements Pooling {
        private final String broken;

        Pools(String broken) {
            this.broken = broken;
        }

        private double[][][] pool(double[][][] x, int k, int s, java.util.function.ToDoubleFunction<double[]> f) {
            int c = x.length, oh = (x[0].length - k) / s + 1;
            int ow = ("square".equals(broken) ? x[0].length - k : x[0][0].length - k) / s + 1;   // W's size from H
            double[][][] y = new double[c][oh][ow];
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double[] window = new double[k * k];
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                window[u * k + v] = x[ch][i * s + u][j * s + v];
                            }
                        }
                        y[ch][i][j] = f.applyAsDouble(window);
                    }
                }
            }
            return y;
        }

        public double[][][] maxPool(double[][][] x, int k, int s) {
            return pool(x, k, "max".equals(broken) ? k : s, w -> java.util.Arrays.stream(w).max().getAsDouble());
        }

        public double[][][] avgPool(double[][][] x, int k, int s) {
            return pool(x, k, s, w -> java.util.Arrays.stream(w).sum() / ("avg".equals(broken) ? w.length + 1 : w.length));
        }

        public double[][][] minPool(double[][][] x, int k, int s) {
            if ("min".equals(broken)) {
                throw new UnsupportedOperationException("lab2 ex1: not implemented yet");
            }
            return pool(x, k, s, w -> java.util.Arrays.stream(w).min().getAsDouble());
        }

        public double[][][] medianPool(double[][][] x, int k, int s) {
            return pool(x, k, s, w -> {
                double[] v = w.clone();
                java.util.Arrays.sort(v);
                int n = v.length;
                return n % 2 == 1 || "median".equals(broken) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            });
        }
    }

    static double[][][] maxPoolBackward(double[][][] x, double[][][] g, int k, int s, boolean lastOnTies) {
        double[][][] dx = new double[x.length][x[0].length][x[0][0].length];
        for (int c = 0; c < g.length; c++) {
            for (int i = 0; i < g[c].length; i++) {
                for (int j = 0; j < g[c][i].length; j++) {
                    int bu = 0, bv = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            double a = x[c][i * s + u][j * s + v], best = x[c][i * s + bu][j * s + bv];
                            if (a > best || (lastOnTies && a == best)) {
                                bu = u;
                                bv = v;
                            }
                        }
                    }
                    dx[c][i * s + bu][j * s + bv] += g[c][i][j];
                }
            }
        }
        return dx;
    }

    static double[][][] unpoolNearest(double[][][] x, int k, int s, boolean average) {
        return unpoolNearest(x, k, s, average, true);
    }

    /** {@code guardEmpty} false: sum / count also where no block reaches, 0 / 0 = NaN (a common slip). */
    static double[][][] unpoolNearest(double[][][] x, int k, int s, boolean average, boolean guardEmpty) {
        int c = x.length, oh = (x[0].length - 1) * s + k, ow = (x[0][0].length - 1) * s + k;
        double[][][] sum = new double[c][oh][ow], count = new double[c][oh][ow];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < x[0].length; i++) {
                for (int j = 0; j < x[0][0].length; j++) {
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            sum[ch][i * s + u][j * s + v] += x[ch][i][j];
                            count[ch][i * s + u][j * s + v]++;
                        }
                    }
                }
            }
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    boolean keep = !average || guardEmpty && count[ch][i][j] == 0;
                    sum[ch][i][j] = keep ? sum[ch][i][j] : sum[ch][i][j] / count[ch][i][j];
                }
            }
        }
        return sum;
    }

    static double[][][] convTranspose2d(double[][][] x, double[][][][] w, double[] b, int s, int p) {
        int cin = x.length, h = x[0].length, wd = x[0][0].length, cout = w[0].length;
        int kh = w[0][0].length, kw = w[0][0][0].length;
        int fh = (h - 1) * s + kh, fw = (wd - 1) * s + kw;
        double[][][] full = new double[cout][fh][fw];
        for (int c = 0; c < cin; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < wd; j++) {
                    for (int o = 0; o < cout; o++) {
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                full[o][i * s + u][j * s + v] += x[c][i][j] * w[c][o][u][v];
                            }
                        }
                    }
                }
            }
        }
        double[][][] y = new double[cout][fh - 2 * p][fw - 2 * p];
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < y[o].length; i++) {
                for (int j = 0; j < y[o][i].length; j++) {
                    y[o][i][j] = full[o][i + p][j + p] + b[o];
                }
            }
        }
        return y;
    }

    /** The ReLU family; {@code reluGradAtZero} is what relu'(0) returns (correct: 0). */
    static ReluFamily relus(double reluGradAtZero) {
        return new ReluFamily() {
            public double relu(double x) {
                return Math.max(0, x);
            }

            public double reluGrad(double x) {
                return x > 0 ? 1 : x == 0 ? reluGradAtZero : 0;
            }

            public double leakyRelu(double x, double slope) {
                return x > 0 ? x : slope * x;
            }

            public double leakyReluGrad(double x, double slope) {
                return x > 0 ? 1 : slope;
            }

            public double rreluEval(double x, double lower, double upper) {
                return x > 0 ? x : (lower + upper) / 2 * x;
            }

            public double preluGradAlpha(double x, double alpha) {
                return x > 0 ? 0 : x;
            }
        };
    }

    static double[] numericGradient(java.util.function.ToDoubleFunction<double[]> f, double[] x, double h,
            boolean centred) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double plus = f.applyAsDouble(x);
            x[i] = centred ? keep - h : keep;
            double minus = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (plus - minus) / (centred ? 2 * h : h);
        }
        return g;
    }

    static double[][][] normalise(double[][][] f, double constant) {
        return normalise(f, constant, -Double.MAX_VALUE);
    }

    /** With the largest value starting at {@code startHi} (a student's {@code Double.MIN_VALUE} is a bug). */
    static double[][][] normalise(double[][][] f, double constant, double startHi) {
        double[][][] out = new double[f.length][][];
        for (int k = 0; k < f.length; k++) {
            double lo = Double.MAX_VALUE, hi = startHi;
            for (double[] row : f[k]) {
                for (double v : row) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            out[k] = new double[f[k].length][f[k][0].length];
            for (int i = 0; i < f[k].length; i++) {
                for (int j = 0; j < f[k][i].length; j++) {
                    out[k][i][j] = hi == lo ? constant : (f[k][i][j] - lo) / (hi - lo);
                }
            }
        }
        return out;
    }

    static double[][] tile(double[][][] t, int columns, int gap, double background, boolean outerGap) {
        int k = t.length, kh = t[0].length, kw = t[0][0].length, rows = (k + columns - 1) / columns;
        int edge = outerGap ? gap : 0;
        double[][] m = new double[2 * edge + rows * (kh + gap) - gap][2 * edge + columns * (kw + gap) - gap];
        for (double[] row : m) {
            java.util.Arrays.fill(row, background);
        }
        for (int i = 0; i < k; i++) {
            int top = edge + (i / columns) * (kh + gap), left = edge + (i % columns) * (kw + gap);
            for (int u = 0; u < kh; u++) {
                System.arraycopy(t[i][u], 0, m[top + u], left, kw);
            }
        }
        return m;
    }

    /** A Gabor filter; with {@code swapAxes} x is the row instead of the column (a classic mistake). */
    static double[][] gabor(int size, double theta, double lambda, double psi, double sigma, double gamma,
            boolean swapAxes) {
        double c = (size - 1) / 2.0;
        return gabor(size, theta, lambda, psi, sigma, gamma, swapAxes, c, c);
    }

    /** A Gabor filter centred at column cx, row cy (the middle pixel's is (size − 1)/2 for both). */
    static double[][] gabor(int size, double theta, double lambda, double psi, double sigma, double gamma,
            boolean swapAxes, double cx, double cy) {
        double[][] g = new double[size][size];
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                double x = (swapAxes ? row : col) - cx, y = (swapAxes ? col : row) - cy;
                double xr = x * Math.cos(theta) + y * Math.sin(theta), yr = -x * Math.sin(theta) + y * Math.cos(theta);
                g[row][col] = 3 * Math.exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma))
                        * Math.cos(2 * Math.PI * xr / lambda + psi) + 1;
            }
        }
        return g;
    }
}
