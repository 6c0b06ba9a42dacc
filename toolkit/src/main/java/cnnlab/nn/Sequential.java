package cnnlab.nn;

import cnnlab.ops.Errors;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;

/**
 * A network: layers applied one after the other, forward in order and backward in reverse, all on one engine.
 *
 * <p>Layers are named by kind and numbered from 1 (conv1, relu1, pool1, conv2, ..., fc1, fc2), and their
 * parameters by layer and parameter, as in a PyTorch {@code state_dict}: {@code conv1.weight},
 * {@code conv1.bias}, {@code fc3.weight}. {@link #save} writes one {@code .npy} file per parameter under those
 * names.
 *
 * <p>Defaults: the fast engine ({@code Cnn.fast()}); training mode, as a new PyTorch module.
 * {@link #useEngine useEngine(Cnn.reference())} switches every layer to the lecture's loops (same numbers,
 * much slower). {@link #predict} and {@link #accuracy} run in eval mode and in batches of
 * {@value #EVAL_BATCH}, then restore the mode.
 * <pre>
 * jshell&gt; var net = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(),
 *    ...&gt;     new Linear(4 * 3 * 3, 2));                  // for 8x8 images: 6x6 after conv, 3x3 after pooling
 * jshell&gt; Init.kaiming(net, 7);
 * jshell&gt; net.layerNames()
 * $3 ==&gt; [conv1, relu1, pool1, flatten1, fc1]
 * jshell&gt; net.stateDict().keySet()
 * $4 ==&gt; [conv1.weight, conv1.bias, fc1.weight, fc1.bias]
 * jshell&gt; net
 * net ==&gt; Sequential (fast engine, 114 parameters, training mode)
 *   conv1     Conv2d(1, 4, kernel 3x3, stride (1, 1), padding (0, 0), dilation (1, 1))   weight [4,1,3,3], bias [4]
 *   relu1     ReLU()
 *   pool1     MaxPool2d(kernel 2x2, stride (2, 2), padding (0, 0))
 *   flatten1  Flatten()
 *   fc1       Linear(36, 2)   weight [2,36], bias [2]
 * </pre>
 */
public final class Sequential {
    /** Samples per forward pass in {@link #predict} and {@link #accuracy}. */
    public static final int EVAL_BATCH = 256;

    private final List<Layer> layers;
    private final List<String> names;
    private Ops ops;
    private boolean training = true;
    /** Epochs {@link Trainer#fit} has completed on this network, so a second fit can say it goes on from them. */
    int epochsTrained;
    /** The last fit's history, of the epochs it finished (null before a fit). */
    Table lastHistory;
    /** The shape of the last forward pass's output while the layers keep its inputs for backward, or null. */
    private long[] lastOutput;

    /** On the fast engine. @throws IllegalArgumentException if there are no layers or one is null */
    public Sequential(Layer... layers) {
        this(Cnn.fast(), layers);
    }

