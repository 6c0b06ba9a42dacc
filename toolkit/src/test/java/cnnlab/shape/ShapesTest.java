package cnnlab.shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output-size arithmetic: worked values from the lecture and well-known networks, and full grids checked
 * against counting the windows one by one (a second, independent statement of each rule).
 */
class ShapesTest {

    /** Every (stride, dilation) pair of the grids; each grid loops over input 1-12, kernel 1-5, padding 0-3. */
    static Stream<Arguments> strideAndDilation() {
        return IntStream.rangeClosed(1, 4).boxed()
                .flatMap(s -> IntStream.rangeClosed(1, 3).mapToObj(d -> Arguments.of(s, d)));
    }

    // ---------------------------------------------------------------- convolution

    @ParameterizedTest(name = "i={0} k={1} s={2} p={3} d={4} -> {5}")
    @CsvSource({
            "8, 3, 1, 0, 1, 6",       // lecture: 8x8 with 3x3
            "9, 3, 2, 0, 1, 4",       // lecture: 9x9, 3x3, stride 2
            "9, 3, 1, 0, 1, 7",       // lecture: stride 1
            "7, 3, 1, 1, 1, 7",       // lecture: w = 3, p = 1, S = 1 keeps the size
            "10, 3, 2, 0, 1, 4",      // not exact: one row never visited
            "32, 5, 1, 0, 1, 28",     // LeNet-5 C1
            "227, 11, 4, 0, 1, 55",   // AlexNet conv1
            "224, 7, 2, 3, 1, 112",   // ResNet conv1
            "7, 3, 1, 0, 2, 3",       // dilation 2: the window spans 5
            "2, 3, 1, 0, 1, 0",       // does not fit
            "1, 1, 1, 0, 1, 1"})
    void convOutputWorkedValues(int i, int k, int s, int p, int d, int expected) {
        assertEquals(expected, Shapes.convOutput(i, k, s, p, d));
    }

