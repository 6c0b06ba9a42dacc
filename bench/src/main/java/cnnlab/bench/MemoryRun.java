package cnnlab.bench;

import cnnlab.data.Dataset;
import cnnlab.data.FashionMnist;
import cnnlab.nn.Activation;
import cnnlab.nn.Adam;
import cnnlab.nn.FitParams;
import cnnlab.nn.LeNet5;
import cnnlab.nn.Trainer;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ./cnnlab bench --memory [--quick] [--readme]}: the process's resident memory while the fast engine trains
 * LeNet-5 for {@value #EPOCHS} epochs in one {@code Trainer.fit} (Fashion-MNIST, 60,000 images an epoch; quick:
 * 6,400), read every {@value #SAMPLE_MILLIS} ms. ND4J keeps no count of its native memory on the CPU, so the
 * resident size is the measure: native arrays, the Java heap and the loaded libraries together, which is what a
 * notebook's kernel costs its machine. Writes {@code build/bench/memory.csv} (per epoch: seconds, resident size at
 * its end and its peak), {@code memory.png} (the whole trace) and {@code memory.md}; {@code --readme} also puts
 * the table into the README and the chart into docs/bench/. A measurement, not a test: it asserts nothing.
 */
final class MemoryRun {
    static final String START = "<!-- memory:start (written by ./cnnlab bench --memory --readme) -->";
    static final String END = "<!-- memory:end -->";
    static final int EPOCHS = 10;
    static final int SAMPLE_MILLIS = 100;
    private static final double MB = 1 << 20;

    private MemoryRun() {
    }

    /** The trace: seconds since the start of training and the resident size then, in MB. */
    record Trace(List<Double> seconds, List<Double> residentMb) {
        /** The largest sample in {@code [from, to)} seconds (the whole trace's last sample if none falls there). */
        double peak(double from, double to) {
            double peak = Double.NaN;
            for (int i = 0; i < seconds.size(); i++) {
                if (seconds.get(i) >= from && seconds.get(i) < to) {
                    peak = Double.isNaN(peak) ? residentMb.get(i) : Math.max(peak, residentMb.get(i));
                }
            }
            return peak;
        }

        /** The last sample at or before {@code t} seconds. */
        double at(double t) {
            double value = residentMb.isEmpty() ? Double.NaN : residentMb.get(0);
            for (int i = 0; i < seconds.size() && seconds.get(i) <= t; i++) {
                value = residentMb.get(i);
            }
            return value;
        }
    }

