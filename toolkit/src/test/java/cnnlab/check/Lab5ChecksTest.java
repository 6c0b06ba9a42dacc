package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Students.Spinners.class)
class Lab5ChecksTest {
    private static final Lab5Checks PUBLIC = new Lab5Checks(CheckTesting.publicOnly());
    private static final Lab5Checks GRADING = new Lab5Checks(CheckTesting.grading());
    private static final Lab5Checks SHORT = new Lab5Checks(CheckTesting.shortLimit());

    @Test
    void correctNormalisationPasses() {
        CheckResult r = GRADING.normalise(f -> Students.normalise(f, 0.5));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(2, r.points());
    }

    /** c = size / 2 is right for odd sizes only: the θ = 0 group's even size catches it, in public. */
    @Test
    void aCentreRightOnlyForOddSizesLosesTheFirstGroup() {
        CheckResult r = PUBLIC.gabor((size, theta, lambda, psi, sigma, gamma) -> Students.gabor(size, theta, lambda,
                psi, sigma, gamma, false, size / 2, size / 2));
        assertEquals(3, r.points(), r.toString());
        assertTrue(r.groups().get(0).problem().contains("size 14"), r.toString());
    }

    /** y' with its sign flipped: the oriented group catches it, and the γ group, upright or level, does not. */
    @Test
    void aRotationTheWrongWayLosesTheOrientedGroupsOnlyAlsoWhenGraded() {
        CheckResult graded = GRADING.gabor((size, theta, lambda, psi, sigma, gamma) -> Students.gabor(size, -theta,
                lambda, psi, sigma, gamma, false));
        assertTrue(graded.groups().get(0).passed() && graded.groups().get(3).passed(), graded.toString());
        assertTrue(!graded.groups().get(1).passed(), graded.toString());
    }

    /** The whole bank scaled at once loses the first group only, also when graded: the constant group has no other. */
    @Test
    void scalingTheWholeBankAtOnceLosesOnlyTheFirstGroup() {
        CheckResult r = GRADING.normalise(f -> {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double v : Compare.flat(f)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double[][][] out = new double[f.length][f[0].length][f[0][0].length];
            for (int k = 0; k < f.length; k++) {
                for (int i = 0; i < f[0].length; i++) {
                    for (int j = 0; j < f[0][0].length; j++) {
                        out[k][i][j] = hi > lo ? (f[k][i][j] - lo) / (hi - lo) : 0.5;
                    }
                }
            }
            return out;
        });
        assertEquals(1, r.points(), r.toString());
        assertTrue(!r.groups().get(0).passed() && r.groups().get(1).passed(), r.toString());
    }

    @Test
    void dividingByZeroOnAConstantFilterLosesThatGroup() {
        CheckResult r = PUBLIC.normalise(f -> Students.normalise(f, Double.NaN));
        assertEquals(1, r.points(), r.toString());
        assertTrue(r.groups().get(1).problem().contains("wrong value at result[0][0][0]: expected 0.5, got NaN"),
                r.toString());
    }

    @Test
    void throwingAndLoopingNormalisationAreReported() {
        assertEquals(Status.ERROR, PUBLIC.normalise(f -> {
            throw new ArithmeticException("/ by zero");
        }).status());
        assertEquals(Status.TIMEOUT, SHORT.normalise(f -> Students.spin()).status());
    }

    @Test
    void correctTilingPasses() {
        CheckResult r = GRADING.tile((t, c, g, b) -> Students.tile(t, c, g, b, true));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(3, r.points());
    }

    @Test
    void forgettingTheOuterGapFailsEveryGroupWithAGap() {
        CheckResult r = PUBLIC.tile((t, c, g, b) -> Students.tile(t, c, g, b, false));
        assertEquals(0.5, r.points(), r.toString());
        assertTrue(r.groups().get(0).problem().contains("wrong shape: expected [4, 10], got [2, 8]"), r.toString());
    }

    @Test
    void throwingAndLoopingTilingAreReported() {
        assertEquals(Status.ERROR, PUBLIC.tile((t, c, g, b) -> new double[t[99].length][]).status());
        assertEquals(Status.TIMEOUT, SHORT.tile((t, c, g, b) -> Students.spin()).status());
    }

