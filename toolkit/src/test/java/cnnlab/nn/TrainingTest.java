package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.viz.Plots;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.Table;

/** Training on the synthetic bars problem: it learns, both engines agree, and runs repeat exactly. */
class TrainingTest {
    private static final Bars TRAIN = Bars.of(200, 1), TEST = Bars.of(100, 2);

    @Test
    void learnsBarsAboveNinetyFivePercent() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        Table history = Trainer.fit(net, new Adam(0.05), TRAIN.images(), TRAIN.labels(), TEST.images(),
                TEST.labels(), FitParams.of(5, 20).withSeed(4).withQuiet(true));

        assertEquals(List.of("epoch", "train_loss", "train_accuracy", "test_accuracy", "seconds"),
                history.columnNames());
        assertEquals(5, history.rowCount());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, history.numberColumn("epoch").asDoubleArray());
        double[] loss = history.numberColumn("train_loss").asDoubleArray();
        for (int e = 1; e < loss.length; e++) {
            assertTrue(loss[e] < loss[e - 1], "loss falls every epoch: " + java.util.Arrays.toString(loss));
        }
        double trainAccuracy = history.numberColumn("train_accuracy").getDouble(4);
        double testAccuracy = history.numberColumn("test_accuracy").getDouble(4);
        assertTrue(trainAccuracy > 0.95, "train accuracy " + trainAccuracy + "\n" + history);
        assertTrue(testAccuracy > 0.95, "test accuracy " + testAccuracy + "\n" + history);
        assertEquals(testAccuracy, net.accuracy(TEST.images(), TEST.labels()), 1e-12);
        assertTrue(history.numberColumn("seconds").getDouble(0) > 0);

        // what a notebook draws: loss on the left axis, accuracies on the right
        XYChart chart = Plots.trainingCurves(history.rejectColumns("seconds"));
        assertEquals(List.of("train loss", "train accuracy (%)", "test accuracy (%)"),
                List.copyOf(chart.getSeriesMap().keySet()));
        assertArrayEquals(loss, chart.getSeriesMap().get("train loss").getYData());
        assertEquals("Training history", chart.getTitle());

        // printed (and shown in a notebook) to 4 decimals, written to CSV in full
        String lossShown = history.getString(0, "train_loss");
        assertTrue(lossShown.matches("\\d+(\\.\\d{1,4})?"), lossShown);
        assertEquals(loss[0], Double.parseDouble(lossShown), 1e-4);
        assertTrue(history.print().contains(lossShown), history.print());
        java.io.StringWriter csv = new java.io.StringWriter();
        history.write().csv(csv);
        assertTrue(csv.toString().contains(String.valueOf(loss[0])), csv.toString());
    }

    /** The same network on the lecture's loops gives the same loss and gradients as on libnd4j. */
    @Test
    void referenceEngineGivesTheSameFirstStep() {
        INDArray x = TRAIN.images().get(NDArrayIndex.interval(0, 20));
        int[] y = java.util.Arrays.copyOf(TRAIN.labels(), 20);
        Sequential fast = Bars.network(Cnn.fast(), 3), reference = Bars.network(Cnn.reference(), 3);
        assertEquals("reference", reference.engine().name());

        SoftmaxCrossEntropy a = SoftmaxCrossEntropy.of(fast.forward(x), y);
        SoftmaxCrossEntropy b = SoftmaxCrossEntropy.of(reference.forward(x), y);
        assertEquals(a.loss(), b.loss(), 1e-4);
        fast.backward(a.grad());
        reference.backward(b.grad());
        for (Map.Entry<String, Param> e : fast.stateDict().entrySet()) {
            INDArray other = reference.param(e.getKey()).grad();
            assertTrue(e.getValue().grad().equalsWithEps(other, 1e-4), e.getKey() + " gradient");
        }

        // switching engines in place changes nothing but the speed
        fast.useEngine(Cnn.reference());
        assertEquals(b.loss(), SoftmaxCrossEntropy.of(fast.forward(x), y).loss(), 1e-6);
    }

    /** The training step's backward sets the same gradients as backward, without the input's gradient. */
    @Test
    void backwardParamsOnlySetsTheSameGradients() {
        INDArray x = TRAIN.images().get(NDArrayIndex.interval(0, 20));
        int[] y = java.util.Arrays.copyOf(TRAIN.labels(), 20);
        Sequential full = Bars.network(Cnn.fast(), 3), paramsOnly = Bars.network(Cnn.fast(), 3);
        assertTrue(full.layers().get(0) instanceof Conv2d, "the bars network starts with a convolution");
        INDArray dx = full.backward(SoftmaxCrossEntropy.of(full.forward(x), y).grad());
        assertArrayEquals(x.shape(), dx.shape(), "backward returns dL/d input");
        paramsOnly.backwardParamsOnly(SoftmaxCrossEntropy.of(paramsOnly.forward(x), y).grad());
        for (Map.Entry<String, Param> e : full.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().grad().data().asFloat(), paramsOnly.param(e.getKey()).grad().data().asFloat(),
                    e.getKey() + " gradient");
        }
    }

    @Test
    void sameSeedSameWeightsAfterAnEpoch() {
        Map<String, Param> first = trainOneEpoch(5), second = trainOneEpoch(5), other = trainOneEpoch(6);
        for (String name : first.keySet()) {
            assertArrayEquals(first.get(name).value().data().asFloat(), second.get(name).value().data().asFloat(),
                    name + " repeats bit for bit");
        }
        assertNotEquals(first.get("fc1.weight").value(), other.get("fc1.weight").value(),
                "another shuffle seed, other weights");
    }

    private static Map<String, Param> trainOneEpoch(long shuffleSeed) {
        Sequential net = Bars.network(Cnn.fast(), 3);
        Trainer.fit(net, new Sgd(0.05, 0.9), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 16).withSeed(shuffleSeed).withQuiet(true));
        return net.stateDict();
    }

    @Test
    void printsOneProgressLinePerEpoch() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Table history;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            history = Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05, 0.9), TRAIN.images(), TRAIN.labels(),
                    TEST.images(), TEST.labels(), FitParams.of(2, 10));
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, captured.toString(StandardCharsets.UTF_8));
        for (int e = 0; e < 2; e++) {
            String last = lines[e].substring(lines[e].lastIndexOf('\r') + 1);   // what the terminal shows
            assertTrue(last.matches("epoch " + (e + 1) + "/2 \\[#{20}\\] loss \\d+\\.\\d{4} acc \\d+\\.\\d% test"
                    + " \\d+\\.\\d% \\d+\\.\\d s"), last);
            assertTrue(last.contains(String.format(java.util.Locale.ROOT, "loss %.4f",
                    history.numberColumn("train_loss").getDouble(e))), last);
        }
        assertTrue(lines[0].indexOf('\r', 1) > 0, "the bar is redrawn while the epoch runs: " + lines[0]);
    }

    @Test
    void progressLineFormat() {
        assertEquals("epoch 3/10 [##########----------] loss 0.1234 acc 96.1%",
                Trainer.progressLine(3, 10, 0.5, 0.12341, 0.9612, Double.NaN, Double.NaN));
        assertEquals("epoch 3/10 [####################] loss 0.1234 acc 96.1% test 97.8% 4.2 s",
                Trainer.progressLine(3, 10, 1, 0.12341, 0.9612, 0.978, 4.21));
        assertTrue(Trainer.progressLine(2, 2, 1, 1.2680920450130017e25, 0.1, Double.NaN, Double.NaN)
                .contains(" loss 1.268e+25 acc "), "a loss that blew up, in a few digits");
    }

    @Test
    void withoutATestSetThereIsNoTestColumn() {
        Table history = Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 50).withQuiet(true));
        assertEquals(List.of("epoch", "train_loss", "train_accuracy", "seconds"), history.columnNames());
    }

    @Test
    void fitLeavesTheModeAsItWas() {
        Sequential net = Bars.network(Cnn.fast(), 3).eval();
        Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(), FitParams.of(1, 50).withQuiet(true));
        assertTrue(!net.isTraining());
    }

    /** A network built by hand and trained without Init, as a student builds one: its layers start as PyTorch's. */
    @Test
    void aNetworkBuiltByHandLearnsWithoutInit() {
        Init.seedNewLayers(0);                  // the layers' first weights whatever other tests made before
        Sequential net = new Sequential(new Conv2d(1, 4, 3, cnnlab.ops.ConvParams.of(1, 1)), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 2));
        Table history = Trainer.fit(net, new Adam(0.05), TRAIN.images(), TRAIN.labels(), TEST.images(),
                TEST.labels(), FitParams.of(5, 20).withSeed(4).withQuiet(true));
        double testAccuracy = history.numberColumn("test_accuracy").getDouble(4);
        assertTrue(testAccuracy > 0.9, "test accuracy " + testAccuracy + " (a guess: 0.5)\n" + history);
    }

    /** lr x0.5 after each of 3 epochs: the optimiser ends at lr / 8, and the run differs from a fixed rate. */
    @Test
    void learningRateDecaysOncePerEpoch() {
        Adam decayed = new Adam(0.01), fixed = new Adam(0.01);
        Sequential a = Bars.network(Cnn.fast(), 3), b = Bars.network(Cnn.fast(), 3);
        FitParams params = FitParams.of(3, 50).withQuiet(true);
        Trainer.fit(a, decayed, TRAIN.images(), TRAIN.labels(), params.withLearningRateDecay(0.5));
        Trainer.fit(b, fixed, TRAIN.images(), TRAIN.labels(), params);
        assertEquals(0.01 / 8, decayed.learningRate(), 1e-15);
        assertEquals(0.01, fixed.learningRate());
        assertNotEquals(a.params().get(0).value(), b.params().get(0).value());
    }

    @Test
    void decayOutsideZeroToOneIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> FitParams.DEFAULT.withLearningRateDecay(1.5));
        assertTrue(e.getMessage().contains("(0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitParams.DEFAULT.withLearningRateDecay(0));
    }

    /** Shifted batches: the run still learns the bars, repeats exactly, and differs from the unshifted run. */
    @Test
    void shiftedTrainingRepeatsAndDiffers() {
        FitParams params = FitParams.of(2, 20).withSeed(4).withQuiet(true);
        Sequential a = Bars.network(Cnn.fast(), 3), b = Bars.network(Cnn.fast(), 3), c = Bars.network(Cnn.fast(), 3);
        Trainer.fit(a, new Adam(0.01), TRAIN.images(), TRAIN.labels(), params.withMaxShift(1));
        Trainer.fit(b, new Adam(0.01), TRAIN.images(), TRAIN.labels(), params.withMaxShift(1));
        Trainer.fit(c, new Adam(0.01), TRAIN.images(), TRAIN.labels(), params);
        assertEquals(a.params().get(0).value(), b.params().get(0).value());
        assertNotEquals(a.params().get(0).value(), c.params().get(0).value());
    }

    /** Mistakes in the data are errors before the first step: every weight is as it was. */
    @Test
    void badDataIsRejectedBeforeAnyWeightMoves() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        INDArray before = net.param("fc1.weight").value().dup();
        int[] labels = TRAIN.labels().clone();
        labels[199] = 2;                                   // the last sample: the old loop met it after 9 steps
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Sgd(0.1), TRAIN.images(),
                labels, FitParams.of(1, 20).withQuiet(true)));
        assertEquals("Trainer.fit: training label 2 of sample 199 is not one of the network's 2 classes (0 to 1)",
                e.getMessage());
        int[] testLabels = TEST.labels().clone();
        testLabels[5] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Sgd(0.1), TRAIN.images(),
                TRAIN.labels(), TEST.images(), testLabels, FitParams.of(1, 20).withQuiet(true)));
        assertTrue(e.getMessage().startsWith("Trainer.fit: test label -1 of sample 5 is not"), e.getMessage());

        INDArray nan = TRAIN.images().dup();
        nan.putScalar(new long[] {37, 0, 4, 4}, Float.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Sgd(0.1), nan, TRAIN.labels(),
                FitParams.of(1, 20).withQuiet(true)));
        assertTrue(e.getMessage().startsWith("Trainer.fit: the training images hold NaN or infinite values, the first"
                + " in sample 37 ("), e.getMessage());

        INDArray flat = TRAIN.images().reshape(200, 8, 8);     // no channel axis: batches read as one 20-channel image
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Sgd(0.1), flat, TRAIN.labels(),
                FitParams.of(1, 20).withQuiet(true)));
        assertTrue(e.getMessage().endsWith("hint: give them a channel axis: images.reshape(200, 1, 8, 8)"),
                e.getMessage());
        INDArray rows = TRAIN.images().reshape(200, 64);       // flattened images
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Sgd(0.1), rows, TRAIN.labels(),
                FitParams.of(1, 20).withQuiet(true)));
        assertTrue(e.getMessage().endsWith("hint: if each row is a 8x8 image: images.reshape(200, 1, 8, 8)"),
                e.getMessage());
        assertEquals(before, net.param("fc1.weight").value(), "no step was taken");
        assertTrue(net.isTraining(), "the mode is as it was");
        // predict cuts batches of 256: [N, H, W] used to be blamed on "input has 256 channels"
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(flat));
        assertTrue(e.getMessage().startsWith("Sequential.predict: the images are [N, H, W] but the network's first"
                + " layer takes [N, C, H, W] (input [200,8,8])"), e.getMessage());
        assertTrue(e.getMessage().endsWith("hint: give them a channel axis: images.reshape(200, 1, 8, 8)"),
                e.getMessage());
        assertTrue(net.isTraining(), "predict left the mode as it was");
    }

    @Test
    void theSearchForNaNTellsAnOverflowingSumFromABadValue() {
        INDArray big = org.nd4j.linalg.factory.Nd4j.create(new float[][] {{3e38f, 3e38f}, {1, 2}});   // sum: inf
        assertEquals(-1, Trainer.firstNonFinite(big));
        big.putScalar(new long[] {1, 1}, Float.NEGATIVE_INFINITY);
        assertEquals(1, Trainer.firstNonFinite(big));
    }

    /** What fit prints, with its result or exception. */
    private static String printed(Runnable fit) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            fit.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** The notebook's stop button interrupts the cell's thread: fit ends after the step it is taking. */
    @Test
    void anInterruptStopsTrainingBetweenTwoSteps() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        INDArray before = net.param("fc1.weight").value().dup();
        Thread.currentThread().interrupt();
        var e = assertThrows(java.util.concurrent.CancellationException.class, () -> Trainer.fit(net, new Sgd(0.05),
                TRAIN.images(), TRAIN.labels(), FitParams.of(3, 20).withQuiet(true)));
        assertTrue(Thread.interrupted(), "the thread stays interrupted for whoever called fit");
        assertTrue(e.getMessage().startsWith("Trainer.fit: stopped by an interrupt in epoch 1 of 3, after 1 of its 10"
                + " batches. The network keeps the weights of its last step; no epoch had finished"), e.getMessage());
        assertTrue(e.getMessage().contains("\nhint: fit again"), e.getMessage());
        assertNotEquals(before, net.param("fc1.weight").value(), "one step was taken");
        assertEquals(0, net.history().rowCount(), "no epoch finished");
    }

    /**
     * A fit stopped in its third epoch: the cell's {@code history} is left unassigned, and the two epochs it
     * finished are the network's history, as a finished fit's are.
     */
    @Test
    void aStoppedFitLeavesTheEpochsItFinishedInTheNetworksHistory() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        IllegalStateException none = assertThrows(IllegalStateException.class, net::history);
        assertTrue(none.getMessage().startsWith("Sequential.history: no fit has run on this network yet"),
                none.getMessage());
        Thread caller = Thread.currentThread();
        Sgd sgd = new Sgd(0.05);
        Optimizer interruptingInEpoch3 = new Optimizer() {
            private int steps;

            @Override
            public void step(List<Param> params) {
                sgd.step(params);
                if (++steps == 2 * 10 + 4) {          // 10 batches an epoch: the 4th step of epoch 3
                    caller.interrupt();
                }
            }

            @Override
            public double learningRate() {
                return sgd.learningRate();
            }

            @Override
            public void setLearningRate(double lr) {
                sgd.setLearningRate(lr);
            }
        };
        var e = assertThrows(java.util.concurrent.CancellationException.class, () -> Trainer.fit(net,
                interruptingInEpoch3, TRAIN.images(), TRAIN.labels(), TEST.images(), TEST.labels(),
                FitParams.of(5, 20).withQuiet(true)));
        assertTrue(Thread.interrupted(), "the thread stays interrupted for whoever called fit");
        assertTrue(e.getMessage().startsWith("Trainer.fit: stopped by an interrupt in epoch 3 of 5, after 4 of its 10"
                + " batches. The network keeps the weights of its last step, and net.history() the 2 epochs before"),
                e.getMessage());
        Table history = net.history();
        assertEquals(List.of("epoch", "train_loss", "train_accuracy", "test_accuracy", "seconds"),
                history.columnNames());
        assertEquals(List.of(1, 2), history.intColumn("epoch").asList());
        Table whole = Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                TEST.images(), TEST.labels(), FitParams.of(2, 20).withQuiet(true));
        assertEquals(whole.doubleColumn("train_loss").asList(), history.doubleColumn("train_loss").asList(),
                "the stopped fit's first two epochs are a two-epoch fit's");
        assertEquals(whole.doubleColumn("train_loss").getString(1), history.doubleColumn("train_loss").getString(1),
                "printed alike");
        assertTrue(history.doubleColumn("train_loss").getString(1).matches("\\d\\.\\d{1,4}"),
                history.doubleColumn("train_loss").getString(1) + ": 4 decimals at most");
    }

    /** Running a notebook's fit cell again trains on from the weights it has: fit says so. */
    @Test
    void aSecondFitSaysItGoesOnFromTheWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Sequential net = Bars.network(Cnn.fast(), 3);
        String first = printed(() -> Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                FitParams.of(2, 20)));
        assertTrue(!first.contains("already"), first);
        String second = printed(() -> Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 20)));
        assertTrue(second.startsWith("Trainer.fit: this network has been trained for 2 epochs already; this fit goes"
                + " on from its weights"), second);
        // new weights from Init or from files: the earlier epochs are not this network's any more
        Init.kaiming(net, 3);
        assertTrue(!printed(() -> Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 20))).contains("already"), "after Init");
        net.load(Bars.network(Cnn.fast(), 4).save(dir));
        assertTrue(!printed(() -> Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 20))).contains("already"), "after load");
    }

    /** Grey levels 0-255 straight from a file: the fit warns before its first step. */
    @Test
    void imagesNotScaledToOneAreWarnedAbout() {
        String out = printed(() -> Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.001), TRAIN.images().mul(255),
                TRAIN.labels(), FitParams.of(1, 20)));
        assertTrue(out.startsWith("Trainer.fit: warning: the training images' values go up to "), out);
        assertTrue(out.contains("divide them by 255 (images.div(255))"), out);
        assertTrue(!printed(() -> Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05), TRAIN.images(),
                TRAIN.labels(), FitParams.of(1, 20))).contains("warning"), "images in about [0, 1] have none");
    }

    /** A Linear after the Flatten of unpooled maps: the fit warns, naming the layer that holds the parameters. */
    @Test
    void aNetworkOfOverTenMillionParametersIsWarnedAbout() {
        Sequential big = new Sequential(new Conv2d(1, 64, 3, cnnlab.ops.ConvParams.same()), new ReLU(), new Flatten(),
                new Linear(64 * 8 * 8, 2500), new ReLU(), new Linear(2500, 2));
        String out = printed(() -> Trainer.fit(big, new Sgd(0.01), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 100)));
        assertTrue(out.startsWith("Trainer.fit: warning: this network has 10,248,142 parameters, 100% of them in"
                + " fc1.weight [2500,4096] (LeNet-5 has 61,706)"), out);
        assertTrue(!printed(() -> Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05), TRAIN.images(),
                TRAIN.labels(), FitParams.of(1, 20))).contains("warning"), "a small network has none");
    }

    /** A loss that stays finite but huge (the audit's Adam at 1e3 reached 1e21) gets one warning. */
    @Test
    void aFiniteButDivergingLossIsWarnedOnce() {
        String out = printed(() -> Trainer.fit(Bars.network(Cnn.fast(), 3), new Adam(1e3), TRAIN.images(),
                TRAIN.labels(), FitParams.of(3, 20)));
        int at = out.indexOf("Trainer.fit: warning: the loss ");
        assertTrue(at >= 0, out);
        assertTrue(out.indexOf("Trainer.fit: warning", at + 1) < 0, "once: " + out);
        assertTrue(out.contains("a guess's (ln 2): training is diverging") && out.contains("smaller learning rate than"
                + " 1000.0"), out);
        assertTrue(!printed(() -> Trainer.fit(Bars.network(Cnn.fast(), 3), new Sgd(0.05), TRAIN.images(),
                TRAIN.labels(), FitParams.of(2, 20))).contains("warning"), "a healthy run has none");
    }

    /** A learning rate far too large: the loss turns NaN, and training stops with an error saying what to do. */
    @Test
    void aDivergingRunStopsWithAnError() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        Trainer.fit(net, new Sgd(0.05), TRAIN.images(), TRAIN.labels(), FitParams.of(2, 20).withQuiet(true));
        var e = assertThrows(IllegalStateException.class, () -> Trainer.fit(net,
                new Sgd(1e12), TRAIN.images(), TRAIN.labels(), FitParams.of(3, 20).withQuiet(true)));
        int finished = Integer.parseInt(e.getMessage().replaceAll("(?s).* in epoch (\\d),.*", "$1")) - 1;
        assertEquals(finished, net.history().rowCount(), "the diverged fit's own epochs, not the first fit's");
        assertTrue(e.getMessage().matches("(?s)Trainer\\.fit: the loss became (NaN|Infinity) in epoch \\d, batch \\d+"
                + " of 10: training diverged.*\nhint: make a new network and train it with a smaller learning rate"
                + " than 1\\.0E12 .*"), e.getMessage());
    }

    @Test
    void predictionsTakeTheFirstLargestAndANaNAsLargest() {
        int[] classes = new int[4];
        Sequential.argmaxRows(org.nd4j.linalg.factory.Nd4j.create(new float[][] {{1, 3, 3}, {1, Float.NaN, 0},
                {Float.NaN, 5, Float.NaN}, {-1, -2, -0.5f}}), classes, 0);
        assertArrayEquals(new int[] {1, 1, 0, 2}, classes);
    }

    @Test
    void aShiftAsLargeAsTheImageIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(Bars.network(Cnn.fast(), 3),
                new Sgd(0.1), TRAIN.images(), TRAIN.labels(), FitParams.of(1, 20).withMaxShift(100)));
        assertTrue(e.getMessage().startsWith("Augment.shift: a shift of up to 100 pixels"), e.getMessage());
    }
}
