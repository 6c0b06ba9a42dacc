package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.filters.Gabor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LearnedFiltersTest {

    private static final LearnedFilters.Config KMEANS_SMALL = new LearnedFilters.Config(
            LearnedFilters.Method.SPHERICAL_KMEANS, 7, 2000, 16, 0.1, 4, 64, 1e-2, 0.1, 7L);
    private static final LearnedFilters.Config SAE_SMALL = new LearnedFilters.Config(
            LearnedFilters.Method.SPARSE_AUTOENCODER, 7, 2000, 16, 0.1, 4, 64, 1e-2, 0.1, 7L);

    private static List<double[][][]> photos() {
        return List.<double[][][]>of(LearnedFilters.toArray(cnnlab.viz.Images.sample("astronaut")));
    }

    @Test
    void kmeansShapesLossDecreasesAndDeterministic() {
        var p = photos();
        var a = LearnedFilters.learn(p, KMEANS_SMALL);
        var b = LearnedFilters.learn(p, KMEANS_SMALL);
        assertArrayEquals(new long[] {16, 3, 7, 7}, a.bank().shape());
        assertArrayEquals(new long[] {16, 3, 7, 7}, a.whitened().shape());
        double[] loss = a.epochLoss();
        assertEquals(4, loss.length);
        assertTrue(loss[loss.length - 1] < loss[0], "loss should decrease: " + java.util.Arrays.toString(loss));
        assertEquals(a.bank(), b.bank());
    }

    @Test
    void autoencoderShapesLossDecreasesAndDeterministic() {
        var p = photos();
        var a = LearnedFilters.learn(p, SAE_SMALL);
        var b = LearnedFilters.learn(p, SAE_SMALL);
        assertArrayEquals(new long[] {16, 3, 7, 7}, a.bank().shape());
        double[] loss = a.epochLoss();
        assertTrue(loss[loss.length - 1] < loss[0], "loss should decrease: " + java.util.Arrays.toString(loss));
        assertEquals(a.bank(), b.bank());
    }

    @Test
    void committedBankIsGaborLike() {
        Path file = findUp(Path.of("datasets", "learned", "gabor-like-bank.npy"));
        Assumptions.assumeTrue(file != null, "no committed bank");
        INDArray bank = Npy.load(file);
        assertArrayEquals(new long[] {64, 3, 11, 11}, bank.shape());
        INDArray random = LearnedFilters.randomBank(bank.shape(), 42L);
        double learned = Gabor.medianR2(bank), noise = Gabor.medianR2(random);
        assertTrue(learned > noise + 0.4, "median R² learned " + learned + " vs random " + noise);
        assertTrue(LearnedFilters.fractionAbove(bank, 0.5) > 0.6);
        assertTrue(LearnedFilters.fractionAbove(random, 0.5) < 0.1);
    }

    private static Path findUp(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }
}
