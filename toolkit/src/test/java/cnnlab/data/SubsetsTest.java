package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** The committed subsets: what the loaders return, and that they are the generator's output. */
class SubsetsTest {

    private static void checkSubset(Dataset d, String name, List<String> classNames, double minMean, double maxMean) {
        assertArrayEquals(new long[] {1000, 1, 28, 28}, d.images().shape());
        assertEquals(DataType.FLOAT, d.images().dataType());
        assertTrue(d.images().minNumber().doubleValue() >= 0 && d.images().maxNumber().doubleValue() <= 1);
        assertEquals(1.0, d.images().maxNumber().doubleValue(), 1e-6, "255 becomes 1");
        double mean = d.images().meanNumber().doubleValue();
        assertTrue(mean > minMean && mean < maxMean, "mean pixel " + mean);
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, d.counts());
        assertEquals(classNames, d.classNames());
        assertEquals(name, d.name());
        assertTrue(d.source().contains("subset") && d.source().contains("1,000"), d.source());
        assertTrue(d.toString().startsWith(d.source()), d.toString());
    }

    @Test
    void mnistSubsetIsAThousandDigitsInTheUnitRange() {
        checkSubset(Mnist.subset(), "MNIST", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), 0.1, 0.2);
        assertEquals(Mnist.CLASS_NAMES, Mnist.subset().classNames());
    }

    @Test
    void fashionSubsetIsAThousandClothesWithTheirNames() {
        Dataset d = FashionMnist.subset();
        checkSubset(d, "Fashion-MNIST", List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                "Shirt", "Sneaker", "Bag", "Ankle boot"), 0.2, 0.4);
        assertEquals("Ankle boot", d.className(999), "sorted by class");
    }

    @Test
    void dataMdRecordsTheCommittedFilesAndTarballChecksums() throws IOException {
        Path datasets = DataPaths.datasets();
        String doc = Files.readString(datasets.resolve("DATA.md"));
        for (NpmSource s : NpmSource.ALL) {
            assertTrue(doc.contains(s.sha256()), "DATA.md records the tarball SHA-256 of " + s.spec());
            for (String file : List.of(s.subsetImagesFile(), s.subsetLabelsFile())) {
                assertTrue(doc.contains(Fetch.sha256(datasets.resolve(file)) + "  " + file),
                        "DATA.md records the SHA-256 of " + file + " (regenerate with ./cnnlab data --subsets)");
            }
        }
    }

    /** Only where the full sets are cached (never downloads): the committed files are the generator's output. */
    @Test
    void committedSubsetsAreWhatTheGeneratorWrites(@TempDir Path dir) {
        Fetch fetch = new Fetch(DataPaths.cache(), List.of("npm"), line -> { });
        for (NpmSource s : NpmSource.ALL) {
            Assumptions.assumeTrue(fetch.isCached(s), s.id() + " is not cached; nothing to compare with");
            Fetch.Cached cached = fetch.cached(s);
            Subsets.write(s, Idx.readImages(cached.images()), Idx.readLabels(cached.labels()), dir, line -> { });
            // compare contents, not gzip bytes, which another zlib may compress differently
            Path committed = DataPaths.datasets();
            assertArrayEquals(Idx.readImages(committed.resolve(s.subsetImagesFile())).pixels(),
                    Idx.readImages(dir.resolve(s.subsetImagesFile())).pixels(), s.subsetImagesFile());
            assertArrayEquals(Idx.readLabels(committed.resolve(s.subsetLabelsFile())),
                    Idx.readLabels(dir.resolve(s.subsetLabelsFile())), s.subsetLabelsFile());
        }
    }
}
