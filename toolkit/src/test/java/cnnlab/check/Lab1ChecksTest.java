package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.check.CheckResult.Status;
import cnnlab.ops.ConvParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(Students.Spinners.class)
class Lab1ChecksTest {
    private static final Lab1Checks PUBLIC = new Lab1Checks(() -> CheckConfig.publicOnly(Students.GENEROUS));
    private static final Lab1Checks GRADING = new Lab1Checks(() -> CheckConfig.grading(42, Students.GENEROUS));
    private static final Lab1Checks SHORT = new Lab1Checks(() -> CheckConfig.publicOnly(Students.LIMIT));

    static int outputSize(int i, int k, int s, int p) {
        return (i + 2 * p - k) / s + 1;
    }

    @Test
    void correctOutputSizePassesPublicCasesWithoutClaimingAll() {
        CheckResult r = PUBLIC.outputSize(Lab1ChecksTest::outputSize);
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(2, r.points());
        assertTrue(r.verdict().startsWith("all 6 public cases passed; hidden cases run when graded"), r.verdict());
        assertFalse(r.toString().contains("all cases passed"));
        assertNull(r.hidden());
    }

    @Test
    void correctOutputSizePassesHiddenCasesWhenGraded() {
        CheckResult r = GRADING.outputSize(Lab1ChecksTest::outputSize);
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals("9/9", r.hidden());
        assertTrue(r.verdict().startsWith("all cases passed (6 public, 9 hidden)"), r.verdict());
    }

    @Test
    void roundingInsteadOfFlooringLosesOnlyTheFloorGroup() {
        CheckResult r = PUBLIC.outputSize((i, k, s, p) -> (int) Math.round((i + 2.0 * p - k) / s) + 1);
        assertEquals(Status.PARTIAL, r.status(), r.toString());
        assertEquals(1, r.points());
        assertTrue(r.groups().get(2).problem().contains("public case 1 (input 8, kernel 3, stride 2, padding 0): expected 3, got 4"), r.toString());
    }

    @Test
    void aCeilingCostsTheFloorGroupWhateverTheSeed() {
        // the stride-and-padding group's hidden cases fit exactly, as its public ones: a ceiling there is right
        for (long seed = 1; seed <= 30; seed++) {
            CheckResult r = new Lab1Checks(CheckTesting.grading(seed))
                    .outputSize((i, k, s, p) -> (int) Math.ceil((i + 2.0 * p - k) / s) + 1);
            assertEquals(1, r.points(), "seed " + seed + ": " + r);
        }
    }

    @Test
    void throwingOutputSizeIsReportedWithItsMessage() {
        CheckResult r = PUBLIC.outputSize((i, k, s, p) -> {
            throw new ArithmeticException("/ by zero");
        });
        assertEquals(Status.ERROR, r.status());
        assertEquals(0, r.points());
        assertTrue(r.feedback().contains("threw ArithmeticException: / by zero"), r.feedback());
    }

    @Test
    void untouchedStubIsNotAttempted() {
        CheckResult r = PUBLIC.outputSize((i, k, s, p) -> {
            throw new UnsupportedOperationException("lab1 ex1: not implemented yet");
        });
        assertEquals(Status.NOT_ATTEMPTED, r.status());
        assertTrue(r.verdict().startsWith("not attempted"), r.verdict());
    }

    @Test
    void loopingOutputSizeIsAbandonedAfterTheLimit() {
        long start = System.nanoTime();
        CheckResult r = SHORT.outputSize((i, k, s, p) -> Students.spin());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(Status.TIMEOUT, r.status());
        assertTrue(seconds < 3, "took " + seconds + " s");
        // each of the 3 groups loses its first case to the loop and skips the rest of its 6 cases
        assertTrue(r.verdict().startsWith("stopped: public case 1 (input 5, kernel 3, stride 1, padding 0) ran longer"
                + " than the 0.3 s limit; 3 later cases were not run"), r.verdict());
    }

