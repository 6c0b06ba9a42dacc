package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** The memory trace's bookkeeping on made-up samples, one short real run, and the README block. */
class MemoryRunTest {
    @TempDir
    Path root;

    @Test
    void epochsTakeTheirPeakAndTheirLastSampleFromTheTrace() {
        MemoryRun.Trace trace = new MemoryRun.Trace(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0),
                List.of(100.0, 300.0, 200.0, 250.0, 400.0, 220.0, 210.0));
        Table history = Table.create("history", IntColumn.create("epoch", 1, 2),
                DoubleColumn.create("seconds", 1.2, 1.7));       // epoch 1 ends at 1.2 s, epoch 2 at 2.9 s
        Table t = MemoryRun.perEpoch(history, trace);
        assertEquals(List.of(200.0, 220.0), t.doubleColumn("resident at end (MB)").asList());
        assertEquals(List.of(300.0, 400.0), t.doubleColumn("peak (MB)").asList());
        assertEquals(List.of(1.2, 1.7), t.doubleColumn("seconds").asList());
    }

    @Test
    void theSamplerReadsUntilClosed() throws InterruptedException {
        AtomicLong bytes = new AtomicLong(1 << 20);
        MemoryRun.Sampler sampler = new MemoryRun.Sampler(bytes::get);
        Thread.sleep(3 * MemoryRun.SAMPLE_MILLIS);
        bytes.set(3 << 20);
        sampler.close();
        MemoryRun.Trace trace = sampler.trace();
        int samples = trace.seconds().size();
        assertTrue(samples >= 3, "a first sample, some on the way and a last one: " + trace);
        assertEquals(1.0, trace.residentMb().get(0));
        assertEquals(3.0, trace.residentMb().get(samples - 1), "the last sample is taken at close");
        Thread.sleep(2 * MemoryRun.SAMPLE_MILLIS);
        assertEquals(samples, sampler.trace().seconds().size(), "no samples after close");
    }

    /** Two epochs on 256 random images: one row per epoch with sizes a JVM could have. */
    @Test
    void aShortRunGivesOneRowPerEpoch() throws InterruptedException {
        int[] labels = new int[256];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Dataset data = new Dataset("random", "test", Nd4j.rand(DataType.FLOAT, 256, 1, 28, 28), labels,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        List<MemoryRun.Trace> traces = new ArrayList<>();
        Table t = MemoryRun.measure(data, 2, traces);
        assertEquals(List.of(1, 2), t.intColumn("epoch").asList());
        for (double mb : t.doubleColumn("resident at end (MB)")) {
            assertTrue(mb > 50 && mb < 24_000, "resident size " + mb + " MB");
        }
        assertEquals(1, traces.size());
        String md = MemoryRun.markdown(t, "note");
        assertTrue(md.startsWith("| epoch | seconds | resident at its end (MB) | peak during it (MB) |"), md);
        assertTrue(md.contains("\n| 2 | "), md);
        assertEquals(900, org.knowm.xchart.BitmapEncoder.getBufferedImage(MemoryRun.chart(traces.get(0), t, 256))
                .getWidth());
    }

    @Test
    void theReadmeBlockIsReplacedAndAMissingOneIsReported() throws IOException {
        Path readme = root.resolve("README.md");
        Files.writeString(readme, "# x\n" + MemoryRun.START + "\nold\n" + MemoryRun.END + "\nafter\n");
        MemoryRun.updateReadme(root, "| new |\n");
        String text = Files.readString(readme);
        assertTrue(text.contains("![resident memory over ten epochs](docs/bench/memory.png)\n\n| new |\n"
                + MemoryRun.END + "\nafter"), text);
        assertTrue(!text.contains("old"), text);
        Files.writeString(readme, "# no block\n");
        IOException e = assertThrows(IOException.class, () -> MemoryRun.updateReadme(root, "x"));
        assertTrue(e.getMessage().contains("README.md has no"), e.getMessage());
    }
}
