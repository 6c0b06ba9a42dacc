package cnnlab.nn;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A synthetic, separable problem for training tests: 8x8 images holding one bright bar at a random position,
 * vertical (class 0) or horizontal (class 1), plus Gaussian noise of standard deviation 0.3.
 */
record Bars(INDArray images, int[] labels) {
    static final int SIZE = 8;

    static Bars of(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
            int at = random.nextInt(SIZE);
            for (int row = 0; row < SIZE; row++) {
                for (int col = 0; col < SIZE; col++) {
                    boolean onBar = labels[i] == 0 ? col == at : row == at;
                    v[(i * SIZE + row) * SIZE + col] = (float) ((onBar ? 1 : 0) + 0.3 * random.nextGaussian());
                }
            }
        }
        return new Bars(Nd4j.create(v, new long[] {n, 1, SIZE, SIZE}, 'c'), labels);
    }

    /** conv 4@3x3 pad 1 -> relu -> maxpool 2 -> flatten -> linear 64 -> 2, Kaiming-initialised. */
    static Sequential network(cnnlab.ops.Ops ops, long seed) {
        Sequential net = new Sequential(ops, new Conv2d(1, 4, 3, cnnlab.ops.ConvParams.of(1, 1)), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 2));
        Init.kaiming(net, seed);
        return net;
    }
}