    @Test
    void afterThreeCallsPastTheLimitNoMoreCasesRun() {
        // 4 groups that all loop: the fourth is not run, so 3 limits of 10 s fit in a graded cell's 60 s
        CheckResult r = SHORT.conv2d((x, w, b, p) -> Students.spin());
        assertEquals(Status.TIMEOUT, r.status());
        for (int g = 0; g < 3; g++) {
            assertTrue(r.groups().get(g).problem().contains("still running after the 0.3 s limit, so it was stopped"),
                    r.toString());
        }
        assertTrue(r.groups().get(3).problem().startsWith("not run: an earlier call ran past the time limit"),
                r.toString());
        assertTrue(r.notes().stream().noneMatch(n -> n.startsWith("values compared within")), "nothing was compared");
        assertTrue(PUBLIC.conv2d((x, w, b, p) -> null).notes().get(0).startsWith("values compared within"),
                "a wrong result was");
    }

    @Test
    void correctConv2dPassesPublicAndHiddenCases() {
        assertEquals(Status.PASSED, PUBLIC.conv2d(Students::conv2d).status());
        CheckResult r = GRADING.conv2d(Students::conv2d);
        assertEquals(Status.PASSED, r.status(), r.toString());
        assertEquals(6, r.points());
        assertEquals("8/8", r.hidden());
    }

    @Test
    void conv2dWithoutBiasLosesTheBiasGroupAndNamesTheFirstMismatch() {
        CheckResult r = PUBLIC.conv2d((x, w, b, p) -> Students.conv2d(x, w, new double[b.length], p));
        assertEquals(Status.PARTIAL, r.status(), r.toString());
        assertEquals(4.5, r.points());
        String problem = r.groups().get(1).problem();
        assertTrue(problem.startsWith("public case 1 (x [2, 4, 4], w [3, 2, 2, 2], stride 1, padding 0)"),
                problem);
        assertTrue(problem.contains("wrong value at result[0][0][0]: expected"), problem);
        assertTrue(problem.contains("\ninputs:\n  x[0] = [["), problem);
        assertTrue(problem.contains("\n  w[2][1] = [["), problem);
        assertTrue(problem.contains("\n  b = ["), problem);
        // graded, the hidden cases of the other groups have no bias either: the grade is what the notebook showed
        CheckResult graded = GRADING.conv2d((x, w, b, p) -> Students.conv2d(x, w, new double[b.length], p));
        assertEquals(4.5, graded.points(), graded.toString());
    }

    @Test
    void theSameProblemInEveryGroupShowsItsInputsOnce() {
        CheckResult r = PUBLIC.conv2d((x, w, b, p) -> null);
        assertTrue(r.groups().get(0).problem().contains("returned null\ninputs:\n  x[0] = "), r.toString());
        for (int g = 1; g < 4; g++) {
            assertTrue(r.groups().get(g).problem().endsWith("returned null (the same message as above; its inputs are"
                    + " not shown again)"), r.toString());
        }
    }

    @Test
    void unequalStridesAndPaddingsAreNamedByAxis() {
        // strideH used for both axes: right wherever they are equal
        CheckResult r = PUBLIC.conv2d((x, w, b, p) -> Students.conv2d(x, w, b,
                ConvParams.of(p.strideH(), p.strideH(), p.paddingH(), p.paddingW())));
        String problem = r.groups().get(3).problem();
        assertTrue(problem.startsWith("public case 1 (x [2, 5, 6], w [2, 2, 2, 3], strideH 2, strideW 1, paddingH 0,"
                + " paddingW 1)"), problem);
        assertEquals(4.5, r.points(), r.toString());
    }

