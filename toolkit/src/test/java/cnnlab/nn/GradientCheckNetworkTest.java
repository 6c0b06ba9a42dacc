package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole-network gradient checks: the gradient {@link Sequential#backward} gives every parameter (and the input)
 * against the centred difference {@code (L(w + h) - L(w - h)) / 2h} of the mean softmax cross-entropy, at up to
 * {@value #COORDINATES} sampled coordinates per tensor. L is computed in double from the network's float32
 * logits, and the step actually taken is the float32 difference of the two perturbed values.
 *
 * <p>Tolerances: step {@code h = 1e-2}, accepted error {@code 2e-4 + 1e-2 * |numeric|}. The errors left are
 * float32 rounding of the logits (about 1e-7, divided by 2h: 1e-5) and the curvature of tanh, sigmoid and the
 * loss (of order h^2); the largest seen is 4e-5, on LeNet-5's conv biases (gradients up to 0.7). Each tensor's
 * sample must hold a gradient above the absolute tolerance, so that no check passes by being all near zero.
 *
 * <p>ReLU, PReLU and max pooling have kinks: the nets that use them are checked only where no step can cross
 * one, which {@link #assertNoKinkWithin} and {@link #assertPoolWinnersClear} verify first (pre-activations at
 * least {@code m = h * max(1, |x|, |w|)} away from 0, and each pooling window's maximum more than 2m above the
 * runner-up; a step moves each pre-activation by at most m), so a failure there means "pick another seed", not
 * "wrong gradient". The seeds were picked that way.
 */
class GradientCheckNetworkTest {
    private static final double H = 1e-2, ATOL = 2e-4, RTOL = 1e-2;
    private static final int COORDINATES = 20;

    static List<Ops> engines() {
        return List.of(Cnn.reference(), Cnn.fast());
    }

    /** conv 3@3x3 -> relu -> maxpool 2 -> flatten -> linear 27 -> 4, on [2, 1, 8, 8]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void tinyReluNetwork(Ops ops) {
        Random random = new Random(371);     // a seed with no kink within reach (checked below)
        Sequential net = new Sequential(ops, new Conv2d(1, 3, 3), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(3 * 3 * 3, 4));
        Init.kaiming(net, 5);
        INDArray x = uniform(random, 2, 1, 8, 8);
        int[] labels = {1, 3};

        INDArray z = net.layer("conv1").forward(x);
        double margin = H * Math.max(1, Math.max(maxAbs(x), maxAbs(net.param("conv1.weight").value())));
        assertNoKinkWithin(z, margin, "conv1 output (relu input)");
        assertPoolWinnersClear(Cnn.relu(z), 2, 2 * margin);

        checkNetwork(net, x, labels, random);
    }

    /** conv 2@3x3 pad 1 -> PReLU per channel -> avgpool 2 -> flatten -> linear -> sigmoid -> linear; [2, 1, 6, 6]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void preluSigmoidNetwork(Ops ops) {
        Random random = new Random(237);     // a seed with no kink within reach (checked below)
        PReLU prelu = new PReLU(2);
        prelu.alpha().value().assign(Nd4j.create(new float[] {0.25f, -0.4f}));
        Sequential net = new Sequential(ops, new Conv2d(1, 2, 3, ConvParams.of(1, 1)), prelu,
                new AvgPool2d(PoolParams.of(2)), new Flatten(), new Linear(2 * 3 * 3, 5), new Sigmoid(),
                new Linear(5, 3));
        Init.xavier(net, 8);
        net.param("conv1.bias").value().assign(Nd4j.create(new float[] {0.1f, -0.2f}));
        INDArray x = uniform(random, 2, 1, 6, 6);

        INDArray z = net.layer("conv1").forward(x);
        double margin = H * Math.max(1, Math.max(maxAbs(x), maxAbs(net.param("conv1.weight").value())));
        assertNoKinkWithin(z, margin, "conv1 output (prelu input)");

        checkNetwork(net, x, new int[] {2, 0}, random);
    }

    /** LeNet-5 with tanh (average pools: no kink anywhere) on two random 28x28 images. */
    @Test
    void leNet5Tanh() {
        Random random = new Random(5);
        Sequential net = LeNet5.create(Activation.TANH, 21);
        // non-zero biases, so that their gradients are checked away from the initial point too
        for (Map.Entry<String, Param> e : net.stateDict().entrySet()) {
            if (e.getKey().endsWith(".bias")) {
                e.getValue().value().assign(uniform(random, e.getValue().value().shape()).muli(0.1));
            }
        }
        INDArray x = uniform(random, 2, 1, 28, 28);
        checkNetwork(net, x, new int[] {3, 7}, random);
    }

    // ---------------------------------------------------------------- helpers

    /** Checks every parameter and the input of {@code net} at a sample of coordinates each. */
    static void checkNetwork(Sequential net, INDArray x, int[] labels, Random random) {
        SoftmaxCrossEntropy ce = SoftmaxCrossEntropy.of(net.forward(x), labels);
        INDArray dx = net.backward(ce.grad()).dup();
        // each layer's input, so that a perturbed parameter of layer i only needs layers i, i+1, ... re-run
        List<INDArray> inputs = new ArrayList<>();
        INDArray a = x;
        for (Layer layer : net.layers()) {
            inputs.add(a);
            a = layer.forward(a);
        }
        String engine = net.engine().name() + " ";
        for (int i = 0; i < net.layers().size(); i++) {
            for (Param p : net.layers().get(i).params()) {
                String name = engine + net.layerNames().get(i) + "." + p.name();
                check(name, net, i, inputs.get(i), labels, p.value(), p.grad().dup(), random);
            }
        }
        check(engine + "input", net, 0, x, labels, x, dx, random);
    }

    /**
     * Perturbs {@code target} (a parameter of layer {@code from} or that layer's input) in place, one coordinate
     * at a time, and re-runs the network from layer {@code from} on its input {@code in}.
     */
    static void check(String what, Sequential net, int from, INDArray in, int[] labels, INDArray target,
                      INDArray analytic, Random random) {
        float[] grad = analytic.dup('c').data().asFloat();
        double largest = 0;
        for (int i : sample(random, target.length(), COORDINATES)) {
            long[] at = Shape.ind2subC(target.shape(), i);
            float base = target.getFloat(at);
            float up = (float) (base + H), down = (float) (base - H);
            target.putScalar(at, up);
            double lossUp = loss(net, from, in, labels);
            target.putScalar(at, down);
            double lossDown = loss(net, from, in, labels);
            target.putScalar(at, base);
            double numeric = (lossUp - lossDown) / ((double) up - (double) down);
            if (Math.abs(grad[i] - numeric) > ATOL + RTOL * Math.abs(numeric)) {
                fail(what + ": at " + Arrays.toString(at) + " backward gives " + grad[i] + " but the centred"
                        + " difference is " + numeric + " (h " + H + ", atol " + ATOL + ", rtol " + RTOL + ")");
            }
            largest = Math.max(largest, Math.abs(numeric));
        }
        assertTrue(largest > ATOL, what + ": every sampled gradient is below the tolerance (largest " + largest
                + "), so the check would prove nothing");
    }

    /** The loss of the network run from layer {@code from} on that layer's input. */
    static double loss(Sequential net, int from, INDArray in, int[] labels) {
        INDArray a = in;
        for (int i = from; i < net.layers().size(); i++) {
            a = net.layers().get(i).forward(a);
        }
        return SoftmaxCrossEntropy.of(a, labels).loss();
    }

    static void assertNoKinkWithin(INDArray z, double margin, String what) {
        double closest = Double.MAX_VALUE;
        for (float v : z.dup('c').data().asFloat()) {
            closest = Math.min(closest, Math.abs(v));
        }
        assertTrue(closest > margin, what + ": a value is " + closest + " from the kink at 0, within the margin "
                + margin + "; a centred difference could cross it (choose another seed)");
    }

    /** In each k x k window (stride k) the maximum beats the runner-up by more than {@code gap}, unless both are 0. */
    static void assertPoolWinnersClear(INDArray a, int k, double gap) {
        long n = a.size(0), c = a.size(1), h = a.size(2), w = a.size(3);
        for (long i = 0; i < n; i++) {
            for (long ch = 0; ch < c; ch++) {
                for (long oy = 0; oy + k <= h; oy += k) {
                    for (long ox = 0; ox + k <= w; ox += k) {
                        List<Float> window = new ArrayList<>();
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                window.add(a.getFloat(i, ch, oy + dy, ox + dx));
                            }
                        }
                        Collections.sort(window, Collections.reverseOrder());
                        boolean allZero = window.get(0) == 0;
                        assertTrue(allZero || window.get(0) - window.get(1) > gap, "pool window at " + i + ","
                                + ch + "," + oy + "," + ox + ": " + window + " has a near tie (gap " + gap + ")");
                    }
                }
            }
        }
    }

    static INDArray uniform(Random random, long... shape) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (p, q) -> p * q))];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return Nd4j.create(v, shape, 'c');
    }

    static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    static int[] sample(Random random, long length, int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        return all.subList(0, Math.min(count, all.size())).stream().mapToInt(Integer::intValue).toArray();
    }
}
