package cnnlab.nn;

import cnnlab.ops.Buffers;
import cnnlab.ops.Errors;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The training loop: mini-batch gradient descent of the mean softmax cross-entropy, with a one-line progress bar
 * per epoch and the history as a Tablesaw table.
 *
 * <p>Each epoch shuffles the training set (seeded with {@link FitParams#seed()}), and for each mini-batch x
 * (each image moved by up to {@link FitParams#maxShift()} pixels when that is above 0, {@link Augment#shift})
 * runs
 * <pre>
 *   logits = net.forward(x)                         (training mode)
 *   ce     = SoftmaxCrossEntropy.of(logits, y)
 *   net.backwardParamsOnly(ce.grad())                (sets every param's grad)
 *   optimizer.step(net.params())
 * </pre>
 * then multiplies the optimiser's learning rate by {@link FitParams#lrDecay()} (1 by default: no decay; the
 * optimiser keeps the decayed rate afterwards, as with a PyTorch scheduler) and measures the test accuracy in
 * eval mode. Native memory stays flat over long runs: each step (the batch, forward, loss and backward) reuses
 * the last step's memory ({@link StepMemory}; the optimiser's step runs outside it, so its state outlives the
 * step), and the loop asks for a garbage collection whenever the process has still grown by a few hundred
 * megabytes (ND4J frees other arrays' memory only when their Java objects are collected). Unless quiet, it
 * prints to {@code System.out}
 * <pre>
 *   epoch 3/10 [####################] loss 0.1234 acc 96.1% test 97.8% 4.2 s
 * </pre>
 * redrawing the bar with {@code \r} while the epoch runs. The train loss and accuracy are averages over the
 * epoch's batches, each measured before its own update (as Keras reports them).
 *
 * <p>The history has one row per epoch and the columns {@code epoch} (1, 2, ...), {@code train_loss},
 * {@code train_accuracy}, {@code test_accuracy} (only with a test set; accuracies are fractions in [0, 1]) and
 * {@code seconds} (wall-clock time of the epoch, test included).
 * <pre>
 * jshell&gt; var history = Trainer.fit(net, new Sgd(0.05, 0.9), trainX, trainY, testX, testY, FitParams.of(3, 64));
 * jshell&gt; Plots.trainingCurves(history)
 * </pre>
 */
public final class Trainer {
    /** Characters of the progress bar. */
    static final int BAR = 20;
    /**
     * An epoch's mean loss above this many times a uniform guess's (ln of the class count: 2.30 for ten classes)
     * gets a warning that training diverges; a loss that turns NaN or infinite stops it.
     */
    static final double DIVERGING = 10;

    private Trainer() {
    }

    /** Networks with more parameters than this get a warning (most likely a Linear after too little pooling). */
    static final long LARGE = 10_000_000;

    /** Training images brighter than this were most likely not scaled to [0, 1] (0-255 grey levels, say). */
    static final double UNSCALED = 10;

    /**
     * Trains {@code net} on {@code trainX} (e.g. {@code [N, 1, 28, 28]}) with the labels {@code trainY}, and
     * measures the accuracy on the test set after every epoch. The network ends in the mode it started in.
     *
     * <p>Before the first step it checks the data whole, so that a mistake is an error before any weight moves:
     * the images' shape (one sample goes through the network first), NaN or infinite pixels, and every training
     * and test label against the network's classes. A loss that turns NaN or infinite during training (it
     * diverged) stops it with an error too, instead of running on with NaN weights; a finite epoch loss over
     * {@value #DIVERGING} times a uniform guess's gets one warning line.
     *
     * <p>An interrupt (a notebook's stop button) ends the fit after the step it is taking, with a
     * {@link java.util.concurrent.CancellationException} that says where; the network keeps its weights, and
     * {@link Sequential#history} the epochs the fit finished. A network fitted before is fitted on from its
     * weights, and the fit says so in its first line.
     *
     * @param testX null for no test set (then there is no test_accuracy column)
     * @throws IllegalArgumentException if an argument is null (other than the test set), the inputs have no
     *                                  batch axis, do not fit the network or hold NaN or infinite values, there
     *                                  is not one label per sample, or a label is not one of the network's classes
     * @throws IllegalStateException    if the loss becomes NaN or infinite
     * @throws java.util.concurrent.CancellationException if the thread is interrupted
     */
    public static Table fit(Sequential net, Optimizer optimizer, INDArray trainX, int[] trainY, INDArray testX,
                            int[] testY, FitParams params) {
        Check.notNull("Trainer.fit", "network", net);
        Check.notNull("Trainer.fit", "optimizer", optimizer);
        Check.notNull("Trainer.fit", "params", params);
        checkData(net, "training", trainX, trainY);
        boolean hasTest = testX != null || testY != null;
        if (hasTest) {
            checkData(net, "test", testX, testY);
        }
        int classes = classes(net, trainX);
        checkLabels("training", trainY, classes);
        if (hasTest) {
            checkLabels("test", testY, classes);
        }
        IntColumn epochs = IntColumn.create("epoch");
        DoubleColumn losses = DoubleColumn.create("train_loss"), accuracies = DoubleColumn.create("train_accuracy");
        DoubleColumn tests = DoubleColumn.create("test_accuracy"), seconds = DoubleColumn.create("seconds");
        Augment.checkShift(trainX, params.maxShift());
        Random shuffle = new Random(params.seed()), shifts = new Random(params.seed() + 1);
        OffHeap memory = new OffHeap();
        boolean wasTraining = net.isTraining();
        if (net.epochsTrained > 0 && !params.quiet()) {
            System.out.println("Trainer.fit: this network has been trained for " + net.epochsTrained + " epoch"
                    + (net.epochsTrained == 1 ? "" : "s") + " already; this fit goes on from its weights (its epochs"
                    + " count from 1). Make the network anew to start over.");
        }
        if (net.parameterCount() > LARGE && !params.quiet()) {
            Map.Entry<String, Param> largest = net.stateDict().entrySet().stream()
                    .max(Comparator.comparingLong(e -> e.getValue().size())).orElseThrow();
            System.out.printf(Locale.ROOT, "Trainer.fit: warning: this network has %,d parameters, %.0f%% of them in"
                    + " %s %s (LeNet-5 has 61,706): its steps will be slow and its memory large. A Linear after the"
                    + " Flatten of large maps wants more pooling or stride before it%n", net.parameterCount(),
                    100.0 * largest.getValue().size() / net.parameterCount(), largest.getKey(),
                    cnnlab.ops.Errors.shape(largest.getValue().value()));
        }
        double brightest = trainX.maxNumber().doubleValue();
        if (brightest > UNSCALED && !params.quiet()) {
            System.out.printf(Locale.ROOT, "Trainer.fit: warning: the training images' values go up to %.1f, where"
                    + " networks learn best from pixels in [0, 1] (as Mnist.load() gives them); divide them by 255"
                    + " (images.div(255)) if they are 0-255 grey levels%n", brightest);
        }
        boolean warned = false;
        int batches = batchesPerEpoch(trainX, params);
        try (StepMemory steps = StepMemory.of(net, "cnnlab-training")) {
            for (int epoch = 1; epoch <= params.epochs(); epoch++) {
                long start = System.nanoTime();
                net.train();
                double[] lossAndAccuracy = trainOneEpoch(net, optimizer, trainX, trainY, shuffle, shifts, params, epoch,
                        memory, steps);
                optimizer.setLearningRate(optimizer.learningRate() * params.lrDecay());
                double test;
                try {
                    test = hasTest ? net.accuracy(testX, testY) : Double.NaN;
                } catch (CancellationException e) {
                    throw stopped(epoch, params, batches, batches, e);
                }
                if (Thread.interrupted()) {     // before the epoch's line is printed (see stopped)
                    throw stopped(epoch, params, batches, batches, null);
                }
                double elapsed = (System.nanoTime() - start) / 1e9;

                net.epochsTrained++;
                epochs.append(epoch);
                losses.append(lossAndAccuracy[0]);
                accuracies.append(lossAndAccuracy[1]);
                tests.append(test);
                seconds.append(elapsed);
                if (!params.quiet()) {
                    progress(epoch, params.epochs(), 1, lossAndAccuracy[0], lossAndAccuracy[1], test, elapsed, true);
                    if (!warned && lossAndAccuracy[0] > DIVERGING * Math.log(classes)) {
                        warned = true;
                        System.out.printf(Locale.ROOT, "Trainer.fit: warning: the loss %.3g is far above %.2f, a "
                                + "guess's (ln %d): training is diverging. Make the network anew and train it with a "
                                + "smaller learning rate than %s%n", lossAndAccuracy[0], Math.log(classes), classes,
                                optimizer.learningRate());
                    }
                }
            }
        } finally {
            // also for a fit that ends in an error (stopped, diverged, out of memory): the epochs it finished
            net.lastHistory = history(epochs, losses, accuracies, hasTest ? tests : null, seconds);
            if (wasTraining) {
                net.train();
            } else {
                net.eval();
            }
        }
        return net.lastHistory;
    }

    /** The fit's table, one row per finished epoch; {@code tests} null without a test set. */
    private static Table history(IntColumn epochs, DoubleColumn losses, DoubleColumn accuracies, DoubleColumn tests,
                                 DoubleColumn seconds) {
        Table history = Table.create("Training history", epochs, losses, accuracies);
        if (tests != null) {
            history.addColumns(tests);
        }
        history.addColumns(seconds);
        for (int i = 1; i < history.columnCount(); i++) {
            // printed and shown as 0.2543, not 0.25430661439895630
            ((DoubleColumn) history.column(i)).setPrintFormatter(decimals(history.column(i) == seconds ? 1 : 4));
        }
        return history;
    }

    /** How a history column prints: {@code digits} decimals at most, a '.' in any locale; its CSV keeps all. */
    private static tech.tablesaw.columns.numbers.NumberColumnFormatter decimals(int digits) {
        java.text.NumberFormat format = java.text.NumberFormat.getInstance(Locale.ROOT);
        format.setMaximumFractionDigits(digits);
        format.setGroupingUsed(false);
        return new tech.tablesaw.columns.numbers.NumberColumnFormatter(format);
    }

    /**
     * One pass over the training set in a shuffled order, one optimiser step per mini-batch.
     *
     * @return the mean loss and the accuracy over the epoch's batches
     */
    private static double[] trainOneEpoch(Sequential net, Optimizer optimizer, INDArray images, int[] labels,
                                          Random shuffle, Random shifts, FitParams params, int epoch,
                                          OffHeap memory, StepMemory steps) {
        int n = Math.toIntExact(images.size(0)), batchSize = params.batchSize();
        INDArray rows = images.reshape('c', n, images.length() / n);     // one sample per row, for pullRows
        long[] shape = images.shape().clone();                            // a batch's shape: [size, C, H, W]
        int[] order = permutation(n, shuffle);
        int batches = batchesPerEpoch(images, params);
        double lossSum = 0;
        int correct = 0, seen = 0;
        for (int b = 0; b < batches; b++) {
            int[] idx = Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
            shape[0] = idx.length;
            int[] y = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                y[i] = labels[idx[i]];
            }

            int[] predicted = new int[idx.length];
            double loss;
            try (StepMemory.Step step = steps.step()) {
                INDArray x = Nd4j.pullRows(rows, 1, idx).reshape('c', shape);
                if (params.maxShift() > 0) {
                    x = Augment.shift(x, params.maxShift(), shifts);
                }
                INDArray logits = net.forward(x);
                SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(logits, y);
                net.backwardParamsOnly(ce.grad());
                Sequential.argmaxRows(logits, predicted, 0);
                loss = ce.loss();
            } catch (CancellationException e) {     // cnnlab's parallel loops saw the interrupt first
                throw stopped(epoch, params, b, batches, e);
            }
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("Trainer.fit: the loss became " + loss + " in epoch " + epoch
                        + ", batch " + (b + 1) + " of " + batches + ": training diverged, and the network's weights"
                        + " are no longer usable\nhint: make a new network and train it with a smaller learning"
                        + " rate than " + optimizer.learningRate() + " (" + optimizer + ")");
            }
            optimizer.step(net.params());
            memory.step();
            if (Thread.interrupted()) {          // the notebook's stop button: end between two steps
                throw stopped(epoch, params, b + 1, batches, null);
            }

            for (int i = 0; i < idx.length; i++) {
                correct += predicted[i] == y[i] ? 1 : 0;
            }
            lossSum += loss * idx.length;
            seen += idx.length;
            boolean barMoves = (b + 1) * BAR / batches != b * BAR / batches;
            if (!params.quiet() && barMoves && b + 1 < batches) {
                progress(epoch, params.epochs(), (double) seen / n, lossSum / seen, (double) correct / seen,
                        Double.NaN, Double.NaN, false);
            }
        }
        return new double[] {lossSum / n, (double) correct / n};
    }

    private static int batchesPerEpoch(INDArray images, FitParams params) {
        return Math.toIntExact((images.size(0) + params.batchSize() - 1) / params.batchSize());
    }

    /**
     * The error that ends a fit stopped by an interrupt (a notebook's stop button) once {@code steps} of the
     * epoch's batches have changed the weights; the progress bar's line is ended first.
     */
    private static CancellationException stopped(int epoch, FitParams params, int steps, int batches,
                                                  Throwable cause) {
        if (!params.quiet()) {
            System.out.println();
        }
        Thread.currentThread().interrupt();     // the caller may want to know, as from any interrupted call
        int finished = epoch - 1;
        CancellationException e = new CancellationException("Trainer.fit: stopped by an interrupt in epoch " + epoch
                + " of " + params.epochs() + ", after " + steps + " of its " + batches + " batches. The network keeps"
                + " the weights of its last step" + (finished == 0 ? "; no epoch had finished"
                        : ", and net.history() the " + (finished == 1 ? "epoch" : finished + " epochs") + " before")
                + "\nhint: fit again to go on from these weights, or make the network anew to start over");
        e.initCause(cause);
        return e;
    }

    /** {@link #fit(Sequential, Optimizer, INDArray, int[], INDArray, int[], FitParams)} without a test set. */
    public static Table fit(Sequential net, Optimizer optimizer, INDArray trainX, int[] trainY, FitParams params) {
        return fit(net, optimizer, trainX, trainY, null, null, params);
    }

    private static void checkData(Sequential net, String which, INDArray x, int[] labels) {
        String where = "Trainer.fit";
        if (x == null || labels == null) {
            throw new IllegalArgumentException(where + ": the " + which + (x == null ? " images are" : " labels are")
                    + " null");
        }
        String ctx = which + " images " + Errors.shape(x) + ", labels [" + labels.length + "]";
        net.checkImages(where, which + " images", x, ctx);
        if (labels.length != x.size(0)) {
            throw Errors.error(where, "need one " + which + " label per image but got " + labels.length
                    + " labels for " + x.size(0) + " images", ctx);
        }
        long bad = firstNonFinite(x);
        if (bad >= 0) {
            throw Errors.error(where, "the " + which + " images hold NaN or infinite values, the first in sample "
                    + bad, ctx, "training on them makes every weight NaN; replace or drop those samples");
        }
    }

    /**
     * How many classes the network tells apart: the size of its output for the first sample, which also checks
     * that the images fit the network (with the network's own error) before any training.
     */
    private static int classes(Sequential net, INDArray x) {
        boolean wasTraining = net.isTraining();
        net.eval();
        try {
            INDArray logits = net.forward(x.get(NDArrayIndex.interval(0, 1)));
            return Math.toIntExact(logits.length());
        } finally {
            if (wasTraining) {
                net.train();
            }
        }
    }

    private static void checkLabels(String which, int[] labels, int classes) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Trainer.fit: " + which + " label " + labels[i] + " of sample " + i
                        + " is not one of the network's " + classes + " classes (0 to " + (classes - 1) + ")");
            }
        }
    }

    /**
     * The first sample (along axis 0) holding a NaN or an infinity, or -1. One reduction clears the usual case (a
     * finite sum); only a sum that is not (a bad value, or an overflow) is searched, in pieces of about 4 MB.
     */
    static long firstNonFinite(INDArray x) {
        if (Double.isFinite(x.sumNumber().doubleValue())) {
            return -1;
        }
        long n = x.size(0), per = x.length() / n;
        INDArray rows = x.reshape('c', n, per);
        long chunk = Math.max(1, (1 << 20) / Math.max(1, per));
        for (long start = 0; start < n; start += chunk) {
            float[] v = Buffers.floats(rows.get(NDArrayIndex.interval(start, Math.min(n, start + chunk)),
                    NDArrayIndex.all()));
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return start + i / per;
                }
            }
        }
        return -1;
    }

    /** 0 .. n-1 in an order drawn from {@code random} (Fisher-Yates). */
    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** {@code epoch 3/10 [#########-----------] loss 0.1234 acc 96.1% test 97.8% 4.2 s}; NaN parts left out. */
    static String progressLine(int epoch, int epochs, double done, double loss, double accuracy, double test,
                               double seconds) {
        int filled = (int) Math.round(done * BAR);
        // a loss that blew up reads 1.268e+25, not twenty-six digits of 12680920450130017000000000.0000
        String lossText = String.format(Locale.ROOT, Math.abs(loss) < 1e4 || !Double.isFinite(loss) ? "%.4f" : "%.3e",
                loss);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d [%s%s] loss %s acc %.1f%%",
                epoch, epochs, "#".repeat(filled), "-".repeat(BAR - filled), lossText, 100 * accuracy));
        if (!Double.isNaN(test)) {
            b.append(String.format(Locale.ROOT, " test %.1f%%", 100 * test));
        }
        if (!Double.isNaN(seconds)) {
            b.append(String.format(Locale.ROOT, " %.1f s", seconds));
        }
        return b.toString();
    }

    /** Prints the line to {@code System.out} (as it is now: notebooks redirect it), over the previous one. */
    private static void progress(int epoch, int epochs, double done, double loss, double accuracy, double test,
                                 double seconds, boolean last) {
        PrintStream out = System.out;
        // while the epoch runs the line is redrawn in place; trailing spaces wipe a longer previous line
        out.print("\r" + progressLine(epoch, epochs, done, loss, accuracy, test, seconds) + (last ? "\n" : "  "));
        out.flush();
    }
}
