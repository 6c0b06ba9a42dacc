package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.ops.ConvTransposeParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PaddingMode;
import cnnlab.ops.PoolParams;
import cnnlab.ops.Pooled;
import cnnlab.ops.RRelu;
import cnnlab.ops.RReluParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./cnnlab bench --engines}: every op of the {@code Ops} contract, with the parameter variants the labs
 * use, on the fast and the reference engine side by side: a batch the size of LeNet's first layer and (not with
 * {@code --quick}) a 512x512 colour photo. The table covers a few shapes against PyTorch; this one looks
 * for any op where the fast engine is not faster than the plain loops (median pooling and max-unpooling were 34x
 * and 29x slower once). The two engines take turns in one process ({@link OneDnnRoute#alternate}). Writes
 * {@code build/bench/engines.csv} and {@code engines.md}; rows where fast is not faster are marked.
 */
final class EngineAudit {
    private EngineAudit() {
    }

    /** One input size: the activations' and pooling input, and a convolution over it. */
    record Size(String name, long[] x, long[] weight) {
    }

    /** One timed op: its name, variant and call on a given engine. */
    record Row(String op, String variant, Function<Ops, Object> call) {
    }

    static final Size BATCH = new Size("batch 64x6x28x28", new long[] {64, 6, 28, 28}, new long[] {16, 6, 5, 5});

    static void run(boolean quick, Path out) throws IOException {
        double warmSeconds = quick ? 0.2 : 0.4, measureSeconds = quick ? 0.4 : 1.2;
        List<Size> sizes = new ArrayList<>(List.of(BATCH));
        if (!quick) {
            sizes.add(new Size("photo 1x3x512x512", new long[] {1, 3, 512, 512}, new long[] {8, 3, 7, 7}));
        }
        StringColumn op = StringColumn.create("op"), variant = StringColumn.create("variant");
        StringColumn size = StringColumn.create("size");
        DoubleColumn fastMs = DoubleColumn.create("cnnlab fast (ms)"), refMs = DoubleColumn.create("reference (ms)");
        DoubleColumn ratio = DoubleColumn.create("reference/fast");
        Ops fast = Cnn.fast(), reference = Cnn.reference();
        for (Size s : sizes) {
            List<Row> rows = rows(s);
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                List<Supplier<Object>> sides = List.of(() -> row.call().apply(fast), () -> row.call().apply(reference));
                OneDnnRoute.alternate(sides, warmSeconds);
                double[] ms = OneDnnRoute.alternate(sides, measureSeconds);
                op.append(row.op());
                variant.append(row.variant());
                size.append(s.name());
                fastMs.append(ms[0]);
                refMs.append(ms[1]);
                ratio.append(ms[1] / ms[0]);
                Bench.say("engines: %s [%d/%d] %-24s %-18s fast %9.3f ms, reference %9.3f ms, %6.2fx%s", s.name(),
                        i + 1, rows.size(), row.op(), row.variant(), ms[0], ms[1], ms[1] / ms[0],
                        ms[0] >= ms[1] ? "  <- fast not faster" : "");
            }
        }
        Table table = Table.create("every op on both engines", op, variant, size, fastMs, refMs, ratio);
        Files.createDirectories(out);
        table.write().csv(out.resolve("engines.csv").toFile());
        Files.writeString(out.resolve("engines.md"), markdown(table) + "\n" + Machine.describe() + ", "
                + Bench.threads(Nd4j.getEnvironment().maxThreads()) + " for each engine, " + (quick ? "quick" : "full")
                + " run; medians, the engines in turns.\n");
        long slower = ratio.asList().stream().filter(r -> r <= 1).count();
        Bench.say("%d of %d rows with the fast engine not faster than the reference; wrote %s and %s", slower,
                ratio.size(), out.resolve("engines.csv"), out.resolve("engines.md"));
    }

    /** Every op of the contract (a test checks none is missing), in the variants the labs use. */
    static List<Row> rows(Size s) {
        INDArray x = Nd4j.rand(DataType.FLOAT, s.x()).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, s.weight()).subi(0.5).divi(10);
        INDArray b = Nd4j.rand(DataType.FLOAT, s.weight()[0]);
        List<Row> rows = new ArrayList<>();
        for (var pool : List.of(new Object[] {"2", PoolParams.of(2)}, new Object[] {"3 s1 p1", PoolParams.of(3, 1, 1)},
                new Object[] {"3 s2 p1 ceil", PoolParams.of(3, 2, 1).withCeilMode(true)})) {
            String v = (String) pool[0];
            PoolParams p = (PoolParams) pool[1];
            Pooled pooled = Cnn.fast().maxPool2dWithIndices(x, p);
            INDArray g = Nd4j.rand(DataType.FLOAT, pooled.output().shape());
            long[] inputSize = {s.x()[2], s.x()[3]};
            rows.add(new Row("maxPool2d", v, o -> o.maxPool2d(x, p)));
            rows.add(new Row("maxPool2dWithIndices", v, o -> o.maxPool2dWithIndices(x, p)));
            rows.add(new Row("maxPool2dBackward", v, o -> o.maxPool2dBackward(x, g, p)));
            rows.add(new Row("maxPool2dBackward by indices", v,
                    o -> o.maxPool2dBackward(x, g, pooled.indices(), p)));
            rows.add(new Row("minPool2d", v, o -> o.minPool2d(x, p)));
            rows.add(new Row("minPool2dBackward", v, o -> o.minPool2dBackward(x, g, p)));
            rows.add(new Row("avgPool2d", v, o -> o.avgPool2d(x, p)));
            rows.add(new Row("avgPool2dBackward", v, o -> o.avgPool2dBackward(x, g, p)));
            rows.add(new Row("medianPool2d", v, o -> o.medianPool2d(x, p)));
            rows.add(new Row("maxUnpool2d", v, o -> o.maxUnpool2d(pooled.output(), pooled.indices(), p, inputSize)));
            if (p.paddingH() == 0) {
                rows.add(new Row("unpoolNearest", v, o -> o.unpoolNearest(pooled.output(), p)));
            }
        }
        INDArray gx = Nd4j.rand(DataType.FLOAT, s.x());
        INDArray alpha = Nd4j.valueArrayOf(new long[] {s.x()[1]}, 0.25f, DataType.FLOAT);
        RRelu drawn = Cnn.fast().rrelu(x, RReluParams.DEFAULT.training(7));
        rows.add(new Row("relu", "", o -> o.relu(x)));
        rows.add(new Row("reluBackward", "", o -> o.reluBackward(x, gx)));
        rows.add(new Row("leakyRelu", "0.01", o -> o.leakyRelu(x, 0.01)));
        rows.add(new Row("leakyReluBackward", "0.01", o -> o.leakyReluBackward(x, gx, 0.01)));
        rows.add(new Row("prelu", "per channel", o -> o.prelu(x, alpha)));
        rows.add(new Row("preluBackward", "per channel", o -> o.preluBackward(x, alpha, gx)));
        rows.add(new Row("rrelu", "training", o -> o.rrelu(x, RReluParams.DEFAULT.training(7))));
        rows.add(new Row("rreluBackward", "training", o -> o.rreluBackward(gx, drawn)));
        for (var conv : List.of(new Object[] {"default", ConvParams.DEFAULT},
                new Object[] {"stride 2, pad 2", ConvParams.of(2, 2)},
                new Object[] {"dilation 2", ConvParams.DEFAULT.withDilation(2)},
                new Object[] {"same, reflect", ConvParams.same().withPaddingMode(PaddingMode.REFLECT)})) {
            String v = (String) conv[0];
            ConvParams p = (ConvParams) conv[1];
            INDArray g = Nd4j.rand(DataType.FLOAT, Cnn.fast().conv2d(x, w, b, p).shape());
            rows.add(new Row("conv2d", v, o -> o.conv2d(x, w, b, p)));
            rows.add(new Row("conv2dBackward", v, o -> o.conv2dBackward(x, w, g, p)));
            rows.add(new Row("conv2dWeightBackward", v, o -> o.conv2dWeightBackward(x, w, g, p)));
        }
        INDArray wt = w.permute(1, 0, 2, 3).dup('c');                         // [C_in, C_out, kH, kW]: x's channels in
        ConvTransposeParams t = ConvTransposeParams.of(2, 1);
        INDArray gt = Nd4j.rand(DataType.FLOAT, Cnn.fast().convTranspose2d(x, wt, null, t).shape());
        rows.add(new Row("convTranspose2d", "stride 2, pad 1", o -> o.convTranspose2d(x, wt, null, t)));
        rows.add(new Row("convTranspose2dBackward", "stride 2, pad 1", o -> o.convTranspose2dBackward(x, wt, gt, t)));
        return rows;
    }

    private static String markdown(Table t) {
        StringBuilder md = new StringBuilder("| op | variant | size | cnnlab fast (ms) | reference (ms) | reference/fast |\n"
                + "|---|---|---|--:|--:|--:|\n");
        for (int r = 0; r < t.rowCount(); r++) {
            double ratio = t.doubleColumn(5).get(r);
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %s%.2fx%s |%n", t.stringColumn(0).get(r),
                    t.stringColumn(1).get(r), t.stringColumn(2).get(r), t.doubleColumn(3).get(r),
                    t.doubleColumn(4).get(r), ratio <= 1 ? "**" : "", ratio, ratio <= 1 ? "**" : ""));
        }
        return md.toString();
    }
}
