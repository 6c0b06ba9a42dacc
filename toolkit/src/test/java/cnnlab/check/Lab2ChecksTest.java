package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Students.Spinners.class)
class Lab2ChecksTest {
    private static final Lab2Checks PUBLIC = new Lab2Checks(CheckTesting.publicOnly());
    private static final Lab2Checks GRADING = new Lab2Checks(CheckTesting.grading());
    private static final Lab2Checks SHORT = new Lab2Checks(CheckTesting.shortLimit());

    @Test
    void correctPoolingPasses() {
        assertEquals(Status.PASSED, PUBLIC.pooling(new Students.Pools("")).status());
        CheckResult r = GRADING.pooling(new Students.Pools(""));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(4, r.points());
        assertEquals("16/16", r.hidden());
    }

    @Test
    void oneMethodWrittenWrongBesideStubsIsAttemptedAndWrongValuesBesideAThrowAreNotAnError() {
        Pooling stub = new Pooling() {
            public double[][][] maxPool(double[][][] x, int k, int s) {
                return null;                                      // written, wrong
            }

            public double[][][] avgPool(double[][][] x, int k, int s) {
                throw new UnsupportedOperationException("lab2 ex1: not implemented yet");
            }

            public double[][][] minPool(double[][][] x, int k, int s) {
                throw new UnsupportedOperationException("lab2 ex1: not implemented yet");
            }

            public double[][][] medianPool(double[][][] x, int k, int s) {
                throw new UnsupportedOperationException("lab2 ex1: not implemented yet");
            }
        };
        CheckResult r = PUBLIC.pooling(stub);
        assertEquals(Status.FAILED, r.status(), r.toString());
        assertTrue(r.verdict().contains("cases reached code not written yet (UnsupportedOperationException)"),
                r.verdict());
        Students.Pools wrongMax = new Students.Pools("max");
        CheckResult mixed = PUBLIC.pooling(new Pooling() {
            public double[][][] maxPool(double[][][] x, int k, int s) {
                return wrongMax.maxPool(x, k, s);                 // wrong values
            }

            public double[][][] avgPool(double[][][] x, int k, int s) {
                throw new ArrayIndexOutOfBoundsException(3);
            }

            public double[][][] minPool(double[][][] x, int k, int s) {
                return wrongMax.maxPool(x, k, s);
            }

            public double[][][] medianPool(double[][][] x, int k, int s) {
                return wrongMax.maxPool(x, k, s);
            }
        });
        assertEquals(Status.FAILED, mixed.status(), mixed.toString());
        assertTrue(mixed.verdict().startsWith("no case group passed") && mixed.verdict().contains("threw an exception"),
                mixed.verdict());
    }

    @Test
    void eachWrongPoolingLosesItsOwnPoint() {
        CheckResult avg = PUBLIC.pooling(new Students.Pools("avg"));
        assertEquals(3, avg.points(), avg.toString());
        assertTrue(avg.groups().get(1).problem().contains("wrong value at result[0][0][0]"), avg.toString());
        CheckResult median = GRADING.pooling(new Students.Pools("median"));
        assertEquals(3, median.points(), median.toString());
        assertTrue(!median.groups().get(3).passed());
        CheckResult max = PUBLIC.pooling(new Students.Pools("max"));     // ignores the stride
        assertEquals(3, max.points(), max.toString());
        assertTrue(max.groups().get(0).problem().contains("wrong shape"), max.toString());
    }

    /** A size worked out from H for W, a classic slip, fails in public cases, not only when graded. */
    @Test
    void heightAndWidthMixedUpFailInPublic() {
        CheckResult pool = PUBLIC.pooling(new Students.Pools("square"));
        assertEquals(0, pool.points(), pool.toString());
        assertTrue(pool.groups().get(0).problem().contains("wrong shape"), pool.toString());
        CheckResult back = PUBLIC.maxPoolBackward((x, g, k, s) -> {
            double[][][] dx = new double[x.length][x[0].length][x[0].length];   // [C][H][H]
            double[][][] right = Students.maxPoolBackward(x, g, k, s, false);
            for (int c = 0; c < x.length; c++) {
                for (int i = 0; i < x[0].length; i++) {
                    System.arraycopy(right[c][i], 0, dx[c][i], 0, Math.min(x[0].length, x[0][0].length));
                }
            }
            return dx;
        });
        assertTrue(!back.groups().get(0).passed() && !back.groups().get(1).passed(), back.toString());
        assertTrue(back.groups().get(0).problem().contains("wrong shape"), back.toString());
    }