    @Test
    void hiddenTilingFeedbackHasNoInputs() {
        List<double[]> seen = new ArrayList<>();
        CheckResult r = GRADING.tile((t, c, g, b) -> {
            seen.add(Compare.flat(t));
            double[][] m = Students.tile(t, c, g, b, true);
            m[m.length - 1][m[0].length - 1] = 42;
            return m;
        });
        assertEquals(0, r.points());
        CheckTesting.noHiddenInputs(r, seen.subList(r.publicTotal(), seen.size()));
    }

    @Test
    void correctGaborPassesAtAnyScaleAndOffset() {
        CheckResult r = GRADING.gabor((size, th, l, p, s, g) -> Students.gabor(size, th, l, p, s, g, false));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(4, r.points());
    }

    @Test
    void aLargestValueThatStartsAtZeroIsCaught() {
        // double hi = Double.MIN_VALUE (or 0): right for every filter holding a value above 0
        CheckResult r = PUBLIC.normalise(x -> Students.normalise(x, 0.5, Double.MIN_VALUE));
        assertTrue(!r.groups().get(0).passed(), r.toString());
        assertTrue(r.groups().get(0).problem().startsWith("public case 3"), r.toString());
    }

    @Test
    void aGaborThatIsNotCentredIsCaught() {
        // double x = col, y = row: the filter sits in the corner; size / 2.0: half a pixel off the middle one
        for (double[] centre : new double[][] {{0, 0}, {0.5, 0.5}}) {
            CheckResult r = GRADING.gabor((size, th, l, p, s, g) -> Students.gabor(size, th, l, p, s, g, false,
                    (size - 1) / 2.0 + centre[0], (size - 1) / 2.0 + centre[1]));
            assertEquals(centre[0] == 0 ? 4 : 0, r.points(), r.toString());
        }
        CheckResult corner = PUBLIC.gabor((size, th, l, p, s, g) -> Students.gabor(size, th, l, p, s, g, false, 0, 0));
        assertEquals(0, corner.points(), corner.toString());
    }

    @Test
    void swappedAxesTurnTheStripesAndAreCaught() {
        CheckResult r = PUBLIC.gabor((size, th, l, p, s, g) -> Students.gabor(size, th, l, p, s, g, true));
        assertTrue(r.points() < 4, r.toString());
        assertTrue(r.groups().get(0).problem().contains("θ 90.0° instead of 0.0°"), r.toString());
    }

    @Test
    void anglesTakenInDegreesAreShownWithTheCallInRadians() {
        CheckResult r = PUBLIC.gabor((size, th, l, p, s, g) -> Students.gabor(size, Math.toRadians(th), l,
                Math.toRadians(p), s, g, false));
        String problem = r.groups().get(1).problem();
        assertTrue(problem.contains("gabor(15, 0.7854 /* 45.0° */, 6.00, 0, 3.00, 0.60)"), problem);
        assertTrue(problem.contains("your fit: θ 0.8°, λ"), problem);
        assertFalse(problem.contains("amplitude") || problem.contains("offset"), "not compared, not shown");
        assertTrue(r.notes().contains("Gabor.fit of your filter compared with that of Gabor.kernel's: θ within 3°,"
                + " ψ within 10°, λ, σ, γ within 5%, centre within 0.25 px, R² ≥ 0.98 (amplitude and offset do"
                + " not matter)"), r.notes().toString());
    }

    @Test
    void throwingAndLoopingGaborAreReported() {
        assertEquals(Status.ERROR, PUBLIC.gabor((size, th, l, p, s, g) -> {
            throw new IllegalArgumentException("sigma");
        }).status());
        CheckResult noise = PUBLIC.gabor((size, th, l, p, s, g) -> Inputs.plane(new java.util.Random(1), size, size, false));
        assertEquals(Status.FAILED, noise.status(), noise.toString());
        assertTrue(noise.feedback().contains("R² "), noise.feedback());
        assertEquals(Status.TIMEOUT, SHORT.gabor((size, th, l, p, s, g) -> Students.spin()).status());
    }
}
