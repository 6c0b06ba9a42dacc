package cnnlab.check;

import cnnlab.filters.Gabor;
import cnnlab.filters.GaborFit;
import cnnlab.viz.KernelGrid;
import java.awt.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Checks of lab 5, visualising filters: {@code Check.lab5.normalise(MyNormalise::normalise)},
 * {@code Check.lab5.tile(MyMosaic::tile)} and {@code Check.lab5.gabor(MyGabor::gabor)}. Expected values come from
 * {@link KernelGrid} (normalisation, tile placement) and {@link Gabor#fit} (the generator is scored by what a
 * Gabor fit of its output finds).
 * <p>Every method returns a {@link CheckResult} and never throws because of the student's function (null,
 * exceptions, wrong shapes and calls past the time limit are all reported); see {@link Check}.
 */
public final class Lab5Checks {
    /** Exercise 1: per-filter min-max normalisation of a grey bank {@code [K][kH][kW]} into [0, 1]. */
    @FunctionalInterface
    public interface Normalise {
        double[][][] normalise(double[][][] filters);
    }

    /**
     * Exercise 2: tiles {@code [K][kH][kW]} into one mosaic of {@code columns} columns, {@code gap} cells of
     * {@code background} between tiles and around the edge.
     */
    @FunctionalInterface
    public interface Tile {
        double[][] tile(double[][][] tiles, int columns, int gap, double background);
    }

    /** Exercise 3: one Gabor filter {@code [size][size]}, centred, x = column, y = row (row 0 at the top). */
    @FunctionalInterface
    public interface GaborGenerator {
        double[][] gabor(int size, double theta, double lambda, double psi, double sigma, double gamma);
    }

    static final double ATOL = 1e-5, RTOL = 1e-5;
    /** How far a Gabor fit of the student's filter may be from a fit of {@link Gabor#kernel} with the same parameters. */
    static final double THETA_DEGREES = 3, PHASE_DEGREES = 10, RELATIVE = 0.05, MIN_R2 = 0.98;
    /** How far the filter's centre may be from the middle pixel's, in pixels (x and y taken from the centre). */
    static final double CENTRE_PIXELS = 0.25;

    private final Supplier<CheckConfig> config;

    Lab5Checks(Supplier<CheckConfig> config) {
        this.config = config;
    }

