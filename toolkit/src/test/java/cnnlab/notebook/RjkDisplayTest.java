package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;

/** x.shape() and predict(...) return plain Java arrays: a notebook shows their values, not [J@5c7b40f2. */
class RjkDisplayTest {
    @Test
    void arraysOfNumbersShowTheirValues() {
        for (Object[] c : new Object[][] {{new long[] {1, 3, 512, 512}, "[1, 3, 512, 512]"},
                {new int[] {2, 0}, "[2, 0]"}, {new double[] {0.5}, "[0.5]"}, {new float[] {1.5f}, "[1.5]"},
                {new boolean[] {true}, "[true]"}}) {
            DisplayRenderer renderer = new RjkDisplay().getDisplayRenderers().stream()
                    .filter(d -> d.rendererClass().isAssignableFrom(c[0].getClass())).findFirst().orElseThrow();
            assertEquals(c[1], renderer.render("text/plain", c[0]).data().get("text/plain"));
        }
    }
}
