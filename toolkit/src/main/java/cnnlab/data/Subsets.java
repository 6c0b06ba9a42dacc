package cnnlab.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * The committed subsets in {@code datasets/}: {@link #PER_CLASS} images of each class picked with seed
 * {@link #SEED} from the full set (in its order, so sorted by class), written by {@code ./cnnlab data --subsets}.
 * They are generated, never edited by hand; {@code datasets/DATA.md} records their checksums.
 */
final class Subsets {
    /** Images of each class in a committed subset. */
    static final int PER_CLASS = 100;
    /** The seed that picked them. */
    static final long SEED = 20_240_917L;

    private Subsets() {
    }

    /** Picks the subset of a full set and writes its two IDX files into {@code folder}. */
    static void write(NpmSource source, Idx.Images images, byte[] labels, Path folder, Consumer<String> progress) {
        int[] ints = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            ints[i] = labels[i] & 0xff;
        }
        int[] picked = Stratified.pick(ints, source.classNames().size(), PER_CLASS, SEED);
        int size = images.imageSize();
        byte[] pixels = new byte[picked.length * size];
        byte[] subsetLabels = new byte[picked.length];
        for (int k = 0; k < picked.length; k++) {
            System.arraycopy(images.pixels(), picked[k] * size, pixels, k * size, size);
            subsetLabels[k] = labels[picked[k]];
        }
        Path imagesFile = folder.resolve(source.subsetImagesFile());
        Path labelsFile = folder.resolve(source.subsetLabelsFile());
        Idx.writeImages(imagesFile, new Idx.Images(pixels, picked.length, images.rows(), images.cols()),
                Deflater.BEST_COMPRESSION);
        Idx.writeLabels(labelsFile, subsetLabels, Deflater.BEST_COMPRESSION);
        progress.accept(String.format(Locale.ROOT,
                "%s: wrote the subset, %,d images (%d per class, seed %d):%n  %s  %s%n  %s  %s", source.datasetName(),
                picked.length, PER_CLASS, SEED, Fetch.sha256(imagesFile), imagesFile, Fetch.sha256(labelsFile),
                labelsFile));
    }
}
