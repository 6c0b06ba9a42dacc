package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's outputs from made-up timings: the ratios, the CSV round trip, the chart and the README block. */
class ReportTest {
    @TempDir
    Path root;

    private Report report() {
        Bench.Results r = new Bench.Results();
        Case alex = Case.CONV_ALEXNET;
        r.put(alex.op(), alex.shape(), "forward", Bench.Results.FAST, 2.0);
        r.put(alex.op(), alex.shape(), "forward", Bench.Results.REFERENCE, 60.0);
        r.put(alex.op(), alex.shape(), "forward", Bench.Results.TORCH, 4.0);
        r.torchNote = "torch 1.13, 1 thread";
        return Report.of(r, new Bench.Settings(true, 1, false, true, Bench.Task.TABLE, root));
    }

    @Test
    void ratiosAreFastOverPyTorchAndReferenceOverFast() {
        String md = report().markdown();
        assertTrue(md.contains("| conv2d | AlexNet conv1: 1x3x227x227, 96x3x11x11, stride 4 | forward "
                + "| 2.00 | 60.0 | 4.00 | 0.50x | 30x |"), md);
        assertTrue(md.contains("| relu | 8x64x112x112 | backward | – | – | – | – | – |"),
                "unmeasured rows: " + md);
    }

    @Test
    void threadCountsReadAsWords() {
        assertEquals("1 thread", Bench.threads(1));
        assertEquals("2 threads", Bench.threads(2));
        assertTrue(report().markdown().contains(", 1 thread on every side."), report().markdown());
    }

    @Test
    void theRingTimesMakeOneNoteWithFastOverThem() {
        Bench.Results r = new Bench.Results();
        assertTrue(Report.rotatingNote(r).isEmpty(), "no note without ring times");
        Case max = Case.MAX_POOL, relu = Case.RELU;
        r.put(max.op(), max.shape(), "backward", Bench.Results.FAST, 3.0);
        r.rotating.put(List.of(max.op(), max.shape(), "backward"), new Bench.Ring(2.4, 20));
        r.rotating.put(List.of(relu.op(), relu.shape(), "backward"), new Bench.Ring(1.5, 20));
        String note = Report.rotatingNote(r).orElseThrow();
        assertTrue(note.startsWith("PyTorch writing each output into the next of 20 preallocated ones"), note);
        assertTrue(note.endsWith("maxPool2d backward 2.40 ms (fast/that 1.25x); relu backward 1.50 ms "
                + "(fast/that –)."), note);
        Report report = Report.of(r, new Bench.Settings(true, 1, false, true, Bench.Task.TABLE, root));
        assertTrue(report.markdown().contains(note), "the note is among the README block's notes");
    }

    @Test
    void theCsvReadsBackToTheSameTableAndTheChartIsWritten() throws IOException {
        Path out = root.resolve("build/bench");
        Files.createDirectories(out);
        Report written = report();
        written.write(out);
        assertEquals(written.text(), Report.load(out).text());
        assertEquals(1800, ImageIO.read(out.resolve("bench.png").toFile()).getWidth(), "both panels");
        List<String> header = Files.readAllLines(out.resolve("bench.csv")).subList(0, 1);
        assertEquals(List.of("op,shape,pass,cnnlab fast,cnnlab reference,PyTorch,fast/PyTorch,reference/fast"), header);
    }

    @Test
    void reluHasNoTargetAndForwardConvolutionTheTighterOne() {
        assertNull(Report.torchTarget("relu", "forward"));
        assertEquals(1.0, Report.torchTarget("conv2d", "forward"));
        assertEquals(1.0, Report.torchTarget("convTranspose2d", "forward"));
        assertEquals(1.5, Report.torchTarget("conv2d", "backward"));
        assertEquals(1.5, Report.torchTarget("maxPool2d", "forward"));
        assertEquals(1.5, Report.torchTarget(Bench.Results.LENET_OP, "epoch 1"));
        assertEquals(1.5, Report.torchTarget(Bench.Results.LENET_OP, "epoch 2"));
    }

    /** Pixels of the over-target colour in the left (fast / PyTorch) panel. */
    private static long overTargetPixels(BufferedImage chart) {
        long count = 0;
        for (int y = 0; y < chart.getHeight(); y++) {
            for (int x = 0; x < chart.getWidth() / 2; x++) {
                count += (chart.getRGB(x, y) & 0xffffff) == 0xff7f0e ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void aBarOverItsTargetIsDrawnInItsOwnColour() throws IOException {
        Path within = root.resolve("within"), over = root.resolve("over");
        Files.createDirectories(within);
        Files.createDirectories(over);
        report().write(within);
        Bench.Results r = new Bench.Results();
        Case lenet = Case.CONV_LENET1;
        r.put(lenet.op(), lenet.shape(), "forward", Bench.Results.FAST, 0.4);
        r.put(lenet.op(), lenet.shape(), "forward", Bench.Results.TORCH, 0.3);
        r.torchNote = "torch 1.13, 1 thread";
        Report.of(r, new Bench.Settings(true, 1, false, true, Bench.Task.TABLE, root)).write(over);
        assertEquals(0, overTargetPixels(ImageIO.read(within.resolve("bench.png").toFile())), "0.5x of a 1.0x target");
        assertTrue(overTargetPixels(ImageIO.read(over.resolve("bench.png").toFile())) > 500, "1.33x of 1.0x");
    }

    @Test
    void theReadmeBlockIsReplacedAndTheRestKept() throws IOException {
        Path out = root.resolve("build/bench");
        Files.createDirectories(out);
        Report report = report();
        report.write(out);
        Files.writeString(root.resolve("README.md"), "# x\nbefore\n" + Report.START + "\nold table\n" + Report.END
                + "\nafter\n");
        report.updateReadme(root);
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.startsWith("# x\nbefore\n" + Report.START + "\n"), readme);
        assertTrue(readme.endsWith(Report.END + "\nafter\n"), readme);
        assertTrue(!readme.contains("old table") && readme.contains("| 0.50x | 30x |"), readme);
        assertTrue(Files.isRegularFile(root.resolve("docs/bench/bench.png")));
    }

    @Test
    void aReadmeWithoutTheMarkersIsAnErrorWithAHint() throws IOException {
        Path out = root.resolve("build/bench");
        Files.createDirectories(out);
        Report report = report();
        report.write(out);
        Files.writeString(root.resolve("README.md"), "# no markers\n");
        IOException e = assertThrows(IOException.class, () -> report.updateReadme(root));
        assertTrue(e.getMessage().contains("hint:"), e.getMessage());
    }
}
