package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./cnnlab bench --onednn}: issue 8's routes for the forward convolutions of {@link Case}, each against the
 * fast engine's {@code conv2d} (oneDNN called directly, {@code cnnlab.ops.nd4j.OneDnn}, where it loads): libnd4j's
 * own conv2d, which runs its own build of oneDNN and was the fast engine's route before, and libnd4j's conv2d in
 * NHWC layout with the input turned to NHWC and the output back to NCHW around it (the suspect "NHWC vs NCHW";
 * cnnlab's arrays are NCHW, as PyTorch's). All three take the same arrays and return a new output. They take turns
 * in one process ({@link #alternate}), so load on the machine hits them alike; each one's median call is reported,
 * with the largest difference between the outputs. Writes {@code build/bench/onednn.csv} and {@code onednn.md}.
 */
final class OneDnnRoute {
    private OneDnnRoute() {
    }

    static void run(boolean quick, Path out) throws IOException {
        double warmSeconds = quick ? 0.3 : 1, measureSeconds = quick ? 1 : 4;
        Ops fast = Cnn.fast();
        StringColumn shape = StringColumn.create("shape");
        DoubleColumn fastMs = DoubleColumn.create("cnnlab fast (ms)");
        DoubleColumn libnd4jMs = DoubleColumn.create("libnd4j conv2d (ms)");
        DoubleColumn ratio = DoubleColumn.create("libnd4j/fast"), diff = DoubleColumn.create("max |difference|");
        DoubleColumn nhwcMs = DoubleColumn.create("libnd4j NHWC (ms)"), nhwcRatio = DoubleColumn.create("NHWC/fast");
        for (Case c : Case.values()) {
            if (c.kind() != Case.Kind.CONV) {
                continue;
            }
            Case.Inputs in = c.inputs(fast);
            Supplier<INDArray> ours = () -> c.forward(fast, in.x(), in.w(), in.b());
            Supplier<INDArray> libnd4j = () -> libnd4jConv(c, in, false);
            Supplier<INDArray> nhwc = () -> libnd4jConv(c, in, true);
            INDArray want = ours.get();
            double largest = Math.max(want.sub(libnd4j.get()).amaxNumber().doubleValue(),
                    want.sub(nhwc.get()).amaxNumber().doubleValue());
            alternate(List.of(ours, libnd4j, nhwc), warmSeconds);
            double[] medians = alternate(List.of(ours, libnd4j, nhwc), measureSeconds);
            shape.append(c.shape());
            fastMs.append(medians[0]);
            libnd4jMs.append(medians[1]);
            ratio.append(medians[1] / medians[0]);
            nhwcMs.append(medians[2]);
            nhwcRatio.append(medians[2] / medians[0]);
            diff.append(largest);
            Bench.say("conv routes: %-50s fast %8.3f ms, libnd4j conv2d %8.3f ms, NHWC %8.3f ms,"
                    + " max |difference| %.1e", c.shape(), medians[0], medians[1], medians[2], largest);
        }
        Table table = Table.create("conv2d forward: the fast engine against libnd4j's conv2d, NCHW and NHWC",
                shape, fastMs, libnd4jMs, ratio, nhwcMs, nhwcRatio, diff);
        Files.createDirectories(out);
        table.write().csv(out.resolve("onednn.csv").toFile());
        Files.writeString(out.resolve("onednn.md"), markdown(table) + "\n" + Machine.describe() + ", "
                + "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", " + (quick ? "quick" : "full")
                + " run.\n");
        System.out.println(table.printAll());
        Bench.say("wrote %s and %s", out.resolve("onednn.csv"), out.resolve("onednn.md"));
    }

    /**
     * Runs each side for 0.2 s in turn, for about {@code seconds}; returns the median call of each, in ms. Blocks
     * rather than single calls take turns because two OpenMP pools and two copies of oneDNN share the process:
     * call by call, each side found the caches and the cores as the other had left them, which made libnd4j's
     * conv 1.5-5x slower than it is alone.
     */
    static double[] alternate(List<? extends Supplier<?>> sides, double seconds) {
        List<List<Double>> times = new ArrayList<>();
        sides.forEach(side -> times.add(new ArrayList<>()));
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (times.get(0).size() < 5 || System.nanoTime() < end) {
            for (int i = 0; i < sides.size(); i++) {
                block(sides.get(i), times.get(i));
            }
        }
        return times.stream().mapToDouble(OneDnnRoute::median).toArray();
    }

    /**
     * libnd4j's conv2d, as the fast engine called it before: in NCHW, or in NHWC (its data-format code 1) fed and read
     * through NCHW copies, as an engine would.
     */
    private static INDArray libnd4jConv(Case c, Case.Inputs in, boolean nhwc) {
        long[] w = c.weightShape(), x = c.inputShape();
        long oh = (x[2] + 2L * c.padding() - w[2]) / c.stride() + 1;
        long ow = (x[3] + 2L * c.padding() - w[3]) / c.stride() + 1;
        INDArray input = nhwc ? in.x().permute(0, 2, 3, 1).dup('c') : in.x();
        INDArray out = nhwc ? Nd4j.createUninitialized(DataType.FLOAT, x[0], oh, ow, w[0])
                : Nd4j.createUninitialized(DataType.FLOAT, x[0], w[0], oh, ow);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(input, in.w(), in.b()).addOutputs(out)
                .addIntegerArguments((int) w[2], (int) w[3], c.stride(), c.stride(), c.padding(), c.padding(), 1, 1, 0,
                        nhwc ? 1 : 0, 1).build());
        return nhwc ? out.permute(0, 3, 1, 2).dup('c') : out;
    }

    private static void block(Supplier<?> f, List<Double> times) {
        long end = System.nanoTime() + 200_000_000L;
        do {
            times.add(timeMs(f));
        } while (System.nanoTime() < end);
    }

    private static double timeMs(Supplier<?> f) {
        long t = System.nanoTime();
        f.get();
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(List<Double> values) {
        return Bench.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String markdown(Table t) {
        StringBuilder md = new StringBuilder("| shape | cnnlab fast (ms) | libnd4j conv2d (ms) | libnd4j/fast"
                + " | libnd4j NHWC (ms) | NHWC/fast | max abs difference |\n|---|--:|--:|--:|--:|--:|--:|\n");
        for (int r = 0; r < t.rowCount(); r++) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx | %.3f | %.2fx | %.1e |%n",
                    t.stringColumn(0).get(r), t.doubleColumn(1).get(r), t.doubleColumn(2).get(r),
                    t.doubleColumn(3).get(r), t.doubleColumn(4).get(r), t.doubleColumn(5).get(r),
                    t.doubleColumn(6).get(r)));
        }
        return md.toString();
    }
}
