package cnnlab.bench;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code ./cnnlab bench --startup [--quick] [--readme]}: how long a student waits from starting the cnnlab kernel to
 * the first op's result, and what the first run on a new machine adds for unpacking ND4J's native libraries.
 *
 * <p>{@code bench/src/main/python/startup.py} starts the real kernel (as {@code ./cnnlab setup} installed it) a few
 * times in a row, each time running the notebooks' first two cells and one convolution, and times the three
 * steps. Its JVMs get a JavaCPP cache of their own in a new, empty folder: the first run unpacks the native
 * libraries into it, as on a new machine, and the runs after it find them there, as every later run does. The
 * folder (under build/bench, on the project's disk) is deleted afterwards. Writes {@code build/bench/startup.md}
 * and {@code startup.png}; {@code --readme} also puts them into the README and docs/bench/. A measurement, not a
 * test: it asserts nothing.
 */
final class StartupRun {
    static final String START = "<!-- startup:start (written by ./cnnlab bench --startup --readme) -->";
    static final String END = "<!-- startup:end -->";
    /** The empty JavaCPP cache's folder under build/bench: this, then a random suffix. */
    static final String CACHE_PREFIX = "startup-cache-";
    private static final double MB = 1 << 20;

    private StartupRun() {
    }

    /** One kernel's start: seconds until it answered, for the notebook's setup cells and for the first op. */
    record Run(boolean cold, double ready, double setup, double firstOp) {
        double total() {
            return ready + setup + firstOp;
        }
    }

    /**
     * What the script measured: its runs in order (the first cold if the cache started empty), the megabytes
     * unpacked into that cache by library, and the user's own cache with its size.
     */
    record Startup(List<Run> runs, Map<String, Double> unpackedMb, Path cache, double cacheMb) {
        List<Run> warm() {
            return runs.stream().filter(r -> !r.cold()).toList();
        }

        Run cold() {
            return runs.stream().filter(Run::cold).findFirst().orElse(null);
        }

        /** The warm runs' median of each step (each step's own median, so the steps add up to a typical start). */
        Run typical() {
            List<Run> warm = warm();
            return new Run(false, Bench.median(warm.stream().mapToDouble(Run::ready).toArray()),
                    Bench.median(warm.stream().mapToDouble(Run::setup).toArray()),
                    Bench.median(warm.stream().mapToDouble(Run::firstOp).toArray()));
        }

        double unpackedTotal() {
            return unpackedMb.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    static void run(Bench.Settings s, Path out) throws IOException, InterruptedException {
        String python = Bench.pythonWith("jupyter_client");
        if (python == null) {
            System.err.println("bench --startup: no python3 with Jupyter's libraries\nhint: ./cnnlab setup");
            System.exit(2);
            return;
        }
        int runs = s.quick() ? 2 : 4;
        Bench.say("startup: %d kernels in a row, the first unpacking the native libraries into an empty cache", runs);
        Files.createDirectories(out);   // the empty cache on the project's disk (a /tmp in memory would flatter it)
        deleteLeftovers(out);
        Path cache = Files.createTempDirectory(out, CACHE_PREFIX);
        Startup startup = null;
        try {
            List<String> command = List.of(python, s.root().resolve("bench/src/main/python/startup.py").toString(),
                    "--runs", Integer.toString(runs), "--cache-dir", cache.toString());
            startup = measure(command, runs, line -> Bench.say("  %s", line));
        } catch (IOException e) {
            System.err.println(e.getMessage());   // the script's own words; a stack trace would add nothing
        } finally {
            deleteTree(cache);
        }
        if (startup == null) {
            System.exit(1);
            return;
        }
        String machine = Machine.cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        String markdown = markdown(startup, machine);
        Files.writeString(out.resolve("startup.md"), markdown, StandardCharsets.UTF_8);
        BitmapEncoder.saveBitmap(chart(startup), out.resolve("startup.png").toString(),
                BitmapEncoder.BitmapFormat.PNG);
        System.out.println();
        System.out.println(markdown);
        if (s.readme()) {
            Bench.replaceReadmeBlock(s.root(), START, END,
                    "![kernel start to first op](docs/bench/startup.png)\n\n" + markdown);
            Bench.copy(out.resolve("startup.png"), s.root().resolve("docs/bench/startup.png"));
            Bench.say("README.md and docs/bench/startup.png updated");
        }
        Bench.say("wrote %s, %s", out.resolve("startup.md"), out.resolve("startup.png"));
    }

    /**
     * Runs the script ({@code command}, the tests give a stand-in), telling {@code progress} about each run as it
     * ends. Throws with the script's own error output if it fails or gives fewer than {@code runs} runs.
     */
    static Startup measure(List<String> command, int runs, Consumer<String> progress) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(command).start();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(p.getErrorStream(), errors), "cnnlab-startup-stderr");
        drain.start();
        List<Run> measured = new ArrayList<>();
        Map<String, Double> unpacked = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("RUN") && f.length == 5) {   // RUN cold|warm <ready> <setup> <first op>
                    Run r = new Run(f[1].equals("cold"), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]));
                    measured.add(r);
                    progress.accept(String.format(Locale.ROOT, "run %d/%d (%s cache): kernel ready %.2f s, "
                                    + "setup cells %.2f s, first op %.2f s", measured.size(), runs,
                            r.cold() ? "empty" : "warm", r.ready(), r.setup(), r.firstOp()));
                } else if (f[0].equals("UNPACKED") && f.length == 3) {   // UNPACKED <folder> <MB>
                    unpacked.put(f[1], Double.parseDouble(f[2]));
                }
            }
        }
        int exit = p.waitFor();
        drain.join();
        String err = errors.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).reduce((a, b) -> a + "\n" + b).orElse("");
        if (exit != 0 || measured.size() < runs) {
            throw new IOException("bench --startup: the kernel runs failed (exit " + exit + ", " + measured.size()
                    + " of " + runs + " runs)" + (err.isEmpty() ? "" : ":\n" + err));
        }
        Path cache = Loader.getCacheDir().toPath();
        return new Startup(measured, unpacked, cache, megabytes(cache));
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            // the process is gone; what came is kept
        }
    }

    static double megabytes(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            // a library's links to itself (libx.so -> libx.so.1) are not counted twice
            return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum() / MB;
        } catch (IOException | UncheckedIOException e) {
            return Double.NaN;
        }
    }

    /** The caches of runs stopped before they could delete theirs (Ctrl-C ends the JVM without its finally blocks). */
    static void deleteLeftovers(Path out) throws IOException {
        try (Stream<Path> entries = Files.list(out)) {
            for (Path old : entries.filter(p -> p.getFileName().toString().startsWith(CACHE_PREFIX)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Bench.say("startup: deleting %s, left by a run that was stopped", old.getFileName());
                deleteTree(old);
            }
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    static String markdown(Startup s, String machine) {
        StringBuilder b = new StringBuilder("| kernel | JavaCPP cache | kernel ready (s) | setup cells (s) "
                + "| first op (s) | start to first op (s) |\n|--:|---|--:|--:|--:|--:|\n");
        for (int i = 0; i < s.runs().size(); i++) {
            Run r = s.runs().get(i);
            b.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.2f |%n", i + 1,
                    r.cold() ? "empty (unpacks)" : "warm", r.ready(), r.setup(), r.firstOp(), r.total()));
        }
        Run typical = s.typical(), cold = s.cold();
        b.append('\n').append(String.format(Locale.ROOT, "Kernel start to the first op: %.1f s (the warm runs' "
                        + "medians: the kernel answers after %.1f s, the notebook's first two cells, `%%jars` and the "
                        + "imports with `Notebook.setup()`, take %.1f s, and the first op, a convolution, %.1f s).",
                typical.total(), typical.ready(), typical.setup(), typical.firstOp()));
        if (cold != null) {
            String parts = s.unpackedMb().entrySet().stream().filter(e -> e.getValue() >= 1)   // largest first
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format(Locale.ROOT, "%s %.0f MB", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
            b.append(String.format(Locale.ROOT, " The first run on a new machine unpacks %.0f MB of native libraries "
                            + "(%s) and took %.1f s, %.1f s more than a warm start.", s.unpackedTotal(), parts,
                    cold.total(), cold.total() - typical.total()));
        }
        b.append(String.format(Locale.ROOT, " The cache is `%s` (%.0f MB now), one per user, shared by the kernel, "
                + "the tests and every command.%n%n%s, the kernel as `./cnnlab setup` installs it (one OpenMP "
                + "thread unless `OMP_NUM_THREADS` is set); each run a new kernel, one after the other.%n",
                home(s.cache()), s.cacheMb(), machine));
        return b.toString();
    }

    /** The path with the user's home written as {@code ~}. */
    static String home(Path path) {
        Path home = Path.of(System.getProperty("user.home"));
        return path.startsWith(home) ? "~/" + home.relativize(path) : path.toString();
    }

    /** A stacked bar per kernel start: ready, setup cells, first op. */
    static CategoryChart chart(Startup s) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(420)
                .title("Kernel start to the first op, kernel by kernel").xAxisTitle("kernel (JavaCPP cache)")
                .yAxisTitle("seconds").build();
        var st = chart.getStyler();
        st.setStacked(true);
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setSeriesColors(new Color[] {new Color(0x9ecae1), new Color(0x3182bd), new Color(0xfd8d3c)});
        st.setYAxisDecimalPattern("0.0");
        List<String> labels = new ArrayList<>();
        List<Double> ready = new ArrayList<>(), setup = new ArrayList<>(), first = new ArrayList<>();
        for (int i = 0; i < s.runs().size(); i++) {
            Run r = s.runs().get(i);
            labels.add((i + 1) + (r.cold() ? " (empty: unpacks)" : " (warm)"));
            ready.add(r.ready());
            setup.add(r.setup());
            first.add(r.firstOp());
        }
        chart.addSeries("kernel ready", labels, ready);
        chart.addSeries("setup cells (%jars, imports, Notebook.setup())", labels, setup);
        chart.addSeries("first op (a convolution)", labels, first);
        return chart;
    }
}
