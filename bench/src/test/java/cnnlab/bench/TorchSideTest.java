package cnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch side's conversation with its script, against shell stand-ins for torch_bench.py: a case is timed
 * when it is asked for (not after all of them), the epoch comes at the end, and a script that dies leaves a note
 * instead of a hang.
 */
@Timeout(60)
class TorchSideTest {
    @TempDir
    Path dir;

    private Bench.Settings settings() {
        return new Bench.Settings(true, 2, false, true, Bench.Task.TABLE, dir);
    }

    /**
     * A stand-in script: INFO, then for each case line two RESULT lines (ms = the line's number), with a ROTATING
     * line for relu before its backward, then LENET.
     */
    private List<String> script(String body) throws IOException {
        Path script = dir.resolve("torch_bench.sh");
        Files.writeString(script, body);
        return List.of("sh", script.toString());
    }

    private static final String ANSWERS = """
            echo "INFO torch stand-in, $2 thread(s)"
            i=0
            while read name rest; do
              i=$((i + 1))
              echo "RESULT $name forward $i.5"
              if [ "$name" = RELU ]; then echo "ROTATING $name backward $i.75 20"; fi
              echo "RESULT $name backward $i.25"
            done
            echo "RESULT LENET 1 1234"
            echo "RESULT LENET 2 567"
            """;

    @Test
    void eachCaseIsTimedWhenAskedForAndTheEpochAtTheEnd() throws Exception {
        Bench.Results r = new Bench.Results();
        TorchSide torch = TorchSide.start(script(ANSWERS), settings(), r, null);
        assertNotNull(torch);
        assertEquals("torch stand-in, 2 thread(s)", r.torchNote);
        Case relu = Case.RELU, alex = Case.CONV_ALEXNET;
        torch.measure(relu);
        // the first case's times are in before the second is asked for
        assertEquals(1.5, r.get(List.of(relu.op(), relu.shape(), "forward"), Bench.Results.TORCH));
        assertEquals(1.25, r.get(List.of(relu.op(), relu.shape(), "backward"), Bench.Results.TORCH));
        assertEquals(new Bench.Ring(1.75, 20), r.rotating.get(List.of(relu.op(), relu.shape(), "backward")));
        assertTrue(Double.isNaN(r.get(List.of(alex.op(), alex.shape(), "forward"), Bench.Results.TORCH)));
        torch.measure(alex);
        assertEquals(2.5, r.get(List.of(alex.op(), alex.shape(), "forward"), Bench.Results.TORCH));
        assertEquals(1, r.rotating.size(), "a ring time only where the script gives one");
        torch.finish();
        assertEquals(1234, r.get(List.of(Bench.Results.LENET_OP, Bench.Results.LENET_SHAPE, "epoch 1"),
                Bench.Results.TORCH));
        assertEquals(567, r.get(List.of(Bench.Results.LENET_OP, Bench.Results.LENET_SHAPE, "epoch 2"),
                Bench.Results.TORCH));
        assertEquals("torch stand-in, 2 thread(s)", r.torchNote);
    }

    @Test
    void theEpochsImagesAndThreadsArePassedToTheScript() throws Exception {
        Bench.Results r = new Bench.Results();
        TorchSide torch = TorchSide.start(script("echo \"INFO $*\"\n"), settings(), r,
                new TorchSide.Epoch(1280, Path.of("images.gz"), Path.of("labels.gz")));
        assertNotNull(torch);
        assertEquals("--threads 2 --ring-mb 512 --quick --lenet-images 1280 --lenet-epochs 2 --images images.gz "
                + "--labels labels.gz", r.torchNote);
        torch.finish();
    }

    @Test
    void aScriptThatDiesMidwayLeavesANoteAndTheRestOfTheRunGoesOn() throws Exception {
        Bench.Results r = new Bench.Results();
        TorchSide torch = TorchSide.start(script("echo 'INFO torch stand-in'\nread line\nexit 3\n"), settings(), r,
                null);
        assertNotNull(torch);
        torch.measure(Case.RELU);
        assertTrue(r.torchNote.contains("ended early"), r.torchNote);
        torch.measure(Case.CONV_VGG);                                   // asks nothing more of a dead script
        torch.finish();
        assertTrue(r.torchNote.contains("ended early"), r.torchNote);
        assertTrue(Double.isNaN(r.get(List.of(Case.RELU.op(), Case.RELU.shape(), "forward"),
                Bench.Results.TORCH)));
    }

    @Test
    void aScriptThatEndsBeforeImportingTorchIsSkipped() throws Exception {
        Bench.Results r = new Bench.Results();
        assertNull(TorchSide.start(script("exit 1\n"), settings(), r, null));
        assertTrue(r.torchNote.startsWith("PyTorch skipped"), r.torchNote);
    }

    @Test
    void aScriptThatFailsAtTheEndSaysSo() throws Exception {
        Bench.Results r = new Bench.Results();
        TorchSide torch = TorchSide.start(script("echo 'INFO torch stand-in'\nwhile read l; do :; done\nexit 4\n"),
                settings(), r, null);
        assertNotNull(torch);
        torch.finish();
        assertEquals("PyTorch script failed (exit 4); its error is printed above", r.torchNote);
    }
}
