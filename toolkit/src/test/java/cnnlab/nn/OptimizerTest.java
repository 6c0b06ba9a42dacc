package cnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Two steps of each optimiser on a two-element parameter, against steps worked out by hand. */
class OptimizerTest {

    private static Param param(float... values) {
        return new Param("weight", Nd4j.create(values));
    }

    private static void step(Optimizer optimizer, Param p, float... grad) {
        p.grad().assign(Nd4j.create(grad));
        optimizer.step(List.of(p));
    }

    private static float[] values(Param p) {
        return p.value().dup().data().asFloat();
    }

    /**
     * lr 0.1, momentum 0.9, w = (1, -2).
     * Step 1, g = (0.5, 1):   v = g = (0.5, 1);                          w = (1 - 0.05, -2 - 0.1) = (0.95, -2.1).
     * Step 2, g = (0.5, -1):  v = 0.9 (0.5, 1) + (0.5, -1) = (0.95, -0.1); w = (0.95 - 0.095, -2.1 + 0.01)
     *                                                                       = (0.855, -2.09).
     */
    @Test
    void sgdWithMomentum() {
        Sgd sgd = new Sgd(0.1, 0.9);
        Param w = param(1, -2);
        step(sgd, w, 0.5f, 1);
        assertArrayEquals(new float[] {0.95f, -2.1f}, values(w), 1e-6f);
        step(sgd, w, 0.5f, -1);
        assertArrayEquals(new float[] {0.855f, -2.09f}, values(w), 1e-6f);
    }

    /** Without momentum: w = w - lr g. */
    @Test
    void plainSgd() {
        Sgd sgd = new Sgd(0.5);
        Param w = param(1, -2);
        step(sgd, w, 0.5f, 1);
        step(sgd, w, 0.5f, 1);
        assertArrayEquals(new float[] {0.5f, -3f}, values(w), 1e-6f);
    }

    /**
     * lr 0.1, betas (0.9, 0.999), eps 1e-8, w = (1, -2).
     * Step 1, g = (0.5, 1): m = 0.1 g = (0.05, 0.1), v = 0.001 g^2 = (0.00025, 0.001); bias-corrected
     * m^ = g, v^ = g^2, so each weight moves by lr * g / |g| = 0.1 against its gradient: w = (0.9, -2.1).
     * Step 2, g = (-1, 0.25): m = 0.9 m + 0.1 g = (-0.055, 0.115), v = 0.999 v + 0.001 g^2
     * = (0.00124975, 0.0010615); m^ = m / 0.19 = (-0.2894737, 0.6052632), v^ = v / 0.001999
     * = (0.6251876, 0.5310155); w -= 0.1 m^ / (sqrt(v^) + eps) = (0.9 + 0.0366104, -2.1 - 0.0830598)
     * = (0.9366104, -2.1830598).
     */
    @Test
    void adam() {
        Adam adam = new Adam(0.1, 0.9, 0.999, 1e-8);
        Param w = param(1, -2);
        step(adam, w, 0.5f, 1);
        assertArrayEquals(new float[] {0.9f, -2.1f}, values(w), 1e-6f);
        step(adam, w, -1, 0.25f);
        assertArrayEquals(new float[] {0.9366104f, -2.1830598f}, values(w), 2e-6f);
    }

    /**
     * A parameter that is a view into a larger array (here the middle of five values) steps as a whole one, and
     * the values around it stay as they were.
     */
    @Test
    void adamUpdatesAViewInPlace() {
        INDArray row = Nd4j.create(new float[] {7, 1, -2, 8, 9});
        Param view = new Param("weight", row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)));
        Param whole = param(1, -2);
        Adam a = new Adam(0.1, 0.9, 0.999, 1e-8), b = new Adam(0.1, 0.9, 0.999, 1e-8);
        for (float[] g : new float[][] {{0.5f, 1}, {-1, 0.25f}}) {
            step(a, view, g);
            step(b, whole, g);
        }
        assertArrayEquals(values(whole), values(view), 0f);
        assertArrayEquals(new float[] {7, 0.9366104f, -2.1830598f, 8, 9}, row.data().asFloat(), 2e-6f);
    }

    /** State is kept per parameter object: two parameters do not share a velocity. */
    @Test
    void statePerParameter() {
        Sgd sgd = new Sgd(1, 0.5);
        Param a = param(0), b = param(0);
        a.grad().assign(1);
        b.grad().assign(-1);
        sgd.step(List.of(a, b));
        sgd.step(List.of(a, b));
        assertArrayEquals(new float[] {-2.5f}, values(a), 1e-6f);      // v = 1, then 1.5
        assertArrayEquals(new float[] {2.5f}, values(b), 1e-6f);
    }

    /**
     * Each parameter counts its own Adam steps, as torch.optim.Adam does: a parameter first stepped after another
     * has had three steps takes a first step, lr against its gradient's sign (torch: 1.0 -> 0.9 at lr 0.1; with
     * the optimizer's count shared, 0.9418871).
     */
    @Test
    void adamCountsStepsPerParameter() {
        Adam adam = new Adam(0.1, 0.9, 0.999, 1e-8);
        Param early = param(1), late = param(1);
        for (int i = 0; i < 3; i++) {
            early.grad().assign(0.5);
            adam.step(List.of(early));
        }
        early.grad().assign(0.5);
        late.grad().assign(0.5);
        adam.step(List.of(early, late));
        assertArrayEquals(new float[] {0.9f}, values(late), 1e-6f);
        assertArrayEquals(new float[] {0.6f}, values(early), 1e-5f);   // four steps of 0.1, the gradient constant
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 0.9, 1.0, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam(-1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).setLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Adam().setLearningRate(0));
    }

    /** A new learning rate applies from the next step on: plain SGD with lr 0.5, then 0.25. */
    @Test
    void learningRateCanChangeBetweenSteps() {
        Sgd sgd = new Sgd(0.5);
        Param w = param(1, -2);
        step(sgd, w, 0.5f, 1);
        sgd.setLearningRate(0.25);
        step(sgd, w, 0.5f, 1);
        assertArrayEquals(new float[] {0.625f, -2.75f}, values(w), 1e-6f);
        assertEquals(0.25, sgd.learningRate());
    }
}