    @Test
    void conv2dOfTheWrongShapeIsReportedBeforeValues() {
        CheckResult r = PUBLIC.conv2d((x, w, b, p) -> new double[w.length][1][1]);
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.groups().get(0).problem().contains("wrong shape: expected [1, 2, 2], got [1, 1, 1]"), r.toString());
    }

    /** One slip in exercise 1's formula, called from exercise 2, costs every case there: the message says so. */
    @Test
    void aWrongShapeWorksOutTheSizesAndPointsToExercise1() {
        CheckResult r = GRADING.conv2d((x, w, b, p) -> {
            double[][][] y = Students.conv2d(x, w, b, p);
            double[][][] smaller = new double[y.length][y[0].length - 1][y[0][0].length];   // MySizes off by one
            return smaller;
        });
        assertEquals(0, r.points(), r.toString());
        String problem = r.groups().get(0).problem();
        assertTrue(problem.contains("wrong shape: expected [1, 2, 2], got [1, 1, 2]\nhint: H_out = floor((4 + 2*0"
                + " - 3)/1) + 1 = 2, W_out = floor((4 + 2*0 - 3)/1) + 1 = 2; if your conv2d calls MySizes.outputSize,"
                + " check that it gives these sizes"), problem);
        CheckResult values = PUBLIC.conv2d((x, w, b, p) -> {
            double[][][] y = Students.conv2d(x, w, b, p);
            y[0][0][0] += 1;
            return y;
        });
        assertFalse(values.toString().contains("MySizes"), "a wrong value is not about the sizes");
        CheckResult channels = PUBLIC.conv2d((x, w, b, p) -> {
            double[][][] y = Students.conv2d(x, w, b, p);
            return new double[][][] {y[0], y[0], y[0], y[0]};
        });
        assertTrue(channels.toString().contains("wrong shape"), channels.toString());
        assertFalse(channels.toString().contains("MySizes"), "right sizes, wrong channels: not exercise 1's");
    }

    @Test
    void throwingAndLoopingConv2dAreReported() {
        CheckResult thrown = PUBLIC.conv2d((x, w, b, p) -> {
            double[] none = null;
            return new double[][][] {{none}};
        });
        assertEquals(Status.FAILED, thrown.status(), thrown.toString());
        assertTrue(thrown.feedback().contains("ragged"), thrown.feedback());
        CheckResult npe = PUBLIC.conv2d((x, w, b, p) -> new double[(int) Math.sqrt(-1 / 0)][][]);
        assertEquals(Status.ERROR, npe.status());
        assertTrue(npe.feedback().contains("threw ArithmeticException: / by zero"), npe.feedback());
        CheckResult loop = SHORT.conv2d((x, w, b, p) -> Students.spin());
        assertEquals(Status.TIMEOUT, loop.status());
        assertEquals(0, loop.points());
    }

    @Test
    void hiddenCaseFeedbackNeverContainsHiddenInputs() {
        List<double[][][]> seen = new ArrayList<>();
        CheckResult r = GRADING.conv2d((x, w, b, p) -> {
            seen.add(JavaArrays.copy(x));
            double[][][] y = Students.conv2d(x, w, b, p);
            y[0][0][0] += 1;  // wrong everywhere
            return y;
        });
        assertEquals(Status.FAILED, r.status());
        String feedback = r.feedback() + r.toString() + r.toHtml() + r.toJson();
        assertTrue(feedback.contains("hidden"));
        int publicCases = r.publicTotal();
        for (double[][][] x : seen.subList(publicCases, seen.size())) {
            for (double v : Compare.flat(x)) {
                String written = Compare.num(v);
                if (written.length() > 4) {    // a hidden value such as 0.371926, never a small integer
                    assertFalse(feedback.contains(written), "hidden input " + written + " in feedback:\n" + feedback);
                }
            }
        }
    }

    @Test
    void eachCheckAppendsOneJsonLine(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("r.jsonl");
        Lab1Checks checks = new Lab1Checks(() -> CheckConfig.grading(7, Students.GENEROUS).withResults(results));
        checks.outputSize(Lab1ChecksTest::outputSize);
        checks.conv2d((x, w, b, p) -> {
            throw new UnsupportedOperationException("lab1 ex2: not implemented yet");
        });
        List<String> lines = Files.readAllLines(results);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"lab\":\"lab1\",\"exercise\":\"lab1 ex1\",\"title\":\"output size\","
                + "\"points\":2,\"max\":2,\"status\":\"passed\",\"public\":\"6/6\",\"hidden\":\"9/9\",\"feedback\":"),
                lines.get(0));
        assertTrue(lines.get(1).contains("\"points\":0,\"max\":6,\"status\":\"not attempted\""), lines.get(1));
    }
}
