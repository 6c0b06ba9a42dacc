package cnnlab;

import cnnlab.ops.Ops;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * One op run on the reference and the fast engine: how far apart their answers are, and how long each takes
 * (the median of {@code repeats} calls after one warm-up call each). A measurement on this machine, at this
 * moment, not a promise: on a busy machine the numbers move, the ratio less than the times.
 * <pre>
 * jshell&gt; var photo = Images.sampleGrey("camera");
 * jshell&gt; EngineComparison.of("Sobel x on 512x512", ops -&gt; ops.conv2d(photo, Kernels.sobelX()), 5)
 * $2 ==&gt; Sobel x on 512x512: the engines agree to 4.8e-07 (largest |reference − fast|).
 *        The fast engine took 0.9 ms, the reference 38 ms: 42× faster (median of 5 calls each).
 * </pre>
 * (The numbers above are an illustration; run it to get yours.)
 *
 * @param label            what was run, for the sentence and the table
 * @param referenceMillis  median time of one reference call, in milliseconds
 * @param fastMillis       median time of one fast call, in milliseconds
 * @param maxAbsDifference the largest {@code |reference − fast|} over all output elements
 * @param repeats          timed calls per engine
 */
public record EngineComparison(String label, double referenceMillis, double fastMillis, double maxAbsDifference,
                               int repeats) {

    /**
     * Runs {@code call} on {@link Cnn#reference()} and {@link Cnn#fast()}, one warm-up call each, then
     * {@code repeats} timed calls each.
     *
     * @throws IllegalArgumentException if call is null, repeats &lt; 1, the call returns null, or the two engines
     *                                  return different shapes
     */
    public static EngineComparison of(String label, Function<Ops, INDArray> call, int repeats) {
        return of(label, call, repeats, Cnn.reference(), Cnn.fast());
    }

    /** {@link #of(String, Function, int)} on any two engines: {@code reference} first, then {@code fast}. */
    public static EngineComparison of(String label, Function<Ops, INDArray> call, int repeats, Ops reference,
                                      Ops fast) {
        if (call == null || reference == null || fast == null) {
            throw new IllegalArgumentException("EngineComparison.of: the call and both engines must not be null"
                    + " (" + label + ")");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("EngineComparison.of: repeats must be at least 1 but is " + repeats
                    + " (" + label + ")");
        }
        INDArray a = result(call, reference, label), b = result(call, fast, label);
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("EngineComparison.of: the engines return different shapes ("
                    + reference.name() + " " + Arrays.toString(a.shape()) + ", " + fast.name() + " "
                    + Arrays.toString(b.shape()) + ", " + label + ")");
        }
        double difference = a.length() == 0 ? 0
                : Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
        double referenceMs = median(call, reference, repeats), fastMs = median(call, fast, repeats);
        return new EngineComparison(label, referenceMs, fastMs, difference, repeats);
    }

    /** How many times faster the fast engine was: {@code referenceMillis / fastMillis}. */
    public double speedup() {
        return referenceMillis / Math.max(fastMillis, 1e-6);
    }

    /** The measurement as a one-row table: label, both times, the speed-up and the largest difference. */
    public Table table() {
        return Table.create("reference vs fast engine",
                StringColumn.create("op", label),
                printed(DoubleColumn.create("reference ms", round(referenceMillis, 3)), "0.000"),
                printed(DoubleColumn.create("fast ms", round(fastMillis, 3)), "0.000"),
                printed(DoubleColumn.create("fast is ×", round(speedup(), 1)), "0.0"),
                DoubleColumn.create("largest |difference|", Double.parseDouble(
                        String.format(Locale.ROOT, "%.2e", maxAbsDifference))));
    }

    /** The column printed with as many decimals in every row ("4.0" beside "1.8", not "4"). */
    private static DoubleColumn printed(DoubleColumn column, String pattern) {
        column.setPrintFormatter(new NumberColumnFormatter(new DecimalFormat(pattern,
                DecimalFormatSymbols.getInstance(Locale.ROOT))));
        return column;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: the engines agree to %.2g (largest |reference − fast|).\nThe fast"
                        + " engine took %s ms, the reference %s ms: %s× faster (median of %d call%s each).",
                label, maxAbsDifference, millis(fastMillis), millis(referenceMillis), times(speedup()), repeats,
                repeats == 1 ? "" : "s");
    }

    private static INDArray result(Function<Ops, INDArray> call, Ops ops, String label) {
        INDArray y = call.apply(ops);
        if (y == null) {
            throw new IllegalArgumentException("EngineComparison.of: the call returned null on the " + ops.name()
                    + " engine (" + label + ")");
        }
        return y;
    }

    private static double median(Function<Ops, INDArray> call, Ops ops, int repeats) {
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            call.apply(ops);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static String millis(double ms) {
        return ms >= 10 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.2g", ms);
    }

    private static String times(double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio);
    }
}
