package cnnlab.nn;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Seeded weight initialisation for the layers with weights ({@link Conv2d}, {@link Linear}): biases to zero,
 * weights drawn from a {@link Random} seeded once, layer by layer in order, so the same seed gives the same
 * network on every machine and every run ({@code java.util.Random}'s algorithm is fixed by its specification).
 *
 * <p>A new layer starts as a new PyTorch layer does: weight and bias from
 * {@code Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))}, drawn from one generator for the whole JVM, as PyTorch's
 * global one. It is seeded 0 when the toolkit loads, so a notebook run from its top makes the same layers every
 * time; making a layer again draws new numbers. {@code kaiming} and {@code xavier} replace them all.
 *
 * <p>Fan-in and fan-out follow PyTorch's layouts: for a weight {@code [out, in, kH, kW]} (or {@code [out, in]})
 * {@code fan_in = in * kH * kW} and {@code fan_out = out * kH * kW}.
 * <pre>
 *   kaiming (He et al. 2015, for ReLU):           w ~ Normal(0, std = sqrt(2 / fan_in))
 *   xavier  (Glorot and Bengio 2010, tanh/sigmoid): w ~ Uniform(-a, a),  a = sqrt(6 / (fan_in + fan_out))
 * </pre>
 * Other parameters (a {@link PReLU}'s slopes) are left as they are.
 * <pre>
 * jshell&gt; Init.kaiming(net, 42);
 * jshell&gt; net.param("conv1.weight").value().stdNumber()      // about sqrt(2/25) = 0.28 (150 draws)
 * </pre>
 */
public final class Init {
    private Init() {
    }

    /** Kaiming-normal weights and zero biases for every {@link Conv2d} and {@link Linear} of {@code net}. */
    public static void kaiming(Sequential net, long seed) {
        fill(net, seed, true);
    }

    /** Xavier-uniform weights and zero biases for every {@link Conv2d} and {@link Linear} of {@code net}. */
    public static void xavier(Sequential net, long seed) {
        fill(net, seed, false);
    }

    private static void fill(Sequential net, long seed, boolean kaiming) {
        Check.notNull("Init", "network", net);
        net.epochsTrained = 0;          // new weights: a fit starts over, and says nothing of earlier epochs
        Random random = new Random(seed);
        for (Layer layer : net.layers()) {
            Param weight, bias;
            if (layer instanceof Conv2d conv) {
                weight = conv.weight();
                bias = conv.bias();
            } else if (layer instanceof Linear fc) {
                weight = fc.weight();
                bias = fc.bias();
            } else {
                continue;
            }
            weight.value().assign(kaiming ? kaiming(weight.value().shape(), random)
                    : xavier(weight.value().shape(), random));
            bias.value().assign(0);
        }
    }

    /** A new float32 array of {@code shape} with values from Normal(0, sqrt(2 / fan_in)). */
    public static INDArray kaiming(long[] shape, Random random) {
        double std = Math.sqrt(2.0 / fanIn(shape));
        float[] v = new float[Math.toIntExact(count(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * random.nextGaussian());
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** A new float32 array of {@code shape} with values from Uniform(-a, a), a = sqrt(6 / (fan_in + fan_out)). */
    public static INDArray xavier(long[] shape, Random random) {
        double a = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        float[] v = new float[Math.toIntExact(count(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (a * (2 * random.nextDouble() - 1));
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** New layers' first weights and biases: PyTorch's global generator, here seeded 0 once per JVM. */
    private static final Random LAYERS = new Random(0);

    /** Seeds the generator new layers draw from, as {@code torch.manual_seed} (tests: layers made in any order). */
    static void seedNewLayers(long seed) {
        synchronized (LAYERS) {
            LAYERS.setSeed(seed);
        }
    }

    /** Numbers drawn into a Java array at a time, so that a layer of any size is filled. */
    private static final int CHUNK = 1 << 20;

    /**
     * PyTorch's initialisation of a new {@code nn.Conv2d} or {@code nn.Linear} ({@code reset_parameters}: Kaiming
     * uniform with {@code a = sqrt(5)} for the weight), drawn from the JVM's generator for new layers: weight and
     * bias from {@code Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))}. Weights all zero, as layers started before,
     * never learn: every unit of a layer gets the same gradient, and a zero weight passes none back.
     */
    static void pytorchDefault(INDArray weight, INDArray bias) {
        double bound = 1 / Math.sqrt(fanIn(weight.shape()));
        synchronized (LAYERS) {
            uniform(weight, bound, LAYERS);
            uniform(bias, bound, LAYERS);
        }
    }

    /** Fills a float32 array in place with values from Uniform(-bound, bound), a chunk at a time. */
    private static void uniform(INDArray a, double bound, Random random) {
        INDArray flat = a.reshape(a.length());
        for (long from = 0; from < a.length(); from += CHUNK) {
            float[] v = new float[(int) Math.min(CHUNK, a.length() - from)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (bound * (2 * random.nextDouble() - 1));
            }
            flat.get(NDArrayIndex.interval(from, from + v.length)).assign(Nd4j.createFromArray(v));
        }
    }

    /** {@code in * kH * kW} for {@code [out, in, kH, kW]}; {@code in} for {@code [out, in]}. */
    public static long fanIn(long[] shape) {
        return count(shape) / shape[0];
    }

    /** {@code out * kH * kW} for {@code [out, in, kH, kW]}; {@code out} for {@code [out, in]}. */
    public static long fanOut(long[] shape) {
        return shape.length < 2 ? shape[0] : count(shape) / shape[1];
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