    /**
     * lab5 ex1 (2 points): each filter scaled so its smallest value is 0 and its largest 1; a constant filter
     * becomes 0.5 everywhere (no division by zero). Compared with {@code KernelGrid.normalised}.
     * <pre>
     * jshell&gt; Check.lab5.normalise(MyNormalise::normalise)
     * </pre>
     */
    public CheckResult normalise(Normalise student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab5 ex1");
        Random pub = new Random(51);
        List<Group> groups = List.of(
                new Group("filters of different ranges, each scaled on its own", 1,
                        List.of(normCase(student, new double[][][] {{{-1, 0}, {1, 3}}, {{2, 4}, {6, 10}}}),
                                normCase(student, Inputs.volume(pub, 3, 3, 3, true)),
                                // every value below 0: a largest value that starts at 0 or Double.MIN_VALUE shows
                                normCase(student, new double[][][] {{{-5, -3}, {-2, -1}}, {{1, 2}, {3, 4}}})),
                        Cases.hidden(r, 2, rr -> normCase(student, Inputs.volume(rr, Inputs.between(rr, 2, 6),
                                Inputs.between(rr, 2, 5), Inputs.between(rr, 2, 5), false)))),
                // constant filters only: a bank scaled as a whole (the first group's mistake) is not charged again
                new Group("a constant filter is mid-grey 0.5 (no division by zero)", 1,
                        List.of(normCase(student, new double[][][] {{{7, 7}, {7, 7}}})),
                        Cases.hidden(r, 1, rr -> {
                            double[][][] x = new double[1][Inputs.between(rr, 2, 4)][Inputs.between(rr, 2, 4)];
                            double v = Inputs.value(rr, false);
                            for (double[] row : x[0]) {
                                java.util.Arrays.fill(row, v);
                            }
                            return normCase(student, x);
                        })));
        return Exercise.run(c, "lab5 ex1", "normalise filters", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Case normCase(Normalise student, double[][][] x) {
        double[][][] expected = JavaArrays.filters(KernelGrid.normalised(JavaArrays.bank(x), KernelGrid.Options.DEFAULT));
        return Cases.values(x.length + (x.length == 1 ? " filter " : " filters ") + Inputs.shape(x),
                Cases.show("filters", x),
                in -> student.normalise(in.copy("filters", x)), expected, ATOL, RTOL);
    }

    /**
     * lab5 ex2 (3 points): the mosaic {@code gap + rows·(kH + gap)} tall and {@code gap + columns·(kW + gap)} wide,
     * rows = ⌈K / columns⌉, tile i at row i / columns, column i % columns, everything else the background.
     * Tile positions and sizes come from {@code KernelGrid.layout} (zoom 1, separator = gap).
     * <pre>
     * jshell&gt; Check.lab5.tile(MyMosaic::tile)
     * </pre>
     */
    public CheckResult tile(Tile student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab5 ex2");
        Random pub = new Random(52);
        List<Group> groups = List.of(
                new Group("one row", 1, List.of(tileCase(student, Inputs.volume(pub, 3, 2, 2, true), 3, 1, -1)),
                        Cases.hidden(r, 2, rr -> {
                            int k = Inputs.between(rr, 2, 5);
                            return tileCase(student, Inputs.volume(rr, k, Inputs.between(rr, 2, 4), Inputs.between(rr, 2, 4),
                                    false), k, Inputs.between(rr, 1, 2), 0.5);
                        })),
                new Group("several rows, the last one partly empty", 1.5,
                        List.of(tileCase(student, Inputs.volume(pub, 5, 2, 3, true), 2, 1, 9)),
                        Cases.hidden(r, 2, rr -> {
                            int cols = Inputs.between(rr, 2, 4), k = cols * Inputs.between(rr, 1, 3) + Inputs.between(rr, 1, cols - 1);
                            return tileCase(student, Inputs.volume(rr, k, Inputs.between(rr, 2, 4), Inputs.between(rr, 2, 4),
                                    false), cols, Inputs.between(rr, 1, 3), 1);
                        })),
                new Group("no gap", 0.5, List.of(tileCase(student, Inputs.volume(pub, 4, 2, 2, true), 2, 0, 5)),
                        Cases.hidden(r, 1, rr -> tileCase(student, Inputs.volume(rr, 6, 3, 2, false), 4, 0, 0))));
        return Exercise.run(c, "lab5 ex2", "tile a mosaic", student, groups, Compare.within(ATOL, RTOL));
    }

    private static Case tileCase(Tile student, double[][][] tiles, int columns, int gap, double background) {
        KernelGrid.Layout l = KernelGrid.layout(JavaArrays.bank(tiles), KernelGrid.Options.of(1, columns).withSeparator(gap));
        double[][] expected = new double[l.height()][l.width()];
        for (double[] row : expected) {
            java.util.Arrays.fill(row, background);
        }
        for (int k = 0; k < tiles.length; k++) {
            Point p = l.topLeft(k);
            for (int i = 0; i < tiles[k].length; i++) {
                System.arraycopy(tiles[k][i], 0, expected[p.y + i], p.x, tiles[k][i].length);
            }
        }
        return Cases.values(tiles.length + " tiles " + Inputs.shape(tiles) + ", " + columns + " columns, gap " + gap,
                Cases.show("tiles", tiles) + "\ncolumns = " + columns + ", gap = " + gap + ", background = "
                        + Compare.num(background),
                in -> student.tile(in.copy("tiles", tiles), columns, gap, background), expected, ATOL, RTOL);
    }

    /**
     * lab5 ex3 (4 points): the student's Gabor filter is fitted with {@link Gabor#fit}, and the fit must agree with
     * the fit of {@link Gabor#kernel} for the same parameters: θ within 3°, ψ within 10°, λ, σ and γ within 5%,
     * the centre within a quarter pixel, R² at least 0.98. A positive scale and an offset do not matter (a fit
     * absorbs them); a negative scale is a phase of 180°.
     * <pre>
     * jshell&gt; Check.lab5.gabor(MyGabor::gabor)
     * </pre>
     */
    public CheckResult gabor(GaborGenerator student) {
        CheckConfig c = config.get();
        Random r = Cases.hidden(c, "lab5 ex3");
        List<Group> groups = List.of(
                // an even size: the centre c = (size - 1) / 2 is between two pixels
                new Group("θ = 0: vertical stripes, odd and even sizes", 1,
                        List.of(gaborCase(student, 15, 0, 6, 0, 3, 0.5, true), gaborCase(student, 14, 0, 6, 0, 3, 0.5,
                                true)),
                        Cases.hidden(r, 1, rr -> gaborCase(student, 13 + 2 * rr.nextInt(3), 0, 4 + 3 * rr.nextDouble(), 0,
                                2.5 + rr.nextDouble(), 0.6 + 0.3 * rr.nextDouble(), false))),
                new Group("oriented stripes", 1, List.of(gaborCase(student, 15, Math.PI / 4, 6, 0, 3, 0.6, true),
                                gaborCase(student, 15, Math.toRadians(120), 5, 0, 3, 0.6, true)),
                        Cases.hidden(r, 2, rr -> gaborCase(student, 15, Math.toRadians(10 + 160 * rr.nextDouble()),
                                4 + 3 * rr.nextDouble(), 0, 2.5 + rr.nextDouble(), 0.7, false))),
                new Group("odd phase ψ = π/2: an edge detector", 1,
                        List.of(gaborCase(student, 15, Math.PI / 6, 6, Math.PI / 2, 3, 0.6, true)),
                        Cases.hidden(r, 1, rr -> gaborCase(student, 15, Math.toRadians(10 + 160 * rr.nextDouble()),
                                5 + 2 * rr.nextDouble(), Math.PI / 2, 3, 0.7, false))),
                new Group("elongated envelope, γ = 0.5", 1,
                        List.of(gaborCase(student, 17, Math.PI / 2, 7, 0, 2.5, 0.5, true)),
                        // stripes upright or level, as in the public case: the orientation is the second group's
                        Cases.hidden(r, 1, rr -> gaborCase(student, 17, rr.nextBoolean() ? 0 : Math.PI / 2,
                                6 + rr.nextDouble(), 0, 2.5, 0.5, false))));
        return Exercise.run(c, "lab5 ex3", "Gabor generator", student, groups,
                "Gabor.fit of your filter compared with that of Gabor.kernel's: θ within 3°, ψ within 10°,"
                        + " λ, σ, γ within 5%, centre within 0.25 px, R² ≥ 0.98 (amplitude and offset do not"
                        + " matter)");
    }

    private static Case gaborCase(GaborGenerator student, int size, double theta, double lambda, double psi,
            double sigma, double gamma, boolean shown) {
        GaborFit want = Gabor.fit(Gabor.kernel(size, theta, lambda, psi, sigma, gamma));
        String params = String.format(Locale.ROOT, "size %d, θ %.1f°, λ %.2f, ψ %.1f°, σ %.2f, γ %.2f", size,
                Math.toDegrees(theta), lambda, Math.toDegrees(psi), sigma, gamma);
        String label = shown ? params : "size " + size + (psi != 0 ? ", odd phase" : "") + (gamma == 0.5 ? ", γ 0.5" : "");
        String call = String.format(Locale.ROOT, "gabor(%d, %s, %.2f, %s, %.2f, %.2f)", size, radians(theta), lambda,
                radians(psi), sigma, gamma);
        return new Case(label, call,
                () -> student.gabor(size, theta, lambda, psi, sigma, gamma), v -> judgeGabor(want, v, size, shown));
    }

    private static Compare.Mismatch judgeGabor(GaborFit want, Object v, int size, boolean shown) {
        double[][] plane = (double[][]) v;
        int[] s = Compare.shape(plane);
        if (s == null || s.length != 2 || s[0] != size || s[1] != size) {
            String m = plane == null ? "returned null" : s == null ? "returned a ragged array"
                    : "wrong shape: expected [" + size + ", " + size + "], got " + java.util.Arrays.toString(s);
            return new Compare.Mismatch(m, m);
        }
        for (double d : Compare.flat(plane)) {
            if (!Double.isFinite(d)) {
                return new Compare.Mismatch("the filter has a NaN or infinite value", "the filter has a NaN or infinite value");
            }
        }
        GaborFit got = Gabor.fit(JavaArrays.toINDArray(plane));
        List<String> off = new ArrayList<>();
        if (!(got.r2() >= MIN_R2)) {
            off.add(String.format(Locale.ROOT, "R² %.3f < %.2f: not a Gabor of this kind", got.r2(), MIN_R2));
        } else {
            double dTheta = Math.abs(got.thetaDegrees() - want.thetaDegrees()) % 180;
            if (Math.min(dTheta, 180 - dTheta) > THETA_DEGREES) {
                off.add(String.format(Locale.ROOT, "θ %.1f° instead of %.1f°", got.thetaDegrees(), want.thetaDegrees()));
            }
            double dPsi = Math.abs(got.phaseDegrees() - want.phaseDegrees()) % 360;
            if (Math.min(dPsi, 360 - dPsi) > PHASE_DEGREES) {
                off.add(String.format(Locale.ROOT, "ψ %.1f° instead of %.1f°", got.phaseDegrees(), want.phaseDegrees()));
            }
            if (Math.hypot(got.x0() - want.x0(), got.y0() - want.y0()) > CENTRE_PIXELS) {
                off.add(String.format(Locale.ROOT, "centre (%.2f, %.2f) instead of (%.2f, %.2f)", got.x0(), got.y0(),
                        want.x0(), want.y0()));
            }
            relative(off, "λ", got.wavelength(), want.wavelength());
            relative(off, "σ", got.sigma(), want.sigma());
            relative(off, "γ", got.gamma(), want.gamma());
        }
        if (off.isEmpty()) {
            return null;
        }
        return new Compare.Mismatch("Gabor.fit of your filter: " + String.join(", ", off) + "\nyour fit: "
                + fitted(got) + "\nexpected fit: " + fitted(want), "Gabor.fit of the filter is off in: "
                + String.join(", ",
                off.stream().map(o -> o.substring(0, o.indexOf(' '))).toList()));
    }

    /** An angle as the call takes it, in radians, with its degrees beside: {@code 0.7854 /* 45° *\/}. */
    static String radians(double a) {
        return a == 0 ? "0" : String.format(Locale.ROOT, "%.4f /* %.1f° */", a, Math.toDegrees(a));
    }

    /** The fit's parameters that the check compares, angles in degrees; not its amplitude and offset. */
    static String fitted(GaborFit f) {
        return String.format(Locale.ROOT,
                "θ %.1f°, λ %.2f, ψ %.1f°, σ %.2f, γ %.2f, centre (%.2f, %.2f), R² %.3f", f.thetaDegrees() + 0.0,
                f.wavelength(), f.phaseDegrees() + 0.0, f.sigma(), f.gamma(), f.x0(), f.y0(), f.r2());
    }

    private static void relative(List<String> off, String name, double got, double want) {
        if (!(Math.abs(got - want) <= RELATIVE * Math.abs(want))) {
            off.add(String.format(Locale.ROOT, "%s %.2f instead of %.2f", name, got, want));
        }
    }
}
