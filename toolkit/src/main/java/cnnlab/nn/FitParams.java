package cnnlab.nn;

/**
 * Settings of {@link Trainer#fit}: how many epochs, the mini-batch size, the seed of the per-epoch shuffle,
 * whether to print the progress bar, how the learning rate decays, and how far training images are shifted.
 *
 * <p>Defaults: 10 epochs, batches of 64, seed 0, progress bar on, no decay (factor 1), no shifts.
 * <pre>
 * jshell&gt; FitParams.of(5, 64).withSeed(42).withQuiet(true)
 * $1 ==&gt; 5 epochs, batch 64, seed 42, quiet
 * jshell&gt; FitParams.of(10, 32).withLearningRateDecay(0.7).withMaxShift(2)
 * $2 ==&gt; 10 epochs, batch 32, seed 0, lr x0.7 per epoch, shifts up to 2 px
 * </pre>
 *
 * @param epochs    passes over the training set, at least 1
 * @param batchSize samples per gradient step, at least 1 (the last batch of an epoch may be smaller)
 * @param seed      seeds the shuffle: epoch e visits the samples in an order drawn from it, so runs repeat
 * @param quiet     true to print nothing
 * @param lrDecay   after each epoch the optimiser's learning rate is multiplied by this factor, in (0, 1]
 *                  (PyTorch's {@code ExponentialLR(gamma=lrDecay)} stepped once per epoch); 1 keeps it fixed
 * @param maxShift  data augmentation: each training image of each batch is moved by a random (dy, dx) of up to
 *                  this many pixels per axis ({@link Augment#shift}), drawn from the seed; 0 trains on the
 *                  images as they are
 */
public record FitParams(int epochs, int batchSize, long seed, boolean quiet, double lrDecay, int maxShift) {

    /** 10 epochs, batches of 64, seed 0, progress bar on, no learning-rate decay, no shifts. */
    public static final FitParams DEFAULT = new FitParams(10, 64, 0, false, 1, 0);

    /**
     * @throws IllegalArgumentException if epochs or batchSize is below 1, lrDecay is not in (0, 1], or maxShift
     *                                  is negative
     */
    public FitParams {
        if (epochs < 1) {
            throw new IllegalArgumentException("FitParams: epochs must be at least 1 but is " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("FitParams: batch size must be at least 1 but is " + batchSize);
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("FitParams: learning-rate decay must be in (0, 1] but is " + lrDecay
                    + "\nhint: 1 keeps the learning rate fixed, 0.7 shrinks it by 30% after each epoch");
        }
        if (maxShift < 0) {
            throw new IllegalArgumentException("FitParams: the largest shift must be at least 0 pixels but is "
                    + maxShift);
        }
    }

    public static FitParams of(int epochs, int batchSize) {
        return DEFAULT.withEpochs(epochs).withBatchSize(batchSize);
    }

    public FitParams withEpochs(int epochs) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    public FitParams withBatchSize(int batchSize) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    public FitParams withSeed(long seed) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    public FitParams withQuiet(boolean quiet) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    public FitParams withLearningRateDecay(double lrDecay) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    public FitParams withMaxShift(int maxShift) {
        return new FitParams(epochs, batchSize, seed, quiet, lrDecay, maxShift);
    }

    @Override
    public String toString() {
        return epochs + (epochs == 1 ? " epoch" : " epochs") + ", batch " + batchSize + ", shuffle seed " + seed
                + (quiet ? ", quiet" : "")
                + (lrDecay == 1 ? "" : ", lr x" + lrDecay + " per epoch")
                + (maxShift == 0 ? "" : ", shifts up to " + maxShift + " px");
    }
}
