package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** JavaArrays, GradientTable, Check.preview and how a CheckResult is written. */
@ExtendWith(Students.Spinners.class)
class CheckSupportTest {
    @Test
    void arraysRoundTripInPyTorchLayout() {
        INDArray x = Nd4j.arange(24).reshape(1, 2, 3, 4).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        double[][][] a = JavaArrays.toArray3(x);
        assertEquals(13, a[1][0][1]);    // c 1, row 0, column 1 = 12 + 1
        assertEquals(x, JavaArrays.toINDArray(a));
        assertArrayEquals(new long[] {1, 1, 2, 2}, JavaArrays.toINDArray(new double[][] {{1, 2}, {3, 4}}).shape());
        double[][][] filters = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{0, 0}, {0, 1}}};
        INDArray bank = JavaArrays.bank(filters);
        assertArrayEquals(new long[] {3, 1, 2, 2}, bank.shape());
        assertArrayEquals(filters[1][1], JavaArrays.filters(bank)[1][1]);
    }

    /** The stop button while a check waits: the check ends, nothing is graded, and the student's loop stops. */
    @Test
    void anInterruptEndsTheCheckAndStopsTheStudentsCall() throws Exception {
        Thread[] student = new Thread[1];
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                Call.run(() -> {
                    student[0] = Thread.currentThread();
                    return Students.spin();        // ignores interrupts, as a student's while (true) would
                }, 60);
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        cell.start();
        while (student[0] == null) {
            Thread.sleep(10);
        }
        cell.interrupt();
        cell.join(5000);
        assertFalse(cell.isAlive(), "the check ends at once, not after its 60 s limit");
        assertTrue(ended.get() instanceof CancellationException, String.valueOf(ended.get()));
        assertTrue(ended.get().getMessage().startsWith("Check: stopped by an interrupt (the stop button) while your"
                + " function ran; nothing was graded"), ended.get().getMessage());
        student[0].join(5000);
        assertFalse(student[0].isAlive(), "the student's loop is stopped too");
    }

    /** A call past its limit that ignores interrupts is stopped, not left to keep a core busy. */
    @Test
    void aCallPastItsLimitIsStopped() throws Exception {
        Thread[] student = new Thread[1];
        Call.Outcome out = Call.run(() -> {
            student[0] = Thread.currentThread();
            return Students.spin();
        }, 0.3);
        assertTrue(out.timedOut() && out.stopped(), out.toString());
        assertFalse(student[0].isAlive(), "the loop ended with the call");
    }

    /** A loop that spends its time in the toolkit's helpers, where it is not stopped from outside, ends at its next call. */
    @Test
    void aCallAskedToStopEndsAtItsNextHelper() throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt();   // as the time limit's cancel does
            try {
                JavaArrays.toINDArray(new double[] {1, 2});
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        t.start();
        t.join(5000);
        assertTrue(ended.get() instanceof CancellationException, String.valueOf(ended.get()));
        assertEquals(1, JavaArrays.toINDArray(new double[] {1}).length(), "a thread not asked goes on");
    }

    /** Stopped halfway, the toolkit's parallel loops, ND4J or the kernel's output could crash or spoil the session. */
    @Test
    void aCallIsStoppedOnlyInTheStudentsOwnCode() {
        StackTraceElement student = frame("REPL.$JShell$12$MyGrad", "grad", 3);
        StackTraceElement pool = frame("java.util.concurrent.FutureTask", "run", 1);
        assertTrue(Call.stoppable(new StackTraceElement[] {student, pool}));
        for (String inside : List.of("cnnlab.ops.Parallel", "org.nd4j.linalg.factory.Nd4j",
                "org.bytedeco.javacpp.Pointer", "cnnlab.kernel.JShellOutputStream",
                "org.rapaio.jupyter.kernel.channels.Channels")) {
            assertFalse(Call.stoppable(new StackTraceElement[] {frame(inside, "m", 1), student}), inside);
        }
    }

    @Test
    void aValuePlacedByItsInputShowsTheInputOnlyInAPublicCase() {
        Compare.Mismatch m = Compare.values(new double[] {1, 2}, new double[] {1, 3}, 0, 0,
                i -> "for x[" + i + "] = 0.731");
        assertEquals("wrong value for x[1] = 0.731: expected 2, got 3", m.shown());
        assertEquals("wrong value for x[1]", m.hidden(), "a hidden input's value stays hidden");
        assertEquals("wrong value at result[1] (shape [2])", Compare.values(new double[] {1, 2}, new double[] {1, 3},
                0, 0).hidden());
    }

    @Test
    void inputsAreWrittenAPlaneRowALineInColumns() {
        assertEquals("x[0] = [[ 3, -1,   0],\n        [-2,  4, 0.5]]\n"
                        + "x[1] = [[1, 2, 3],\n        [4, 5, 6]]\nb = [1, 2]",
                Cases.show("x", new double[][][] {{{3, -1, 0}, {-2, 4, 0.5}}, {{1, 2, 3}, {4, 5, 6}}}, "b",
                        new double[] {1, 2}));
        assertEquals("w = [[1, 2]]", Cases.show("w", new double[][] {{1, 2}}), "one row stays on its line");
        assertEquals("x = array of shape [20, 20]", Cases.show("x", new double[20][20]), "too big to write out");
    }

    @Test
    void raggedAndMisshapenArraysAreRejectedWithTheirShapes() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> JavaArrays.toINDArray(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().startsWith("toINDArray: the array is null or ragged"), ragged.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> JavaArrays.toArray3(Nd4j.zeros(2, 1, 3, 3)));
        assertTrue(batch.getMessage().contains("[2, 1, 3, 3]"), batch.getMessage());
        IllegalArgumentException colour = assertThrows(IllegalArgumentException.class,
                () -> JavaArrays.filters(Nd4j.zeros(4, 3, 5, 5)));
        assertTrue(colour.getMessage().startsWith("filters: expected a grey bank [K, 1, kH, kW] but got [4, 3, 5, 5]"));
    }

    @Test
    void anExceptionFromACellNamesTheMethodButNoLineOfJShellsWrapper() {
        assertEquals("MyConv.conv2d", Call.place(frame("REPL.$JShell$12$MyConv", "conv2d", 23)));
        assertEquals("conv2d", Call.place(frame("REPL.$JShell$14", "conv2d", 9)));
        assertEquals("a lambda in MyConv.conv2d", Call.place(frame("REPL.$JShell$12$MyConv", "lambda$conv2d$0", 30)));
        assertEquals("the cell's code", Call.place(frame("REPL.$JShell$16", "lambda$do_it$$0", 17)));
        assertEquals("the cell's code", Call.place(frame("REPL.$JShell$16", "do_it$", 17)));
        assertEquals("Student.conv2d, line 7", Call.place(frame("org.example.Student", "conv2d", 7)));

        Throwable t = new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 5");
        t.setStackTrace(new StackTraceElement[] {frame("REPL.$JShell$12$MyConv", "conv2d", 23),
                frame("cnnlab.check.Lab1Checks", "run", 80)});
        assertEquals("ArrayIndexOutOfBoundsException: Index 5 out of bounds for length 5 (in MyConv.conv2d)",
                Call.describe(t));
        Throwable npe = new NullPointerException("Cannot store to double array because \"REPL.$JShell$10D$MyConv.cache\""
                + " is null");
        npe.setStackTrace(new StackTraceElement[] {frame("REPL.$JShell$10D$MyConv", "conv2d", 2)});
        assertEquals("NullPointerException: Cannot store to double array because \"MyConv.cache\" is null (in"
                + " MyConv.conv2d)", Call.describe(npe), "the field as the student wrote it");
        // a hidden case keeps its message to itself, not the place
        assertEquals("ArrayIndexOutOfBoundsException (in MyConv.conv2d; message not shown for hidden cases)",
                Call.describeHidden(t));
        t.setStackTrace(new StackTraceElement[] {frame("java.util.Objects", "requireNonNull", 1)});
        assertEquals("ArrayIndexOutOfBoundsException (message not shown for hidden cases)", Call.describeHidden(t));
    }

    private static StackTraceElement frame(String className, String method, int line) {
        return new StackTraceElement(className, method, "#1", line);
    }

    @Test
    void gradientTableShowsDifferencesAndRelativeErrors() {
        Table t = GradientTable.of("check", new double[] {-1, 0, 2}, new double[] {0.1, 0.1, 1},
                new double[] {0.1, 0.55, 1});
        assertEquals(3, t.rowCount());
        assertEquals(List.of("x", "analytic", "numeric", "|difference|", "relative error"), t.columnNames());
        assertEquals(0.45, t.doubleColumn("|difference|").get(1), 1e-12);
        assertEquals(0.45 / 0.55, t.doubleColumn("relative error").get(1), 1e-12);
        assertEquals(0, t.doubleColumn("relative error").get(0));
        // errors print as decimals (0.45, not 4.5E-1); powers of ten only for the tiny ones
        assertEquals("0.45", t.doubleColumn("|difference|").getString(1));
        assertEquals("0.8182", t.doubleColumn("relative error").getString(1));
        assertEquals("0", t.doubleColumn("|difference|").getString(0));
        Table tiny = GradientTable.of("tiny", null, new double[] {1}, new double[] {1 + 2.5e-11});
        assertEquals("2.5E-11", tiny.doubleColumn("|difference|").getString(0));
        assertThrows(IllegalArgumentException.class, () -> GradientTable.of("x", null, new double[1], new double[2]));
    }

    @Test
    void previewGivesTheValueOrSaysWhyNot() {
        Object value = new Object();
        assertSame(value, Check.preview(() -> value, 5));
        assertEquals("preview not available: lab1 ex2: not implemented yet (write the exercise above first)",
                Check.preview(() -> {
                    throw new UnsupportedOperationException("lab1 ex2: not implemented yet");
                }, 5));
        int[] empty = new int[0];
        assertTrue(Check.preview(() -> empty[1], 5).toString()
                .startsWith("preview not available: it threw ArrayIndexOutOfBoundsException"));
        assertFalse(Check.preview(() -> empty[1], 5).toString().contains("hint"), "the student's own error: no hint");
        // a result of the wrong shape, refused by the toolkit that draws it ([oh][ow][K] for [K][oh][ow])
        String refused = Check.preview(() -> cnnlab.viz.Images.toImage(JavaArrays.toINDArray(new double[8][8][5])),
                5).toString();
        assertTrue(refused.startsWith("preview not available: it threw IllegalArgumentException: Images.toImage"),
                refused);
        assertTrue(refused.contains("\nhint: the toolkit could not draw your function's result: check that its shape"
                + " is the one the exercise asks for"), refused);
        long start = System.nanoTime();
        assertEquals("preview not available: still running after 0.3 s, so it was stopped (look for a loop that never"
                + " ends)", Check.preview(Students::spin, Students.LIMIT));
        assertTrue((System.nanoTime() - start) / 1e9 < 3);
    }

    @Test
    void resultEscapesHtmlAndJson() {
        CheckResult r = new Lab1Checks(() -> CheckConfig.publicOnly(Students.GENEROUS)).outputSize((i, k, s, p) -> {
            throw new IllegalStateException("<b>\"quoted\"</b>\nsecond line");
        });
        assertTrue(r.toHtml().contains("&lt;b&gt;&quot;quoted&quot;&lt;/b&gt;"), r.toHtml());
        assertFalse(r.toHtml().contains("<b>\""));
        String json = r.toJson();
        assertTrue(json.contains("\\\"quoted\\\""), json);
        assertFalse(json.contains("\n"));
        assertTrue(r.toString().startsWith("lab1 ex1 · output size: 0/2 points\nyour function threw an exception"),
                r.toString());
    }

    static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void stackOverflowAndOutOfMemoryAreReportedNotThrown() {
        CheckResult deep = new Lab1Checks(() -> CheckConfig.publicOnly(Students.GENEROUS))
                .outputSize((i, k, s, p) -> recurse(0));
        assertEquals(CheckResult.Status.ERROR, deep.status());
        assertTrue(deep.feedback().contains("threw StackOverflowError"), deep.feedback());
        CheckResult huge = new Lab1Checks(() -> CheckConfig.publicOnly(Students.GENEROUS))
                .conv2d((x, w, b, p) -> new double[Integer.MAX_VALUE - 8][1][1]);
        assertEquals(CheckResult.Status.ERROR, huge.status());
        assertTrue(huge.feedback().contains("threw OutOfMemoryError"), huge.feedback());
    }

    @Test
    void nullStudentFunctionIsAnErrorNotACrash() {
        CheckResult r = new Lab2Checks(() -> CheckConfig.publicOnly(Students.GENEROUS)).pooling(null);
        assertEquals(CheckResult.Status.ERROR, r.status());
        assertTrue(r.verdict().contains("no function was given"));
    }
}
