package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cnnlab.Cnn;
import cnnlab.ops.PoolParams;
import cnnlab.ops.RReluParams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Layers, naming, initialisation and modes: the parts a notebook touches directly. */
class LayersTest {

    @Test
    void leNet5ShapesNamesAndParameterCount() {
        Sequential net = LeNet5.create(Activation.RELU, 42);
        assertEquals(List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "fc1", "relu3", "fc2",
                "relu4", "fc3"), net.layerNames());
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(net.stateDict().keySet()));
        assertEquals(61_706, net.parameterCount());
        assertArrayEquals(new long[] {6, 1, 5, 5}, LeNet5.conv1(net).weight().value().shape());
        assertArrayEquals(new long[] {16, 6, 5, 5}, LeNet5.conv2(net).weight().value().shape());
        assertArrayEquals(new long[] {120, 400}, net.param("fc1.weight").value().shape());
        assertArrayEquals(new long[] {3, 10}, net.forward(Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28)).shape());
        assertTrue(net.layer("pool1") instanceof MaxPool2d);
        assertTrue(net.toString().startsWith("Sequential (fast engine, 61,706 parameters, training mode)"),
                net.toString());
        assertTrue(net.toString().contains("fc1       Linear(400, 120)   weight [120,400], bias [120]"),
                net.toString());

        Sequential original = LeNet5.create(Activation.TANH, 42);
        assertEquals("tanh4", original.layerNames().get(10));
        assertTrue(original.layer("pool2") instanceof AvgPool2d, "subsampling, as in 1998");
        assertArrayEquals(new long[] {2, 10}, original.forward(Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28)).shape());
        assertTrue(LeNet5.create(Activation.SIGMOID, 1, Cnn.reference()).toString().contains("sigmoid4"));
    }

    @Test
    void initialisationIsSeededAndScaled() {
        Sequential a = LeNet5.create(Activation.RELU, 7), b = LeNet5.create(Activation.RELU, 7);
        Sequential c = LeNet5.create(Activation.RELU, 8);
        for (String name : a.stateDict().keySet()) {
            assertArrayEquals(a.param(name).value().data().asFloat(), b.param(name).value().data().asFloat(), name);
        }
        assertNotEquals(a.param("conv1.weight").value(), c.param("conv1.weight").value());
        assertEquals(0, a.param("fc1.bias").value().amaxNumber().doubleValue());

        // Kaiming: std sqrt(2 / 400) for fc1 (48,000 draws)
        assertEquals(Math.sqrt(2.0 / 400), a.param("fc1.weight").value().stdNumber().doubleValue(), 0.002);
        // Xavier: uniform in +-sqrt(6 / (400 + 120)), std a / sqrt(3)
        Sequential t = LeNet5.create(Activation.TANH, 7);
        double bound = Math.sqrt(6.0 / 520);
        INDArray w = t.param("fc1.weight").value();
        assertTrue(w.amaxNumber().doubleValue() <= bound);
        assertEquals(bound / Math.sqrt(3), w.stdNumber().doubleValue(), 0.003);
        assertEquals(25, Init.fanIn(new long[] {6, 1, 5, 5}));
        assertEquals(150, Init.fanOut(new long[] {6, 1, 5, 5}));
    }

    /**
     * A new layer starts as PyTorch's does (reset_parameters): weight and bias uniform in +-1/sqrt(fan_in). They
     * started at zero, and a network built by hand without Init stayed at a guess's 10% (every unit of a layer
     * got the same gradient).
     */
    @Test
    void newLayersStartAsPyTorchsDoUniformInOneOverSqrtFanIn() {
        Linear fc = new Linear(400, 120);
        assertUniform(fc.weight().value(), 1 / Math.sqrt(400), "fc weight");
        assertTrue(fc.bias().value().amaxNumber().doubleValue() <= 1 / Math.sqrt(400), "fc bias");
        assertTrue(fc.bias().value().amaxNumber().doubleValue() > 0.9 / Math.sqrt(400), "fc bias: 120 draws");
        Conv2d conv = new Conv2d(6, 16, 5);
        assertUniform(conv.weight().value(), 1 / Math.sqrt(150), "conv weight");
        assertTrue(conv.bias().value().amaxNumber().doubleValue() <= 1 / Math.sqrt(150), "conv bias");
        assertEquals(16, java.util.Arrays.stream(conv.bias().value().toDoubleVector()).distinct().count(),
                "every bias its own draw");
        assertNotEquals(new Conv2d(6, 16, 5).weight().value(), conv.weight().value(), "a new layer, new draws");
    }

    private static void assertUniform(INDArray a, double bound, String what) {
        assertTrue(a.amaxNumber().doubleValue() <= bound, what + ": within +-" + bound);
        double std = a.stdNumber().doubleValue();
        assertEquals(bound / Math.sqrt(3), std, 0.05 * bound, what + ": a uniform's std");
        assertEquals(0, a.meanNumber().doubleValue(), 0.05 * bound, what + ": mean 0");
    }

    /**
     * Max pooling by hand: in training mode the backward pass sends each gradient to the cell the forward pass
     * found (its indices), in eval mode it searches the windows again; both give the op's gradient, and a
     * backward pass never uses the indices of an earlier forward pass.
     */
    @Test
    void maxPoolSendsGradientsToTheMaximaInBothModes() {
        INDArray x = Nd4j.create(new float[] {1, 5, 2, 0, 3, 4, 9, 8, 7, 6, 1, 2, 0, 0, 3, 3}, 1, 1, 4, 4);
        INDArray g = Nd4j.create(new float[] {10, 20, 30, 40}, 1, 1, 2, 2);
        float[] want = {0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 0, 0, 0, 0, 40, 0};
        MaxPool2d pool = new MaxPool2d(2);
        assertArrayEquals(new float[] {5, 9, 7, 3}, pool.forward(x).data().asFloat());
        assertArrayEquals(want, pool.backward(g).data().asFloat(), "training mode, by indices");
        pool.setTraining(false);
        pool.forward(x);
        assertArrayEquals(want, pool.backward(g).data().asFloat(), "eval mode");

        INDArray other = x.neg();                                       // other maxima: a new forward's
        pool.setTraining(true);
        pool.forward(x);
        pool.setTraining(false);
        pool.forward(other);
        assertArrayEquals(Cnn.maxPool2dBackward(other, g, PoolParams.of(2)).data().asFloat(),
                pool.backward(g).data().asFloat(), "the eval-mode forward's maxima, not the earlier ones");
        pool.forgetInput();
        assertThrows(IllegalStateException.class, () -> pool.backward(g));
    }

    /** y = x W^T + b and its three gradients, on numbers small enough to check by eye. */
    @Test
    void linearByHand() {
        Linear fc = new Linear(2, 3);
        fc.weight().value().assign(Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, -1}}));
        fc.bias().value().assign(Nd4j.create(new float[] {0, 10, 100}));
        INDArray y = fc.forward(Nd4j.create(new float[][] {{2, 3}}));
        assertArrayEquals(new float[] {2, 13, 99}, y.data().asFloat());
        INDArray dx = fc.backward(Nd4j.create(new float[][] {{1, 2, 3}}));
        assertArrayEquals(new float[] {4, -1}, dx.data().asFloat());                  // g W
        assertArrayEquals(new float[] {2, 3, 4, 6, 6, 9}, fc.weight().grad().dup('c').data().asFloat()); // g^T x
        assertArrayEquals(new float[] {1, 2, 3}, fc.bias().grad().data().asFloat());
    }

    @Test
    void flattenAndBack() {
        Flatten flatten = new Flatten();
        INDArray x = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 2, 2);
        INDArray y = flatten.forward(x);
        assertArrayEquals(new long[] {2, 12}, y.shape());
        assertEquals(7f, y.getFloat(0, 7));
        assertArrayEquals(x.shape(), flatten.backward(y).shape());
    }

    @Test
    void rreluDrawsNewSlopesEachBatchButRepeatsPerSeed() {
        INDArray x = Nd4j.valueArrayOf(new long[] {1, 2, 4, 4}, -1.0, DataType.FLOAT);
        RReLU a = new RReLU(9), b = new RReLU(9);
        INDArray first = a.forward(x).dup(), second = a.forward(x).dup();
        assertNotEquals(first, second, "each forward pass draws afresh");
        assertEquals(first, b.forward(x), "the same seed repeats");
        double lower = RReluParams.DEFAULT.lower(), upper = RReluParams.DEFAULT.upper();
        assertTrue(-first.maxNumber().doubleValue() >= lower && -first.minNumber().doubleValue() < upper);
        assertEquals(a.lastSlopes(), a.backward(Nd4j.onesLike(x)));

        Sequential net = new Sequential(new RReLU(9), new Flatten());
        net.eval();
        assertArrayEquals(Nd4j.valueArrayOf(new long[] {1, 32}, -(lower + upper) / 2, DataType.FLOAT).data().asFloat(),
                net.forward(x).data().asFloat(), 1e-7f);
        net.train();
        assertNotEquals(net.forward(x), net.forward(x));
    }

    @Test
    void preluLearnsItsSlope() {
        PReLU prelu = new PReLU(2);
        assertArrayEquals(new float[] {0.25f, 0.25f}, prelu.alpha().value().data().asFloat());
        INDArray x = Nd4j.create(new float[] {-2, 1, -4, 3}, new long[] {1, 2, 1, 2}, 'c');
        assertArrayEquals(new float[] {-0.5f, 1, -1, 3}, prelu.forward(x).data().asFloat());
        prelu.backward(Nd4j.onesLike(x));
        assertArrayEquals(new float[] {-2, -4}, prelu.alpha().grad().data().asFloat());     // sum of negative x
    }

    @Test
    void tanhAndSigmoidDerivatives() {
        INDArray x = Nd4j.create(new float[] {0, 1});
        Tanh tanh = new Tanh();
        tanh.forward(x);
        double t = Math.tanh(1);
        assertArrayEquals(new float[] {1, (float) (1 - t * t)}, tanh.backward(Nd4j.onesLike(x)).data().asFloat(),
                1e-6f);
        Sigmoid sigmoid = new Sigmoid();
        sigmoid.forward(x);
        double s = 1 / (1 + Math.exp(-1));
        assertArrayEquals(new float[] {0.25f, (float) (s * (1 - s))},
                sigmoid.backward(Nd4j.onesLike(x)).data().asFloat(), 1e-6f);
    }

    @Test
    void predictAndAccuracy() {
        Sequential net = new Sequential(new Flatten(), new Linear(2, 2));
        net.param("fc1.weight").value().assign(Nd4j.create(new float[][] {{1, 0}, {0, 1}}));
        net.param("fc1.bias").value().assign(0);
        INDArray x = Nd4j.create(new float[][] {{3, 1}, {0, 2}, {5, 9}});
        assertArrayEquals(new int[] {0, 1, 1}, net.predict(x));
        assertEquals(2 / 3.0, net.accuracy(x, new int[] {0, 1, 0}), 1e-12);
        assertEquals("Sequential.accuracy: images is null", assertThrows(IllegalArgumentException.class,
                () -> net.accuracy(null, new int[] {0})).getMessage());
    }

    /**
     * One layer object in two places: PyTorch allows it (modules keep no input), but a layer here keeps its last
     * input for backward, and a shared Conv2d trained on wrong gradients without a word.
     */
    @Test
    void oneLayerObjectInTwoPlacesIsRefused() {
        ReLU relu = new ReLU();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential(
                new Conv2d(1, 2, 3), relu, new Conv2d(2, 2, 3), relu));
        assertEquals("Sequential: layers 2 and 4 are the same ReLU object; a layer keeps its input for the backward"
                + " pass, so each place needs one of its own\nhint: new ReLU(...) at each place", e.getMessage());
    }

    /**
     * A student's own training loop: a gradient of the wrong shape gave libnd4j's "Op [matmul] execution failed"
     * with its log lines, and a backward after accuracy said "backward called before forward" after a forward.
     */
    @Test
    void backwardSaysWhatItNeeds() {
        Sequential net = LeNet5.create(Activation.RELU, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> net.backward(Nd4j.ones(DataType.FLOAT, 4, 10)));
        assertTrue(none.getMessage().startsWith("Sequential.backward: no forward pass to go back through\nhint:"),
                none.getMessage());
        net.forward(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.backward(Nd4j.ones(DataType.FLOAT, 3, 10)));
        assertEquals("Sequential.backward: gradOut must have the shape of the last forward pass's output (gradOut"
                + " [3,10], output [4,10])\nhint: gradOut is dL/d(output): one value per output value, as"
                + " SoftmaxCrossEntropy.of(logits, labels).grad() gives", e.getMessage());
        net.accuracy(x, new int[4]);
        none = assertThrows(IllegalStateException.class, () -> net.backward(Nd4j.ones(DataType.FLOAT, 4, 10)));
        assertTrue(none.getMessage().contains("predict, accuracy, Trainer.fit and Evaluation.activations keep no"
                + " inputs"), none.getMessage());
        net.forward(x);
        Evaluation.activations(net, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)));
        assertThrows(IllegalStateException.class, () -> net.backward(Nd4j.ones(DataType.FLOAT, 4, 10)),
                "the layers hold one image's inputs after activations, not the batch's");
        net.forward(x);
        assertArrayEquals(x.shape(), net.backward(Nd4j.ones(DataType.FLOAT, 4, 10)).shape());

        Linear fc = new Linear(3, 2);
        fc.forward(Nd4j.ones(DataType.FLOAT, 5, 3));
        e = assertThrows(IllegalArgumentException.class, () -> fc.backward(Nd4j.ones(DataType.FLOAT, 5, 2, 1)));
        assertEquals("Linear.backward: gradOut must be [5, 2], the shape of the forward pass's output, but is"
                + " [5,2,1] (input [5,3], weight [2,3])", e.getMessage());
    }

    /**
     * A layer too large for the memory the process may take (JavaCPP's bound): refused at
     * once, with its size, instead of half a minute of collections and JavaCPP's "Cannot allocate".
     */
    @Test
    void aLayerTooLargeForMemoryIsRefusedWithItsSize() {
        long limit = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        assumeTrue(limit > 0 && limit < (1_000_000L * 100_000 * 4), "JavaCPP's bound is below the layer's 400 GB");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(1_000_000, 100_000));
        assertTrue(e.getMessage().startsWith("Linear(1000000, 100000): its weight [100000,1000000], 100,000,000,000"
                + " values, needs 762,940 MB with its bias and their gradients, more than the process may still take"),
                e.getMessage());
        assertTrue(e.getMessage().contains("\nhint: a layer this large is most likely a mistake: a Linear after the"
                + " Flatten"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(200_000, 200_000, 3));
        assertTrue(e.getMessage().startsWith("Conv2d(200000, 200000, kernel 3): its weight [200000,200000,3,3]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("check the channel counts and the kernel size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Linear(Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("4,611,686,014,132,420,609 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("21,267,647,892,944,572,736,998,860,269,687,930,881 values"),
                e.getMessage());
    }

    /** LeNet-5 on 32x32 images: the error names the layer and the shapes that led there, not Linear's alone. */
    @Test
    void aLayerRefusingItsInputInANetworkNamesItselfAndTheShapesOnTheWay() {
        Sequential net = LeNet5.create(Activation.RELU, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(Nd4j.zeros(DataType.FLOAT, 4, 1, 32, 32)));
        assertEquals("Sequential.forward: layer fc1 (8 of 12) cannot take its input"
                + "\nthe shapes on the way: input [4,1,32,32] \u2192 conv1 [4,6,32,32] \u2192 relu1 \u2192 pool1"
                + " [4,6,16,16] \u2192 conv2 [4,16,12,12] \u2192 relu2 \u2192 pool2 [4,16,6,6] \u2192 flatten1"
                + " [4,576] \u2192 fc1"
                + "\nLinear: input must be [N, 400] but is [4,576] (input [4,576], weight [120,400])"
                + "\nhint: its input has 576 features: make this layer Linear(576, 120), or give it 400",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 28, 28)));
        assertTrue(e.getMessage().startsWith("Sequential.forward: layer conv1 (1 of 12) cannot take its input"
                + "\nthe shapes on the way: input [2,3,28,28] \u2192 conv1\nconv2d: input has 3 channels but weight"
                + " expects 1"), e.getMessage());
        assertTrue(e.getMessage().endsWith("\nhint: weight must be [K, 3, kH, kW] for a 3-channel input"),
                e.getMessage());
    }

    @Test
    void mistakesGetMessagesWithShapesAndHints() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(400, 120).forward(Nd4j.zeros(DataType.FLOAT, 2, 16, 5, 5)));
        assertEquals("Linear: input must be [N, 400] but is [2,16,5,5] (input [2,16,5,5], weight [120,400])"
                + "\nhint: put a Flatten() before this layer", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> new Conv2d(1, 2, 3).backward(Nd4j.zeros(1, 2, 3, 3)));
        assertTrue(s.getMessage().startsWith("Conv2d(1, 2, kernel 3x3"), s.getMessage());
        assertTrue(s.getMessage().contains("backward called before forward"), s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeNet5.create(Activation.RELU, 1).layer("conv3"));
        assertTrue(e.getMessage().contains("no layer named 'conv3'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LeNet5.create(Activation.RELU, 1).layer("conv1", Linear.class));
        assertTrue(e.getMessage().contains("not a Linear"), e.getMessage());
        // a convolution's own check, from the ops, names the op and both shapes
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(1, 6, 5).forward(Nd4j.zeros(DataType.FLOAT, 2, 3, 28, 28)));
        assertTrue(e.getMessage().startsWith("conv2d: input has 3 channels but weight expects 1"), e.getMessage());
    }
}
