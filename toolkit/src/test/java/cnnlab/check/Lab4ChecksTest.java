package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Students.Spinners.class)
class Lab4ChecksTest {
    private static final Lab4Checks PUBLIC = new Lab4Checks(CheckTesting.publicOnly());
    private static final Lab4Checks GRADING = new Lab4Checks(CheckTesting.grading());
    private static final Lab4Checks SHORT = new Lab4Checks(CheckTesting.shortLimit());

    @Test
    void correctReluFamilyPasses() {
        CheckResult r = GRADING.reluFamily(Students.relus(0));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(4, r.points());
    }

    @Test
    void reluGradientOfOneAtZeroLosesTheReluGroup() {
        CheckResult r = PUBLIC.reluFamily(Students.relus(1));
        assertEquals(3, r.points(), r.toString());
        assertTrue(r.groups().get(0).problem().contains("reluGrad(x) for x in [-2, -1, -0.5, 0, 0.5, 1, 2]): wrong value"
                + " for x[3] = 0: expected 0, got 1"), r.toString());
    }

    @Test
    void throwingAndLoopingReluFamilyAreReported() {
        ReluFamily stub = new ReluFamilyStub();
        assertEquals(Status.NOT_ATTEMPTED, PUBLIC.reluFamily(stub).status());
        ReluFamily loop = new ReluFamilyStub() {
            @Override
            public double relu(double x) {
                return Students.spin();
            }
        };
        CheckResult looped = SHORT.reluFamily(loop);
        assertEquals(Status.TIMEOUT, looped.status());
        ReluFamily thrown = new ReluFamilyStub() {
            @Override
            public double relu(double x) {
                throw new IllegalArgumentException("negative");
            }
        };
        CheckResult r = PUBLIC.reluFamily(thrown);
        assertEquals(Status.ERROR, r.status(), r.toString());
        assertTrue(r.feedback().contains("threw IllegalArgumentException: negative"), r.feedback());
    }

    /** An untouched student class: every method still throws. */
    static class ReluFamilyStub implements ReluFamily {
        public double relu(double x) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }

        public double reluGrad(double x) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }

        public double leakyRelu(double x, double slope) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }

        public double leakyReluGrad(double x, double slope) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }

        public double rreluEval(double x, double lower, double upper) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }

        public double preluGradAlpha(double x, double alpha) {
            throw new UnsupportedOperationException("lab4 ex1: not implemented yet");
        }
    }

    @Test
    void centredDifferencesPass() {
        CheckResult r = GRADING.numericGradient((f, x, h) -> Students.numericGradient(f, x, h, true));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(5, r.points());
    }

    @Test
    void forwardDifferencesFailTheCubeGroup() {
        CheckResult r = PUBLIC.numericGradient((f, x, h) -> Students.numericGradient(f, x, h, false));
        assertTrue(!r.groups().get(0).passed(), r.toString());
        assertTrue(r.groups().get(0).problem().contains("expected 12, got 12.06"), r.toString());
        // f curves through the convolution too (a linear f there let forward differences pass, 2 of 5 points)
        CheckResult graded = GRADING.numericGradient((f, x, h) -> Students.numericGradient(f, x, h, false));
        assertEquals(0, graded.points(), graded.toString());
        assertTrue(graded.groups().get(2).problem().contains("f(x) = Σ g ⊙ y + ½ Σ y²"), graded.toString());
    }

    @Test
    void puttingXBackByArithmeticPasses() {
        // x[i] += h; x[i] -= 2h; x[i] += h leaves the last bit rounded for some x (2 + 0.01 - 0.02 + 0.01 is
        // 1.9999999999999998): the student did put x[i] back, and the check must not say otherwise
        CheckResult r = GRADING.numericGradient((f, x, h) -> {
            double[] g = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] += h;
                double plus = f.applyAsDouble(x);
                x[i] -= 2 * h;
                double minus = f.applyAsDouble(x);
                x[i] += h;
                g[i] = (plus - minus) / (2 * h);
            }
            return g;
        });
        assertEquals(5, r.points(), r.toString());
        assertTrue(Lab4Checks.changed(new double[] {2.01}, new double[] {2}), "h left in x is a change");
        assertTrue(!Lab4Checks.changed(new double[] {1.9999999999999998}, new double[] {2}));
    }

    @Test
    void changingXIsReported() {
        CheckResult r = PUBLIC.numericGradient((f, x, h) -> {
            double[] g = Students.numericGradient(f, x, h, true);
            x[0] += h;
            return g;
        });
        assertEquals(0, r.points());
        assertTrue(r.feedback().contains("x was changed by the call"), r.feedback());
    }

    @Test
    void throwingAndLoopingGradientsAreReported() {
        CheckResult thrown = PUBLIC.numericGradient((f, x, h) -> new double[] {f.applyAsDouble(null)});
        assertEquals(Status.ERROR, thrown.status(), thrown.toString());
        assertEquals(Status.TIMEOUT, SHORT.numericGradient((f, x, h) -> Students.spin()).status());
    }
}
