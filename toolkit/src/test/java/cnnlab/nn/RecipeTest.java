package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cnnlab.data.Mnist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorded recipes say what the README says, and a recipe runs end to end and writes its files. */
class RecipeTest {

    @Test
    void recipesAreTheDocumentedRuns() {
        Recipe mnist = Recipe.mnist(), fashion = Recipe.fashionMnist();
        assertEquals(FitParams.of(10, 32).withSeed(1).withLearningRateDecay(0.9).withMaxShift(1), mnist.fit());
        assertEquals(0.2, mnist.testFraction());
        assertEquals(1e-3, mnist.lr());
        assertTrue(mnist.optimizer().apply(1e-3) instanceof Adam);
        assertEquals(FitParams.of(10, 64).withSeed(1).withLearningRateDecay(0.8), fashion.fit());
        assertEquals(10_000, Math.round(70_000 * fashion.testFraction()));
        assertEquals(3, mnist.withEpochs(3).fit().epochs());
    }

    /** The MNIST recipe on the committed 1,000-digit subset for one epoch learns and writes every file. */
    @Test
    void runsAndSaves(@TempDir Path dir) {
        Recipe small = new Recipe("subset", Mnist::subset, 0.2, 1, Adam::new, 2e-3,
                Recipe.mnist().fit().withEpochs(2).withQuiet(true));
        Recipe.Result result = small.runAndSave(dir);
        assertEquals(2, result.history().rowCount());
        assertTrue(result.testAccuracy() > 0.5, "two epochs on 800 digits reach " + result.testAccuracy());
        for (String file : new String[] {"history.csv", "curves.png", "conv1.png", "weights/conv1.weight.npy"}) {
            assertTrue(Files.isRegularFile(dir.resolve("subset").resolve(file)), file);
        }
    }
}
