package cnnlab.nn;

/**
 * Settings of {@link Trainer#fit}: how many epochs, the mini-batch size, the seed of the per-epoch shuffle,
 * and whether to print the progress bar.
 *
 * <p>Defaults: 10 epochs, batches of 64, seed 0, progress bar on.
 * <pre>
 * jshell&gt; FitParams.of(5, 64).withSeed(42).withQuiet(true)
 * $1 ==&gt; 5 epochs, batch 64, seed 42, quiet
 * </pre>
 *
 * @param epochs    passes over the training set, at least 1
 * @param batchSize samples per gradient step, at least 1 (the last batch of an epoch may be smaller)
 * @param seed      seeds the shuffle: epoch e visits the samples in an order drawn from it, so runs repeat
 * @param quiet     true to print nothing
 */
public record FitParams(int epochs, int batchSize, long seed, boolean quiet) {

    /** 10 epochs, batches of 64, seed 0, progress bar on. */
    public static final FitParams DEFAULT = new FitParams(10, 64, 0, false);

    /** @throws IllegalArgumentException if epochs or batchSize is below 1 */
    public FitParams {
        if (epochs < 1) {
            throw new IllegalArgumentException("FitParams: epochs must be at least 1 but is " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("FitParams: batch size must be at least 1 but is " + batchSize);
        }
    }

    public static FitParams of(int epochs, int batchSize) {
        return DEFAULT.withEpochs(epochs).withBatchSize(batchSize);
    }

    public FitParams withEpochs(int epochs) {
        return new FitParams(epochs, batchSize, seed, quiet);
    }

    public FitParams withBatchSize(int batchSize) {
        return new FitParams(epochs, batchSize, seed, quiet);
    }

    public FitParams withSeed(long seed) {
        return new FitParams(epochs, batchSize, seed, quiet);
    }

    public FitParams withQuiet(boolean quiet) {
        return new FitParams(epochs, batchSize, seed, quiet);
    }

    @Override
    public String toString() {
        return epochs + " epochs, batch " + batchSize + ", seed " + seed + (quiet ? ", quiet" : "");
    }
}
