package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;

/**
 * x.shape() and predict(...) return plain Java arrays: a notebook shows their values, not [J@5c7b40f2; lists and maps
 * show as in JShell.
 */
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

    /** Lists, maps and arrays of objects as JShell shows them, not ListN{size:2,[a,b]} nor an error. */
    @Test
    void collectionsMapsAndObjectArraysShowAsJShellWritesThem() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("kernel", new long[] {3, 3});
        ordered.put("name", null);
        for (Object[] c : new Object[][] {{List.of("astronaut", "brick"), "[astronaut, brick]"},
                {Set.of(1), "[1]"}, {new ArrayList<>(), "[]"}, {Map.of("a", 1), "{a=1}"},
                {new HashMap<>(), "{}"}, {ordered, "{kernel=[3, 3], name=null}"},
                {new String[] {"a", "b"}, "[a, b]"}, {new long[][] {{1, 2}, {3}}, "[[1, 2], [3]]"},
                {List.of(new int[] {1}, List.of(2.5)), "[[1], [2.5]]"},
                {IntStream.range(0, 1000).boxed().toList(),
                        IntStream.range(0, 100).boxed().toList().toString().replace("]", ", ... (1,000 in all)]")}}) {
            DisplayRenderer renderer = new RjkDisplay().getDisplayRenderers().stream()
                    .filter(d -> d.rendererClass().isAssignableFrom(c[0].getClass())).findFirst().orElseThrow();
            assertEquals(c[1], renderer.render(null, c[0]).data().get("text/plain"), c[1].toString());
        }
    }
}
