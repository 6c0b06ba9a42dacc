package cnnlab.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Outputs' memory coming back once they are dead. The test JVM runs with {@code cnnlab.recycle.poison} (every
 * output from {@link OutputMemory}, filled with NaN, which is what lets the parity tests catch an op that leaves
 * part of its output unwritten); the default mechanism runs in child JVMs.
 */
class OutputMemoryTest {

    @Test
    void theTestJvmPoisonsEveryOutputSoThatAnUnwrittenCellShows() {
        assertTrue(OutputMemory.POISON, "surefire sets cnnlab.recycle.poison");
        INDArray small = OutputMemory.floats(2, 3);
        assertEquals(6, small.length());
        for (int i = 0; i < 6; i++) {
            assertTrue(Float.isNaN(small.getFloat(i)), "cell " + i);
        }
        assertEquals(DataType.FLOAT, small.dataType());
        assertEquals('c', small.ordering());
    }

    /** Max-pool indices come from here too: int64, poisoned to -1 (no index) in the test JVM, read and written. */
    @Test
    void int64OutputsForIndices() {
        INDArray idx = OutputMemory.longs(2, 3, 4, 5);
        assertEquals(DataType.LONG, idx.dataType());
        assertArrayEquals(new long[] {2, 3, 4, 5}, idx.shape());
        for (int i = 0; i < 120; i++) {
            assertEquals(-1L, idx.getLong(i), "cell " + i);
        }
        idx.assign(Nd4j.arange(0, 120).castTo(DataType.LONG).reshape(2, 3, 4, 5));
        assertEquals(119L, idx.getLong(119));
        assertEquals(7140L, idx.sumNumber().longValue());
    }

    @Test
    void anOutputHasItsOwnMemoryThatOpsReadAndWrite() {
        INDArray a = OutputMemory.floats(3, 4, 5, 6);
        a.assign(Nd4j.arange(0, 360).castTo(DataType.FLOAT).reshape(3, 4, 5, 6));
        INDArray b = OutputMemory.floats(3, 4, 5, 6);
        b.assign(7);
        assertEquals(359f, a.getFloat(3 * 4 * 5 * 6 - 1));
        assertEquals(59.5f, a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).meanNumber().floatValue(), 1e-4f);
        assertEquals(7 * 360, b.sumNumber().doubleValue(), 1e-3);
    }

    @Test
    void deadOutputsMemoryComesBackAndLiveOutputsKeepTheirValues() throws Exception {
        Map<String, Long> stats = parse(ChildJvm.run(Loop.class, "-Xmx512m"));
        assertEquals(0, stats.get("wrong"), stats.toString());
        assertTrue(stats.get("collections") >= 3, stats.toString());
        // 400 outputs of 8 MB (40 kept): after the first collection most reuse a dead one's memory (69-90 fresh
        // in runs here; without reuse all 400 would be)
        assertTrue(stats.get("reused") >= 250, stats.toString());
        assertTrue(stats.get("allocated") <= 150, stats.toString());
    }

    @Test
    void turnedOffEveryOutputGetsNd4jsMemory() throws Exception {
        Map<String, Long> stats = parse(ChildJvm.run(Loop.class, "-Xmx512m", "-Dcnnlab.recycle=false"));
        assertEquals(0, stats.get("wrong"), stats.toString());
        assertEquals(0, stats.get("allocated") + stats.get("reused") + stats.get("collections"), stats.toString());
    }

    @Test
    void insideAWorkspaceOutputsAreTheWorkspaces() {
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(64L << 20).build();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "output-memory-test")) {
            assertTrue(OutputMemory.floats(4, 4).isAttached());
        }
        assertFalse(OutputMemory.floats(4, 4).isAttached());
    }

    private static Map<String, Long> parse(String out) {
        return out.lines().filter(l -> l.contains("=")).map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Long.parseLong(kv[1].trim())));
    }

    /**
     * 400 relu outputs of 8 MB each, on two threads at once (200 each), every tenth kept alive with a value of its
     * own; at the end the kept ones must still hold theirs, whatever memory the others reused.
     */
    public static final class Loop {
        public static void main(String[] args) throws Exception {
            Ops ops = Cnn.fast();
            java.util.concurrent.atomic.AtomicLong wrong = new java.util.concurrent.atomic.AtomicLong();
            Runnable half = () -> {
                List<INDArray> kept = new ArrayList<>();
                List<Float> values = new ArrayList<>();
                INDArray x = Nd4j.rand(DataType.FLOAT, 8, 16, 128, 128);
                for (int i = 0; i < 200; i++) {
                    INDArray y = ops.relu(i % 10 == 0 ? Nd4j.valueArrayOf(x.shape(), (float) i, DataType.FLOAT) : x);
                    if (i % 10 == 0) {
                        kept.add(y);
                        values.add((float) i);
                    }
                }
                for (int k = 0; k < kept.size(); k++) {
                    INDArray y = kept.get(k);
                    if (y.minNumber().floatValue() != values.get(k) || y.maxNumber().floatValue() != values.get(k)) {
                        wrong.incrementAndGet();
                    }
                }
            };
            Thread other = new Thread(half);
            other.start();
            half.run();
            other.join();
            OutputMemory.Stats s = OutputMemory.stats();
            System.out.println("wrong=" + wrong.get());
            System.out.println("allocated=" + s.allocated);
            System.out.println("reused=" + s.reused);
            System.out.println("collections=" + s.collections);
        }
    }
}
