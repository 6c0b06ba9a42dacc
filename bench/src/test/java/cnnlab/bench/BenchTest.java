package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's options, and what its JMH forks are given. */
class BenchTest {
    @Test
    void theOptionPicksTheRunAndTwoRunsAtOnceAreRefused() {
        Bench.Settings s = Bench.Settings.parse(new String[] {"--startup", "--quick", "--readme"});
        assertEquals(Bench.Task.STARTUP, s.task());
        assertTrue(s.quick() && s.readme());
        assertEquals(Bench.Task.TABLE, Bench.Settings.parse(new String[] {"--quick"}).task());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.Settings.parse(new String[] {"--memory", "--startup"}));
        assertEquals("bench: --memory and --startup are separate runs\n"
                + "hint: ./cnnlab bench --memory, then ./cnnlab bench --startup", e.getMessage());
    }

    @Test
    void theMedianOfOddAndEvenCountsAndOfNone() {
        assertEquals(2.0, Bench.median(3, 1, 2));
        assertEquals(2.5, Bench.median(4, 1, 3, 2));
        assertTrue(Double.isNaN(Bench.median()));
        double[] values = {3, 1, 2};
        Bench.median(values);
        assertEquals(3.0, values[0], "the caller's array is left as it was");
    }

    @Test
    void everyForkHasItsWholeHeapTheVectorApiAndTheRunsThreadCount() {
        List<String> args = Bench.forkArgs(new Bench.Settings(false, 3, false, true, Bench.Task.TABLE, Path.of(".")));
        String xms = args.stream().filter(a -> a.startsWith("-Xms")).findFirst().orElse("none");
        String xmx = args.stream().filter(a -> a.startsWith("-Xmx")).findFirst().orElse("none");
        assertEquals(xmx.substring(4), xms.substring(4), "a fixed heap: " + args);
        assertTrue(args.contains("-D" + Bench.THREADS + "=3") && args.contains("-D" + Bench.REFERENCE_THREADS + "=3"),
                args.toString());
        assertTrue(args.contains("--add-modules=jdk.incubator.vector"), "the fast engine's Vector API: " + args);
    }
}
