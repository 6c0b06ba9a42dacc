package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import java.util.function.Supplier;

/**
 * LeNet-5 (LeCun et al. 1998) for 28x28 grey images and 10 classes, as a {@link Sequential}:
 * <pre>
 *   layer     output            parameters
 *   input     [N, 1, 28, 28]
 *   conv1     [N, 6, 28, 28]    6@5x5, padding 2          weight [6,1,5,5], bias [6]
 *   act1
 *   pool1     [N, 6, 14, 14]    2x2, stride 2
 *   conv2     [N, 16, 10, 10]   16@5x5                    weight [16,6,5,5], bias [16]
 *   act2
 *   pool2     [N, 16, 5, 5]     2x2, stride 2
 *   flatten1  [N, 400]
 *   fc1       [N, 120]                                    weight [120,400], bias [120]
 *   act3
 *   fc2       [N, 84]                                     weight [84,120], bias [84]
 *   act4
 *   fc3       [N, 10]           the logits                weight [10,84], bias [10]
 * </pre>
 * 61,706 parameters. With {@link Activation#RELU} (the modern variant) the pools are max pools and the weights
 * Kaiming-initialised; with {@link Activation#TANH} or {@link Activation#SIGMOID}, as in the original, the pools
 * are average pools ("subsampling") and the weights Xavier-initialised. Layer names follow the activation:
 * relu1..relu4, tanh1..tanh4 or sigmoid1..sigmoid4. Parameter names are those of a PyTorch LeNet with attributes
 * conv1, conv2, fc1, fc2, fc3.
 * <pre>
 * jshell&gt; var net = LeNet5.create(Activation.RELU, 42);
 * jshell&gt; LeNet5.conv1(net).weight().value().shape()
 * $2 ==&gt; long[4] { 6, 1, 5, 5 }
 * </pre>
 */
public final class LeNet5 {
    private LeNet5() {
    }

    /** LeNet-5 on the fast engine, initialised from {@code seed}. */
    public static Sequential create(Activation activation, long seed) {
        return create(activation, seed, Cnn.fast());
    }

    /**
     * LeNet-5 on {@code ops} ({@code Cnn.fast()} or {@code Cnn.reference()}), initialised from {@code seed}.
     *
     * @throws IllegalArgumentException if activation or ops is null
     */
    public static Sequential create(Activation activation, long seed, Ops ops) {
        Check.notNull("LeNet5.create", "activation", activation);
        Check.notNull("LeNet5.create", "ops", ops);
        boolean relu = activation == Activation.RELU;
        Supplier<Layer> pool = () -> relu ? new MaxPool2d(2) : new AvgPool2d(2);
        Sequential net = new Sequential(ops,
                new Conv2d(1, 6, 5, ConvParams.of(1, 2)), activation.layer(), pool.get(),
                new Conv2d(6, 16, 5), activation.layer(), pool.get(),
                new Flatten(),
                new Linear(16 * 5 * 5, 120), activation.layer(),
                new Linear(120, 84), activation.layer(),
                new Linear(84, 10));
        if (relu) {
            Init.kaiming(net, seed);
        } else {
            Init.xavier(net, seed);
        }
        return net;
    }

    /** The first convolution: 6 kernels of 5x5, weight {@code [6, 1, 5, 5]}. */
    public static Conv2d conv1(Sequential net) {
        return net.layer("conv1", Conv2d.class);
    }

    /** The second convolution: 16 kernels of 6x5x5, weight {@code [16, 6, 5, 5]}. */
    public static Conv2d conv2(Sequential net) {
        return net.layer("conv2", Conv2d.class);
    }
}
