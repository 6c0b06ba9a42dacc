package cnnlab.bench;

import cnnlab.ops.OutputMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's side of the bench: {@code bench/src/main/python/torch_bench.py}, with the same thread count, kept
 * running for the whole bench and asked for one case at a time ({@link #measure}), so that each case is timed in
 * PyTorch right after cnnlab's engines time it, not minutes later. Needs a Python with torch (Debian's
 * {@code python3-torch}); without one, {@link #start} leaves a note and the PyTorch column stays empty.
 */
final class TorchSide {
    private final Process process;
    private final Writer cases;
    private final BufferedReader results;
    private final Bench.Results r;
    private final Epoch epoch;
    private boolean failed;

    private TorchSide(Process process, Bench.Results r, Epoch epoch) {
        this.process = process;
        this.epoch = epoch;
        this.cases = process.outputWriter(StandardCharsets.UTF_8);
        this.results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.r = r;
    }

    /**
     * Starts the script and waits until torch is imported (its INFO line), so that the import does not run beside
     * cnnlab's first timings. {@code epoch}, if not null, is the LeNet-5 epochs' images, which the script trains on
     * when {@link #finish} closes its input. Null, with {@code r.torchNote} saying why, if no Python has torch or
     * the script does not start.
     */
    static TorchSide start(Bench.Settings s, Bench.Results r, Epoch epoch) throws IOException, InterruptedException {
        String python = Bench.pythonWith("torch");
        if (python == null) {
            r.torchNote = "PyTorch skipped: no python3 with torch (install python3-torch)";
            Bench.say(r.torchNote);
            return null;
        }
        return start(List.of(python, s.root().resolve("bench/src/main/python/torch_bench.py").toString()), s, r,
                epoch);
    }

    /** {@link #start} with the script run by {@code command} (the tests give a stand-in). */
    static TorchSide start(List<String> command, Bench.Settings s, Bench.Results r, Epoch epoch) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--threads", Integer.toString(s.threads()), "--ring-mb",
                Integer.toString(OutputMemory.BUDGET_MB)));
        if (s.quick()) {
            cmd.add("--quick");
        }
        if (epoch != null) {
            cmd.addAll(List.of("--lenet-images", Integer.toString(epoch.images()), "--lenet-epochs",
                    Integer.toString(Bench.Results.EPOCHS.size()), "--images",
                    epoch.imagesFile().toString(), "--labels", epoch.labelsFile().toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(s.threads()));
        TorchSide torch = new TorchSide(pb.start(), r, epoch);
        torch.readUntil(0);
        if (torch.failed) {
            torch.process.destroy();
            r.torchNote = "PyTorch skipped: the script ended before importing torch; its error is printed above";
            return null;
        }
        return torch;
    }

    /** What PyTorch trains LeNet-5 on at the end, for each of the bench's epochs: the first {@code images} images. */
    record Epoch(int images, Path imagesFile, Path labelsFile) {
    }

    /** Times case {@code c}, forward then backward, into the PyTorch column; nothing if the script has failed. */
    void measure(Case c) throws IOException {
        if (failed) {
            return;
        }
        try {
            cases.write(c.spec() + "\n");
            cases.flush();
        } catch (IOException e) {
            fail("PyTorch script stopped taking cases (" + e.getMessage() + "); its error is printed above");
            return;
        }
        readUntil(2);
    }

    /** Closes the script's input, which runs its LeNet-5 epochs (if it was given images), and waits for it to end. */
    void finish() throws IOException, InterruptedException {
        if (!failed) {
            if (epoch != null) {
                Bench.say("LeNet-5, %d epochs, PyTorch, %,d images", Bench.Results.EPOCHS.size(), epoch.images());
            }
            cases.close();
            readUntil(Integer.MAX_VALUE);
        }
        if (process.waitFor() != 0 && !failed) {
            fail("PyTorch script failed (exit " + process.exitValue() + "); its error is printed above");
        }
    }

    /** Reads the script's lines until {@code count} RESULT lines have come (0: until its INFO line), or its end. */
    private void readUntil(int count) throws IOException {
        int seen = 0;
        String line;
        while ((line = results.readLine()) != null) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("RESULT") && f.length == 4) {
                double ms = Double.parseDouble(f[3]);
                String pass = f[2];
                if (f[1].equals("LENET")) {   // RESULT LENET <epoch> <ms>
                    pass = "epoch " + pass;
                    r.put(Bench.Results.LENET_OP, Bench.Results.LENET_SHAPE, pass, Bench.Results.TORCH, ms);
                } else {
                    Case c = Case.valueOf(f[1]);
                    r.put(c.op(), c.shape(), pass, Bench.Results.TORCH, ms);
                }
                Bench.say("  %-9s %-9s %-15s %10.3f ms", "torch", pass, f[1], ms);
                if (++seen == count) {
                    return;
                }
            } else if (f[0].equals("ROTATING") && f.length == 5) {   // ROTATING <case> <pass> <ms> <outputs>
                Case c = Case.valueOf(f[1]);
                Bench.Ring ring = new Bench.Ring(Double.parseDouble(f[3]), Integer.parseInt(f[4]));
                r.rotating.put(List.of(c.op(), c.shape(), f[2]), ring);
                Bench.say("  %-9s %-9s %-15s %10.3f ms  (into %d rotating outputs)", "torch", f[2], f[1], ring.ms(),
                        ring.outputs());
            } else if (f[0].equals("INFO")) {
                r.torchNote = line.substring(5);
                Bench.say("  %s", r.torchNote);
                if (count == 0) {
                    return;
                }
            }
        }
        if (count != Integer.MAX_VALUE) {
            fail("PyTorch script ended early; its error is printed above");
        }
    }

    private void fail(String note) {
        failed = true;
        r.torchNote = note;
        Bench.say(note);
    }
}