    /** Floor mode: a window starts every {@code s} cells of the padded input while it still ends inside it. */
    private static int countFloorWindows(int i, int k, int s, int p, int d) {
        int span = d * (k - 1) + 1, count = 0;
        for (int start = 0; start + span <= i + 2 * p; start += s) {
            count++;
        }
        return count;
    }

    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void convOutputCountsTheWindows(int s, int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= 3; p++) {
                    int counted = countFloorWindows(i, k, s, p, d), o = Shapes.convOutput(i, k, s, p, d);
                    String what = "i=" + i + " k=" + k + " s=" + s + " p=" + p + " d=" + d;
                    if (counted > 0) {
                        assertEquals(counted, o, what);
                    } else {
                        assertTrue(o <= 0, what + ": no window fits, formula gives " + o);
                    }
                    assertEquals(o, Shapes.poolOutput(i, k, s, p, d, false), what + ": floor-mode pool = conv");
                    assertEquals(o, Shapes.outputSize(i, p, p, k, s, d, false), what + ": general form");
                }
            }
        }
    }

    @Test
    void effectiveKernelIsTheSpanOfTheDilatedWindow() {
        assertEquals(3, Shapes.effectiveKernel(3, 1));
        assertEquals(5, Shapes.effectiveKernel(3, 2));
        assertEquals(1, Shapes.effectiveKernel(1, 4));
        assertEquals(7, Shapes.effectiveKernel(4, 2));
    }

    // ---------------------------------------------------------------- pooling, ceil mode

    @ParameterizedTest(name = "i={0} k={1} s={2} p={3}: floor {4}, ceil {5}")
    @CsvSource({
            "4, 2, 2, 0, 2, 2",     // exact: ceil changes nothing
            "5, 2, 2, 0, 2, 3",     // ceil keeps the half window over the last row
            "5, 2, 2, 1, 3, 3",     // ceil would start a 4th window in the right padding: dropped
            "6, 3, 2, 1, 3, 4",
            "7, 3, 3, 1, 3, 3",
            "3, 3, 2, 1, 2, 2",
            "2, 3, 2, 0, 0, 1",     // ceil mode lets a 3-window hang past a 2-wide input (PyTorch does too)
            "10, 3, 2, 0, 4, 5"})
    void poolOutputCeilModeWorkedValues(int i, int k, int s, int p, int floor, int ceil) {
        assertEquals(floor, Shapes.poolOutput(i, k, s, p, 1, false), "floor");
        assertEquals(ceil, Shapes.poolOutput(i, k, s, p, 1, true), "ceil");
    }

    /**
     * Ceil mode, window by window: a new window starts every {@code s} cells as long as the one before it
     * (with a virtual one at {@code -s}) has not reached the end of the padded input, so the last one may hang
     * over the end; but a window must start inside the input or the left padding (PyTorch's rule).
     */
    private static int countCeilWindows(int i, int k, int s, int p, int d) {
        int span = d * (k - 1) + 1, count = 0;
        for (int start = 0; start - s + span < i + 2 * p && start < i + p; start += s) {
            count++;
        }
        return count;
    }

    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void poolOutputInCeilModeCountsTheWindows(int s, int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= k / 2; p++) {
                    int counted = countCeilWindows(i, k, s, p, d), o = Shapes.poolOutput(i, k, s, p, d, true);
                    String what = "i=" + i + " k=" + k + " s=" + s + " p=" + p + " d=" + d;
                    if (counted > 0) {
                        assertEquals(counted, o, what);
                    } else {
                        assertTrue(o <= 0, what + ": no window, formula gives " + o);
                    }
                    int floor = Shapes.poolOutput(i, k, s, p, d, false);
                    if (floor > 0) {
                        assertTrue(o == floor || o == floor + 1, what + ": ceil adds at most one window");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- transposed convolution

    @ParameterizedTest(name = "i={0} k={1} s={2} p={3} op={4} d={5} -> {6}")
    @CsvSource({
            "28, 4, 2, 1, 0, 1, 56",   // the Ops Javadoc example: doubles the size
            "4, 2, 2, 0, 0, 1, 8",
            "3, 3, 1, 0, 0, 1, 5",     // stride 1, no padding: the "full" convolution
            "3, 3, 2, 1, 1, 1, 6",
            "3, 3, 1, 0, 0, 2, 7",     // dilation 2
            "3, 3, 1, 0, 1, 2, 8",     // output padding allowed by the dilation
            "2, 3, 1, 2, 0, 1, 0"})    // padding eats the whole output
    void convTransposeOutputWorkedValues(int i, int k, int s, int p, int op, int d, int expected) {
        assertEquals(expected, Shapes.convTransposeOutput(i, k, s, p, op, d));
    }

    /**
     * The transposed size inverts the convolution size: convolving a transposed output gives the input back
     * (output padding below the stride), and the transposed size of a convolution's output, with output padding
     * equal to the rows the strided window never visited, is the original size.
     */
    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void convTransposeOutputInvertsConvOutput(int s, int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= 3; p++) {
                    String what = "i=" + i + " k=" + k + " s=" + s + " p=" + p + " d=" + d;
                    for (int op = 0; op < s; op++) {
                        int t = Shapes.convTransposeOutput(i, k, s, p, op, d);
                        if (t >= 1) {
                            assertEquals(i, Shapes.convOutput(t, k, s, p, d), what + " op=" + op);
                        }
                    }
                    int o = Shapes.convOutput(i, k, s, p, d);
                    if (o >= 1) {
                        int back = Shapes.convTransposeOutput(o, k, s, p, Shapes.unvisited(i, k, s, p, d), d);
                        assertEquals(i, back, what + ": back to the input size");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- padding "same"

    @ParameterizedTest(name = "k={0} d={1} -> before {2}, after {3}")
    @CsvSource({
            "1, 1, 0, 0",
            "2, 1, 0, 1",    // even kernel: the odd row goes after, as in PyTorch
            "3, 1, 1, 1",
            "4, 1, 1, 2",
            "5, 1, 2, 2",
            "3, 2, 2, 2",
            "2, 3, 1, 2",
            "4, 2, 3, 3"})
    void samePaddingWorkedValues(int k, int d, int before, int after) {
        assertArrayEquals(new int[] {before, after}, Shapes.samePadding(k, d));
    }

    @ParameterizedTest(name = "dilation {0}")
    @ValueSource(ints = {1, 2, 3})
    void samePaddingKeepsTheSizeAtStrideOne(int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                int[] pad = Shapes.samePadding(k, d);
                assertEquals(Shapes.effectiveKernel(k, d) - 1, pad[0] + pad[1], "total d(k-1)");
                assertTrue(pad[1] - pad[0] == 0 || pad[1] - pad[0] == 1, "after gets the odd one");
                assertEquals(i, Shapes.outputSize(i, pad[0], pad[1], k, 1, d, false), "i=" + i + " k=" + k);
            }
        }
    }

    // ---------------------------------------------------------------- unvisited rows

    @ParameterizedTest(name = "i={0} k={1} s={2} p={3} -> {4}")
    @CsvSource({
            "9, 3, 2, 0, 0",
            "10, 3, 2, 0, 1",
            "11, 3, 4, 1, 2",   // of the padded input: 1 real row and 1 padding row
            "10, 3, 2, 1, 1",   // only the padding row
            "2, 3, 1, 0, 0"})   // does not fit at all
    void unvisitedWorkedValues(int i, int k, int s, int p, int expected) {
        assertEquals(expected, Shapes.unvisited(i, k, s, p, 1));
    }

    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void unvisitedIsWhatLiesAfterTheLastWindow(int s, int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= 3; p++) {
                    int o = Shapes.convOutput(i, k, s, p, d), u = Shapes.unvisited(i, k, s, p, d);
                    if (o >= 1) {
                        int lastEnd = (o - 1) * s + Shapes.effectiveKernel(k, d);
                        assertEquals(i + 2 * p - lastEnd, u, "i=" + i + " k=" + k + " s=" + s + " p=" + p);
                        assertTrue(u < s, "fewer than a stride");
                    }
                }
            }
        }
    }

    /** The real rows no window reads, found the slow way: every row against every tap of every window. */
    private static int[] rowsNoWindowReads(int i, int k, int s, int p, int d) {
        int o = Shapes.convOutput(i, k, s, p, d);
        List<Integer> never = new ArrayList<>();
        for (int row = 0; row < i; row++) {
            boolean read = false;
            for (int window = 0; window < o; window++) {
                for (int tap = 0; tap < k; tap++) {
                    read |= window * s + tap * d - p == row;
                }
            }
            if (!read) {
                never.add(row);
            }
        }
        return never.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void neverReadListsTheRowsNoWindowReads(int s, int d) {
        for (int i = 1; i <= 14; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= 3; p++) {
                    assertArrayEquals(rowsNoWindowReads(i, k, s, p, d), Shapes.neverRead(i, k, s, p, d),
                            "i=" + i + " k=" + k + " s=" + s + " p=" + p + " d=" + d);
                }
            }
        }
    }

    @Test
    void neverReadRefusesToMarkMoreRowsThanItCan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.neverRead(1 << 25, 3, 2, 0, 2));
        assertTrue(e.getMessage().startsWith("Shapes.neverRead: too many rows"), e.getMessage());
        assertArrayEquals(new int[] {(1 << 30) - 1}, Shapes.neverRead(1 << 30, 3, 2, 0, 1),
                "overlapping windows need no marking: the last row only");
    }

    // ---------------------------------------------------------------- the worked explanation

    @ParameterizedTest(name = "{4}")
    @CsvSource(delimiter = '|', value = {
            "9 | 3 | 2 | 0 | (9 − 3 + 2·0)/2 + 1 = 4",
            "9 | 3 | 1 | 0 | (9 − 3 + 2·0)/1 + 1 = 7",
            "8 | 3 | 1 | 0 | (8 − 3 + 2·0)/1 + 1 = 6",
            "9 | 3 | 1 | 1 | (9 − 3 + 2·1)/1 + 1 = 9",
            "7 | 3 | 3 | 1 | (7 − 3 + 2·1)/3 + 1 = 3"})
    void explainExactDivisionReadsLikeTheLecture(int i, int k, int s, int p, String text) {
        Explanation e = Shapes.explain(i, k, s, p);
        assertEquals(text, e.text());
        assertEquals(text, e.toString());
        assertEquals(Shapes.convOutput(i, k, s, p, 1), e.output());
        assertEquals(0, e.unvisited());
    }

    @Test
    void explainNonExactDivisionSaysWhichRowsAreNeverVisited() {
        Explanation e = Shapes.explain(10, 3, 2, 0);
        assertEquals("(10 − 3 + 2·0)/2 + 1 = ⌊7/2⌋ + 1 = 4\n"
                + "The division is not exact: the window never reaches the last 1 row of the input.", e.toString());
        assertEquals(4, e.output());
        assertEquals(1, e.unvisited());
    }

    @Test
    void explainListsTheRowsBetweenWindowsWhenTheStrideIsLongerThanTheWindow() {
        Explanation e = Shapes.explain(9, 3, 4, 0);   // 00-welcome's question: windows read rows 0-2 and 4-6
        assertEquals("(9 − 3 + 2·0)/4 + 1 = ⌊6/4⌋ + 1 = 2\n"
                + "The division is not exact: the window never reaches the last 2 rows of the input.\n"
                + "The stride (4) is longer than the window (3), so the 1 row between two windows is never read.\n"
                + "Rows never read, counting from 0: 3, 7 and 8 (3 of the input's 9 rows).", e.text());
        assertEquals(3, e.unvisited());

        Explanation exact = Shapes.explain(9, 3, 5, 2, 1, "column");
        assertEquals("(9 − 3 + 2·2)/5 + 1 = 3\n"
                + "The stride (5) is longer than the window (3), so the 2 columns between two windows are never read.\n"
                + "Columns never read, counting from 0: 1, 2, 6 and 7 (4 of the input's 9 columns).", exact.text());

        Explanation dilated = Shapes.explain(9, 3, 2, 0, 2);
        assertEquals("(9 + 2·0 − 2·(3 − 1) − 1)/2 + 1 = 3\n"
                + "With dilation 2 a window reads every 2nd row only, and with stride 2 the other windows do not"
                + " fill the gaps.\nRows never read, counting from 0: 1, 3, 5 and 7 (4 of the input's 9 rows).",
                dilated.text());

        assertTrue(Shapes.explain(100, 1, 3, 0).text().endsWith(": 1, 2, 4, 5, 7, 8, …, 98 (66 of the input's"
                + " 100 rows)."), "a long list is cut");
    }

    @Test
    void explainWithPaddingCountsTheRealRowsNeverVisited() {
        Explanation e = Shapes.explain(12, 4, 4, 1);
        assertEquals("(12 − 4 + 2·1)/4 + 1 = ⌊10/4⌋ + 1 = 3\nThe division is not exact: the window never reaches"
                + " the last 2 rows of the padded input (1 real row, 1 padding row).", e.text());
        assertEquals(3, e.output());
        assertEquals(1, e.unvisited());

        Explanation onlyPadding = Shapes.explain(10, 3, 2, 1);
        assertTrue(onlyPadding.text().endsWith("the last 1 row of the padded input (0 real rows, 1 padding row)."),
                onlyPadding.text());
        assertEquals(5, onlyPadding.output());
        assertEquals(0, onlyPadding.unvisited(), "every real row is visited");
    }

    @Test
    void explainAlongColumnsAndWithDilation() {
        Explanation columns = Shapes.explain(12, 5, 5, 0, 1, "column");
        assertEquals("(12 − 5 + 2·0)/5 + 1 = ⌊7/5⌋ + 1 = 2\n"
                + "The division is not exact: the window never reaches the last 2 columns of the input.",
                columns.text());
        assertEquals(2, columns.unvisited());

        Explanation dilated = Shapes.explain(9, 3, 1, 0, 2);
        assertEquals("(9 + 2·0 − 2·(3 − 1) − 1)/1 + 1 = 5", dilated.text());
        assertEquals(5, dilated.output());
    }

    @Test
    void explainSaysWhenTheWindowDoesNotFit() {
        Explanation e = Shapes.explain(2, 3, 1, 0);
        assertEquals(0, e.output());
        assertEquals(0, e.unvisited());
        assertTrue(e.text().startsWith("(2 − 3 + 2·0)/1 + 1 < 1: no output"), e.text());
        assertTrue(e.text().contains("the 3-row window is larger than the input's 2 rows"), e.text());
    }

    @Test
    void explainRejectsImpossibleSizes() {
        for (int[] bad : new int[][] {{0, 3, 1, 0, 1}, {5, 0, 1, 0, 1}, {5, 3, 0, 0, 1}, {5, 3, 1, -1, 1},
                {5, 3, 1, 0, 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Shapes.explain(bad[0], bad[1], bad[2], bad[3], bad[4]));
            assertTrue(e.getMessage().startsWith("Shapes.explain: "), e.getMessage());
        }
    }

    /** The size helpers a notebook calls name their arguments where "/ by zero" or a made-up size came out. */
    @Test
    void theSizeHelpersRejectArgumentsOutOfRange() {
        java.util.Map<String, org.junit.jupiter.api.function.Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("Shapes.convOutput", () -> Shapes.convOutput(9, 3, 0, 0, 1));
        calls.put("Shapes.poolOutput", () -> Shapes.poolOutput(9, 2, 0, 0, 1, false));
        calls.put("Shapes.outputSize", () -> Shapes.outputSize(9, 0, -1, 3, 1, 1, false));
        calls.put("Shapes.convTransposeOutput", () -> Shapes.convTransposeOutput(2, 3, 0, 0, 0, 1));
        calls.put("Shapes.convTransposeOutput ", () -> Shapes.convTransposeOutput(2, 3, 1, -5, 0, 1));
        calls.put("Shapes.convTransposeOutput  ", () -> Shapes.convTransposeOutput(2, 3, 2, 0, 5, 1));
        for (var call : calls.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call.getValue());
            assertTrue(e.getMessage().startsWith(call.getKey().strip() + ": "), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shapes.convTransposeOutput(2, 3, 2, 0, 5, 1))
                .getMessage().contains("output padding 5 must be smaller than the stride (2) or the dilation (1)"));
        assertEquals(0, Shapes.convOutput(2, 3, 1, 0, 1), "a window that does not fit is still the formula's 0");
        assertEquals(6, Shapes.convTransposeOutput(2, 3, 2, 0, 1, 1));
    }

    /** Over the whole grid the explanation agrees with the formulas it explains. */
    @ParameterizedTest(name = "stride {0}, dilation {1}")
    @MethodSource("strideAndDilation")
    void explainAgreesWithTheFormulas(int s, int d) {
        for (int i = 1; i <= 12; i++) {
            for (int k = 1; k <= 5; k++) {
                for (int p = 0; p <= 3; p++) {
                    Explanation e = Shapes.explain(i, k, s, p, d);
                    String what = "i=" + i + " k=" + k + " s=" + s + " p=" + p + " d=" + d + ": " + e;
                    int o = Shapes.convOutput(i, k, s, p, d), u = Shapes.unvisited(i, k, s, p, d);
                    assertEquals(o, e.output(), what);
                    assertTrue(o < 1 ? e.text().contains(" < 1: no output") : e.text().endsWith(" = " + o)
                            || e.text().contains(" = " + o + "\n"), what + ": states the output");
                    if (o >= 1) {
                        int[] never = rowsNoWindowReads(i, k, s, p, d);
                        assertEquals(never.length, e.unvisited(), what);
                        assertEquals(u > 0, e.text().contains("not exact"), what);
                        boolean gaps = never.length > Math.max(0, u - p);
                        assertEquals(gaps, e.text().contains("never read, counting from 0: "), what);
                    }
                    if (d == 1) {
                        String formula = "(" + i + " − " + k + " + 2·" + p + ")/" + s + " + 1 " + (o < 1 ? "<" : "=");
                        assertTrue(e.text().startsWith(formula), what);
                    } else {
                        assertFalse(e.text().startsWith("(" + i + " − "), what + ": dilation shows d(k − 1)");
                    }
                }
            }
        }
    }
}
