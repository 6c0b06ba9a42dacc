package cnnlab.bench;

import cnnlab.ops.OutputMemory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** The run's results as a Tablesaw table, its CSV, a Markdown table for the README, and a bar chart. */
final class Report {
    static final String START = "<!-- bench:start (written by ./cnnlab bench --readme) -->";
    static final String END = "<!-- bench:end -->";

    private final Table table;
    private final String notes;
    private final BufferedImage chart;
    private final String run;

    private Report(Table table, String notes, BufferedImage chart, String run) {
        this.run = run;
        this.table = table;
        this.notes = notes;
        this.chart = chart;
    }

    static Report of(Bench.Results r, Bench.Settings s) {
        StringColumn op = StringColumn.create("op"), shape = StringColumn.create("shape");
        StringColumn pass = StringColumn.create("pass");
        DoubleColumn fast = DoubleColumn.create("cnnlab fast"), reference = DoubleColumn.create("cnnlab reference");
        DoubleColumn torch = DoubleColumn.create("PyTorch"), fastTorch = DoubleColumn.create("fast/PyTorch");
        DoubleColumn refFast = DoubleColumn.create("reference/fast");
        for (List<String> key : r.keys()) {
            double f = r.get(key, Bench.Results.FAST), ref = r.get(key, Bench.Results.REFERENCE);
            double t = r.get(key, Bench.Results.TORCH);
            op.append(key.get(0));
            shape.append(key.get(1));
            pass.append(key.get(2));
            fast.append(f);
            reference.append(ref);
            torch.append(t);
            fastTorch.append(f / t);
            refFast.append(ref / f);
        }
        Table table = Table.create("cnnlab bench (ms)", op, shape, pass, fast, reference, torch, fastTorch, refFast);

        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "%s, %s run, %s, %s on every side.",
                LocalDate.now(ZoneOffset.UTC), s.quick() ? "quick" : "full", Machine.describe(),
                Bench.threads(s.threads())));
        notes.add("Times in ms per call (the LeNet-5 rows: ms per epoch of 60,000 images). Both engines: JMH "
                + "sample time, median call"
                + (s.quick() ? " in-process (2 x 0.3 s warm-up, 3 x 0.5 s)" : ", one fork per benchmark (3 x 1 s "
                + "warm-up, 5 x 1 s)") + "; PyTorch: median call after warm-up, backward = the aten "
                + "*_backward kernel alone.");
        if (!r.lenetImages.isEmpty()) {
            notes.add(String.format(Locale.ROOT, "LeNet-5: %d epochs in one fit, each timed once (cnnlab's first "
                    + "includes the JIT compiling the training loop), on the first %,d images (fast, PyTorch) and "
                    + "%,d images (reference), scaled to 60,000.", Bench.Results.EPOCHS.size(),
                    r.lenetImages.get(Bench.Results.FAST),
                    r.lenetImages.get(Bench.Results.REFERENCE)));
        }
        if (!r.lenetNote.isEmpty()) {
            notes.add(r.lenetNote);
        }
        notes.add("PyTorch: " + (r.torchNote.isEmpty() ? "not run" : r.torchNote) + ".");
        rotatingNote(r).ifPresent(notes::add);
        return new Report(table, String.join("\n", notes), chart(table, runName(s)), runName(s));
    }

    /**
     * The rows PyTorch also ran writing into a ring of outputs, as one note: cnnlab's outputs come back only after
     * a collection, so between two they rotate through about 512 MB of blocks that are no longer in cache, while
     * PyTorch's next output reuses the block its last one freed. The ring puts PyTorch's kernel in cnnlab's
     * conditions; fast/ring compares the kernels alone.
     */
    static Optional<String> rotatingNote(Bench.Results r) {
        List<String> parts = new ArrayList<>();
        int outputs = 0;
        for (Map.Entry<List<String>, Bench.Ring> e : r.rotating.entrySet()) {
            List<String> key = e.getKey();
            double ring = e.getValue().ms(), fast = r.get(key, Bench.Results.FAST);
            outputs = e.getValue().outputs();
            parts.add(String.format(Locale.ROOT, "%s %s %.2f ms (fast/that %s)", key.get(0), key.get(2), ring,
                    Double.isNaN(fast) ? "–" : String.format(Locale.ROOT, "%.2fx", fast / ring)));
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "PyTorch writing each output into the next of %d "
                + "preallocated ones (cnnlab's outputs come back only after a collection, so they rotate through "
                + "about %d MB of blocks; PyTorch's next output reuses the block its last one freed, still in "
                + "cache): %s.", outputs, OutputMemory.BUDGET_MB, String.join("; ", parts)));
    }

    /**
     * The issue's target for a row's fast/PyTorch ratio: 1.0 for forward convolution, 1.5 for the rest (backward
     * convolution, pooling, each LeNet-5 epoch). Relu has none: null.
     */
    static Double torchTarget(String op, String pass) {
        if (op.equals("relu")) {
            return null;
        }
        return op.startsWith("conv") && pass.equals("forward") ? 1.0 : 1.5;
    }

    /** The issue's bound on the reference engine's time over the fast engine's. */
    static final double REFERENCE_TARGET = 30;

    /**
     * Two bar charts side by side: the fast engine's time over PyTorch's per row, and the reference engine's time
     * over the fast one's. Each bar is coloured by whether it is within its row's target, over it, or has none,
     * and the target is a dash across its bar.
     */
    private static BufferedImage chart(Table t, String run) {
        List<String> labels = new ArrayList<>();
        List<Double> fastTorch = new ArrayList<>(), torchTarget = new ArrayList<>();
        List<Double> refFast = new ArrayList<>(), refTarget = new ArrayList<>();
        boolean anyTorch = false;
        for (int i = 0; i < t.rowCount(); i++) {
            String op = t.stringColumn("op").get(i), pass = t.stringColumn("pass").get(i);
            labels.add(label(op, t.stringColumn("shape").get(i), pass));
            double ft = t.doubleColumn("fast/PyTorch").getDouble(i), rf = t.doubleColumn("reference/fast").getDouble(i);
            anyTorch |= !Double.isNaN(ft);
            fastTorch.add(Double.isNaN(ft) ? null : ft);
            torchTarget.add(torchTarget(op, pass));
            refFast.add(Double.isNaN(rf) ? null : rf);
            refTarget.add(REFERENCE_TARGET);
        }
        CategoryChart left = bars("cnnlab fast ÷ PyTorch (" + run + "; lower is faster)", "fast time / PyTorch time",
                labels, fastTorch, torchTarget, "target", new Color(0x1f77b4), 6);
        CategoryChart right = bars("cnnlab reference ÷ fast (" + run + ")", "reference time / fast time", labels,
                refFast, refTarget, "target (" + (int) REFERENCE_TARGET + "x)", new Color(0x888888), 100);
        int w = 900, h = 720;
        BufferedImage image = new BufferedImage(anyTorch ? 2 * w : w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        if (anyTorch) {
            g.drawImage(BitmapEncoder.getBufferedImage(left), 0, 0, null);
        }
        g.drawImage(BitmapEncoder.getBufferedImage(right), anyTorch ? w : 0, 0, null);
        g.dispose();
        return image;
    }

    /** Where a bar stands against its target; null values (not measured) draw no bar. */
    enum Standing {
        WITHIN("within target"), OVER("over target"), NONE("no target");

        final String legend;

        Standing(String legend) {
            this.legend = legend;
        }

        static Standing of(double value, Double target) {
            return target == null ? NONE : value <= target ? WITHIN : OVER;
        }
    }

    private static final Color OVER_COLOUR = new Color(0xff7f0e), NONE_COLOUR = new Color(0xc7c7c7);

    private static CategoryChart bars(String title, String yTitle, List<String> labels, List<Double> values,
                                      List<Double> targets, String targetName, Color within, double cut) {
        // one outlier would flatten every other bar: the axis stops at `cut`, and the bar's label keeps its value
        boolean cutting = values.stream().anyMatch(v -> v != null && v > cut);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            Double v = values.get(i);
            names.add(labels.get(i) + (v != null && v > cut ? String.format(Locale.ROOT, " [%.0fx, cut]", v) : ""));
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(720).title(title)
                .yAxisTitle(yTitle + (cutting ? " (axis cut at " + (int) cut + ")" : ""))
                .build();
        if (cutting) {
            chart.getStyler().setYAxisMax(cut);
        } else {    // room above the highest bar or target for the legend, which would sit on them
            double top = Stream.concat(values.stream(), targets.stream())
                    .filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(1);
            chart.getStyler().setYAxisMax(1.4 * top);
        }
        chart.getStyler().setYAxisMin(0.0);
        var st = chart.getStyler();
        st.setXAxisLabelRotation(90);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setChartBackgroundColor(Color.WHITE);
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        st.setLabelsVisible(true);
        st.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        st.setLabelsPosition(0.1);   // each value low in its bar, clear of the target's dash
        st.setDecimalPattern("#0.0#");
        st.setOverlapped(true);
        st.setMarkerSize(16);
        for (Standing standing : Standing.values()) {
            List<Double> these = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                Double v = values.get(i);
                these.add(v != null && Standing.of(v, targets.get(i)) == standing ? v : null);
            }
            if (these.stream().anyMatch(Objects::nonNull)) {
                chart.addSeries(standing.legend, names, these).setFillColor(
                        standing == Standing.WITHIN ? within : standing == Standing.OVER ? OVER_COLOUR : NONE_COLOUR);
            }
        }
        if (targets.stream().anyMatch(Objects::nonNull)) {
            var dashes = chart.addSeries(targetName, names, targets);
            dashes.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
            dashes.setLineStyle(SeriesLines.NONE);
            dashes.setMarker(new Dash());
            dashes.setMarkerColor(new Color(0x222222));
        }
        return chart;
    }

    /** A target: a thick dash about a bar's width, centred on the point. */
    private static final class Dash extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            g.setStroke(new BasicStroke(3f));
            g.draw(new Line2D.Double(x - size, y, x + size, y));
        }
    }

    private static String label(String op, String shape, String pass) {
        if (op.equals(Bench.Results.LENET_OP)) {
            return "LeNet-5 " + pass;
        }
        for (Case c : Case.values()) {
            if (c.op().equals(op) && c.shape().equals(shape)) {
                return c.label() + (pass.equals("forward") ? " fwd" : " bwd");
            }
        }
        return op + " " + pass;
    }

    private static String runName(Bench.Settings s) {
        return Bench.threads(s.threads()) + ", " + (s.quick() ? "quick" : "full") + " run";
    }

    /** The report of the last run, read back from {@code dir} (bench.csv and bench-notes.txt). */
    static Report load(Path dir) throws IOException {
        Path csv = dir.resolve("bench.csv"), notes = dir.resolve("bench-notes.txt");
        if (!Files.isReadable(csv) || !Files.isReadable(notes)) {
            throw new IOException("bench: no results in " + dir + "\nhint: run ./cnnlab bench first");
        }
        Table t = Table.read().csv(CsvReadOptions.builder(csv.toFile()).columnTypes(column -> switch (column) {
            case "op", "shape", "pass" -> ColumnType.STRING;
            default -> ColumnType.DOUBLE;
        }).build());
        List<String> lines = Files.readAllLines(notes, StandardCharsets.UTF_8);
        return new Report(t, String.join("\n", lines.subList(1, lines.size())), chart(t, lines.get(0)), lines.get(0));
    }

    void write(Path dir) throws IOException {
        Files.writeString(dir.resolve("bench-notes.txt"), run + "\n" + notes + "\n", StandardCharsets.UTF_8);
        table.write().csv(dir.resolve("bench.csv").toFile());
        ImageIO.write(chart, "png", dir.resolve("bench.png").toFile());
        Files.writeString(dir.resolve("bench.md"), markdown(), StandardCharsets.UTF_8);
    }

    /** The printed form: a fixed-width table and the notes. */
    String text() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %-50s %-8s %12s %12s %12s %9s %9s%n",
                "op", "shape", "pass", "fast ms", "reference ms", "PyTorch ms", "fast/PT", "ref/fast"));
        for (int i = 0; i < table.rowCount(); i++) {
            b.append(String.format(Locale.ROOT, "%-16s %-50s %-8s %12s %12s %12s %9s %9s%n",
                    table.stringColumn("op").get(i), table.stringColumn("shape").get(i),
                    table.stringColumn("pass").get(i), num(table, "cnnlab fast", i), num(table, "cnnlab reference", i),
                    num(table, "PyTorch", i), ratio(table, "fast/PyTorch", i), ratio(table, "reference/fast", i)));
        }
        return b.append(notes).append('\n').toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder("| op | shape | pass | cnnlab fast (ms) | cnnlab reference (ms) | "
                + "PyTorch (ms) | fast/PyTorch | reference/fast |\n|---|---|---|--:|--:|--:|--:|--:|\n");
        for (int i = 0; i < table.rowCount(); i++) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    table.stringColumn("op").get(i), table.stringColumn("shape").get(i),
                    table.stringColumn("pass").get(i), num(table, "cnnlab fast", i), num(table, "cnnlab reference", i),
                    num(table, "PyTorch", i), ratio(table, "fast/PyTorch", i), ratio(table, "reference/fast", i)));
        }
        b.append('\n');
        notes.lines().forEach(l -> b.append(l).append("\n\n"));
        return b.toString();
    }

    private static String num(Table t, String column, int i) {
        double v = t.doubleColumn(column).getDouble(i);
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String ratio(Table t, String column, int i) {
        double v = t.doubleColumn(column).getDouble(i);
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v >= 10 ? "%.0fx" : "%.2fx", v);
    }

    /** Replaces the README's text between {@link #START} and {@link #END}, and copies the chart to docs/bench/. */
    void updateReadme(Path root) throws IOException {
        Bench.replaceReadmeBlock(root, START, END, "![cnnlab vs PyTorch](docs/bench/bench.png)\n\n" + markdown());
        Bench.copy(root.resolve("build/bench/bench.png"), root.resolve("docs/bench/bench.png"));
    }
}