    /** @throws IllegalArgumentException if ops is null, there are no layers or one is null */
    public Sequential(Ops ops, Layer... layers) {
        if (layers == null || layers.length == 0) {
            throw new IllegalArgumentException("Sequential: no layers given");
        }
        Map<String, Integer> counts = new HashMap<>();
        List<String> layerNames = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == null) {
                throw new IllegalArgumentException("Sequential: layer " + i + " of " + layers.length + " is null");
            }
            for (int j = 0; j < i; j++) {
                // a layer keeps its last input for backward, so one object in two places gives wrong gradients
                if (layers[j] == layers[i]) {
                    String type = layers[i].getClass().getSimpleName();
                    throw new IllegalArgumentException("Sequential: layers " + (j + 1) + " and " + (i + 1) + " are"
                            + " the same " + type + " object; a layer keeps its input for the backward pass, so each"
                            + " place needs one of its own\nhint: new " + type + "(...) at each place");
                }
            }
            String kind = layers[i].kind();
            layerNames.add(kind + counts.merge(kind, 1, Integer::sum));
        }
        this.layers = List.of(layers);
        this.names = List.copyOf(layerNames);
        useEngine(ops);
        setTraining(true);
    }

    /**
     * Runs every layer on {@code ops} from now on: {@code Cnn.fast()} or {@code Cnn.reference()}.
     *
     * @return this network
     * @throws IllegalArgumentException if ops is null
     */
    public Sequential useEngine(Ops ops) {
        Check.notNull("Sequential.useEngine", "ops", ops);
        this.ops = ops;
        for (Layer layer : layers) {
            layer.useEngine(ops);
        }
        return this;
    }

    /** The engine the layers run on. */
    public Ops engine() {
        return ops;
    }

    /**
     * The output (for a classifier, the logits {@code [N, classes]}) of a batch; x is converted to float32.
     *
     * @throws IllegalArgumentException if a layer refuses what reaches it: the layer's own message, after a line
     *                                  that names the layer and the shapes the batch took on its way there
     */
    public INDArray forward(INDArray x) {
        Check.notNull("Sequential.forward", "input", x);
        INDArray a = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        long[][] shapes = new long[layers.size() + 1][];
        shapes[0] = a.shape();
        lastOutput = null;
        for (int i = 0; i < layers.size(); i++) {
            try {
                a = layers.get(i).forward(a);
            } catch (IllegalArgumentException e) {
                throw refused(i, shapes, e);
            }
            shapes[i + 1] = a.shape();
        }
        lastOutput = a.shape();
        return a;
    }

    /**
     * A layer's refusal of its input, with where in the network it came and how the batch got there: "Linear:
     * input must be [N, 400] but is [64,576]" alone does not say that the images were 32x32 where LeNet-5 takes
     * 28x28. Layers that keep the shape (an activation) are named without it.
     */
    private IllegalArgumentException refused(int layer, long[][] shapes, IllegalArgumentException e) {
        StringBuilder path = new StringBuilder("input ").append(Errors.shape(shapes[0]));
        for (int i = 0; i < layer; i++) {
            path.append(" \u2192 ").append(names.get(i));
            if (!Arrays.equals(shapes[i + 1], shapes[i])) {
                path.append(' ').append(Errors.shape(shapes[i + 1]));
            }
        }
        path.append(" \u2192 ").append(names.get(layer));
        return new IllegalArgumentException("Sequential.forward: layer " + names.get(layer) + " (" + (layer + 1)
                + " of " + layers.size() + ") cannot take its input\nthe shapes on the way: " + path + "\n"
                + e.getMessage());
    }

    /**
     * Back-propagates {@code dL/d output} through every layer, setting every parameter's gradient.
     *
     * @throws IllegalStateException    if no forward pass came before (predict, accuracy and a fit's steps keep
     *                                  no inputs)
     * @throws IllegalArgumentException if gradOut is not shaped like the last forward pass's output
     */
    public INDArray backward(INDArray gradOut) {
        return backward(gradOut, true);
    }

    /**
     * {@link #backward} for a training step, which only needs the parameters' gradients: the first layer may skip
     * the gradient with respect to the images ({@link Layer#backwardParamsOnly}).
     */
    public void backwardParamsOnly(INDArray gradOut) {
        backward(gradOut, false);
    }

    private INDArray backward(INDArray gradOut, boolean inputGradient) {
        Check.notNull("Sequential.backward", "gradOut", gradOut);
        if (lastOutput == null) {
            throw new IllegalStateException("Sequential.backward: no forward pass to go back through"
                    + "\nhint: call net.forward(x) first; predict, accuracy, Trainer.fit and Evaluation.activations"
                    + " keep no inputs for a backward pass");
        }
        if (!Arrays.equals(gradOut.shape(), lastOutput)) {
            throw Errors.error("Sequential.backward", "gradOut must have the shape of the last forward pass's output",
                    "gradOut " + Errors.shape(gradOut) + ", output " + Errors.shape(lastOutput),
                    "gradOut is dL/d(output): one value per output value, as SoftmaxCrossEntropy.of(logits, labels)"
                            + ".grad() gives");
        }
        INDArray g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = i > 0 || inputGradient ? layers.get(i).backward(g) : layers.get(i).backwardParamsOnly(g);
        }
        return g;
    }

    /** Makes every layer drop the arrays it cached for backward ({@link StepMemory} reuses their memory). */
    void forgetInputs() {
        lastOutput = null;
        for (Layer layer : layers) {
            if (layer instanceof CachesInput caching) {
                caching.forgetInput();
            }
        }
    }

    /**
     * The history {@link Trainer#fit} returned last on this network, or, for a fit stopped by an interrupt (a
     * notebook's stop button), the rows of the epochs it finished: a stopped fit returns nothing, and its cell's
     * {@code var history = Trainer.fit(...)} is left unassigned.
     *
     * @throws IllegalStateException if no fit has run on this network yet
     */
    public Table history() {
        if (lastHistory == null) {
            throw new IllegalStateException("Sequential.history: no fit has run on this network yet"
                    + "\nhint: Trainer.fit(net, ...) trains it and returns its history");
        }
        return lastHistory;
    }

    // ---------------------------------------------------------------- modes

    /** Training mode (random slopes in {@link RReLU}). @return this network */
    public Sequential train() {
        setTraining(true);
        return this;
    }

    /** Eval mode (fixed slopes in {@link RReLU}). @return this network */
    public Sequential eval() {
        setTraining(false);
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    private void setTraining(boolean training) {
        this.training = training;
        for (Layer layer : layers) {
            layer.setTraining(training);
        }
    }

    // ---------------------------------------------------------------- layers and parameters

    public List<Layer> layers() {
        return layers;
    }

    /** conv1, relu1, pool1, ... in order. */
    public List<String> layerNames() {
        return names;
    }

    /** @throws IllegalArgumentException if no layer has that name */
    public Layer layer(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("Sequential: no layer named '" + name + "' (layers " + names + ")");
        }
        return layers.get(i);
    }

    /**
     * The layer named {@code name} as its own type, e.g. {@code net.layer("conv1", Conv2d.class).weight()}.
     *
     * @throws IllegalArgumentException if no layer has that name or it is not a {@code type}
     */
    public <T extends Layer> T layer(String name, Class<T> type) {
        Layer layer = layer(name);
        if (!type.isInstance(layer)) {
            throw new IllegalArgumentException("Sequential: layer '" + name + "' is " + layer + ", not a "
                    + type.getSimpleName());
        }
        return type.cast(layer);
    }

    /** Every parameter by its PyTorch {@code state_dict} name ({@code conv1.weight}, ...), in layer order. */
    public Map<String, Param> stateDict() {
        Map<String, Param> all = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Param p : layers.get(i).params()) {
                all.put(names.get(i) + "." + p.name(), p);
            }
        }
        return Collections.unmodifiableMap(all);
    }

    /** Every parameter, in layer order (what an optimiser steps). */
    public List<Param> params() {
        return List.copyOf(stateDict().values());
    }

    /** @throws IllegalArgumentException if there is no parameter of that name */
    public Param param(String name) {
        Param p = stateDict().get(name);
        if (p == null) {
            throw new IllegalArgumentException("Sequential: no parameter named '" + name + "' (parameters "
                    + stateDict().keySet() + ")");
        }
        return p;
    }

    /** The number of learned scalars (61,706 for LeNet-5). */
    public long parameterCount() {
        return params().stream().mapToLong(Param::size).sum();
    }

    // ---------------------------------------------------------------- predictions

    /**
     * The predicted class of each sample: the index of its largest output (the first on ties), computed in eval
     * mode in batches of {@value #EVAL_BATCH}, each in the last one's memory ({@link StepMemory}). Afterwards the
     * layers hold no cached input, so a backward pass needs a forward pass first.
     *
     * @param x {@code [N, ...]}, as for {@link #forward}
     */
    public int[] predict(INDArray x) {
        Check.notNull("Sequential.predict", "input", x);
        checkImages("Sequential.predict", "images", x, "input " + Errors.shape(x));
        boolean wasTraining = training;
        eval();
        try {
            int n = Math.toIntExact(x.size(0));
            int[] classes = new int[n];
            OffHeap memory = new OffHeap();
            try (StepMemory batches = StepMemory.of(this, "cnnlab-predict")) {
                for (int from = 0; from < n; from += EVAL_BATCH) {
                    int to = Math.min(n, from + EVAL_BATCH);
                    try (StepMemory.Step batch = batches.step()) {
                        INDArray logits = forward(x.get(NDArrayIndex.interval(from, to)));
                        argmaxRows(logits, classes, from);
                    }
                    memory.step();
                }
            }
            return classes;
        } finally {
            setTraining(wasTraining);
        }
    }

    /**
     * Samples with a batch axis, and, for a network that starts with a convolution or pooling, a channel axis too:
     * checked on the whole set, before batches are cut from it, so that the error names the student's shape (a
     * batch of {@value #EVAL_BATCH} cut from [N, 28, 28] looked like one image of 256 channels).
     *
     * @param what  {@code "training images"}, named in the message
     */
    void checkImages(String where, String what, INDArray x, String context) {
        if (x.rank() < 2 || x.size(0) == 0) {
            throw Errors.error(where, "the " + what + " need a batch axis and at least one sample", context);
        }
        boolean convolutional = !layers.isEmpty()
                && (layers.get(0) instanceof Conv2d || layers.get(0) instanceof Pool2dLayer);
        if (convolutional && x.rank() == 3) {
            throw Errors.error(where, "the " + what + " are [N, H, W] but the network's first layer takes"
                    + " [N, C, H, W]", context, "give them a channel axis: images.reshape(" + x.size(0) + ", 1, "
                    + x.size(1) + ", " + x.size(2) + ")");
        }
        if (convolutional && x.rank() == 2) {
            long side = Math.round(Math.sqrt(x.size(1)));
            throw Errors.error(where, "the " + what + " are rows [N, H*W] but the network's first layer takes"
                    + " [N, C, H, W]", context, side * side == x.size(1)
                            ? "if each row is a " + side + "x" + side + " image: images.reshape(" + x.size(0) + ", 1, "
                                    + side + ", " + side + ")"
                            : "reshape them to [N, C, H, W]");
        }
    }

    /**
     * The fraction of samples whose {@link #predict predicted class} equals the label, in [0, 1].
     *
     * @throws IllegalArgumentException if there is not one label per sample
     */
    public double accuracy(INDArray x, int[] labels) {
        Check.notNull("Sequential.accuracy", "images", x);
        Check.notNull("Sequential.accuracy", "labels", labels);
        if (labels.length != x.size(0)) {
            throw Errors.error("Sequential.accuracy", "need one label per sample but got " + labels.length
                    + " labels", "input " + Errors.shape(x) + ", labels [" + labels.length + "]");
        }
        return fractionCorrect(predict(x), labels);
    }

    static double fractionCorrect(int[] predicted, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) correct / labels.length;
    }

    /** Writes the index of each row's largest value into {@code classes[offset + row]}. */
    static void argmaxRows(INDArray logits, int[] classes, int offset) {
        int rows = Math.toIntExact(logits.size(0)), cols = Math.toIntExact(logits.length() / logits.size(0));
        float[] v = logits.dup('c').data().asFloat();
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols && !Float.isNaN(v[r * cols + best]); c++) {
                if (v[r * cols + c] > v[r * cols + best] || Float.isNaN(v[r * cols + c])) {
                    best = c;       // the first largest; a NaN counts as the largest, as in torch.argmax
                }
            }
            classes[offset + r] = best;
        }
    }

    // ---------------------------------------------------------------- weights as .npy

    /**
     * Writes every parameter to {@code dir/<name>.npy} (float32, as {@code numpy.save} writes it), e.g.
     * {@code conv1.weight.npy}; creates the folder if needed and overwrites files of the same name.
     *
     * <p>All or nothing: every file is written under a temporary name first, and only when all are written do
     * they take their names. A write that failed (a full disk or quota) had left new files beside the last
     * save's, which {@link #load} then took as one network.
     *
     * @return the folder, absolute, which a notebook cell then shows: where the files went
     * @throws IllegalArgumentException if dir is null, a file, or a name ending in .npy that is not a folder yet
     * @throws UncheckedIOException     if a file cannot be written (the folder's files are then as they were)
     */
    public Path save(Path dir) {
        Check.notNull("Sequential.save", "folder", dir);
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("Sequential.save: " + dir + " is a file, but save writes a folder"
                    + " of files, one per parameter\nhint: name a folder, e.g. net.save(Path.of(\"my-net\"))");
        }
        if (!Files.isDirectory(dir) && dir.getFileName() != null && dir.getFileName().toString().endsWith(".npy")) {
            throw new IllegalArgumentException("Sequential.save: " + dir.getFileName() + " looks like a file's"
                    + " name, but save writes a folder of files, one per parameter (conv1.weight.npy, ...)\nhint: name"
                    + " a folder, e.g. net.save(Path.of(\"my-net\"))");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Sequential.save: cannot create folder " + dir, e);
        }
        Map<Path, Path> written = new LinkedHashMap<>();       // temporary file -> its name
        try {
            for (Map.Entry<String, Param> e : stateDict().entrySet()) {
                Path temporary = dir.resolve("." + e.getKey() + ".npy.saving");
                written.put(temporary, dir.resolve(e.getKey() + ".npy"));
                Npy.save(e.getValue().value(), temporary);
            }
        } catch (UncheckedIOException e) {
            for (Path temporary : written.keySet()) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write's own error below says what went wrong
                }
            }
            throw new UncheckedIOException("Sequential.save: cannot write the weights to " + dir + " ("
                    + e.getCause() + "); the folder's .npy files are as they were", e.getCause());
        }
        int renamed = 0;
        for (Map.Entry<Path, Path> e : written.entrySet()) {
            try {       // a rename within one folder: it replaces the old file whole or not at all
                try {
                    Files.move(e.getKey(), e.getValue(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException notHere) {      // some network mounts
                    Files.move(e.getKey(), e.getValue(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                renamed++;
            } catch (IOException x) {
                throw new UncheckedIOException("Sequential.save: cannot rename " + e.getKey().getFileName() + " to "
                        + e.getValue().getFileName() + " in " + dir + " (" + x + ")" + (renamed == 0
                                ? "; the folder's .npy files are as they were"
                                : "; " + renamed + " of its " + written.size() + " files are this save's and the rest"
                                        + " the last one's: save again"), x);
            }
        }
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Reads every parameter from {@code dir/<name>.npy} (as {@link #save} writes them, or {@code numpy.save} of a
     * PyTorch {@code state_dict}'s tensors). All files are read and checked before any parameter changes; other
     * files in the folder are ignored.
     *
     * @throws IllegalArgumentException if a file is missing or holds an array of another shape
     * @throws UncheckedIOException     if a file cannot be read
     */
    public void load(Path dir) {
        Check.notNull("Sequential.load", "folder", dir);
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("Sequential.load: " + dir + " is a file, but load reads the folder"
                    + " net.save wrote, one file per parameter\nhint: net.load(" + (dir.getParent() == null
                            ? "the folder it is in" : "Path.of(\"" + dir.getParent() + "\")") + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Sequential.load: there is no folder " + dir.toAbsolutePath()
                    .normalize() + "\nhint: net.save(dir) writes one");
        }
        Map<Param, INDArray> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Param> e : stateDict().entrySet()) {
            Path file = dir.resolve(e.getKey() + ".npy");
            INDArray expected = e.getValue().value();
            if (!Files.isRegularFile(file)) {
                throw Errors.error("Sequential.load", "missing " + file.getFileName() + " in " + dir,
                        "parameter " + e.getKey() + " " + Errors.shape(expected) + "; the folder holds "
                                + npyFiles(dir),
                        "save the weights with net.save(dir) from a network of the same architecture; a"
                                + " network's files are named by its layers, " + String.join(", ", names));
            }
            INDArray value = Npy.load(file);
            if (!Arrays.equals(value.shape(), expected.shape())) {
                throw Errors.error("Sequential.load", file.getFileName() + " holds " + Errors.shape(value)
                        + " but " + e.getKey() + " is " + Errors.shape(expected),
                        "file " + file + ", parameter " + e.getKey(),
                        "the weights come from a network with other layer sizes");
            }
            loaded.put(e.getValue(), value);
        }
        loaded.forEach((p, v) -> p.value().assign(v));
        epochsTrained = 0;              // weights from elsewhere: a fit no longer goes on from this one's epochs
    }

    /** The folder's .npy files, for an error: up to 12 names, or "no .npy files". */
    private static String npyFiles(Path dir) {
        try (var files = Files.list(dir)) {
            List<String> npy = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".npy")).sorted()
                    .toList();
            return npy.isEmpty() ? "no .npy files" : npy.size() + " .npy file" + (npy.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", npy.subList(0, Math.min(12, npy.size()))) + (npy.size() > 12 ? ", ..." : "");
        } catch (IOException e) {
            return "files that cannot be listed (" + e.getMessage() + ")";
        }
    }

    /** One line per layer with its name and parameters, under a header with the engine and mode. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Sequential (%s engine, %,d parameters, %s mode)", ops.name(), parameterCount(),
                training ? "training" : "eval"));
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < layers.size(); i++) {
            b.append("\n  ").append(String.format(Locale.ROOT, "%-" + width + "s  ", names.get(i)))
                    .append(layers.get(i));
            List<Param> ps = layers.get(i).params();
            for (int j = 0; j < ps.size(); j++) {
                b.append(j == 0 ? "   " : ", ").append(ps.get(j));
            }
        }
        return b.toString();
    }
}
