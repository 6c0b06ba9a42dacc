package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up measurement's bookkeeping against shell stand-ins for startup.py (runs, unpacked libraries, a
 * failing script), its table and note, and one real start of the cnnlab kernel where it is installed.
 */
@Timeout(120)
class StartupRunTest {
    @TempDir
    Path dir;

    private List<String> script(String body) throws IOException {
        Path script = dir.resolve("startup.sh");
        Files.writeString(script, body);
        return List.of("sh", script.toString());
    }

    @Test
    void runsAndUnpackedLibrariesAreReadAsTheyCome() throws Exception {
        List<String> progress = new ArrayList<>();
        StartupRun.Startup s = StartupRun.measure(script("""
                echo "RUN cold 1.5 2.9 0.6"
                echo "some other line the kernel printed"
                echo "RUN warm 1.0 1.2 0.3"
                echo "RUN warm 1.4 1.1 0.4"
                echo "UNPACKED nd4j-native-onednn-avx2 352.5"
                echo "UNPACKED dnnl 57"
                echo "UNPACKED opencl 0.2"
                """), 3, progress::add);
        assertEquals(List.of(new StartupRun.Run(true, 1.5, 2.9, 0.6), new StartupRun.Run(false, 1.0, 1.2, 0.3),
                new StartupRun.Run(false, 1.4, 1.1, 0.4)), s.runs());
        assertEquals(3, progress.size(), "one line per run, as each ends");
        assertTrue(progress.get(0).startsWith("run 1/3 (empty cache)"), progress.get(0));
        assertEquals(Map.of("nd4j-native-onednn-avx2", 352.5, "dnnl", 57.0, "opencl", 0.2), s.unpackedMb());
        assertEquals(409.7, s.unpackedTotal(), 1e-9);
        StartupRun.Run typical = s.typical();
        assertEquals(1.2, typical.ready(), 1e-9, "medians of the warm runs only");
        assertEquals(1.15, typical.setup(), 1e-9);
        assertEquals(0.35, typical.firstOp(), 1e-9);
    }

    @Test
    void aFailingScriptGivesItsOwnErrorAndNotTheJvmNoise() throws Exception {
        IOException e = assertThrows(IOException.class, () -> StartupRun.measure(script("""
                echo "RUN cold 1.5 2.9 0.6"
                echo "Picked up JAVA_TOOL_OPTIONS: -Dorg.bytedeco.javacpp.cachedir=/tmp/x" >&2
                echo "startup: run 2: the first op failed: CompilationException: cannot find symbol" >&2
                exit 1
                """), 3, line -> { }));
        assertTrue(e.getMessage().contains("exit 1, 1 of 3 runs"), e.getMessage());
        assertTrue(e.getMessage().contains("the first op failed: CompilationException"), e.getMessage());
        assertFalse(e.getMessage().contains("Picked up"), e.getMessage());
    }

    @Test
    void tooFewRunsIsAFailureEvenWithExitZero() {
        IOException e = assertThrows(IOException.class,
                () -> StartupRun.measure(script("echo \"RUN warm 1 1 1\"\n"), 2, line -> { }));
        assertTrue(e.getMessage().contains("1 of 2 runs"), e.getMessage());
    }

    @Test
    void theTableAndTheNoteGiveEveryRunTheUnpackingAndTheCache() {
        Map<String, Double> unpacked = new LinkedHashMap<>();
        unpacked.put("dnnl", 57.0);
        unpacked.put("opencl", 0.2);
        unpacked.put("nd4j-native-onednn-avx2", 352.0);
        Path cache = Path.of(System.getProperty("user.home"), ".javacpp", "cache");
        StartupRun.Startup s = new StartupRun.Startup(List.of(new StartupRun.Run(true, 1.5, 2.9, 0.6),
                new StartupRun.Run(false, 1.0, 1.2, 0.3), new StartupRun.Run(false, 1.4, 1.1, 0.4)), unpacked,
                cache, 512);
        String md = StartupRun.markdown(s, "Some CPU, 2 cores");
        assertTrue(md.contains("| 1 | empty (unpacks) | 1.50 | 2.90 | 0.60 | 5.00 |"), md);
        assertTrue(md.contains("| 3 | warm | 1.40 | 1.10 | 0.40 | 2.90 |"), md);
        // typical warm start: 1.2 + 1.15 + 0.35 = 2.7 s; the cold one 5.0 s, 2.3 s more
        assertTrue(md.contains("Kernel start to the first op: 2.7 s"), md);
        assertTrue(md.contains("unpacks 409 MB of native libraries (nd4j-native-onednn-avx2 352 MB, dnnl 57 MB)"),
                md + "\nlargest first; under 1 MB left out of the list");
        assertTrue(md.contains("took 5.0 s, 2.3 s more than a warm start"), md);
        assertTrue(md.contains("The cache is `~/.javacpp/cache` (512 MB now)"), md);
        assertTrue(md.contains("Some CPU, 2 cores"), md);
    }

