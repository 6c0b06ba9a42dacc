package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(Students.Spinners.class)
class Lab3ChecksTest {
    private static final Lab3Checks PUBLIC = new Lab3Checks(CheckTesting.publicOnly());
    private static final Lab3Checks GRADING = new Lab3Checks(CheckTesting.grading());
    private static final Lab3Checks SHORT = new Lab3Checks(CheckTesting.shortLimit());

    @Test
    void correctUnpoolingPasses() {
        CheckResult r = GRADING.unpoolNearest((x, k, s) -> Students.unpoolNearest(x, k, s, true));
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(3, r.points());
    }

    @Test
    void summingOverlapsInsteadOfAveragingLosesTheOverlapGroup() {
        CheckResult r = PUBLIC.unpoolNearest((x, k, s) -> Students.unpoolNearest(x, k, s, false));
        assertEquals(Status.PARTIAL, r.status(), r.toString());
        assertEquals(1.5, r.points());
        assertTrue(r.groups().get(1).problem().contains("public case 1 (x [1, 2, 2], kernel 3, stride 2): wrong value at"
                + " result[0][0][2]: expected 1.5, got 3"), r.toString());
    }

    /** sum / count with no check for a count of 0: right wherever blocks meet, NaN between blocks. */
    @Test
    void aMeanOverNoBlocksLosesTheGapGroupAlsoWhenGraded() {
        CheckResult r = GRADING.unpoolNearest((x, k, s) -> Students.unpoolNearest(x, k, s, true, false));
        assertEquals(2.5, r.points(), r.toString());
        assertTrue(r.groups().get(0).passed() && r.groups().get(1).passed(), r.toString());
        assertTrue(r.groups().get(2).problem().contains("result[0][0][2]: expected 0, got NaN"), r.toString());
    }

    @Test
    void throwingAndLoopingUnpoolingAreReported() {
        CheckResult thrown = PUBLIC.unpoolNearest((x, k, s) -> {
            throw new IllegalStateException("oops");
        });
        assertEquals(Status.ERROR, thrown.status());
        CheckResult stub = PUBLIC.unpoolNearest((x, k, s) -> {
            throw new UnsupportedOperationException("lab3 ex1: not implemented yet");
        });
        assertEquals(Status.NOT_ATTEMPTED, stub.status());
        assertEquals(Status.TIMEOUT, SHORT.unpoolNearest((x, k, s) -> Students.spin()).status());
    }

    @Test
    void correctTransposedConvolutionPasses() {
        assertEquals(Status.PASSED, PUBLIC.convTranspose2d(Students::convTranspose2d).status());
        CheckResult r = GRADING.convTranspose2d(Students::convTranspose2d);
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(5, r.points());
        assertEquals("8/8", r.hidden());
    }

    @Test
    void ignoringPaddingLosesThePaddingGroup() {
        CheckResult r = GRADING.convTranspose2d((x, w, b, s, p) -> Students.convTranspose2d(x, w, b, s, 0));
        assertEquals(4, r.points(), r.toString());
        assertTrue(r.groups().get(3).problem().contains("wrong shape: expected [1, 5, 5], got [1, 7, 7]"), r.toString());
    }

    @Test
    void throwingAndLoopingTransposedConvolutionAreReported() {
        CheckResult thrown = PUBLIC.convTranspose2d((x, w, b, s, p) -> new double[][][] {{{w[1][0][0][0]}}});
        assertTrue(thrown.status() == Status.ERROR || thrown.status() == Status.FAILED, thrown.toString());
        assertTrue(thrown.feedback().contains("ArrayIndexOutOfBoundsException"), thrown.feedback());
        assertEquals(Status.TIMEOUT, SHORT.convTranspose2d((x, w, b, s, p) -> Students.spin()).status());
    }

    @Test
    void aSquareKernelAssumedIsCaught() {
        // int kh = w[0][0].length, kw = kh: right for every square kernel
        CheckResult r = PUBLIC.convTranspose2d((x, w, b, s, p) -> {
            double[][][][] square = new double[w.length][w[0].length][w[0][0].length][w[0][0].length];
            for (int c = 0; c < w.length; c++) {
                for (int o = 0; o < w[0].length; o++) {
                    for (int u = 0; u < w[0][0].length; u++) {
                        for (int v = 0; v < w[0][0].length; v++) {
                            square[c][o][u][v] = v < w[0][0][0].length ? w[c][o][u][v] : 0;
                        }
                    }
                }
            }
            return Students.convTranspose2d(x, square, b, s, p);
        });
        assertTrue(!r.groups().get(1).passed(), r.toString());
        assertTrue(r.groups().get(1).problem().contains("w [1, 1, 2, 3]"), r.toString());
    }

    @Test
    void withoutBiasOnlyTheBiasGroupIsLostAlsoWhenGraded() {
        CheckResult graded = GRADING.convTranspose2d((x, w, b, s, p) ->
                Students.convTranspose2d(x, w, new double[b.length], s, p));
        assertEquals(3.5, graded.points(), graded.toString());
        assertTrue(!graded.groups().get(2).passed());
    }

    @Test
    void theWeightReadInConvolutionOrderLosesOnlyTheChannelGroupAlsoWhenGraded() {
        // w[o][c] for w[c][o]: the same with one channel in and out, wrong values or an index error with more
        CheckResult graded = GRADING.convTranspose2d((x, w, b, s, p) -> {
            double[][][][] read = new double[w.length][w[0].length][][];
            for (int c = 0; c < read.length; c++) {
                for (int o = 0; o < read[c].length; o++) {
                    read[c][o] = w[o][c];
                }
            }
            return Students.convTranspose2d(x, read, b, s, p);
        });
        assertEquals(3.5, graded.points(), graded.toString());
        assertTrue(!graded.groups().get(2).passed() && graded.groups().get(3).passed(), graded.toString());
    }

    @Test
    void hiddenTransposedConvolutionFeedbackHasNoInputs() {
        List<double[]> seen = new ArrayList<>();
        CheckResult r = GRADING.convTranspose2d((x, w, b, s, p) -> {
            seen.add(Compare.flat(x));
            seen.add(Compare.flat(w));
            seen.add(b.clone());
            // right for every public case (3 rows at most), wrong for inputs of 4 rows or more
            double[][][] y = Students.convTranspose2d(x, w, b, s, p);
            if (x[0].length >= 4) {
                y[0][0][0] += 1;
            }
            return y;
        });
        assertTrue(r.points() < 5);
        assertTrue(r.feedback().contains("hidden case"), r.feedback());
        CheckTesting.noHiddenInputs(r, seen.subList(3 * r.publicTotal(), seen.size()));
    }
}
