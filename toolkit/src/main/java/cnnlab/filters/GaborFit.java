package cnnlab.filters;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The best-fitting Gabor {@code amplitude·g(x, y) + offset} for one filter, from {@link Gabor#fit}; g is the
 * Gabor function of {@link Gabor}, centred at (x0, y0).
 *
 * @param theta      orientation θ in radians, in [0, π): the direction the stripes vary along (0 = vertical stripes)
 * @param wavelength wavelength λ in pixels; far longer than the filter for a blob with no stripes (∞ when the
 *                   fitted carrier is flat)
 * @param phase      phase ψ in radians, in (−π, π]: 0 even (a bright line), π an inverted line, ±π/2 odd (an edge)
 * @param sigma      envelope width σ across the stripes, in pixels
 * @param gamma      envelope aspect ratio γ; the width along the stripes is σ/γ
 * @param x0         centre column
 * @param y0         centre row
 * @param amplitude  A ≥ 0
 * @param offset     the constant added to the Gabor
 * @param r2         R² = 1 − SSE/SST, SST around the filter's mean; 1 is a perfect Gabor, NaN for a constant filter
 */
public record GaborFit(double theta, double wavelength, double phase, double sigma, double gamma, double x0, double y0,
        double amplitude, double offset, double r2) {

    /** {@link #theta()} in degrees, in [0, 180). */
    public double thetaDegrees() {
        return Math.toDegrees(theta);
    }

    /** {@link #phase()} in degrees, in (−180, 180]. */
    public double phaseDegrees() {
        return Math.toDegrees(phase);
    }

    /** The envelope's width along the stripes, σ/γ, in pixels. */
    public double sigmaAlong() {
        return sigma / gamma;
    }

    /**
     * The fitted function on a {@code height x width} grid, {@code [1, 1, height, width]}, to show beside the filter
     * it was fitted to (same pixel coordinates: x0 is a column, y0 a row). A constant filter's fit is its constant.
     *
     * @throws IllegalArgumentException if height or width &lt; 1
     */
    public INDArray toKernel(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("GaborFit.toKernel: height and width must be at least 1 (height "
                    + height + ", width " + width + ")");
        }
        float[] v = new float[height * width];
        boolean constant = Double.isNaN(r2);
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                v[i * width + j] = (float) (offset + (constant ? 0
                        : amplitude * Gabor.value(j - x0, i - y0, theta, wavelength, phase, sigma, gamma)));
            }
        }
        return Nd4j.create(v, new long[] {1, 1, height, width}, 'c');
    }

    /** e.g. {@code GaborFit[theta 30.0°, wavelength 5.00 px, phase 90.0°, sigma 2.50 px, gamma 0.50, ..., R² 0.998]}. */
    @Override
    public String toString() {
        if (Double.isNaN(r2)) {
            return String.format(Locale.ROOT, "GaborFit[constant filter (value %.4g): nothing to fit, R² undefined]",
                    offset);
        }
        String lambda = Double.isInfinite(wavelength) ? "∞ (no stripes)"
                : String.format(Locale.ROOT, "%.2f px", wavelength);
        return String.format(Locale.ROOT, "GaborFit[theta %.1f°, wavelength %s, phase %.1f°, sigma %.2f px,"
                        + " gamma %.2f, centre (x %.2f, y %.2f), amplitude %.4g, offset %.4g, R² %.3f]",
                tidy(thetaDegrees()), lambda, tidy(phaseDegrees()), sigma, gamma, x0, y0, amplitude, offset, r2);
    }

    /** No "-0.0°". */
    private static double tidy(double degrees) {
        return Math.abs(degrees) < 0.05 ? 0 : degrees;
    }
}