    @Test
    void withoutAnEmptyCacheThereIsNoColdRunToReport() {
        StartupRun.Startup s = new StartupRun.Startup(List.of(new StartupRun.Run(false, 1.0, 1.2, 0.3)), Map.of(),
                Path.of("/somewhere/cache"), 10);
        assertNull(s.cold());
        String md = StartupRun.markdown(s, "cpu");
        assertFalse(md.contains("unpacks"), md);
        assertTrue(md.contains("`/somewhere/cache`"), md);
    }

    @Test
    void aLibrarysLinksToItselfAreNotCountedTwice() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("cache/dnnl"));
        Files.write(lib.resolve("libdnnl.so.2"), new byte[1 << 20]);
        Files.createSymbolicLink(lib.resolve("libdnnl.so"), lib.resolve("libdnnl.so.2"));
        assertEquals(1.0, StartupRun.megabytes(dir.resolve("cache")), 1e-9);
        assertEquals(0.0, StartupRun.megabytes(dir.resolve("no such folder")));
    }

    @Test
    void aStoppedRunsCacheIsDeletedByTheNextAndNothingElse() throws Exception {
        Path left = Files.createDirectories(dir.resolve(StartupRun.CACHE_PREFIX + "123/nd4j-native"));
        Files.writeString(left.resolve("libnd4j.so"), "x");
        Files.writeString(dir.resolve("bench.csv"), "kept");
        Files.createDirectories(dir.resolve("other-folder"));
        StartupRun.deleteLeftovers(dir);
        assertFalse(Files.exists(dir.resolve(StartupRun.CACHE_PREFIX + "123")));
        assertTrue(Files.exists(dir.resolve("bench.csv")) && Files.isDirectory(dir.resolve("other-folder")));
    }

    @Test
    void theChartStacksTheThreeStepsOfEachRun() {
        StartupRun.Startup s = new StartupRun.Startup(List.of(new StartupRun.Run(true, 1.5, 2.9, 0.6),
                new StartupRun.Run(false, 1.0, 1.2, 0.3)), Map.of(), dir, 0);
        var chart = StartupRun.chart(s);
        assertTrue(chart.getStyler().isStacked());
        assertEquals(List.of("kernel ready", "setup cells (%jars, imports, Notebook.setup())",
                "first op (a convolution)"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertEquals(List.of("1 (empty: unpacks)", "2 (warm)"),
                new ArrayList<>(chart.getSeriesMap().get("kernel ready").getXData()));
    }

    @Test
    void theReadmeBlockIsReplaced() throws Exception {
        Files.writeString(dir.resolve("README.md"),
                "# x\n" + StartupRun.START + "\nold\n" + StartupRun.END + "\nrest\n");
        Bench.replaceReadmeBlock(dir, StartupRun.START, StartupRun.END, "new table\n");
        assertEquals("# x\n" + StartupRun.START + "\n\nnew table\n" + StartupRun.END + "\nrest\n",
                Files.readString(dir.resolve("README.md")));
    }

    /** The real script on the real kernel, one warm start, where ./cnnlab setup has installed it (CI has). */
    @Test
    void theRealKernelStartsAndRunsTheFirstOp() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path kernel = root.resolve("build/jupyter/kernels/cnnlab/kernel.json");
        String python = Bench.pythonWith("jupyter_client");
        assumeTrue(Files.isRegularFile(kernel) && python != null, "the cnnlab kernel is installed by ./cnnlab setup");
        List<String> command = List.of("env", "JUPYTER_PATH=" + root.resolve("build/jupyter"), python,
                root.resolve("bench/src/main/python/startup.py").toString(), "--runs", "1");
        StartupRun.Startup s = StartupRun.measure(command, 1, line -> { });
        StartupRun.Run r = s.runs().get(0);
        assertFalse(r.cold(), "no cache folder given: the usual, warm cache");
        assertTrue(r.ready() > 0 && r.setup() > 0 && r.firstOp() > 0, r.toString());
        assertTrue(s.unpackedMb().isEmpty());
    }
}
