/**
 * Tiny layers and a training loop built on the toolkit's own forward and backward passes ({@link cnnlab.ops.Ops}),
 * enough to train LeNet-5 on MNIST and to read every line of it.
 *
 * <p>What is here: layers ({@link cnnlab.nn.Conv2d}, {@link cnnlab.nn.MaxPool2d}, {@link cnnlab.nn.AvgPool2d},
 * the ReLU family, {@link cnnlab.nn.Tanh}, {@link cnnlab.nn.Sigmoid}, {@link cnnlab.nn.Flatten},
 * {@link cnnlab.nn.Linear}), a {@link cnnlab.nn.Sequential} network whose engine can be switched between
 * {@code Cnn.fast()} and {@code Cnn.reference()}, the loss {@link cnnlab.nn.SoftmaxCrossEntropy}, the optimisers
 * {@link cnnlab.nn.Sgd} and {@link cnnlab.nn.Adam}, seeded {@link cnnlab.nn.Init initialisation}, a
 * {@link cnnlab.nn.Trainer} with a progress bar and a Tablesaw history, weights as {@code .npy} files
 * ({@link cnnlab.nn.Npy}), {@link cnnlab.nn.LeNet5}, and {@link cnnlab.nn.Evaluation} to look at a trained
 * classifier (confusion matrix, misclassified samples, per-layer activations).
 *
 * <p>What is not here: automatic differentiation (each layer writes its backward next to its forward), GPUs,
 * data loading (that is {@code cnnlab.data}) and charts (that is {@code cnnlab.viz.Plots}, which draws the
 * history table). It is a teaching toolkit, not a framework: small, float32, one thread of control.
 * <pre>
 * jshell&gt; var net = LeNet5.create(Activation.RELU, 42, Cnn.reference());   // or Cnn.fast(), the default
 * jshell&gt; var history = Trainer.fit(net, new Adam(1e-3), trainX, trainY, testX, testY, FitParams.of(8, 32));
 * epoch 1/8 [####################] loss 1.7635 acc 44.3% test 73.5% 4.1 s     (800 MNIST digits, 200 to test)
 * jshell&gt; Plots.trainingCurves(history)
 * jshell&gt; net.save(Path.of("lenet5-weights"))          // conv1.weight.npy, conv1.bias.npy, ...
 * </pre>
 */
package cnnlab.nn;
