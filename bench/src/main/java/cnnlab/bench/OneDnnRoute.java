package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./cnnlab bench --onednn}: issue 8's "other route", oneDNN called directly ({@link OneDnnConv}) against
 * the fast engine's {@code conv2d} (libnd4j, which runs its own build of oneDNN), on the forward convolutions of
 * {@link Case}. Both take the same arrays and return a new output; calls alternate between the two sides in one
 * process, so load on the machine hits both alike, and each side's median call is reported with the largest
 * difference between their outputs ({@link #alternate}). Writes {@code build/bench/onednn.csv} and {@code onednn.md}.
 */
final class OneDnnRoute {
    private OneDnnRoute() {
    }

    static void run(boolean quick, Path out) throws IOException {
        double warmSeconds = quick ? 0.3 : 1, measureSeconds = quick ? 1 : 4;
        Ops fast = Cnn.fast();
        StringColumn shape = StringColumn.create("shape"), kernel = StringColumn.create("oneDNN kernel");
        DoubleColumn fastMs = DoubleColumn.create("cnnlab fast (ms)"), directMs = DoubleColumn.create("oneDNN direct (ms)");
        DoubleColumn ratio = DoubleColumn.create("direct/fast"), diff = DoubleColumn.create("max |difference|");
        for (Case c : Case.values()) {
            if (c.kind() != Case.Kind.CONV) {
                continue;
            }
            Case.Inputs in = c.inputs(fast);
            try (OneDnnConv direct = new OneDnnConv(c.inputShape(), c.weightShape(), c.stride(), c.padding())) {
                Supplier<INDArray> ours = () -> c.forward(fast, in.x(), in.w(), in.b());
                Supplier<INDArray> theirs = () -> direct.forward(in.x(), in.w(), in.b());
                double largest = ours.get().sub(theirs.get()).amaxNumber().doubleValue();
                alternate(ours, theirs, warmSeconds);
                double[] medians = alternate(ours, theirs, measureSeconds);
                shape.append(c.shape());
                kernel.append(direct.kernel);
                fastMs.append(medians[0]);
                directMs.append(medians[1]);
                ratio.append(medians[1] / medians[0]);
                diff.append(largest);
                Bench.say("oneDNN route: %-50s fast %8.3f ms, direct %8.3f ms (%s), max |difference| %.1e", c.shape(),
                        medians[0], medians[1], direct.kernel, largest);
            }
        }
        Table table = Table.create("conv2d forward: libnd4j's oneDNN against oneDNN called directly", shape, kernel,
                fastMs, directMs, ratio, diff);
        Files.createDirectories(out);
        table.write().csv(out.resolve("onednn.csv").toFile());
        Files.writeString(out.resolve("onednn.md"), markdown(table) + "\n" + Machine.describe() + ", "
                + System.getenv("OMP_NUM_THREADS") + " OpenMP thread(s), " + (quick ? "quick" : "full") + " run.\n");
        System.out.println(table.printAll());
        Bench.say("wrote %s and %s", out.resolve("onednn.csv"), out.resolve("onednn.md"));
    }

    /**
     * Runs a for 0.2 s, then b for 0.2 s, and so on for about {@code seconds}; returns the median call of each, in ms.
     * Blocks rather than single calls take turns because two OpenMP pools and two copies of oneDNN share the
     * process: call by call, each side found the caches and the cores as the other had left them, which made
     * libnd4j's conv 1.5-2x slower than it is alone.
     */
    private static double[] alternate(Supplier<INDArray> a, Supplier<INDArray> b, double seconds) {
        List<Double> ta = new ArrayList<>(), tb = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ta.size() < 5 || System.nanoTime() < end) {
            block(a, ta);
            block(b, tb);
        }
        return new double[] {median(ta), median(tb)};
    }

    private static void block(Supplier<INDArray> f, List<Double> times) {
        long end = System.nanoTime() + 200_000_000L;
        do {
            times.add(timeMs(f));
        } while (System.nanoTime() < end);
    }

    private static double timeMs(Supplier<INDArray> f) {
        long t = System.nanoTime();
        f.get();
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String markdown(Table t) {
        StringBuilder md = new StringBuilder("| shape | oneDNN kernel | cnnlab fast (ms) | oneDNN direct (ms) | direct/fast"
                + " | max abs difference |\n|---|---|--:|--:|--:|--:|\n");
        for (int r = 0; r < t.rowCount(); r++) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.2fx | %.1e |%n", t.stringColumn(0).get(r),
                    t.stringColumn(1).get(r), t.doubleColumn(2).get(r), t.doubleColumn(3).get(r),
                    t.doubleColumn(4).get(r), t.doubleColumn(5).get(r)));
        }
        return md.toString();
    }
}