    @Test
    void aMaximumThatStartsAtZeroFails() {
        // double best = 0; ... if (v > best) best = v: right for every window holding a value above 0
        CheckResult pool = PUBLIC.pooling(new Students.Pools("") {
            @Override
            public double[][][] maxPool(double[][][] x, int k, int s) {
                double[][][] y = super.maxPool(x, k, s);
                for (double[][] plane : y) {
                    for (double[] row : plane) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] = Math.max(0, row[j]);
                        }
                    }
                }
                return y;
            }
        });
        assertEquals(3, pool.points(), pool.toString());
        assertTrue(pool.groups().get(0).problem().startsWith("public case 4"), pool.toString());
        CheckResult back = PUBLIC.maxPoolBackward((x, g, k, s) -> {
            double[][][] shifted = JavaArrays.copy(x);     // the windows' cells that are not above 0 win nothing
            double[][][] dx = Students.maxPoolBackward(x, g, k, s, false);
            for (int c = 0; c < x.length; c++) {
                for (int i = 0; i < x[0].length; i++) {
                    for (int j = 0; j < x[0][0].length; j++) {
                        if (shifted[c][i][j] <= 0) {
                            dx[c][i][j] = 0;
                        }
                    }
                }
            }
            return dx;
        });
        assertTrue(!back.groups().get(0).passed(), back.toString());
        assertTrue(back.groups().get(0).problem().startsWith("public case 3"), back.toString());
    }

    /** The median of each window, found by sorting the window's cells in place, in x itself. */
    private static final class SortingInPlace extends Students.Pools {
        SortingInPlace() {
            super("");
        }

        @Override
        public double[][][] medianPool(double[][][] x, int k, int s) {
            int oh = (x[0].length - k) / s + 1, ow = (x[0][0].length - k) / s + 1;
            double[][][] y = new double[x.length][oh][ow];
            for (int c = 0; c < x.length; c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double[] w = new double[k * k];
                        for (int t = 0; t < w.length; t++) {
                            w[t] = x[c][i * s + t / k][j * s + t % k];
                        }
                        java.util.Arrays.sort(w);
                        for (int t = 0; t < w.length; t++) {      // "tidy": the window written back sorted
                            x[c][i * s + t / k][j * s + t % k] = w[t];
                        }
                        y[c][i][j] = w.length % 2 == 1 ? w[w.length / 2] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2;
                    }
                }
            }
            return y;
        }

        @Override
        public double[][][] maxPool(double[][][] x, int k, int s) {
            double[][][] y = super.maxPool(x, k, s);
            x[0][0][0] = 99;                                   // changed after use: right, and no note
            return y;
        }
    }

    @Test
    void aWrongResultSaysThatTheFunctionChangedItsInput() {
        CheckResult r = PUBLIC.pooling(new SortingInPlace());
        assertEquals(3, r.points(), r.toString());              // windows of stride = kernel are still right
        String problem = r.groups().get(3).problem();
        assertTrue(problem.startsWith("public case 2"), problem);
        assertTrue(problem.matches("(?s).*\\nnote: your function changed its input x "
                + "\\(x\\[0]\\[\\d]\\[\\d] was -?\\d+, "
                + "afterwards -?\\d+\\): later reads of x see the changed values\\ninputs:.*"),
                problem);
        assertTrue(r.groups().get(0).passed(), r.toString());
        Given given = new Given();                              // a hidden case's note names the place only
        given.copy("w", new double[][][][] {{{{1, 2}}}})[0][0][0][1] = 7;
        Compare.Mismatch m = given.noted(new Compare.Mismatch("shown", "hidden"));
        assertEquals("hidden\nnote: your function changed its input w (at w[0][0][0][1]): later reads of w see the"
                + " changed values", m.hidden());
        assertTrue(m.shown().contains("(w[0][0][0][1] was 2, afterwards 7)"), m.shown());
        assertEquals(null, given.noted(null));
    }

    @Test
    void oneStubbedPoolingIsPartialAndSaysSo() {
        CheckResult r = PUBLIC.pooling(new Students.Pools("min"));
        assertEquals(Status.PARTIAL, r.status());
        assertEquals(3, r.points());
        // the stubbed method's group says what is left to write, without the case's inputs to study
        assertEquals("public case 1 (x [1, 4, 4], kernel 2, stride 2): not written yet: it threw"
                + " UnsupportedOperationException: lab2 ex1: not implemented yet",
                r.groups().get(2).problem(), r.toString());
        assertTrue(r.groups().get(0).passed(), r.toString());
    }

    @Test
    void anUnsupportedOperationOfTheStudentsOwnIsNoStub() {
        Pooling immutable = new Students.Pools("") {
            @Override
            public double[][][] maxPool(double[][][] x, int k, int s) {
                java.util.List.of(1).add(2);   // an UnsupportedOperationException, not the release's stub
                return x;
            }
        };
        String problem = PUBLIC.pooling(immutable).groups().get(0).problem();
        assertTrue(problem.contains(": threw UnsupportedOperationException") && problem.contains("inputs:"), problem);
    }

    @Test
    void throwingAndLoopingPoolingAreReported() {
        Pooling npe = new Students.Pools("") {
            @Override
            public double[][][] maxPool(double[][][] x, int k, int s) {
                double[][][] none = null;
                return new double[][][] {none[0]};
            }
        };
        CheckResult thrown = PUBLIC.pooling(npe);
        assertEquals(Status.PARTIAL, thrown.status());
        assertTrue(thrown.groups().get(0).problem().contains("threw NullPointerException"), thrown.toString());
        Pooling loop = new Students.Pools("") {
            @Override
            public double[][][] avgPool(double[][][] x, int k, int s) {
                return Students.spin();
            }
        };
        CheckResult looped = SHORT.pooling(loop);
        assertEquals(Status.TIMEOUT, looped.status());
        // the loop in avgPool is stopped and costs its own group only: max, min and median still score
        assertEquals(3, looped.points(), looped.toString());
    }

    @Test
    void correctMaxPoolBackwardPasses() {
        CheckResult r = GRADING.maxPoolBackward((x, g, k, s) -> Students.maxPoolBackward(x, g, k, s, false));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(4, r.points());
    }

    @Test
    void lastMaximumOnTiesLosesOnlyTheTiesGroup() {
        CheckResult r = GRADING.maxPoolBackward((x, g, k, s) -> Students.maxPoolBackward(x, g, k, s, true));
        assertEquals(Status.PARTIAL, r.status(), r.toString());
        assertEquals(3, r.points());
        assertTrue(r.groups().get(2).problem().startsWith("public case 1 (x [1, 4, 4], kernel 2, stride 2): wrong value"
                + " at result[0][0][0]: expected "), r.toString());
    }

    @Test
    void overwritingInsteadOfAddingLosesTheOverlapGroup() {
        CheckResult r = PUBLIC.maxPoolBackward((x, g, k, s) -> {
            double[][][] once = Students.maxPoolBackward(x, g, k, s, false);
            for (double[][] plane : once) {
                for (double[] row : plane) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = Math.min(row[j], 5);   // loses sums of several windows
                    }
                }
            }
            return once;
        });
        assertTrue(!r.groups().get(1).passed(), r.toString());
    }

    @Test
    void throwingAndLoopingBackwardAreReported() {
        CheckResult thrown = PUBLIC.maxPoolBackward((x, g, k, s) -> {
            throw new ArrayIndexOutOfBoundsException("Index 4 out of bounds for length 4");
        });
        assertEquals(Status.ERROR, thrown.status());
        assertTrue(thrown.feedback().contains("ArrayIndexOutOfBoundsException: Index 4 out of bounds for length 4"));
        CheckResult looped = SHORT.maxPoolBackward((x, g, k, s) -> Students.spin());
        assertEquals(Status.TIMEOUT, looped.status());
    }

    @Test
    void hiddenPoolingFeedbackHasNoInputs() {
        List<double[]> seen = new ArrayList<>();
        Students.Pools wrong = new Students.Pools("avg") {
            @Override
            public double[][][] avgPool(double[][][] x, int k, int s) {
                seen.add(Compare.flat(x));
                return super.avgPool(x, k, s);
            }
        };
        CheckResult r = GRADING.pooling(wrong);
        assertTrue(r.groups().get(1).problem().startsWith("public case 1"), r.toString());
        assertTrue(r.feedback().contains("hidden") || r.groups().get(1).casesPassed() == 0);
        CheckTesting.noHiddenInputs(r, seen.subList(4, seen.size()));
    }

    /** A maximum that starts at 0 finds no cell in an all-negative window: group 1 says so, and the ties alone do not. */
    @Test
    void aMaximumStartingAtZeroLosesTheFirstGroupOnlyAlsoWhenGraded() {
        CheckResult graded = GRADING.maxPoolBackward((x, g, k, s) -> {
            double[][][] dx = new double[x.length][x[0].length][x[0][0].length];
            for (int c = 0; c < g.length; c++) {
                for (int i = 0; i < g[c].length; i++) {
                    for (int j = 0; j < g[c][i].length; j++) {
                        double best = 0;
                        int bu = -1, bv = -1;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                if (x[c][i * s + u][j * s + v] > best) {
                                    best = x[c][i * s + u][j * s + v];
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
        });
        assertTrue(!graded.groups().get(0).passed(), graded.toString());
        assertTrue(graded.groups().get(1).passed() && graded.groups().get(2).passed(), graded.toString());
    }
}
