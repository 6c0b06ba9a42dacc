package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import cnnlab.ops.RRelu;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** A loop's steps share one block of native memory, and nothing that outlives a step lives in it. */
class StepMemoryTest {
    private static final Bars TRAIN = Bars.of(120, 1), TEST = Bars.of(60, 2);

    /** A layer written outside this package: it passes its input through. */
    private static final class Identity implements Layer {
        @Override
        public INDArray forward(INDArray x) {
            return x;
        }

        @Override
        public INDArray backward(INDArray gradOut) {
            return gradOut;
        }

        @Override
        public String kind() {
            return "identity";
        }
    }

    private static Sequential withForeignLayer(Ops ops, long seed) {
        List<Layer> layers = new ArrayList<>(Bars.network(ops, seed).layers());
        layers.add(new Identity());
        return new Sequential(ops, layers.toArray(Layer[]::new));
    }

    @Test
    void stepsReuseTheSameMemory() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        long[] addresses = new long[4];
        try (StepMemory memory = StepMemory.of(net, "test-steps")) {
            assertTrue(memory.recycles());
            for (int i = 0; i < addresses.length; i++) {
                try (StepMemory.Step step = memory.step()) {
                    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, 1000);
                    assertTrue(a.isAttached(), "made inside a step: in the step's block");
                    addresses[i] = a.data().address();
                }
            }
        }
        // the first step learns the size, every later one gets the same block
        assertEquals(addresses[1], addresses[2]);
        assertEquals(addresses[2], addresses[3]);
        assertFalse(Nd4j.createUninitialized(DataType.FLOAT, 10).isAttached(), "no block left open");
    }

    @Test
    void endingAStepMakesTheLayersForgetTheirInputs() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        int[] y = java.util.Arrays.copyOf(TRAIN.labels(), 10);
        INDArray x = TRAIN.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10));
        INDArray grad;
        try (StepMemory memory = StepMemory.of(net, "test-forget")) {
            try (StepMemory.Step step = memory.step()) {
                grad = SoftmaxCrossEntropy.of(net.forward(x), y).grad().detach();
                net.backward(grad);                         // inside the step: what forward cached is there
            }
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.backward(grad));
        assertTrue(e.getMessage().contains("no forward pass to go back through"), e.getMessage());
        Layer last = net.layers().get(net.layers().size() - 1);
        e = assertThrows(IllegalStateException.class, () -> last.backward(grad));
        assertTrue(e.getMessage().contains("backward called before forward"), e.getMessage());
    }

    @Test
    void aLayerFromElsewhereKeepsEveryStepInFreshMemory() {
        Sequential net = withForeignLayer(Cnn.fast(), 3);
        try (StepMemory memory = StepMemory.of(net, "test-foreign")) {
            assertFalse(memory.recycles());
            try (StepMemory.Step step = memory.step()) {
                assertFalse(Nd4j.createUninitialized(DataType.FLOAT, 10).isAttached());
            }
        }
    }

    /**
     * Training in recycled memory gives the same numbers as in fresh memory (a network with a pass-through layer
     * from elsewhere), on both engines (the reference engine's worker threads write into arrays made in the step).
     * SGD with momentum makes its velocity during the first step: it must not be in the block.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "reference"})
    void trainingInRecycledMemoryMatchesFreshMemory(String engine) {
        Ops ops = engine.equals("fast") ? Cnn.fast() : Cnn.reference();
        FitParams params = FitParams.of(3, 16).withSeed(5).withQuiet(true);
        Sequential recycled = Bars.network(ops, 3), fresh = withForeignLayer(ops, 3);
        assertTrue(StepMemory.of(recycled, "x").recycles());
        Table a = Trainer.fit(recycled, new Sgd(0.05, 0.9), TRAIN.images(), TRAIN.labels(), TEST.images(),
                TEST.labels(), params);
        Table b = Trainer.fit(fresh, new Sgd(0.05, 0.9), TRAIN.images(), TRAIN.labels(), TEST.images(),
                TEST.labels(), params);
        for (String column : List.of("train_loss", "train_accuracy", "test_accuracy")) {
            assertArrayEquals(b.numberColumn(column).asDoubleArray(), a.numberColumn(column).asDoubleArray(),
                    column + "\n" + a + "\n" + b);
        }
        for (String name : recycled.stateDict().keySet()) {
            INDArray w = recycled.param(name).value();
            assertFalse(w.isAttached(), name);
            assertEquals(fresh.param(name).value(), w, name);
        }
        assertArrayEquals(fresh.predict(TEST.images()), recycled.predict(TEST.images()));
        assertNotEquals(0, recycled.param(recycled.stateDict().keySet().iterator().next()).grad().norm2Number()
                .doubleValue(), "the gradients outlive the step");
    }

    @Test
    void aFailedStepLeavesNoBlockOpen() {
        Sequential net = Bars.network(Cnn.fast(), 3);
        INDArray wrong = Nd4j.rand(DataType.FLOAT, 8, 3, 12, 12);     // the network expects one channel
        int[] labels = new int[8];
        assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, new Adam(0.01), wrong, labels,
                FitParams.of(1, 4).withQuiet(true)));
        assertNull(Nd4j.getMemoryManager().getCurrentWorkspace());
        Table history = Trainer.fit(net, new Adam(0.01), TRAIN.images(), TRAIN.labels(),
                FitParams.of(1, 20).withQuiet(true));
        assertTrue(Double.isFinite(history.numberColumn("train_loss").getDouble(0)));
    }

    /** Every layer of this package that keeps an array between forward and backward can forget it. */
    @Test
    void everyLayerThatCachesArraysCanForgetThem() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("cnnlab/nn");
        List<String> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                Class<?> type = Class.forName("cnnlab.nn." + name);
                if (!Layer.class.isAssignableFrom(type) || type.isInterface()) {
                    continue;
                }
                for (Field f : type.getDeclaredFields()) {
                    boolean cached = !Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())
                            && (f.getType() == INDArray.class || f.getType() == RRelu.class);
                    if (cached) {
                        assertTrue(CachesInput.class.isAssignableFrom(type), name + "." + f.getName()
                                + " outlives a step unless " + name + " implements CachesInput");
                        checked.add(name);
                    }
                }
            }
        }
        assertTrue(checked.containsAll(List.of("Conv2d", "Linear", "ReLU", "RReLU", "Pool2dLayer", "Sigmoid")),
                checked.toString());
    }
}
