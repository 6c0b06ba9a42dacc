package cnnlab.filters;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Gabor filters: banks to convolve with, and a fit that says how Gabor-like a learned filter is.
 *
 * <p>The Gabor function, on pixel coordinates {@code x} = column and {@code y} = row (row 0 at the top):
 * <pre>
 *   g(x, y) = exp(-(x'² + γ² y'²) / (2σ²)) · cos(2π x'/λ + ψ)
 *   x' =  (x - x0) cos θ + (y - y0) sin θ
 *   y' = -(x - x0) sin θ + (y - y0) cos θ
 * </pre>
 * θ is the direction the stripes vary along, measured from the x axis (rightwards) towards the y axis
 * (downwards, as rows grow), so θ = 0 gives vertical stripes that respond to vertical edges, like
 * {@link Kernels#sobelX()}, and θ = π/2 horizontal stripes. λ is the wavelength in pixels, ψ the phase (ψ = 0 an
 * even, line-like filter; ψ = π/2 an odd, edge-like one), σ the envelope's width across the stripes and γ its
 * aspect ratio (the width along the stripes is σ/γ, so γ &lt; 1 makes longer stripes). Generated filters are centred
 * on the grid: x0 = y0 = (size - 1)/2.
 *
 * <p>Every generated filter is made <b>zero-mean</b> (it gives 0 on a flat image) and then scaled to <b>unit L2
 * norm</b> (so responses of different filters are comparable). A pattern that samples to all zeros is left as zeros.
 * <pre>
 * jshell&gt; var bank = Gabor.bank(11, 4, new double[] {4, 8}, 2.5, 0.5, new double[] {0, Math.PI / 2});
 * jshell&gt; bank.shape()
 * $1 ==&gt; long[4] { 16, 1, 11, 11 }
 * jshell&gt; Gabor.fit(bank.slice(5))
 * $2 ==&gt; GaborFit[theta 45.0°, wavelength 4.00 px, phase 90.0°, sigma 2.50 px, gamma 0.50, ..., R² 1.000]
 * jshell&gt; Gabor.fitBank(learnedConv1Weights)        // a Tablesaw table, one row per filter
 * </pre>
 */
public final class Gabor {
    private Gabor() {
    }

    /** The colour directions of {@link #colourBank}, RGB, each of unit length. */
    private static final double[][] COLOURS = {
        {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)},   // luminance
        {1 / Math.sqrt(2), -1 / Math.sqrt(2), 0},                 // red - green
        {-1 / Math.sqrt(6), -1 / Math.sqrt(6), 2 / Math.sqrt(6)}, // blue - yellow
    };

    // ---------------------------------------------------------------- generate

    /**
     * One Gabor filter as a conv2d weight, zero-mean and of unit L2 norm.
     * <p>Shapes: output {@code [1, 1, size, size]}, centred on the grid.
     * <pre>
     * jshell&gt; Gabor.kernel(11, 0, 6, -Math.PI / 2, 2.5, 0.5)    // vertical edges, dark left to bright right
     * </pre>
     *
     * @param size   side of the square grid, at least 3
     * @param theta  orientation θ in radians (any value; θ and θ + π give the same stripes)
     * @param lambda wavelength λ in pixels, at least 2 (the Nyquist limit)
     * @param psi    phase ψ in radians
     * @param sigma  envelope width σ across the stripes, in pixels, &gt; 0
     * @param gamma  envelope aspect ratio γ, &gt; 0
     * @throws IllegalArgumentException if size &lt; 3, lambda &lt; 2, sigma or gamma not positive, or any value is
     *                                  not finite
     */
    public static INDArray kernel(int size, double theta, double lambda, double psi, double sigma, double gamma) {
        String context = "size " + size + ", theta " + num(theta) + ", lambda " + num(lambda) + ", psi " + num(psi)
                + ", sigma " + num(sigma) + ", gamma " + num(gamma);
        checkGrid("kernel", size, sigma, gamma, context);
        checkWavelength("kernel", lambda, context);
        if (!Double.isFinite(theta) || !Double.isFinite(psi)) {
            throw error("kernel", "theta and psi must be finite", context);
        }
        float[] v = new float[size * size];
        fill(v, 0, size, theta, lambda, psi, sigma, gamma);
        return Nd4j.create(v, new long[] {1, 1, size, size}, 'c');
    }

    /**
     * A bank of grey Gabor filters over every combination of orientation, wavelength and phase.
     * <p>Shapes: output {@code [K, 1, size, size]} with K = orientations × wavelengths.length × phases.length.
     * Orientations are evenly spaced in [0, π): θ_o = o·π/orientations. Filter {@code k = (o·W + w)·P + p} has
     * orientation o, wavelength {@code wavelengths[w]} and phase {@code phases[p]} (W and P the array lengths):
     * orientation varies slowest, phase fastest. Each filter is as {@link #kernel}: centred, zero-mean, unit norm.
     * <pre>
     * jshell&gt; Gabor.bank(11, 8, new double[] {4, 8}, 2.5, 0.5, new double[] {0, Math.PI / 2}).shape()
     * $1 ==&gt; long[4] { 32, 1, 11, 11 }
     * </pre>
     *
     * @param size         side of each filter, at least 3
     * @param orientations number of orientations, at least 1
     * @param wavelengths  wavelengths λ in pixels, each at least 2; not empty
     * @param sigma        envelope width σ in pixels, &gt; 0 (one for the whole bank)
     * @param gamma        envelope aspect ratio γ, &gt; 0 (0.5 is the classic choice)
     * @param phases       phases ψ in radians, not empty; {0, π/2} gives a line and an edge detector per orientation
     * @throws IllegalArgumentException if size &lt; 3, orientations &lt; 1, an array is null or empty, a wavelength is
     *                                  below 2, sigma or gamma is not positive, or any value is not finite
     */
    public static INDArray bank(int size, int orientations, double[] wavelengths, double sigma, double gamma,
            double[] phases) {
        String context = bankContext(size, orientations, wavelengths, sigma, gamma, phases);
        checkBank("bank", size, orientations, wavelengths, sigma, gamma, phases, context);
        int n = orientations * wavelengths.length * phases.length, plane = size * size;
        float[] v = new float[n * plane];
        int k = 0;
        for (int o = 0; o < orientations; o++) {
            for (double lambda : wavelengths) {
                for (double psi : phases) {
                    fill(v, k++ * plane, size, o * Math.PI / orientations, lambda, psi, sigma, gamma);
                }
            }
        }
        return Nd4j.create(v, new long[] {n, 1, size, size}, 'c');
    }

    /**
     * A colour bank in the spirit of AlexNet's first layer: oriented Gabors in three colour directions plus
     * colour-opponent blobs, as RGB conv2d weights.
     * <p>Shapes: output {@code [K, 3, size, size]} with K = 3n + 4 and n = orientations × wavelengths.length ×
     * phases.length. Filter {@code k = c·n + j} for {@code k < 3n} is grey filter j of {@link #bank} times colour
     * direction c:
     * <ul>
     *   <li>c = 0, luminance (1, 1, 1)/√3 — the plain oriented edges and lines;</li>
     *   <li>c = 1, red–green (1, -1, 0)/√2 — positive where red exceeds green;</li>
     *   <li>c = 2, blue–yellow (-1, -1, 2)/√6 — positive where blue exceeds yellow.</li>
     * </ul>
     * The last four are isotropic Gaussian blobs of width σ (not zero-mean in space, so they respond to flat colour,
     * but zero-sum over colour, so a flat grey gives 0): red (3n), green (3n + 1), blue (3n + 2), yellow (3n + 3),
     * i.e. ± the red–green and ± the blue–yellow direction. Every filter has unit L2 norm over all three channels.
     * <pre>
     * jshell&gt; Gabor.colourBank(11, 4, new double[] {5}, 2.5, 0.5, new double[] {0, Math.PI / 2}).shape()
     * $1 ==&gt; long[4] { 28, 3, 11, 11 }
     * </pre>
     *
     * @throws IllegalArgumentException as {@link #bank}
     */
    public static INDArray colourBank(int size, int orientations, double[] wavelengths, double sigma, double gamma,
            double[] phases) {
        String context = bankContext(size, orientations, wavelengths, sigma, gamma, phases);
        checkBank("colourBank", size, orientations, wavelengths, sigma, gamma, phases, context);
        float[] grey = bank(size, orientations, wavelengths, sigma, gamma, phases).data().asFloat();
        int plane = size * size, n = grey.length / plane;
        float[] v = new float[(3 * n + 4) * 3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < n; j++) {
                paint(v, (c * n + j) * 3 * plane, grey, j * plane, plane, COLOURS[c], 1);
            }
        }
        float[] blob = new float[plane];
        double centre = (size - 1) / 2.0, norm = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double dy = i - centre, dx = j - centre, b = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                blob[i * size + j] = (float) b;
                norm += b * b;
            }
        }
        for (int i = 0; i < plane; i++) {
            blob[i] /= (float) Math.sqrt(norm);
        }
        for (int b = 0; b < 4; b++) {
            paint(v, (3 * n + b) * 3 * plane, blob, 0, plane, COLOURS[1 + b / 2], b % 2 == 0 ? 1 : -1);
        }
        return Nd4j.create(v, new long[] {3L * n + 4, 3, size, size}, 'c');
    }

    /** The unnormalised Gabor value at offset (dx, dy) from the centre: the one copy of the formula. */
    static double value(double dx, double dy, double theta, double lambda, double psi, double sigma, double gamma) {
        double c = Math.cos(theta), s = Math.sin(theta);
        double xr = dx * c + dy * s, yr = -dx * s + dy * c;
        return Math.exp(-(xr * xr + gamma * gamma * yr * yr) / (2 * sigma * sigma))
                * Math.cos(2 * Math.PI * xr / lambda + psi);
    }

    /** One centred, zero-mean, unit-norm filter into {@code v[at ..]}. */
    private static void fill(float[] v, int at, int size, double theta, double lambda, double psi, double sigma,
            double gamma) {
        double centre = (size - 1) / 2.0;
        double[] g = new double[size * size];
        double mean = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                mean += g[i * size + j] = value(j - centre, i - centre, theta, lambda, psi, sigma, gamma);
            }
        }
        mean /= g.length;
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] -= mean;
            norm += g[i] * g[i];
        }
        norm = Math.sqrt(norm);
        // a pattern that samples to zeros (e.g. λ = 2, ψ = π/2 at θ = 0) stays zeros rather than dividing by ~0
        double scale = norm > 1e-9 * Math.sqrt(g.length) ? 1 / norm : 0;
        for (int i = 0; i < g.length; i++) {
            double d = g[i] * scale;
            v[at + i] = Math.abs(d) < 1e-9 ? 0 : (float) d; // cos(π/2) is 6e-17, shown as 0 on the slides
        }
    }

    /** A grey plane times a colour direction into the three channels at {@code v[at ..]}. */
    private static void paint(float[] v, int at, float[] plane, int from, int size, double[] colour, int sign) {
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < size; i++) {
                v[at + c * size + i] = (float) (sign * colour[c] * plane[from + i]);
            }
        }
    }

    // ---------------------------------------------------------------- fit

    /**
     * The best-fitting Gabor for one filter, by least squares: orientation, wavelength, phase, envelope, centre and
     * R², the share of the filter's variance the Gabor explains.
     * <p>Shapes: {@code [kH, kW]}, {@code [1, kH, kW]} or {@code [1, 1, kH, kW]} for a grey filter; {@code [C, kH, kW]}
     * or {@code [1, C, kH, kW]} for a colour one. kH, kW at least 3.
     * <p>Model: {@code A·g(x, y) + offset}, g as in the class comment with free θ, λ, ψ, σ, γ, x0, y0 (nine
     * parameters with A and the offset). R² = 1 − SSE/SST with SST the sum of squares around the filter's mean.
     * <p>Method: an initial guess from the filter itself — θ and λ from each of the three strongest peaks of its
     * zero-padded 2-D DFT, the centre from the centroid of its energy, σ and γ from the energy's second moments
     * along and across the stripes — then Levenberg–Marquardt on the squared error (analytic Jacobian; amplitude and
     * phase enter as a linear pair, so no search over phase is needed). Each start gets a short run and the best
     * is run to convergence. The search keeps the centre on the grid, the frequency inside the Nyquist square
     * (|f cos θ|, |f sin θ| ≤ 1/2, so no aliased shorter wavelength) and both envelope widths, σ and σ/γ, between
     * 1 px and twice the filter size. Deterministic; about 1–3 ms for 11×11.
     * <p>Reported values are canonical: θ in [0, π), ψ in (−π, π], A ≥ 0 (a sign flip shows as ψ ± π), σ and λ in
     * pixels; x0 is a column and y0 a row. A Gabor whose envelope holds less than a period has a poorly defined
     * wavelength (a derivative-of-Gaussian edge fits with a long one), and a blob with no stripes reports a
     * wavelength far longer than the filter (∞ when the fitted carrier is flat to 1e-4), with ψ near 0 for a bright
     * blob and near ±π for a dark one.
     * <p><b>Colour filters</b> are fitted on their first principal colour component: the unit colour direction u
     * that carries most of the filter's variance (channels centred; sign chosen so the components sum to a
     * positive number, or else the largest component is positive), and the plane u·filter. R² is still of the whole
     * filter: the model is u ⊗ (A·g + offset) plus each channel's mean, so colour structure that one direction cannot
     * carry lowers R² (a red stripe one way beside a green stripe the other gets about 0.25).
     * <p><b>Baseline:</b> nine parameters fit some of any pattern. On Gaussian noise the median R² is about 0.14 for
     * 11×11 filters, 0.28 for 7×7, 0.48 for 5×5 and 0.83 for 3×3 (where R² means little), and about 0.06 for
     * 3×11×11 colour noise, so compare learned filters with noise of the same shape before calling them Gabor-like.
     * <p>A constant filter has nothing to fit: its result has R², θ, λ, ψ, σ, γ, x0, y0 = NaN, amplitude 0 and
     * offset the constant.
     * <pre>
     * jshell&gt; Gabor.fit(Gabor.kernel(11, Math.toRadians(30), 5, Math.PI / 2, 2.5, 0.5))
     * $1 ==&gt; GaborFit[theta 30.0°, wavelength 5.00 px, phase 90.0°, sigma 2.50 px, gamma 0.50, centre (x 5.00, y 5.00), amplitude ..., R² 1.000]
     * </pre>
     *
     * @throws IllegalArgumentException if the filter is null, of another rank or shape, smaller than 3×3, or has a
     *                                  NaN or infinite value
     */
    public static GaborFit fit(INDArray filter) {
        long[] s = filter == null ? null : filter.shape();
        String context = "filter " + shape(s);
        if (filter == null) {
            throw error("fit", "filter is null", context);
        }
        long[] chw = switch (s.length) {
            case 2 -> new long[] {1, s[0], s[1]};
            case 3 -> s;
            case 4 -> {
                if (s[0] != 1) {
                    throw error("fit", "expected one filter but got a bank of " + s[0], context,
                            "fit one filter, e.g. Gabor.fit(bank.slice(0)), or use Gabor.fitBank(bank)");
                }
                yield new long[] {s[1], s[2], s[3]};
            }
            default -> throw error("fit", "expected a filter [kH, kW], [C, kH, kW] or [1, C, kH, kW] but got rank "
                    + s.length, context);
        };
        checkFilterSize("fit", chw, context);
        double[] v = filter.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        checkFinite("fit", v, v.length, context);
        return fitPlanes(v, 0, Math.toIntExact(chw[0]), Math.toIntExact(chw[1]), Math.toIntExact(chw[2]));
    }

    /**
     * {@link #fit} for every filter of a conv2d weight, as a Tablesaw table named {@code "Gabor fit"}.
     * <p>Shapes: bank {@code [K, C, kH, kW]} (C = 1 grey, C = 3 colour, fitted as in {@link #fit}); kH, kW at least 3.
     * <p>Columns, one row per filter in bank order: {@code filter} (int, 0-based), {@code theta_deg} [0, 180),
     * {@code wavelength} (px), {@code phase_deg} (−180, 180], {@code sigma} (px), {@code gamma}, {@code x0},
     * {@code y0}, {@code amplitude}, {@code r2}. A constant filter's row has missing values (NaN) for the shape
     * columns and r2.
     * <pre>
     * jshell&gt; Gabor.fitBank(Gabor.bank(11, 4, new double[] {5}, 2.5, 0.5, new double[] {0})).rowCount()
     * $1 ==&gt; 4
     * jshell&gt; Gabor.fitBank(conv1).sortDescendingOn("r2")
     * </pre>
     *
     * @throws IllegalArgumentException if the bank is null, not 4-D, has an empty axis, kH or kW &lt; 3, or has a NaN
     *                                  or infinite value
     */
    public static Table fitBank(INDArray bank) {
        List<GaborFit> fits = fitAll("fitBank", bank);
        int n = fits.size();
        int[] index = new int[n];
        double[][] cols = new double[9][n];
        for (int k = 0; k < n; k++) {
            GaborFit f = fits.get(k);
            index[k] = k;
            double[] row = {Math.toDegrees(f.theta()), f.wavelength(), Math.toDegrees(f.phase()), f.sigma(),
                f.gamma(), f.x0(), f.y0(), f.amplitude(), f.r2()};
            for (int c = 0; c < row.length; c++) {
                cols[c][k] = row[c];
            }
        }
        String[] names = {"theta_deg", "wavelength", "phase_deg", "sigma", "gamma", "x0", "y0", "amplitude", "r2"};
        String[] formats = {"0.0", "0.00", "0.0", "0.00", "0.00", "0.00", "0.00", "0.0000", "0.000"};
        Table table = Table.create("Gabor fit", IntColumn.create("filter", index));
        for (int c = 0; c < names.length; c++) {
            DoubleColumn column = DoubleColumn.create(names[c], cols[c]);
            // printed rounded (the values keep full precision)
            column.setPrintFormatter(new NumberColumnFormatter(
                    new DecimalFormat(formats[c], DecimalFormatSymbols.getInstance(Locale.ROOT))));
            table.addColumns(column);
        }
        return table;
    }

    /**
     * The median R² of {@link #fitBank}: one number for "how Gabor-like is this layer". Constant filters (R² NaN)
     * are left out; NaN if every filter is constant.
     * <pre>
     * jshell&gt; Gabor.medianR2(conv1)        // compare with the same for noise of the same shape
     * </pre>
     *
     * @throws IllegalArgumentException as {@link #fitBank}
     */
    public static double medianR2(INDArray bank) {
        double[] r2 = fitAll("medianR2", bank).stream().mapToDouble(GaborFit::r2).filter(d -> !Double.isNaN(d))
                .sorted().toArray();
        int n = r2.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? r2[n / 2] : (r2[n / 2 - 1] + r2[n / 2]) / 2;
    }

    private static List<GaborFit> fitAll(String op, INDArray bank) {
        long[] s = bank == null ? null : bank.shape();
        String context = "bank " + shape(s);
        if (bank == null) {
            throw error(op, "bank is null", context);
        }
        if (s.length != 4) {
            throw error(op, "bank must be 4-D [K, C, kH, kW] but has rank " + s.length, context,
                    s.length == 2 ? "one 2-D filter: use Gabor.fit(filter)"
                            : s.length == 3 ? "K grey filters: bank.reshape(" + s[0] + ", 1, " + s[1] + ", " + s[2]
                                    + ")" : "reshape it to [K, C, kH, kW]");
        }
        if (s[0] < 1) {
            throw error(op, "bank is empty", context);
        }
        checkFilterSize(op, new long[] {s[1], s[2], s[3]}, context);
        double[] v = bank.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int k = Math.toIntExact(s[0]), c = Math.toIntExact(s[1]), h = Math.toIntExact(s[2]), w = Math.toIntExact(s[3]);
        checkFinite(op, v, c * h * w, context);
        List<GaborFit> fits = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            fits.add(fitPlanes(v, i * c * h * w, c, h, w));
        }
        return fits;
    }

    /** Fits the filter {@code v[at .. at + c·h·w)}, channel-major. */
    private static GaborFit fitPlanes(double[] v, int at, int c, int h, int w) {
        int n = h * w;
        if (c == 1) {
            return GaborFitter.fit(Arrays.copyOfRange(v, at, at + n), h, w, Double.NaN);
        }
        // first principal colour component: centre each channel, top eigenvector of the C x C scatter matrix
        double[][] centred = new double[c][n];
        double[] means = new double[c];
        double sstAll = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                means[ch] += v[at + ch * n + i];
            }
            means[ch] /= n;
            for (int i = 0; i < n; i++) {
                centred[ch][i] = v[at + ch * n + i] - means[ch];
                sstAll += centred[ch][i] * centred[ch][i];
            }
        }
        double[][] scatter = new double[c][c];
        for (int a = 0; a < c; a++) {
            for (int b = 0; b <= a; b++) {
                double d = 0;
                for (int i = 0; i < n; i++) {
                    d += centred[a][i] * centred[b][i];
                }
                scatter[a][b] = scatter[b][a] = d;
            }
        }
        double[] u = GaborFitter.topEigenvector(scatter);
        double[] plane = new double[n];
        double offset = 0;
        for (int ch = 0; ch < c; ch++) {
            offset += u[ch] * means[ch];
            for (int i = 0; i < n; i++) {
                plane[i] += u[ch] * centred[ch][i];
            }
        }
        for (int i = 0; i < n; i++) {
            plane[i] += offset;
        }
        // the plane's own SST is the variance along u; what u cannot carry counts as error
        return GaborFitter.fit(plane, h, w, sstAll);
    }

    // ---------------------------------------------------------------- validation

    private static void checkGrid(String op, int size, double sigma, double gamma, String context) {
        if (size < 3) {
            throw error(op, "size must be at least 3 but is " + size, context);
        }
        if (size > Kernels.MAX_SIZE) {
            throw error(op, "size must be at most " + Kernels.MAX_SIZE + " but is " + size, context);
        }
        if (!positive(sigma)) {
            throw error(op, "sigma must be positive and finite but is " + num(sigma), context);
        }
        if (!positive(gamma)) {
            throw error(op, "gamma must be positive and finite but is " + num(gamma), context);
        }
    }

    /** Positive, finite, and squaring neither underflows to 0 nor overflows (the formula uses σ² and γ²). */
    private static boolean positive(double d) {
        return d > 0 && d * d > 0 && Double.isFinite(d * d);
    }

    private static void checkWavelength(String op, double lambda, String context) {
        if (!(lambda >= 2) || !Double.isFinite(lambda)) {
            throw error(op, "wavelength must be at least 2 px (the Nyquist limit) and finite but is " + num(lambda),
                    context, "shorter stripes alias into a different, longer pattern on the pixel grid");
        }
    }

    private static void checkBank(String op, int size, int orientations, double[] wavelengths, double sigma,
            double gamma, double[] phases, String context) {
        checkGrid(op, size, sigma, gamma, context);
        if (orientations < 1) {
            throw error(op, "orientations must be at least 1 but is " + orientations, context);
        }
        if (wavelengths == null || wavelengths.length == 0) {
            throw error(op, "wavelengths must hold at least one value", context);
        }
        if (phases == null || phases.length == 0) {
            throw error(op, "phases must hold at least one value", context, "new double[] {0} for even filters only");
        }
        for (double lambda : wavelengths) {
            checkWavelength(op, lambda, context);
        }
        for (double psi : phases) {
            if (!Double.isFinite(psi)) {
                throw error(op, "phases must be finite but one is " + psi, context);
            }
        }
        long k = (long) orientations * wavelengths.length * phases.length;
        long values = op.equals("colourBank") ? (3 * k + 4) * 3 * size * size : k * size * size;
        if (values > Integer.MAX_VALUE) {
            throw error(op, k + " filters of " + size + "x" + size + " are too many for one array", context);
        }
    }

    private static void checkFilterSize(String op, long[] chw, String context) {
        for (long d : chw) {
            if (d < 1) {
                throw error(op, "filter has an empty axis", context);
            }
        }
        if (chw[1] < 3 || chw[2] < 3) {
            throw error(op, "filter is " + chw[1] + "x" + chw[2] + " but must be at least 3x3", context);
        }
    }

    /** Every value finite, checked before any fitting; {@code per} values per filter. */
    private static void checkFinite(String op, double[] v, int per, String context) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                String which = v.length == per ? "filter" : "filter " + i / per;
                throw error(op, which + " has a non-finite value " + v[i] + " at flat index " + i % per, context);
            }
        }
    }

    private static String bankContext(int size, int orientations, double[] wavelengths, double sigma, double gamma,
            double[] phases) {
        return "size " + size + ", orientations " + orientations + ", wavelengths " + nums(wavelengths) + ", sigma "
                + num(sigma) + ", gamma " + num(gamma) + ", phases " + nums(phases);
    }

    private static IllegalArgumentException error(String op, String what, String context) {
        return new IllegalArgumentException("Gabor." + op + ": " + what + " (" + context + ")");
    }

    private static IllegalArgumentException error(String op, String what, String context, String hint) {
        return new IllegalArgumentException("Gabor." + op + ": " + what + " (" + context + ")\nhint: " + hint);
    }

    private static String shape(long[] s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i == 0 ? "" : ",").append(s[i]);
        }
        return b.append(']').toString();
    }

    /** 4, 2.5, 1.571, 1E-200, NaN: four significant digits at most. */
    private static String num(double d) {
        if (!Double.isFinite(d)) {
            return String.valueOf(d);
        }
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d)
                : new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toString();
    }

    private static String nums(double[] ds) {
        if (ds == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ds.length; i++) {
            b.append(i == 0 ? "" : ", ").append(num(ds[i]));
        }
        return b.append(']').toString();
    }
}
