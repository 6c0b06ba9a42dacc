package cnnlab.nn;

import cnnlab.filters.Gabor;
import cnnlab.ops.nd4j.Nd4jRuntime;
import cnnlab.viz.Images;
import cnnlab.viz.KernelGrid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An AlexNet-style first layer learned without labels: spherical k-means (or a tied-weight sparse autoencoder, which
 * with the settings tried stays noise-like) on contrast-normalised,
 * ZCA-whitened colour patches of the CC0 photos in {@code datasets/images/}.
 * <p><b>Data.</b> {@code patches} random k×k RGB patches (seeded) from every sample photo (equal chance per photo,
 * uniform position). Each patch, as a vector of 3·k² values in [c, y, x] order, has its mean (over all its values)
 * subtracted and is divided by {@code sqrt(var + 10/255²)} (contrast normalisation, as Coates, Lee &amp; Ng 2011).
 * The patch vectors are then ZCA-whitened: {@code Z = V diag(1/sqrt(d + eps)) Vᵀ} from the eigen-decomposition
 * (cyclic Jacobi) of their covariance.
 * <p><b>Method.</b> {@link Method#SPHERICAL_KMEANS} (the default, which made the committed bank) or
 * {@link Method#SPARSE_AUTOENCODER}: {@code h = relu(W x − b)}, {@code x̂ = Wᵀ h}, loss {@code ½‖x − x̂‖² + λ‖h‖₁} averaged over the
 * minibatch; W is {@code [K, 3k²]} with rows kept at unit norm (projected after each Adam step), b is {@code [K]}.
 * This is a convolutional autoencoder (conv k×k, stride k, ReLU, tied transposed conv) evaluated at the patch
 * positions, so each row of W is a conv1 filter.
 * <p><b>Bank.</b> The learned filters are returned as they act on contrast-normalised pixels: {@code W·Z}, reshaped
 * to {@code [K, 3, k, k]} (the conv weight you would put in front of the raw, normalised image). All arithmetic is in
 * plain Java doubles on one thread, so a run is bit-for-bit reproducible from its seed.
 * <pre>
 * jshell&gt; var bank = LearnedFilters.learn(LearnedFilters.Config.DEFAULT).bank();
 * jshell&gt; Gabor.medianR2(bank)
 * </pre>
 */
public final class LearnedFilters {
    private LearnedFilters() {
    }

    /** Contrast-normalisation floor for pixel values in [0, 1] (10 on the 0–255 scale). */
    private static final double CONTRAST_FLOOR = 10.0 / (255.0 * 255.0);

    /**
     * Hyper-parameters.
     *
     * @param patch      patch and filter size k (odd or even, at least 3)
     * @param patches    how many training patches
     * @param filters    K, the number of filters (hidden units)
     * @param lambda     L1 weight on the hidden activations
     * @param epochs     passes over the patches
     * @param batch      minibatch size
     * @param lr         Adam learning rate
     * @param whitenEps  ZCA regulariser added to the covariance eigenvalues
     * @param seed       seeds patch sampling, initialisation and shuffling
     */
    public record Config(Method method, int patch, int patches, int filters, double lambda, int epochs, int batch, double lr,
            double whitenEps, long seed) {
        /** The settings that made {@code datasets/learned/gabor-like-bank.npy}. */
        public static final Config DEFAULT = new Config(Method.SPHERICAL_KMEANS, 11, 30_000, 64, 0.3, 30, 128, 3e-3, 0.1,
                42L);

        public Config {
            if (method == null || patch < 3 || patches < 2 || filters < 1 || !(lambda >= 0) || epochs < 1 || batch < 1 || !(lr > 0)
                    || !(whitenEps > 0)) {
                throw new IllegalArgumentException("LearnedFilters.Config: invalid " + this);
            }
        }
    }

    /** How the dictionary is learned from the whitened patches. */
    public enum Method {
        /** the tied-weight sparse ReLU autoencoder described above (uses lambda, batch, lr) */
        SPARSE_AUTOENCODER,
        /**
         * spherical k-means with damped updates (Coates &amp; Ng 2012): each patch is assigned to the unit filter
         * with the largest |w·x| and adds (w·x)·x to it; filters are renormalised each epoch. Uses epochs only.
         */
        SPHERICAL_KMEANS
    }

    /**
     * What {@link #learn} produces.
     *
     * @param bank        the filters as they act on contrast-normalised pixels, {@code [K, 3, k, k]} float
     * @param whitened    the same filters in whitened space (rows of W), {@code [K, 3, k, k]} float
     * @param epochLoss   mean minibatch loss of each epoch
     * @param seconds     wall time of the whole run
     */
    public record Result(INDArray bank, INDArray whitened, double[] epochLoss, double seconds) {
    }

    /** Learns a bank from the sample photos ({@link Images#samples()}). */
    public static Result learn(Config config) {
        List<double[][][]> photos = new ArrayList<>();
        for (String name : Images.samples()) {
            photos.add(toArray(Images.sample(name)));
        }
        return learn(photos, config);
    }

    /**
     * Learns a bank from the given photos, each {@code [3][H][W]} (or use {@link #learn(Config)}).
     */
    public static Result learn(List<double[][][]> photos, Config c) {
        long start = System.nanoTime();
        int k = c.patch(), d = 3 * k * k, n = c.patches(), kk = c.filters();
        SplittableRandom rng = new SplittableRandom(c.seed());
        double[][] x = samplePatches(photos, k, n, rng);
        normalise(x);
        double[][] z = zca(x, c.whitenEps());
        double[][] xw = new double[n][];
        for (int i = 0; i < n; i++) {
            xw[i] = matVec(z, x[i]);
        }
        // parameters
        double[][] w = new double[kk][d];
        for (double[] row : w) {
            for (int j = 0; j < d; j++) {
                row[j] = gaussian(rng);
            }
            unit(row);
        }
        double[] b = new double[kk];
        double[][] mw = new double[kk][d], vw = new double[kk][d];
        double[] mb = new double[kk], vb = new double[kk];
        double beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8;
        int t = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] epochLoss = new double[c.epochs()];
        if (c.method() == Method.SPHERICAL_KMEANS) {
            kmeans(xw, w, epochLoss, rng);
        } else {
        double[][] gw = new double[kk][d];
        double[] gb = new double[kk], h = new double[kk], r = new double[d], dpre = new double[kk];
        for (int epoch = 0; epoch < c.epochs(); epoch++) {
            shuffle(order, rng);
            double lossSum = 0;
            int batches = 0;
            for (int s = 0; s < n; s += c.batch()) {
                int e = Math.min(n, s + c.batch()), m = e - s;
                for (double[] g : gw) {
                    Arrays.fill(g, 0);
                }
                Arrays.fill(gb, 0);
                double loss = 0;
                for (int p = s; p < e; p++) {
                    double[] xi = xw[order[p]];
                    // encoder
                    for (int q = 0; q < kk; q++) {
                        double a = dot(w[q], xi) - b[q];
                        h[q] = a > 0 ? a : 0;
                    }
                    // tied decoder
                    System.arraycopy(xi, 0, r, 0, d);
                    for (int j = 0; j < d; j++) {
                        r[j] = -r[j];
                    }
                    double l1 = 0;
                    for (int q = 0; q < kk; q++) {
                        if (h[q] != 0) {
                            axpy(h[q], w[q], r);
                            l1 += h[q];
                        }
                    }
                    loss += 0.5 * dot(r, r) + c.lambda() * l1;
                    // backward: r = x̂ − x
                    for (int q = 0; q < kk; q++) {
                        if (h[q] != 0) {
                            axpy(h[q], r, gw[q]);                 // decoder path
                            dpre[q] = dot(w[q], r) + c.lambda();  // encoder path
                            axpy(dpre[q], xi, gw[q]);
                            gb[q] -= dpre[q];
                        }
                    }
                }
                lossSum += loss / m;
                batches++;
                // Adam
                t++;
                double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
                for (int q = 0; q < kk; q++) {
                    double[] wq = w[q], g = gw[q], m1 = mw[q], m2 = vw[q];
                    for (int j = 0; j < d; j++) {
                        double gj = g[j] / m;
                        m1[j] = beta1 * m1[j] + (1 - beta1) * gj;
                        m2[j] = beta2 * m2[j] + (1 - beta2) * gj * gj;
                        wq[j] -= c.lr() * (m1[j] / c1) / (Math.sqrt(m2[j] / c2) + adamEps);
                    }
                    unit(wq);
                    double gj = gb[q] / m;
                    mb[q] = beta1 * mb[q] + (1 - beta1) * gj;
                    vb[q] = beta2 * vb[q] + (1 - beta2) * gj * gj;
                    b[q] -= c.lr() * (mb[q] / c1) / (Math.sqrt(vb[q] / c2) + adamEps);
                }
            }
            epochLoss[epoch] = lossSum / batches;
        }
        }
        // effective filters on contrast-normalised pixels: W·Z (Z symmetric)
        double[][] raw = new double[kk][];
        for (int q = 0; q < kk; q++) {
            raw[q] = matVec(z, w[q]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(toBank(raw, k), toBank(w, k), epochLoss, seconds);
    }

    /** Spherical k-means; epochLoss gets the mean squared residual ‖x − (w·x) w‖² of each epoch's assignment. */
    private static void kmeans(double[][] x, double[][] w, double[] epochLoss, SplittableRandom rng) {
        int kk = w.length, d = x[0].length;
        for (int epoch = 0; epoch < epochLoss.length; epoch++) {
            double[][] acc = new double[kk][d];
            int[] count = new int[kk];
            double loss = 0;
            for (double[] xi : x) {
                int best = 0;
                double bestP = 0;
                for (int q = 0; q < kk; q++) {
                    double p = dot(w[q], xi);
                    if (Math.abs(p) > Math.abs(bestP)) {
                        bestP = p;
                        best = q;
                    }
                }
                axpy(bestP, xi, acc[best]);
                count[best]++;
                loss += dot(xi, xi) - bestP * bestP;
            }
            epochLoss[epoch] = loss / x.length;
            for (int q = 0; q < kk; q++) {
                if (count[q] == 0) {  // empty cluster: restart it on a random patch
                    System.arraycopy(x[rng.nextInt(x.length)], 0, w[q], 0, d);
                } else {
                    axpy(1, acc[q], w[q]);  // damped update: new = sum + old
                }
                unit(w[q]);
            }
        }
    }

    // ---------------------------------------------------------------- data

    static double[][][] toArray(INDArray image) {
        INDArray im = image.castTo(DataType.DOUBLE);
        long[] s = im.shape();
        int hh = (int) s[2], ww = (int) s[3];
        double[] flat = im.dup('c').data().asDouble();
        double[][][] out = new double[3][hh][ww];
        for (int ch = 0; ch < 3; ch++) {
            int src = s[1] == 1 ? 0 : ch;
            for (int y = 0; y < hh; y++) {
                System.arraycopy(flat, (src * hh + y) * ww, out[ch][y], 0, ww);
            }
        }
        return out;
    }

    private static double[][] samplePatches(List<double[][][]> photos, int k, int n, SplittableRandom rng) {
        double[][] x = new double[n][3 * k * k];
        for (int i = 0; i < n; i++) {
            double[][][] im = photos.get(rng.nextInt(photos.size()));
            int y0 = rng.nextInt(im[0].length - k + 1), x0 = rng.nextInt(im[0][0].length - k + 1);
            int j = 0;
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < k; y++) {
                    for (int xx = 0; xx < k; xx++) {
                        x[i][j++] = im[ch][y0 + y][x0 + xx];
                    }
                }
            }
        }
        return x;
    }

    /** Per patch: subtract the mean, divide by sqrt(variance + floor). */
    private static void normalise(double[][] x) {
        for (double[] p : x) {
            double mean = 0;
            for (double v : p) {
                mean += v;
            }
            mean /= p.length;
            double var = 0;
            for (int j = 0; j < p.length; j++) {
                p[j] -= mean;
                var += p[j] * p[j];
            }
            double scale = 1 / Math.sqrt(var / p.length + CONTRAST_FLOOR);
            for (int j = 0; j < p.length; j++) {
                p[j] *= scale;
            }
        }
    }

    /** ZCA matrix of the (already zero-mean per patch) data: centre on the data mean, then V diag(1/√(d+ε)) Vᵀ. */
    private static double[][] zca(double[][] x, double eps) {
        int n = x.length, d = x[0].length;
        double[] mean = new double[d];
        for (double[] p : x) {
            axpy(1, p, mean);
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (double[] p : x) {
            for (int j = 0; j < d; j++) {
                centred[j] = p[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                double[] row = cov[a];
                for (int bb = a; bb < d; bb++) {
                    row[bb] += ca * centred[bb];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int bb = a; bb < d; bb++) {
                cov[a][bb] /= n;
                cov[bb][a] = cov[a][bb];
            }
        }
        for (double[] p : x) {
            for (int j = 0; j < d; j++) {
                p[j] -= mean[j];
            }
        }
        double[][] v = new double[d][d];
        double[] ev = jacobi(cov, v);
        double[][] z = new double[d][d];
        for (int e = 0; e < d; e++) {
            double s = 1 / Math.sqrt(Math.max(ev[e], 0) + eps);
            for (int a = 0; a < d; a++) {
                double va = v[a][e] * s;
                for (int bb = 0; bb < d; bb++) {
                    z[a][bb] += va * v[bb][e];
                }
            }
        }
        return z;
    }

    /** Cyclic Jacobi eigen-decomposition of symmetric a (destroyed); eigenvectors into the columns of v. */
    static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 60; sweep++) {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-22 * diag) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double tt = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        tt = 1;
                    }
                    double cs = 1 / Math.sqrt(tt * tt + 1), sn = tt * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = cs * vkp - sn * vkq;
                        v[k][q] = sn * vkp + cs * vkq;
                    }
                }
            }
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = a[i][i];
        }
        return ev;
    }

    // ---------------------------------------------------------------- small linear algebra

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    private static double[] matVec(double[][] m, double[] x) {
        double[] y = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            y[i] = dot(m[i], x);
        }
        return y;
    }

    private static void unit(double[] row) {
        double norm = Math.sqrt(dot(row, row));
        if (norm > 0) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= norm;
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static INDArray toBank(double[][] rows, int k) {
        int kk = rows.length, d = rows[0].length;
        float[] flat = new float[kk * d];
        for (int q = 0; q < kk; q++) {
            for (int j = 0; j < d; j++) {
                flat[q * d + j] = (float) rows[q][j];
            }
        }
        return Nd4j.create(flat, new long[] {kk, 3, k, k}, 'c');
    }

    // ---------------------------------------------------------------- evaluation and the committed bank

    /** Gaussian-noise filters of the given shape, seeded: the baseline for {@link Gabor#medianR2}. */
    public static INDArray randomBank(long[] shape, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, shape);
    }

    /** The fraction of filters whose Gabor fit has R² above the threshold. */
    public static double fractionAbove(INDArray bank, double threshold) {
        double[] r2 = Gabor.fitBank(bank).doubleColumn("r2").asDoubleArray();
        return Arrays.stream(r2).filter(v -> v > threshold).count() / (double) r2.length;
    }

    /**
     * Retrains with {@link Config#DEFAULT} and writes {@code datasets/learned/gabor-like-bank.npy} and
     * {@code README.md} (under the folder given as the first argument, default {@code datasets/learned}).
     */
    public static void main(String[] args) throws IOException {
        Nd4jRuntime.load();
        Path dir = Path.of(args.length > 0 ? args[0] : "datasets/learned");
        Config d = Config.DEFAULT;
        Config c = new Config(Method.valueOf(System.getProperty("sae.method", d.method().name())),
                Integer.getInteger("sae.patch", d.patch()), Integer.getInteger("sae.patches", d.patches()),
                Integer.getInteger("sae.filters", d.filters()),
                Double.parseDouble(System.getProperty("sae.lambda", "" + d.lambda())),
                Integer.getInteger("sae.epochs", d.epochs()), Integer.getInteger("sae.batch", d.batch()),
                Double.parseDouble(System.getProperty("sae.lr", "" + d.lr())),
                Double.parseDouble(System.getProperty("sae.eps", "" + d.whitenEps())), d.seed());
        Result res = learn(c);
        INDArray bank = res.bank();
        INDArray random = randomBank(bank.shape(), c.seed());
        double mLearned = Gabor.medianR2(bank), mWhite = Gabor.medianR2(res.whitened()),
                mRandom = Gabor.medianR2(random);
        double fLearned = fractionAbove(bank, 0.5), fWhite = fractionAbove(res.whitened(), 0.5),
                fRandom = fractionAbove(random, 0.5);
        String summary = String.format(Locale.ROOT,
                "trained in %.1f s; loss per epoch %s%nmedian R² learned %.3f (whitened-space %.3f) vs random %.3f;"
                        + " R² > 0.5: learned %.0f%% (whitened-space %.0f%%) vs random %.0f%%",
                res.seconds(), Arrays.toString(Arrays.stream(res.epochLoss())
                        .mapToObj(v -> String.format(Locale.ROOT, "%.3f", v)).toArray()),
                mLearned, mWhite, mRandom, 100 * fLearned, 100 * fWhite, 100 * fRandom);
        System.out.println(summary);
        Files.createDirectories(dir);
        Npy.save(bank, dir.resolve("gabor-like-bank.npy"));
        Files.writeString(dir.resolve("README.md"), readme(c, res, mLearned, mRandom, fLearned, fRandom, mWhite,
                fWhite));
        if (args.length > 1) {
            Images.save(KernelGrid.draw(bank), args[1]);
        }
    }

    private static String readme(Config c, Result res, double mLearned, double mRandom, double fLearned,
            double fRandom, double mWhite, double fWhite) {
        return String.format(Locale.ROOT, """
                # Learned Gabor-like first layer

                `gabor-like-bank.npy`: float32 `[%d, 3, %d, %d]`, a conv1 filter bank learned **without labels** from the
                CC0 photos in `datasets/images/` by `cnnlab.nn.LearnedFilters` (run its `main` from the project
                root to retrain and rewrite this folder; the run is single-threaded plain Java and bit-for-bit
                reproducible from the seed).

                ```java
                INDArray bank = Npy.load(Path.of("datasets/learned/gabor-like-bank.npy"));
                KernelGrid.draw(bank);                                           // the mosaic
                var again = LearnedFilters.learn(LearnedFilters.Config.DEFAULT).bank();  // retrain
                ```

                ## How it was made

                - **Data**: %d random %d×%d RGB patches (equal chance per photo, uniform position; seed %d) from all
                  sample photos (%s).
                - **Pre-processing**: per patch, subtract its mean over all 3·k² values and divide by
                  sqrt(variance + 10/255²) (contrast normalisation); then ZCA whitening of the patch vectors,
                  Z = V diag(1/sqrt(d + ε)) Vᵀ with ε = %s, from a Jacobi eigen-decomposition of their covariance.
                - **Method**: %s. Spherical k-means (Coates & Ng 2012) on the whitened patches: each patch is
                  assigned to the unit-norm filter w with the largest |w·x| and adds (w·x)·x to it; new w = old w +
                  that sum, renormalised; empty clusters restart on a random patch. K = %d, %d epochs (mean residual
                  ‖x − (w·x)w‖² per epoch: %s). %.1f s on this machine.
                  The tied-weight sparse ReLU autoencoder (`Method.SPARSE_AUTOENCODER`, h = relu(W x − b), x̂ = Wᵀh,
                  loss ½‖x − x̂‖² + λ‖h‖₁, Adam) is in the same class but, with the settings tried (λ 0.02–0.3, lr
                  3e-3–1e-2, 12 epochs), its filters stayed noise-like (median R² ≈ 0.2, ≤ 13%% above 0.5), so the
                  committed bank is the k-means one.
                - **Saved bank**: the encoder filters as they act on contrast-normalised pixels, W·Z, reshaped to
                  `[K, 3, k, k]` (what a conv1 layer applied to the normalised image would hold). `learn` also
                  returns the whitened-space filters W.

                ## How Gabor-like (cnnlab.filters.Gabor.fitBank)

                | bank | median R² | R² > 0.5 |
                |---|---|---|
                | learned (saved, W·Z) | %.3f | %.0f%% |
                | learned, whitened space (W) | %.3f | %.0f%% |
                | Gaussian noise, same shape (Nd4j.randn, seed %d) | %.3f | %.0f%% |
                """,
                c.filters(), c.patch(), c.patch(), c.patches(), c.patch(), c.patch(), c.seed(),
                String.join(", ", Images.samples()), c.whitenEps(), c.method(), c.filters(), c.epochs(),
                Arrays.toString(Arrays.stream(res.epochLoss()).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                        .toArray()), res.seconds(),
                mLearned, 100 * fLearned, mWhite, 100 * fWhite, c.seed(), mRandom, 100 * fRandom);
    }
}
