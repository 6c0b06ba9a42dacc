package cnnlab.filters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The least-squares machinery behind {@link Gabor#fit}: an initial guess from the filter's spectrum and energy, then
 * Levenberg–Marquardt with an analytic Jacobian. Internal; plain Java, deterministic.
 *
 * <p>The model is the Gabor of {@link Gabor#value} rewritten so that its Jacobian is simple and its parameters
 * unconstrained:
 * <pre>
 *   m(x, y) = E · (a cos φ + b sin φ) + c,   φ = 2π f x',   E = exp(-(α x'² + β y'²))
 * </pre>
 * with x', y' the rotated coordinates around (x0, y0), α = e^la = 1/(2σ²), β = e^lb = γ²/(2σ²). Amplitude and phase
 * are the linear pair (a, b) = A (cos ψ, −sin ψ), so no phase search is needed.
 */
final class GaborFitter {
    private static final int A = 0, B = 1, C = 2, X0 = 3, Y0 = 4, TH = 5, F = 6, LA = 7, LB = 8, NP = 9;
    /** Narrowest envelope, in pixels: anything narrower fits single pixels of noise. */
    private static final double SIGMA_MIN = 1.0;
    /** Nyquist: at most half a cycle per pixel along x and along y (the rest aliases). */
    private static final double NYQUIST = 0.5;
    /** Starts: the strongest few peaks of the spectrum. */
    private static final int STARTS = 3;
    private static final int SCOUT_ITERATIONS = 12;
    private static final int MAX_ITERATIONS = 100;
    /** Stop when an accepted step improves the squared error by less than this fraction. */
    private static final double TOLERANCE = 1e-6;

    /** Zero-padded DFT size for the initial guess: frequency steps of 1/32 cycle per pixel. */
    private static final int DFT = 32;
    /** Angles (radians) this close to the ends of their canonical ranges are put on the nicer end. */
    private static final double SNAP = 1e-6;

    private final int h, w;
    private final double[] z;
    private final double laMin, laMax;
    private final double[] g = new double[NP];

    private GaborFitter(double[] z, int h, int w) {
        this.z = z;
        this.h = h;
        this.w = w;
        double sigmaMax = 2.0 * Math.max(h, w);
        laMax = Math.log(1 / (2 * SIGMA_MIN * SIGMA_MIN));
        laMin = Math.log(1 / (2 * sigmaMax * sigmaMax));
    }

    /**
     * Fits {@code data} ({@code h x w}, row-major). R² is {@code 1 - SSE/SST}; when {@code sstTotal} is not NaN the
     * data is one projection of a larger filter whose sum of squares is {@code sstTotal}, and what the projection
     * leaves out counts as error.
     */
    static GaborFit fit(double[] data, int h, int w, double sstTotal) {
        int n = h * w;
        double mean = 0;
        for (double d : data) {
            mean += d;
        }
        mean /= n;
        double sst = 0;
        for (double d : data) {
            sst += (d - mean) * (d - mean);
        }
        if (!(sst > 0)) {
            double nan = Double.NaN;
            return new GaborFit(nan, nan, nan, nan, nan, nan, nan, 0, mean, nan);
        }
        double sd = Math.sqrt(sst / n);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = (data[i] - mean) / sd;
        }
        GaborFitter fitter = new GaborFitter(z, h, w);
        double[] best = null;
        double bestSse = Double.POSITIVE_INFINITY;
        for (double[] p : fitter.starts()) { // a short run from each start, then the best one to convergence
            fitter.solveLinear(p);
            double sse = fitter.levenbergMarquardt(p, SCOUT_ITERATIONS);
            if (sse < bestSse) {
                bestSse = sse;
                best = p;
            }
            if (bestSse < 1e-12 * n) { // an exact Gabor: the other starts cannot do better
                break;
            }
        }
        bestSse = fitter.levenbergMarquardt(best, MAX_ITERATIONS);
        double sse = bestSse * sd * sd;
        double r2 = Double.isNaN(sstTotal) ? 1 - sse / sst : 1 - (sstTotal - sst + sse) / sstTotal;
        return canonical(best, sd, mean, Math.max(0, Math.min(1, r2)), Math.max(h, w));
    }

    // ---------------------------------------------------------------- initial guess

    /** One start per strong spectral peak: θ and f from the peak, centre and envelope from the energy. */
    private List<double[]> starts() {
        double energy = 0, cx = 0, cy = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double e = z[i * w + j] * z[i * w + j];
                energy += e;
                cx += e * j;
                cy += e * i;
            }
        }
        cx /= energy;
        cy /= energy;
        List<double[]> starts = new ArrayList<>();
        for (double[] uv : peaks()) {
            double theta = Math.atan2(uv[1], uv[0]), f = Math.hypot(uv[0], uv[1]);
            double ct = Math.cos(theta), st = Math.sin(theta), vx = 0, vy = 0;
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double e = z[i * w + j] * z[i * w + j], dx = j - cx, dy = i - cy;
                    double xr = dx * ct + dy * st, yr = -dx * st + dy * ct;
                    vx += e * xr * xr;
                    vy += e * yr * yr;
                }
            }
            double[] p = new double[NP];
            p[X0] = cx;
            p[Y0] = cy;
            p[TH] = theta;
            p[F] = f;
            // the energy E² has variance σ²/2 along each axis, and α = 1/(2σ²)
            p[LA] = -Math.log(4 * vx / energy);
            p[LB] = -Math.log(4 * vy / energy);
            clamp(p);
            starts.add(p);
        }
        return starts;
    }

    /**
     * The strongest local maxima of the power spectrum on a {@code DFT x DFT} frequency grid (periodic), one of each
     * conjugate pair, as (u, v) in cycles per pixel along x and y.
     */
    private List<double[]> peaks() {
        int stride = Math.max(h, w);
        double[] cos = new double[DFT * stride], sin = new double[cos.length]; // e^{-2πi k t / DFT}
        for (int k = 0; k < DFT; k++) {
            for (int t = 0; t < stride; t++) {
                double a = -2 * Math.PI * k * t / DFT;
                cos[k * stride + t] = Math.cos(a);
                sin[k * stride + t] = Math.sin(a);
            }
        }
        double[][] rowRe = new double[h][DFT], rowIm = new double[h][DFT];
        for (int i = 0; i < h; i++) {
            for (int ku = 0; ku < DFT; ku++) {
                double re = 0, im = 0;
                for (int j = 0; j < w; j++) {
                    re += z[i * w + j] * cos[ku * stride + j];
                    im += z[i * w + j] * sin[ku * stride + j];
                }
                rowRe[i][ku] = re;
                rowIm[i][ku] = im;
            }
        }
        double[][] power = new double[DFT][DFT];
        for (int kv = 0; kv < DFT; kv++) {
            for (int ku = 0; ku < DFT; ku++) {
                double re = 0, im = 0;
                for (int i = 0; i < h; i++) {
                    double c = cos[kv * stride + i], s = sin[kv * stride + i];
                    re += rowRe[i][ku] * c - rowIm[i][ku] * s;
                    im += rowRe[i][ku] * s + rowIm[i][ku] * c;
                }
                power[kv][ku] = re * re + im * im;
            }
        }
        List<int[]> maxima = new ArrayList<>();
        for (int kv = 0; kv < DFT; kv++) {
            for (int ku = 0; ku < DFT; ku++) {
                int conjugate = ((DFT - kv) % DFT) * DFT + (DFT - ku) % DFT;
                if ((kv == 0 && ku == 0) || kv * DFT + ku > conjugate || !isLocalMax(power, kv, ku)) {
                    continue;
                }
                maxima.add(new int[] {kv, ku});
            }
        }
        maxima.sort(Comparator.comparingDouble((int[] m) -> -power[m[0]][m[1]])
                .thenComparingInt(m -> m[0] * DFT + m[1]));
        List<double[]> peaks = new ArrayList<>();
        for (int[] m : maxima.subList(0, Math.min(STARTS, maxima.size()))) {
            peaks.add(new double[] {signed(m[1]), signed(m[0])});
        }
        if (peaks.isEmpty()) {
            peaks.add(new double[] {1.0 / Math.max(h, w), 0});
        }
        return peaks;
    }

    /** Greater than its 8 neighbours (wrapping), ties broken by index so a plateau gives one maximum. */
    private static boolean isLocalMax(double[][] power, int kv, int ku) {
        double p = power[kv][ku];
        for (int dv = -1; dv <= 1; dv++) {
            for (int du = -1; du <= 1; du++) {
                if (dv == 0 && du == 0) {
                    continue;
                }
                int nv = (kv + dv + DFT) % DFT, nu = (ku + du + DFT) % DFT;
                double q = power[nv][nu];
                if (q > p || (q == p && nv * DFT + nu < kv * DFT + ku)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double signed(int k) {
        return (k <= DFT / 2 ? k : k - DFT) / (double) DFT;
    }

    /** Sets a, b, c to their least-squares values for the other parameters of {@code p}. */
    private void solveLinear(double[] p) {
        double ct = Math.cos(p[TH]), st = Math.sin(p[TH]), al = Math.exp(p[LA]), be = Math.exp(p[LB]);
        double[] m = new double[9], r = new double[3];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double dx = j - p[X0], dy = i - p[Y0];
                double xr = dx * ct + dy * st, yr = -dx * st + dy * ct;
                double e = Math.exp(-(al * xr * xr + be * yr * yr)), ph = 2 * Math.PI * p[F] * xr;
                double[] basis = {e * Math.cos(ph), e * Math.sin(ph), 1};
                for (int a = 0; a < 3; a++) {
                    r[a] += basis[a] * z[i * w + j];
                    for (int b = 0; b < 3; b++) {
                        m[a * 3 + b] += basis[a] * basis[b];
                    }
                }
            }
        }
        double ridge = 1e-9 * (m[0] + m[4] + m[8]);
        for (int a = 0; a < 3; a++) {
            m[a * 3 + a] += ridge;
        }
        double[] abc = new double[3];
        if (solve(m, r, abc, 3)) {
            p[A] = abc[0];
            p[B] = abc[1];
            p[C] = abc[2];
        }
    }

    // ---------------------------------------------------------------- Levenberg–Marquardt

    /** Improves {@code p} in place for at most {@code iterations} steps; returns its sum of squared errors. */
    private double levenbergMarquardt(double[] p, int iterations) {
        double[] jtj = new double[NP * NP], jtr = new double[NP], step = new double[NP], trial = new double[NP];
        double[] damped = new double[NP * NP];
        double sse = evaluate(p, jtj, jtr);
        double mu = 1e-3;
        for (int iteration = 0; iteration < iterations && sse > 1e-24 * z.length; iteration++) {
            double trialSse = Double.POSITIVE_INFINITY;
            while (mu < 1e12) {
                double maxDiagonal = 0;
                for (int a = 0; a < NP; a++) {
                    maxDiagonal = Math.max(maxDiagonal, jtj[a * NP + a]);
                }
                System.arraycopy(jtj, 0, damped, 0, jtj.length);
                for (int a = 0; a < NP; a++) {
                    damped[a * NP + a] += mu * Math.max(jtj[a * NP + a], 1e-9 * maxDiagonal + 1e-300);
                }
                if (solve(damped, jtr, step, NP)) {
                    for (int a = 0; a < NP; a++) {
                        trial[a] = p[a] + step[a];
                    }
                    clamp(trial);
                    trialSse = evaluate(trial, null, null);
                    if (trialSse < sse) {
                        break;
                    }
                }
                mu *= 4;
            }
            if (!(trialSse < sse)) {
                break;
            }
            mu = Math.max(mu / 3, 1e-12);
            double gain = sse - trialSse;
            System.arraycopy(trial, 0, p, 0, NP);
            sse = evaluate(p, jtj, jtr);
            if (gain <= TOLERANCE * sse) {
                break;
            }
        }
        return sse;
    }

    /**
     * The sum of squared errors of the model at {@code p}; with non-null arrays also JᵀJ and Jᵀr, J the Jacobian of
     * the model and r = data − model.
     */
    private double evaluate(double[] p, double[] jtj, double[] jtr) {
        double ct = Math.cos(p[TH]), st = Math.sin(p[TH]), al = Math.exp(p[LA]), be = Math.exp(p[LB]);
        double k = 2 * Math.PI * p[F];
        if (jtj != null) {
            java.util.Arrays.fill(jtj, 0);
            java.util.Arrays.fill(jtr, 0);
        }
        double sse = 0;
        // along a row x' grows by cos θ, so the carrier turns by a fixed angle k·cos θ per pixel: rotate (cos, sin)
        // instead of calling Math.cos and Math.sin for every pixel
        double turnCos = Math.cos(k * ct), turnSin = Math.sin(k * ct);
        for (int i = 0; i < h; i++) {
            double dy = i - p[Y0], dx0 = -p[X0];
            double phase0 = k * (dx0 * ct + dy * st), cs = Math.cos(phase0), sn = Math.sin(phase0);
            for (int j = 0; j < w; j++) {
                if (j > 0) {
                    double c = cs * turnCos - sn * turnSin;
                    sn = sn * turnCos + cs * turnSin;
                    cs = c;
                }
                double dx = j - p[X0];
                double xr = dx * ct + dy * st, yr = -dx * st + dy * ct;
                double e = Math.exp(-(al * xr * xr + be * yr * yr));
                double carrier = p[A] * cs + p[B] * sn, slope = -p[A] * sn + p[B] * cs;
                double r = z[i * w + j] - (e * carrier + p[C]);
                sse += r * r;
                if (jtj == null) {
                    continue;
                }
                double ec = e * carrier;
                double dxr = -2 * al * xr * ec + e * slope * k, dyr = -2 * be * yr * ec; // ∂m/∂x', ∂m/∂y'
                g[A] = e * cs;
                g[B] = e * sn;
                g[C] = 1;
                g[X0] = -dxr * ct + dyr * st;
                g[Y0] = -dxr * st - dyr * ct;
                g[TH] = dxr * yr - dyr * xr;
                g[F] = e * slope * 2 * Math.PI * xr;
                g[LA] = -al * xr * xr * ec;
                g[LB] = -be * yr * yr * ec;
                for (int a = 0; a < NP; a++) {
                    jtr[a] += g[a] * r;
                    for (int b = 0; b <= a; b++) {
                        jtj[a * NP + b] += g[a] * g[b];
                    }
                }
            }
        }
        if (jtj != null) {
            for (int a = 0; a < NP; a++) {
                for (int b = a + 1; b < NP; b++) {
                    jtj[a * NP + b] = jtj[b * NP + a];
                }
            }
        }
        return sse;
    }

    /**
     * Keeps the centre near the grid, the frequency vector f·(cos θ, sin θ) inside the Nyquist square (beyond it a
     * shorter wavelength fits the same samples), the envelope widths between 1 px and twice the grid.
     */
    private void clamp(double[] p) {
        p[X0] = Math.max(-0.5, Math.min(w - 0.5, p[X0]));
        p[Y0] = Math.max(-0.5, Math.min(h - 0.5, p[Y0]));
        p[TH] = Math.IEEEremainder(p[TH], 2 * Math.PI);
        double fMax = NYQUIST / Math.max(Math.abs(Math.cos(p[TH])), Math.abs(Math.sin(p[TH])));
        p[F] = Math.max(-fMax, Math.min(fMax, p[F]));
        p[LA] = Math.max(laMin, Math.min(laMax, p[LA]));
        p[LB] = Math.max(laMin, Math.min(laMax, p[LB]));
    }

    /**
     * θ in [0, π), f ≥ 0, A ≥ 0, ψ in (−π, π], back in the data's units. A carrier that turns by less than 1e-4 of
     * the amplitude across the whole filter is no carrier: wavelength ∞ and ψ 0 or π (a blob, not a Gabor on a
     * wavelength of ten million pixels).
     */
    private static GaborFit canonical(double[] p, double sd, double mean, double r2, int size) {
        double a = p[A] * sd, b = p[B] * sd, f = p[F];
        if (f < 0) { // (θ, f, a, b) and (θ, −f, a, −b) are the same function
            f = -f;
            b = -b;
        }
        if (2 * Math.PI * f * size * Math.abs(b) < 1e-4 * Math.hypot(a, b)
                && 2 * Math.PI * f * size < 1e-2) { // then cos φ ≈ 1 and b sin φ ≈ 0 on the whole grid
            f = 0;
            b = 0;
        }
        // θ = turns·π + rest, and (θ + π, a, b) is the same function as (θ, a, −b)
        double turns = Math.rint(p[TH] / Math.PI), theta = p[TH] - turns * Math.PI;
        if (Math.abs(theta) < SNAP) {
            theta = 0;
        }
        if (theta < 0) {
            theta += Math.PI;
            turns -= 1;
        }
        if (Math.floorMod((long) turns, 2) == 1) {
            b = -b;
        }
        double psi = Math.atan2(-b, a);
        if (Math.abs(psi) < SNAP) { // no "-0.0°" for an even filter
            psi = 0;
        } else if (Math.abs(psi) > Math.PI - SNAP) {
            psi = Math.PI;
        }
        double sigma = 1 / Math.sqrt(2 * Math.exp(p[LA])), gamma = Math.sqrt(Math.exp(p[LB] - p[LA]));
        return new GaborFit(theta, f > 0 ? 1 / f : Double.POSITIVE_INFINITY, psi, sigma, gamma, p[X0], p[Y0],
                Math.hypot(a, b), p[C] * sd + mean, r2);
    }

    // ---------------------------------------------------------------- small linear algebra

    /** Solves {@code m x = r} ({@code n x n}, row-major) by Gaussian elimination with partial pivoting. */
    private static boolean solve(double[] m, double[] r, double[] x, int n) {
        double[] a = m.clone(), y = new double[n];
        System.arraycopy(r, 0, y, 0, n);
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) {
                    pivot = row;
                }
            }
            if (!(Math.abs(a[pivot * n + col]) > 1e-300)) {
                return false;
            }
            if (pivot != col) {
                for (int k = 0; k < n; k++) {
                    double t = a[col * n + k];
                    a[col * n + k] = a[pivot * n + k];
                    a[pivot * n + k] = t;
                }
                double t = y[col];
                y[col] = y[pivot];
                y[pivot] = t;
            }
            for (int row = col + 1; row < n; row++) {
                double factor = a[row * n + col] / a[col * n + col];
                for (int k = col; k < n; k++) {
                    a[row * n + k] -= factor * a[col * n + k];
                }
                y[row] -= factor * y[col];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            double s = y[row];
            for (int k = row + 1; k < n; k++) {
                s -= a[row * n + k] * x[k];
            }
            x[row] = s / a[row * n + row];
        }
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(x[k])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unit eigenvector of the largest eigenvalue of a symmetric matrix (Jacobi rotations), signed so its
     * components sum to a positive number, or, if they sum to zero, so its largest component is positive.
     */
    static double[] topEigenvector(double[][] s) {
        int n = s.length;
        double[][] a = new double[n][], v = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i] = s[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diagonal = 0;
            for (int p = 0; p < n; p++) {
                diagonal += a[p][p] * a[p][p];
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (!(off > 1e-30 * diagonal)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++) { // A·P, V·P
                        double akp = a[k][p], akq = a[k][q];
                        a[k][p] = c * akp - sn * akq;
                        a[k][q] = sn * akp + c * akq;
                        double vkp = v[k][p], vkq = v[k][q];
                        v[k][p] = c * vkp - sn * vkq;
                        v[k][q] = sn * vkp + c * vkq;
                    }
                    for (int k = 0; k < n; k++) { // Pᵀ·(A·P)
                        double apk = a[p][k], aqk = a[q][k];
                        a[p][k] = c * apk - sn * aqk;
                        a[q][k] = sn * apk + c * aqk;
                    }
                }
            }
        }
        int top = 0;
        for (int i = 1; i < n; i++) {
            if (a[i][i] > a[top][top]) {
                top = i;
            }
        }
        double[] u = new double[n];
        double sum = 0, largest = 0;
        for (int i = 0; i < n; i++) {
            u[i] = v[i][top];
            sum += u[i];
            largest = Math.max(largest, Math.abs(u[i]));
        }
        double sign = sum > 1e-9 ? 1 : sum < -1e-9 ? -1 : 0;
        for (int i = 0; i < n && sign == 0; i++) {
            if (Math.abs(u[i]) >= largest - 1e-9) {
                sign = Math.signum(u[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            u[i] *= sign == 0 ? 1 : sign;
        }
        return u;
    }
}
