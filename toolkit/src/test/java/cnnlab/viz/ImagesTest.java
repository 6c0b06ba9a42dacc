package cnnlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImagesTest {

    private static int[] rgb(BufferedImage image, int x, int y) {
        int v = image.getRGB(x, y);
        return new int[] {(v >> 16) & 255, (v >> 8) & 255, v & 255};
    }

    @Test
    void samplesLoadAsRgbAndGreyInTheUnitRange() {
        INDArray photo = Images.sample("astronaut");
        assertArrayEquals(new long[] {1, 3, 512, 512}, photo.shape());
        assertEquals(DataType.FLOAT, photo.dataType());
        assertTrue(photo.minNumber().doubleValue() >= 0 && photo.maxNumber().doubleValue() <= 1);
        assertTrue(photo.maxNumber().doubleValue() > 0.9, "a photo uses the range");
        INDArray grey = Images.sampleGrey("chelsea");
        assertArrayEquals(new long[] {1, 1, 300, 451}, grey.shape());
        assertTrue(Images.samples().containsAll(java.util.List.of("astronaut", "camera", "chelsea", "rocket")));
    }

    /** The hint for an activation of many channels names a call that works on the array given. */
    @Test
    void theManyChannelsHintWorksAsWritten() {
        INDArray chw = Nd4j.rand(DataType.FLOAT, 200, 16, 12), nchw = chw.reshape(1, 200, 16, 12);
        String three = assertThrows(IllegalArgumentException.class, () -> Images.toImage(chw)).getMessage();
        assertTrue(three.endsWith("hint: show one channel k, e.g. x.slice(k), or all of them with"
                + " FeatureMaps.draw(x.reshape(1, 200, 16, 12))"), three);
        String four = assertThrows(IllegalArgumentException.class, () -> Images.toImage(nchw)).getMessage();
        assertTrue(four.endsWith("e.g. x.slice(0).slice(k), or all of them with FeatureMaps.draw(x)"), four);
        assertEquals(12, Images.toImage(chw.slice(7)).getWidth());
        assertEquals(16, Images.toImage(nchw.slice(0).slice(7)).getHeight());
        assertTrue(FeatureMaps.draw(chw.reshape(1, 200, 16, 12)).getWidth() > 0);
    }

    @Test
    void greyOfAColourPhotoIsItsLuminance() {
        INDArray rgb = Images.sample("coffee"), grey = Images.sampleGrey("coffee");
        float r = rgb.getFloat(0, 0, 10, 20), g = rgb.getFloat(0, 1, 10, 20), b = rgb.getFloat(0, 2, 10, 20);
        assertEquals(0.299 * r + 0.587 * g + 0.114 * b, grey.getFloat(0, 0, 10, 20), 1e-5);
    }

    /**
     * Every kind of picture Java makes reads as the colours it shows: full red is 1 in the red plane whatever the
     * bit depth (5-6-5 colour used to be scaled by the 5-bit red's 31 in every band, so its green came out 2.03),
     * and a palette, premultiplied alpha or BGR order changes nothing.
     */
    @ParameterizedTest(name = "BufferedImage type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE,
            BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB,
            BufferedImage.TYPE_BYTE_INDEXED})
    void everyKindOfColourPictureReadsAsItsColours(int type) {
        int[] colours = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x000000, 0xffff00};
        BufferedImage image = new BufferedImage(colours.length, 1, type);
        for (int x = 0; x < colours.length; x++) {
            image.setRGB(x, 0, 0xff000000 | colours[x]);
        }
        INDArray read = Images.fromImage(image, false);
        assertArrayEquals(new long[] {1, 3, 1, colours.length}, read.shape());
        for (int x = 0; x < colours.length; x++) {
            for (int c = 0; c < 3; c++) {
                float expected = (colours[x] >> (16 - 8 * c) & 255) / 255f;
                assertEquals(expected, read.getFloat(0, c, 0, x), 1e-6, "pixel " + x + ", channel " + c);
            }
        }
        INDArray grey = Images.fromImage(image, true);
        assertEquals(0.587, grey.getFloat(0, 0, 0, 1), 1e-6, "pure green's luminance");
    }

    @Test
    void greyPicturesReadTheirSamplesAtTheirDepth() {
        BufferedImage bytes = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        bytes.getRaster().setSample(0, 0, 0, 255);
        bytes.getRaster().setSample(1, 0, 0, 51);
        BufferedImage shorts = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        shorts.getRaster().setSample(0, 0, 0, 65535);
        shorts.getRaster().setSample(1, 0, 0, 13107);
        for (BufferedImage image : List.of(bytes, shorts)) {
            INDArray read = Images.fromImage(image, true);
            assertEquals(1f, read.getFloat(0, 0, 0, 0), 1e-6);
            assertEquals(0.2f, read.getFloat(0, 0, 0, 1), 1e-6, "a sample of a fifth, not gamma-shifted");
        }
    }

    @Test
    void aPictureTooLargeForAnArrayIsRefusedBeforeReading() {
        BufferedImage huge = new BufferedImage(9000, 8000, BufferedImage.TYPE_BYTE_BINARY);  // 9 MB of bits
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.fromImage(huge, false));
        assertTrue(e.getMessage().contains("9000x8000 pixels") && e.getMessage().contains("hint: "), e.getMessage());
    }

    @Test
    void anUnknownSampleNamesTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Images.sample("dog"));
        assertTrue(e.getMessage().contains("'dog'") && e.getMessage().contains("astronaut"), e.getMessage());
    }

    @Test
    void symmetricScaleKeepsZeroWhiteAndIsSymmetric() {
        INDArray x = Nd4j.create(new float[] {-2, -1, 0, 1, 2}, new long[] {1, 5}, 'c');
        BufferedImage image = Images.toImage(x, Scale.SYMMETRIC);
        assertArrayEquals(new int[] {247, 247, 247}, rgb(image, 2, 0), "zero is the middle colour");
        int[] minus = rgb(image, 0, 0), plus = rgb(image, 4, 0);
        assertTrue(minus[2] > minus[0], "negative is blue");
        assertTrue(plus[0] > plus[2], "positive is red");
        int[] halfMinus = rgb(image, 1, 0), halfPlus = rgb(image, 3, 0);
        double dMinus = 0, dPlus = 0;
        for (int k = 0; k < 3; k++) {
            dMinus += Math.abs(halfMinus[k] - 247);
            dPlus += Math.abs(halfPlus[k] - 247);
        }
        assertTrue(dMinus > 0 && dPlus > 0);
        assertEquals(ColorMaps.diverging(0.5), (image.getRGB(3, 0) & 0xffffff));
        assertEquals(ColorMaps.diverging(-0.5), (image.getRGB(1, 0) & 0xffffff));
    }

    @Test
    void theClippedScaleGivesFullColourAtThe99thPercentile() {
        float[] v = new float[300];
        for (int i = 0; i < 300; i++) {
            v[i] = (i % 2 == 0 ? 1 : -1) * (i < 298 ? i % 10 + 1 : 100);   // magnitudes 1..10, and two of 100
        }
        v[5] = Float.NaN;
        float[] clipped = Images.range(v, Scale.SYMMETRIC_CLIPPED);
        assertEquals(10f, clipped[2], "the 99th percentile of 299 finite magnitudes: the 297th, 10");
        assertEquals(100f, Images.range(v, Scale.SYMMETRIC)[2], "the plain scale keeps the largest");
        BufferedImage image = Images.toImage(Nd4j.create(v, new long[] {1, 300}, 'c'), Scale.SYMMETRIC_CLIPPED);
        assertEquals(ColorMaps.diverging(1), image.getRGB(298, 0) & 0xffffff, "100 is clipped to full red");
        assertEquals(ColorMaps.diverging(-1), image.getRGB(299, 0) & 0xffffff, "-100 to full blue");
        assertEquals(ColorMaps.diverging(-0.4f), image.getRGB(3, 0) & 0xffffff, "-4 is 40% blue, not 4%");
        assertEquals(ColorMaps.NAN, image.getRGB(5, 0) & 0xffffff);
    }

    @Test
    void theClippedScaleOfAMostlyZeroPlaneTakesItsLargestValue() {
        float[] v = new float[1000];
        v[3] = -4;
        v[7] = 2;
        assertEquals(4f, Images.range(v, Scale.SYMMETRIC_CLIPPED)[2], "never a scale of 0 that hides the 2");
        BufferedImage image = Images.toImage(Nd4j.create(v, new long[] {1, 1000}, 'c'), Scale.SYMMETRIC_CLIPPED);
        assertEquals(ColorMaps.diverging(0.5), image.getRGB(7, 0) & 0xffffff);
        assertArrayEquals(new int[] {247, 247, 247}, rgb(Images.toImage(Nd4j.zeros(4, 4), Scale.SYMMETRIC_CLIPPED),
                0, 0), "an all-zero plane is white");
    }

    @Test
    void aConstantPlaneNeverDividesByZero() {
        INDArray flat = Nd4j.valueArrayOf(new long[] {4, 4}, 3f);
        assertArrayEquals(new int[] {128, 128, 128}, rgb(Images.toImage(flat, Scale.MIN_MAX), 1, 1));
        assertArrayEquals(new int[] {247, 247, 247}, rgb(Images.toImage(Nd4j.zeros(4, 4), Scale.SYMMETRIC), 0, 0));
    }

    @Test
    void minMaxMapsTheRangeToBlackAndWhite() {
        INDArray x = Nd4j.create(new float[] {-3, 0, 5}, new long[] {1, 1, 1, 3}, 'c');
        BufferedImage image = Images.toImage(x, Scale.MIN_MAX);
        assertEquals(0, rgb(image, 0, 0)[0]);
        assertEquals(255, rgb(image, 2, 0)[0]);
        assertEquals(Math.round(3 / 8.0 * 255), rgb(image, 1, 0)[0]);
    }

    @Test
    void rgbChannelsLandInTheRightColour() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 1, 1);
        x.putScalar(0, 0, 0, 1f);
        assertArrayEquals(new int[] {255, 0, 0}, rgb(Images.toImage(x, Scale.FIXED), 0, 0));
    }

    @Test
    void otherChannelCountsAreRejectedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.toImage(Nd4j.zeros(1, 5, 4, 4), Scale.FIXED));
        assertTrue(e.getMessage().contains("5 channels") && e.getMessage().contains("hint:"), e.getMessage());
    }

    @Test
    void savedPngsReadBackTheSame(@TempDir Path dir) {
        INDArray photo = Images.resize(Images.sample("chelsea"), 30, 40);
        String file = dir.resolve("sub/cat.png").toString();
        Images.save(Images.toImage(photo, Scale.FIXED), file);
        INDArray back = Images.load(file);
        assertArrayEquals(photo.shape(), back.shape());
        assertTrue(Math.abs(photo.sub(back).maxNumber().doubleValue()) <= 1 / 255.0 + 1e-6);
    }

    @Test
    void resizeAndCropGeometry() {
        INDArray x = Nd4j.create(new float[] {0, 1, 2, 3}, new long[] {1, 1, 2, 2}, 'c');
        assertEquals(x, Images.resize(x, 2, 2));
        INDArray up = Images.resize(x, 4, 4);
        assertEquals(0f, up.getFloat(0, 0, 0, 0), 1e-6);
        assertEquals(0.25f, up.getFloat(0, 0, 0, 1), 1e-6);
        assertEquals(3f, up.getFloat(0, 0, 3, 3), 1e-6);
        INDArray wide = Nd4j.arange(0, 2 * 5).reshape(1, 1, 2, 5).castTo(DataType.FLOAT);
        INDArray square = Images.centreCrop(wide);
        assertArrayEquals(new long[] {1, 1, 2, 2}, square.shape());
        assertEquals(1f, square.getFloat(0, 0, 0, 0), 0, "crop starts at column (5 - 2) / 2 = 1");
    }

    @Test
    void saveWritesTheFormatItsNameSays(@TempDir Path dir) throws Exception {
        BufferedImage img = Images.toImage(Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8), Scale.FIXED);
        Images.save(img, dir.resolve("a.jpg").toString());
        byte[] jpg = java.nio.file.Files.readAllBytes(dir.resolve("a.jpg"));
        assertEquals(0xFF, jpg[0] & 0xFF, "a JPEG starts with FF D8 (it was PNG bytes under a .jpg name)");
        assertEquals(0xD8, jpg[1] & 0xFF);
        Images.save(img, dir.resolve("a.PNG").toString());
        assertEquals(0x89, java.nio.file.Files.readAllBytes(dir.resolve("a.PNG"))[0] & 0xFF);
        var e = assertThrows(IllegalArgumentException.class, () -> Images.save(img, dir.resolve("a.tiff").toString()));
        assertTrue(e.getMessage().startsWith("Images.save: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Images.save(null, dir.resolve("b.png").toString()));
        assertThrows(IllegalArgumentException.class, () -> Images.save(img, (String) null));
        assertThrows(IllegalArgumentException.class, () -> Images.save(img, (Path) null));
        Images.save(img, dir.resolve("sub/c.png"));                                        // a Path, as Npy takes
        INDArray back = Images.load(dir.resolve("sub/c.png"));
        assertEquals(back, Images.load(dir.resolve("sub/c.png").toString()));
        assertArrayEquals(new long[] {1, 3, 8, 8}, back.shape());
        assertEquals(Images.loadGrey(dir.resolve("sub/c.png").toString()), Images.loadGrey(dir.resolve("sub/c.png")));
    }

    @Test
    void aNaNPixelIsDrawnInTheNaNColour() {
        INDArray grey = Nd4j.create(new float[] {0, 0.5f, Float.NaN, 1}, new long[] {2, 2}, 'c');
        for (Scale scale : Scale.values()) {
            BufferedImage img = Images.toImage(grey, scale);
            assertEquals(ColorMaps.NAN, img.getRGB(0, 1) & 0xffffff, scale + ": the NaN");
            assertNotEquals(ColorMaps.NAN, img.getRGB(0, 0) & 0xffffff, scale + ": a number");
        }
        INDArray rgb = Nd4j.zeros(DataType.FLOAT, 3, 2, 2);
        rgb.putScalar(new long[] {2, 1, 1}, Float.NaN);
        assertEquals(ColorMaps.NAN, Images.toImage(rgb, Scale.FIXED).getRGB(1, 1) & 0xffffff);
    }

    @Test
    void badImagesAreClearErrors() {
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> Images.resize(Nd4j.zeros(DataType.FLOAT, 1, 3, 8, 8), 30000, 30000),   // NegativeArraySize
                () -> Images.resize(Nd4j.zeros(DataType.FLOAT, 1, 1, 0, 8), 4, 4),           // index -8
                () -> Images.toImage(null),                                                    // a NullPointer
                () -> Images.toImage(Nd4j.zeros(DataType.FLOAT, 2, 2), null),
                () -> Images.toImage(Nd4j.zeros(DataType.FLOAT, 3, 0, 4), Scale.MIN_MAX),     // AWT's message
                () -> Images.enlarge(null, 2),
                () -> Images.enlarge(Images.toImage(Nd4j.zeros(DataType.FLOAT, 28, 28)), 10000),  // out of heap
                () -> Images.fromImage(null, false),
                () -> Images.load((String) null),
                () -> Images.load((Path) null),
                () -> Images.loadGrey((Path) null))) {
            var e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith("Images."), e.getMessage());
        }
    }

    @Test
    void enlargeRepeatsEachPixel() {
        BufferedImage small = Images.toImage(Nd4j.create(new float[] {0, 1}, new long[] {1, 2}, 'c'), Scale.FIXED);
        BufferedImage big = Images.enlarge(small, 3);
        assertEquals(6, big.getWidth());
        assertEquals(3, big.getHeight());
        assertEquals(rgb(big, 2, 2)[0], 0);
        assertEquals(rgb(big, 3, 0)[0], 255);
    }
}