    /** Reads the resident size every {@value #SAMPLE_MILLIS} ms on a daemon thread until closed. */
    static final class Sampler implements AutoCloseable {
        private final List<Double> seconds = new ArrayList<>(), mb = new ArrayList<>();
        private final long start = System.nanoTime();
        private final LongSupplier residentBytes;
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(LongSupplier residentBytes) {
            this.residentBytes = residentBytes;
            sample();
            thread = new Thread(() -> {
                while (running) {
                    try {
                        Thread.sleep(SAMPLE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sample();
                }
            }, "cnnlab-memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            seconds.add((System.nanoTime() - start) / 1e9);
            mb.add(residentBytes.getAsLong() / MB);
        }

        /** The samples so far. */
        synchronized Trace trace() {
            return new Trace(List.copyOf(seconds), List.copyOf(mb));
        }

        /** Stops sampling, after one last sample. */
        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            sample();
        }
    }

    /**
     * Per epoch of {@code history} (Trainer's table, whose seconds column gives each epoch's wall-clock time
     * from the start of the trace): its seconds, the resident size at its end and its peak, in MB.
     */
    static Table perEpoch(Table history, Trace trace) {
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn seconds = DoubleColumn.create("seconds"), end = DoubleColumn.create("resident at end (MB)");
        DoubleColumn peak = DoubleColumn.create("peak (MB)");
        double from = 0;
        for (int i = 0; i < history.rowCount(); i++) {
            double s = history.numberColumn("seconds").getDouble(i), to = from + s;
            epoch.append(history.intColumn("epoch").getInt(i));
            seconds.append(s);
            end.append(trace.at(to));
            peak.append(trace.peak(from, to));
            from = to;
        }
        return Table.create("resident memory per epoch", epoch, seconds, end, peak);
    }

    /** Trains LeNet-5 on {@code data} for {@code epochs} epochs (batch 64, Adam 1e-3) and traces the resident size. */
    static Table measure(Dataset data, int epochs, List<Trace> traceOut) throws InterruptedException {
        var net = LeNet5.create(Activation.RELU, 1);
        Sampler sampler = new Sampler(Pointer::physicalBytes);
        Table history;
        try {
            history = Trainer.fit(net, new Adam(1e-3), data.images(), data.labels(),
                    FitParams.of(epochs, 64).withQuiet(true));
        } finally {
            sampler.close();
        }
        Trace trace = sampler.trace();
        traceOut.add(trace);
        return perEpoch(history, trace);
    }

    static void run(Bench.Settings s, Path out) throws IOException, InterruptedException {
        Dataset data;
        try {
            data = FashionMnist.load();
        } catch (RuntimeException e) {
            System.err.println("bench --memory: Fashion-MNIST is not available (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")\nhint: ./cnnlab data");
            System.exit(2);
            return;
        }
        int images = s.quick() ? 6_400 : Bench.EPOCH_IMAGES;
        Dataset slice = data.slice(0, images);
        Bench.say("memory: LeNet-5, fast engine, %d epochs of %,d images, %s; the resident size every %d ms",
                EPOCHS, images, Bench.threads(s.threads()), SAMPLE_MILLIS);
        List<Trace> traces = new ArrayList<>();
        Table table = measure(slice, EPOCHS, traces);
        Files.createDirectories(out);
        String note = note(table, images, s);
        table.write().csv(out.resolve("memory.csv").toFile());
        BitmapEncoder.saveBitmap(chart(traces.get(0), table, images), out.resolve("memory.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
        Files.writeString(out.resolve("memory.md"), markdown(table, note), StandardCharsets.UTF_8);
        System.out.println(markdown(table, note));
        if (s.readme()) {
            updateReadme(s.root(), markdown(table, note));
            Bench.copy(out.resolve("memory.png"), s.root().resolve("docs/bench/memory.png"));
            Bench.say("README.md and docs/bench/memory.png updated");
        }
        Bench.say("wrote %s, %s, %s", out.resolve("memory.csv"), out.resolve("memory.png"), out.resolve("memory.md"));
    }

    /** One line: what ran and how far the resident size moved from the end of epoch 1 to the end of the last. */
    static String note(Table t, int images, Bench.Settings s) {
        DoubleColumn end = t.doubleColumn("resident at end (MB)"), peak = t.doubleColumn("peak (MB)");
        int last = t.rowCount() - 1;
        return String.format(Locale.ROOT, "%d LeNet-5 epochs of %,d Fashion-MNIST images in one Trainer.fit (fast "
                        + "engine, batch 64, Adam, %s, %s): the resident size at the end of epoch 1 was "
                        + "%.0f MB and at the end of epoch %d %.0f MB (%+.0f MB); the highest sample was %.0f MB.",
                t.rowCount(), images, Bench.threads(s.threads()), Machine.describe(), end.getDouble(0), last + 1,
                end.getDouble(last), end.getDouble(last) - end.getDouble(0), peak.max());
    }

    static String markdown(Table t, String note) {
        StringBuilder b = new StringBuilder("| epoch | seconds | resident at its end (MB) | peak during it (MB) |\n"
                + "|--:|--:|--:|--:|\n");
        for (int i = 0; i < t.rowCount(); i++) {
            b.append(String.format(Locale.ROOT, "| %d | %.1f | %.0f | %.0f |%n", t.intColumn("epoch").getInt(i),
                    t.doubleColumn("seconds").getDouble(i), t.doubleColumn("resident at end (MB)").getDouble(i),
                    t.doubleColumn("peak (MB)").getDouble(i)));
        }
        return b.append('\n').append(note).append('\n').toString();
    }

    /** The resident size over time, with each epoch's end marked. */
    static XYChart chart(Trace trace, Table t, int images) {
        XYChart chart = new XYChartBuilder().width(900).height(420)
                .title(String.format(Locale.ROOT, "Resident memory while LeNet-5 trains (%d epochs of %,d images)",
                        t.rowCount(), images))
                .xAxisTitle("seconds since training started").yAxisTitle("resident size (MB)").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideSE);
        st.setYAxisMin(0.0);
        st.setSeriesColors(new Color[] {new Color(0x1f77b4), new Color(0xd62728)});
        chart.addSeries("resident size", trace.seconds(), trace.residentMb()).setMarker(SeriesMarkers.NONE);
        List<Double> ends = new ArrayList<>();
        double at = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            at += t.doubleColumn("seconds").getDouble(i);
            ends.add(at);
        }
        XYSeries marks = chart.addSeries("end of an epoch", ends,
                t.doubleColumn("resident at end (MB)").asList());
        marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    /** Replaces the README's text between {@link #START} and {@link #END}. */
    static void updateReadme(Path root, String markdown) throws IOException {
        Bench.replaceReadmeBlock(root, START, END, "![resident memory over ten epochs](docs/bench/memory.png)\n\n"
                + markdown);
    }
}
