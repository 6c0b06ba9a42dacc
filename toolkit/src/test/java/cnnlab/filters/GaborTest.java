package cnnlab.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class GaborTest {
    private static final double HALF_PI = Math.PI / 2;
    private static final double[] LAMBDAS = {4, 8};
    private static final double[] PHASES = {0, HALF_PI};

    // ---------------------------------------------------------------- generation

    @Test
    void bankHasOneFilterPerOrientationWavelengthAndPhaseOrientationSlowest() {
        INDArray bank = Gabor.bank(11, 4, LAMBDAS, 2.5, 0.5, PHASES);
        assertArrayEquals(new long[] {16, 1, 11, 11}, bank.shape());
        assertEquals(DataType.FLOAT, bank.dataType());
        for (int o = 0; o < 4; o++) {
            for (int w = 0; w < 2; w++) {
                for (int p = 0; p < 2; p++) {
                    int k = (o * 2 + w) * 2 + p;
                    INDArray expected = Gabor.kernel(11, o * Math.PI / 4, LAMBDAS[w], PHASES[p], 2.5, 0.5);
                    assertArrayEquals(floats(expected), floats(bank.slice(k)), 0, "filter " + k);
                }
            }
        }
    }

    @Test
    void everyFilterIsZeroMeanWithUnitNorm() {
        INDArray bank = Gabor.bank(9, 6, new double[] {2, 3.5, 6}, 2, 0.8, new double[] {0, 1, HALF_PI, Math.PI});
        for (int k = 0; k < bank.size(0); k++) {
            INDArray f = bank.slice(k);
            assertEquals(0, f.sumNumber().doubleValue(), 1e-5, "mean of filter " + k);
            double norm = f.norm2Number().doubleValue();
            // λ = 2 with ψ = π/2 samples to zeros at θ = 0 and is left all zeros rather than blown up
            assertTrue(Math.abs(norm - 1) < 1e-5 || norm == 0, "norm of filter " + k + " is " + norm);
        }
        assertEquals(0, Gabor.kernel(9, 0, 2, HALF_PI, 2, 1).amaxNumber().doubleValue(), 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 10, 11})
    void phaseZeroIsPointSymmetricAndPhaseHalfPiAntisymmetric(int size) {
        INDArray bank = Gabor.bank(size, 8, new double[] {3, 5.5}, 2.2, 0.6, PHASES);
        for (int k = 0; k < bank.size(0); k++) {
            float[] f = floats(bank.slice(k));
            double sign = k % 2 == 0 ? 1 : -1;
            for (int i = 0; i < f.length; i++) { // rotating by 180° maps pixel i to pixel n - 1 - i
                assertEquals(sign * f[i], f[f.length - 1 - i], 1e-6, "filter " + k + " pixel " + i);
            }
        }
    }

    @Test
    void orientationZeroVariesAlongColumnsAndNegativeHalfPiGoesDarkToBright() {
        INDArray edge = Gabor.kernel(11, 0, 8, -HALF_PI, 2.5, 0.5);
        assertTrue(edge.getFloat(0, 0, 5, 6) > 0 && edge.getFloat(0, 0, 5, 4) < 0, "bright on the right");
        assertEquals(0, edge.getFloat(0, 0, 5, 5), 0, "zero on the centre line, exactly");
        INDArray across = Gabor.kernel(11, HALF_PI, 8, -HALF_PI, 2.5, 0.5);
        assertTrue(across.getFloat(0, 0, 6, 5) > 0 && across.getFloat(0, 0, 4, 5) < 0, "θ = π/2: bright below");
        INDArray line = Gabor.kernel(11, 0, 6, 0, 2.5, 0.5);
        for (int i = 0; i < 11; i++) { // θ = 0, ψ = 0: mirror-symmetric left-right and top-bottom
            for (int j = 0; j < 11; j++) {
                assertEquals(line.getFloat(0, 0, i, j), line.getFloat(0, 0, i, 10 - j), 1e-6);
                assertEquals(line.getFloat(0, 0, i, j), line.getFloat(0, 0, 10 - i, j), 1e-6);
            }
        }
    }

    @Test
    void colourBankIsTheGreyBankInThreeColourDirectionsPlusFourOpponentBlobs() {
        INDArray grey = Gabor.bank(9, 4, new double[] {4}, 2, 0.5, PHASES);
        INDArray colour = Gabor.colourBank(9, 4, new double[] {4}, 2, 0.5, PHASES);
        int n = 8;
        assertArrayEquals(new long[] {3 * n + 4, 3, 9, 9}, colour.shape());
        double[][] directions = {{1, 1, 1}, {1, -1, 0}, {-1, -1, 2}, {1, -1, 0}, {-1, 1, 0}, {-1, -1, 2}, {1, 1, -2}};
        for (int k = 0; k < 3 * n + 4; k++) {
            INDArray f = colour.slice(k);
            assertEquals(1, f.norm2Number().doubleValue(), 1e-5, "unit norm, filter " + k);
            double[] u = directions[k < 3 * n ? k / n : 3 + k - 3 * n];
            double length = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
            float[] plane = k < 3 * n ? floats(grey.slice(k % n)) : floats(f.slice(0)); // blob: compare shapes below
            if (k >= 3 * n) { // a positive Gaussian scaled by the first channel's coefficient
                double first = u[0] / length;
                for (int i = 0; i < plane.length; i++) {
                    plane[i] /= (float) first;
                }
                assertTrue(plane[40] > plane[0] && plane[0] > 0, "blob peaks in the middle, filter " + k);
            }
            for (int c = 0; c < 3; c++) {
                float[] channel = floats(f.slice(c));
                for (int i = 0; i < channel.length; i++) {
                    assertEquals(u[c] / length * plane[i], channel[i], 1e-6, "filter " + k + " channel " + c);
                }
            }
        }
        INDArray flatGrey = Nd4j.ones(DataType.FLOAT, 3, 9, 9);
        for (int k = 0; k < 3 * n + 4; k++) {
            assertEquals(0, colour.slice(k).mul(flatGrey).sumNumber().doubleValue(), 1e-5, "flat grey gives 0");
        }
    }

    // ---------------------------------------------------------------- recovering parameters

    /**
     * A grid of orientations (every 22.5°), wavelengths 3..8 px, phases and envelopes on 11×11 and 15×15. Gabors with
     * less than about a third of a period under the envelope (σ &lt; 0.3λ) are left out: they hardly oscillate, so
     * their wavelength is not defined by the pattern.
     */
    static Stream<Arguments> gabors() {
        List<Arguments> cases = new ArrayList<>();
        for (int size : new int[] {11, 15}) {
            for (int o = 0; o < 8; o++) {
                for (double lambda : new double[] {3, 5, 8}) {
                    for (double sigma : new double[] {2, 3}) {
                        if (sigma >= 0.3 * lambda) {
                            cases.add(Arguments.of(size, o * Math.PI / 8, lambda, sigma));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "size {0}, theta {1}, lambda {2}, sigma {3}")
    @MethodSource("gabors")
    void recoversTheParametersOfASyntheticGabor(int size, double theta, double lambda, double sigma) {
        for (double psi : new double[] {0, HALF_PI, Math.PI, -2}) {
            for (double gamma : new double[] {0.5, 1}) {
                INDArray filter = Gabor.kernel(size, theta, lambda, psi, sigma, gamma);
                GaborFit fit = Gabor.fit(filter);
                String what = fit + " for theta " + Math.toDegrees(theta) + "°, lambda " + lambda + ", psi " + psi
                        + ", sigma " + sigma + ", gamma " + gamma;
                assertTrue(fit.r2() > 0.999, what);
                assertEquals(0, angleDegrees(fit.theta(), theta, Math.PI), 0.5, "theta, " + what);
                assertEquals(lambda, fit.wavelength(), 0.02 * lambda, "wavelength, " + what);
                assertEquals(0, angleDegrees(canonicalPhase(fit, theta), psi, 2 * Math.PI), 1, "phase, " + what);
                assertEquals(sigma, fit.sigma(), 0.02 * sigma, "sigma, " + what);
                assertEquals(gamma, fit.gamma(), 0.02 * gamma, "gamma, " + what);
                assertEquals((size - 1) / 2.0, fit.x0(), 0.05, "x0, " + what);
                assertEquals((size - 1) / 2.0, fit.y0(), 0.05, "y0, " + what);
                assertArrayEquals(floats(filter), floats(fit.toKernel(size, size)), 1e-4f, "fitted values, " + what);
                assertTrue(fit.thetaDegrees() >= 0 && fit.thetaDegrees() < 180, "canonical theta " + what);
                assertTrue(fit.phaseDegrees() > -180 && fit.phaseDegrees() <= 180, "canonical phase " + what);
            }
        }
    }

    @Test
    void aGaborAwayFromTheCentreAndOnANonSquareGridIsFoundToo() {
        float[] v = new float[9 * 13];
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 13; j++) {
                v[i * 13 + j] = (float) (0.7 * Gabor.value(j - 7.5, i - 3.2, 2.0, 4.5, 0.4, 1.8, 0.7) - 0.1);
            }
        }
        GaborFit fit = Gabor.fit(Nd4j.create(v, new long[] {9, 13}, 'c'));
        assertTrue(fit.r2() > 0.999, fit.toString());
        assertEquals(7.5, fit.x0(), 0.01);
        assertEquals(3.2, fit.y0(), 0.01);
        assertEquals(0.7, fit.amplitude(), 0.01);
        assertEquals(-0.1, fit.offset(), 0.01);
        assertEquals(0, angleDegrees(fit.theta(), 2.0, Math.PI), 0.5);
        assertEquals(0, angleDegrees(canonicalPhase(fit, 2.0), 0.4, 2 * Math.PI), 1);
    }

    @Test
    void smallNoiseLeavesTheFitCloseAndR2High() {
        Random random = new Random(7);
        for (int trial = 0; trial < 24; trial++) {
            double theta = random.nextDouble() * Math.PI, lambda = 3 + 5 * random.nextDouble();
            double psi = (random.nextDouble() * 2 - 1) * Math.PI, sigma = Math.max(2, 0.35 * lambda) + random.nextDouble();
            INDArray filter = Gabor.kernel(11, theta, lambda, psi, sigma, 0.5 + 0.5 * random.nextDouble());
            // unit norm over 121 pixels is an rms of 1/11 per pixel; noise of 0.01 is about 10% of it
            float[] v = floats(filter);
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.01 * random.nextGaussian());
            }
            GaborFit fit = Gabor.fit(Nd4j.create(v, new long[] {11, 11}, 'c'));
            String what = fit + " for theta " + Math.toDegrees(theta) + "°, lambda " + lambda;
            assertTrue(fit.r2() > 0.95, what);
            assertEquals(0, angleDegrees(fit.theta(), theta, Math.PI), 4, "theta, " + what);
            assertEquals(lambda, fit.wavelength(), 0.1 * lambda, "wavelength, " + what);
        }
    }

    /**
     * Gaussian noise: nine parameters always explain something. Measured over these 50 seeded 11×11 filters: median
     * R² 0.138, smallest 0.093, largest 0.186 (5×5 noise: median about 0.48; 3×3: 0.83). The thresholds 0.25 and 0.4
     * leave a wide margin and are still far below the 0.95 of a Gabor with 10% noise.
     */
    @Test
    void pureNoiseFitsBadly() {
        Random random = new Random(42);
        double[] r2 = new double[50];
        for (int s = 0; s < r2.length; s++) {
            float[] v = new float[121];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            r2[s] = Gabor.fit(Nd4j.create(v, new long[] {11, 11}, 'c')).r2();
        }
        Arrays.sort(r2);
        double median = (r2[24] + r2[25]) / 2;
        assertTrue(median < 0.25, "median R² of noise " + median);
        assertTrue(r2[49] < 0.4, "largest R² of noise " + r2[49]);
        assertTrue(r2[0] >= 0, "R² never negative with an offset in the model");
    }

    @Test
    void fitIsDeterministicAndAcceptsEveryGreyShape() {
        INDArray k = Gabor.kernel(11, 1.1, 5, 0.3, 2.5, 0.6).addi(Nd4j.arange(121).castTo(DataType.FLOAT).muli(1e-4f).reshape(1, 1, 11, 11));
        GaborFit fit = Gabor.fit(k);
        assertEquals(fit, Gabor.fit(k));
        assertEquals(fit, Gabor.fit(k.reshape(11, 11)));
        assertEquals(fit, Gabor.fit(k.reshape(1, 11, 11)));
        assertEquals(fit, Gabor.fit(k.castTo(DataType.DOUBLE)));
    }

    @Test
    void colourFiltersAreFittedOnTheirPrincipalColourComponent() {
        INDArray bank = Gabor.colourBank(11, 4, new double[] {5}, 2.5, 0.5, PHASES);
        INDArray grey = Gabor.bank(11, 4, new double[] {5}, 2.5, 0.5, PHASES);
        for (int k = 0; k < bank.size(0); k++) {
            GaborFit fit = Gabor.fit(bank.slice(k));
            assertTrue(fit.r2() > 0.999, "filter " + k + ": " + fit);
            if (k < 24) {
                GaborFit greyFit = Gabor.fit(grey.slice(k % 8));
                assertEquals(0, angleDegrees(fit.theta(), greyFit.theta(), Math.PI), 0.5, "filter " + k);
                assertEquals(greyFit.wavelength(), fit.wavelength(), 0.05, "filter " + k);
            }
        }
        // a red Gabor at 0° beside a green one at 90°: no single colour direction carries it (measured R² 0.25)
        INDArray mixed = Nd4j.concat(0, Gabor.kernel(11, 0, 5, 0, 2.5, 0.5), Gabor.kernel(11, HALF_PI, 5, 0, 2.5, 0.5),
                Nd4j.zeros(DataType.FLOAT, 1, 1, 11, 11)).reshape(1, 3, 11, 11);
        GaborFit fit = Gabor.fit(mixed);
        assertTrue(fit.r2() < 0.6, "R² of the whole filter, " + fit);
    }

    @Test
    void principalColourDirectionIsTheTopEigenvectorWithADocumentedSign() {
        double r = Math.sqrt(0.5);
        assertArrayEquals(new double[] {r, r, 0},
                GaborFitter.topEigenvector(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 1}}), 1e-12);
        assertArrayEquals(new double[] {0, 1, 0},
                GaborFitter.topEigenvector(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}}), 1e-12);
        // components summing to zero: the largest (first of equals) is made positive
        assertArrayEquals(new double[] {r, -r, 0},
                GaborFitter.topEigenvector(new double[][] {{1, -1, 0}, {-1, 1, 0}, {0, 0, 0}}), 1e-12);
        double b = 1 / Math.sqrt(6);
        assertArrayEquals(new double[] {-b, -b, 2 * b},
                GaborFitter.topEigenvector(new double[][] {{1, 1, -2}, {1, 1, -2}, {-2, -2, 4}}), 1e-12);
    }

    @Test
    void aConstantFilterHasNothingToFit() {
        GaborFit fit = Gabor.fit(Nd4j.valueArrayOf(new long[] {5, 5}, 0.25f));
        assertTrue(Double.isNaN(fit.r2()) && Double.isNaN(fit.theta()) && Double.isNaN(fit.wavelength()));
        assertEquals(0, fit.amplitude());
        assertEquals(0.25, fit.offset(), 1e-7);
        assertTrue(fit.toString().contains("constant"), fit.toString());
        assertArrayEquals(floats(Nd4j.valueArrayOf(new long[] {1, 1, 5, 5}, 0.25f)), floats(fit.toKernel(5, 5)));
    }

    @Test
    void toStringReadsWell() {
        String s = Gabor.fit(Gabor.kernel(11, Math.toRadians(30), 5, HALF_PI, 2.5, 0.5)).toString();
        assertTrue(s.startsWith("GaborFit[theta 30.0°, wavelength 5.00 px, phase 90.0°, sigma 2.50 px, gamma 0.50,"),
                s);
        assertTrue(s.endsWith("R² 1.000]"), s);
    }

    // ---------------------------------------------------------------- banks and tables

    @Test
    void fitBankGivesOneRowPerFilterWithTheDocumentedColumns() {
        INDArray bank = Nd4j.concat(0, Gabor.bank(11, 3, new double[] {4, 7}, 2.5, 0.5, PHASES),
                Nd4j.zeros(DataType.FLOAT, 1, 1, 11, 11));
        Table table = Gabor.fitBank(bank);
        assertEquals("Gabor fit", table.name());
        assertEquals(13, table.rowCount());
        assertEquals(List.of("filter", "theta_deg", "wavelength", "phase_deg", "sigma", "gamma", "x0", "y0",
                "amplitude", "r2"), table.columnNames());
        assertEquals(ColumnType.INTEGER, table.column("filter").type());
        assertEquals(ColumnType.DOUBLE, table.column("r2").type());
        for (int k = 0; k < 12; k++) {
            GaborFit fit = Gabor.fit(bank.slice(k));
            assertEquals(k, table.intColumn("filter").getInt(k));
            assertEquals(fit.thetaDegrees(), table.doubleColumn("theta_deg").getDouble(k), 1e-9);
            assertEquals(fit.wavelength(), table.doubleColumn("wavelength").getDouble(k), 1e-9);
            assertEquals(fit.phaseDegrees(), table.doubleColumn("phase_deg").getDouble(k), 1e-9);
            assertEquals(fit.r2(), table.doubleColumn("r2").getDouble(k), 1e-12);
        }
        assertEquals(60, table.doubleColumn("theta_deg").getDouble(4), 0.1, "filters 4..7 are at 60°");
        assertTrue(table.doubleColumn("r2").isMissing(12), "the constant filter's R² is missing");
        assertEquals(1, Gabor.medianR2(bank), 1e-6, "the constant filter is left out of the median");
    }

    /**
     * Measured on a loaded 2-core machine: 96 colour-noise filters of 3×11×11 in 0.18–0.42 s (warm / cold JIT), 96
     * colour Gabors in 0.05–0.08 s; median R² 0.056 for the noise.
     */
    @Test
    void fitsAColourBankOf96QuicklyAndTellsItFromNoise() {
        INDArray gabors = Gabor.colourBank(11, 8, new double[] {4, 6}, 2.5, 0.5, PHASES)
                .get(NDArrayIndex.interval(0, 96)).dup();
        Nd4j.getRandom().setSeed(11);
        INDArray noise = Nd4j.randn(DataType.FLOAT, 96, 3, 11, 11);
        long start = System.nanoTime();
        double gaborR2 = Gabor.medianR2(gabors), noiseR2 = Gabor.medianR2(noise);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 4, "two banks of 96 took " + seconds + " s");
        assertTrue(gaborR2 > 0.999, "median R² of Gabors " + gaborR2);
        assertTrue(noiseR2 < 0.2, "median R² of colour noise (measured 0.06) " + noiseR2);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void badParametersAreRejectedWithMessagesNamingTheMethodAndTheValues() {
        assertMessage(() -> Gabor.kernel(2, 0, 4, 0, 2, 1), "Gabor.kernel: size must be at least 3 but is 2", "size 2");
        assertMessage(() -> Gabor.kernel(9, 0, 4, 0, 0, 1), "Gabor.kernel: sigma must be positive", "sigma 0");
        assertMessage(() -> Gabor.kernel(9, 0, 4, 0, Double.NaN, 1), "Gabor.kernel: sigma", "sigma NaN");
        assertMessage(() -> Gabor.kernel(9, 0, 4, 0, 2, -1), "Gabor.kernel: gamma must be positive", "gamma -1");
        assertMessage(() -> Gabor.kernel(9, 0, 0, 0, 2, 1), "Gabor.kernel: wavelength must be at least 2 px", "lambda 0");
        assertMessage(() -> Gabor.kernel(9, 0, 1.5, 0, 2, 1), "Gabor.kernel: wavelength", "hint: shorter stripes alias");
        assertMessage(() -> Gabor.kernel(9, Double.NaN, 4, 0, 2, 1), "Gabor.kernel: theta and psi must be finite",
                "theta NaN");
        assertMessage(() -> Gabor.bank(9, 0, LAMBDAS, 2, 1, PHASES), "Gabor.bank: orientations must be at least 1",
                "orientations 0, wavelengths [4, 8]");
        assertMessage(() -> Gabor.bank(9, 4, new double[0], 2, 1, PHASES), "Gabor.bank: wavelengths must hold",
                "wavelengths []");
        assertMessage(() -> Gabor.bank(9, 4, null, 2, 1, PHASES), "Gabor.bank: wavelengths must hold",
                "wavelengths null");
        assertMessage(() -> Gabor.bank(9, 4, LAMBDAS, 2, 1, new double[0]), "Gabor.bank: phases must hold", "phases []");
        assertMessage(() -> Gabor.bank(9, 4, new double[] {4, -1}, 2, 1, PHASES), "Gabor.bank: wavelength must be",
                "but is -1");
        assertMessage(() -> Gabor.colourBank(1, 4, LAMBDAS, 2, 1, PHASES), "Gabor.colourBank: size must be", "size 1");
        assertMessage(() -> Gabor.kernel(9, 0, 4, 0, 1e-200, 1), "Gabor.kernel: sigma must be positive", "sigma 1E-200");
        assertMessage(() -> Gabor.colourBank(4096, 4096, LAMBDAS, 2, 1, PHASES), "Gabor.colourBank: ",
                "too many for one array");
    }

    @Test
    void badFiltersAreRejectedWithMessagesNamingTheShape() {
        assertMessage(() -> Gabor.fit(null), "Gabor.fit: filter is null", "filter null");
        assertMessage(() -> Gabor.fit(Nd4j.ones(5)), "Gabor.fit: expected a filter", "filter [5]");
        assertMessage(() -> Gabor.fit(Nd4j.ones(1, 1, 1, 5, 5)), "Gabor.fit: expected a filter", "[1,1,1,5,5]");
        assertMessage(() -> Gabor.fit(Nd4j.ones(2, 1, 5, 5)), "Gabor.fit: expected one filter but got a bank of 2",
                "hint: fit one filter");
        assertMessage(() -> Gabor.fit(Nd4j.ones(2, 7)), "Gabor.fit: filter is 2x7 but must be at least 3x3",
                "filter [2,7]");
        INDArray withNaN = Nd4j.ones(5, 5);
        withNaN.putScalar(2, 3, Double.NaN);
        assertMessage(() -> Gabor.fit(withNaN), "Gabor.fit: filter has a non-finite value NaN at flat index 13",
                "filter [5,5]");
        INDArray bankWithInfinity = Nd4j.zeros(DataType.FLOAT, 4, 3, 5, 5);
        bankWithInfinity.putScalar(new long[] {2, 1, 0, 1}, Float.POSITIVE_INFINITY);
        assertMessage(() -> Gabor.fitBank(bankWithInfinity),
                "Gabor.fitBank: filter 2 has a non-finite value Infinity at flat index 26", "bank [4,3,5,5]");
        assertMessage(() -> Gabor.fitBank(null), "Gabor.fitBank: bank is null", "bank null");
        assertMessage(() -> Gabor.fitBank(Nd4j.ones(4, 5, 5)), "Gabor.fitBank: bank must be 4-D [K, C, kH, kW]",
                "hint: K grey filters: bank.reshape(4, 1, 5, 5)");
        assertMessage(() -> Gabor.fitBank(Nd4j.create(DataType.FLOAT, 0, 1, 5, 5)), "Gabor.fitBank: bank is empty",
                "bank [0,1,5,5]");
        assertMessage(() -> Gabor.fitBank(Nd4j.ones(4, 3, 2, 2)), "Gabor.fitBank: filter is 2x2", "bank [4,3,2,2]");
        assertMessage(() -> Gabor.medianR2(Nd4j.ones(5, 5)), "Gabor.medianR2: bank must be 4-D", "hint: one 2-D filter");
    }

    // ---------------------------------------------------------------- helpers

    private static void assertMessage(Executable call, String start, String contains) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.startsWith(start), message);
        assertTrue(message.contains(contains), message);
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** |a − b| in degrees, modulo {@code period}. */
    private static double angleDegrees(double a, double b, double period) {
        return Math.toDegrees(Math.abs(Math.IEEEremainder(a - b, period)));
    }

    /**
     * The fitted phase in the truth's convention: θ and θ + π are the same orientation with the phase negated, so
     * when the fit landed on the other one, negate.
     */
    private static double canonicalPhase(GaborFit fit, double trueTheta) {
        boolean flipped = Math.abs(Math.IEEEremainder(fit.theta() - trueTheta, 2 * Math.PI)) > HALF_PI;
        return flipped ? -fit.phase() : fit.phase();
    }
}
