package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cnnlab.viz.KernelGrid;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's recipe: a bank saved as .npy (as numpy.save writes it) loads and plots as a mosaic. */
class BringYourOwnWeightsTest {
    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void anAlexNetShapedBankFromNpyPlots(@TempDir Path dir) {
        Nd4j.getRandom().setSeed(3);
        INDArray conv1 = Nd4j.randn(DataType.FLOAT, 96, 3, 11, 11);
        Path file = dir.resolve("alexnet-conv1.npy");
        Npy.save(conv1, file);
        INDArray loaded = Npy.load(file);
        assertArrayEquals(new long[] {96, 3, 11, 11}, loaded.shape());
        assertEquals(conv1, loaded);
        KernelGrid.Options options = KernelGrid.Options.DEFAULT.withZoom(3).withColumns(12);
        BufferedImage mosaic = KernelGrid.draw(loaded, options);
        KernelGrid.Layout layout = KernelGrid.layout(loaded, options);
        assertEquals(8, layout.rows());
        assertEquals(12, layout.columns());
        assertEquals(layout.width(), mosaic.getWidth());
        assertEquals(layout.height(), mosaic.getHeight());
    }
}
