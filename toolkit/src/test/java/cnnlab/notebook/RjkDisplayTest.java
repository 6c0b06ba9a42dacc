package cnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
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

    /** A collection inside itself, deep nesting or a huge array never hangs the kernel nor fills the page. */
    @Test
    void cyclesDepthAndSizeAreBounded() {
        List<Object> self = new ArrayList<>();
        self.add(1);
        self.add(self);
        assertEquals("[1, (this Collection)]", RjkDisplay.text(self));
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("me", me);
        assertEquals("{me=(this Map)}", RjkDisplay.text(me));
        Object[] array = new Object[1];
        array[0] = array;
        assertEquals("[[...]]", RjkDisplay.text(array));
        List<Object> deep = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            deep = new ArrayList<>(List.of(deep));
        }
        assertTrue(RjkDisplay.text(deep).contains("[…]"));
        String lab = RjkDisplay.text(new double[1][512][512]);          // a lab's volume: a megabyte in full
        assertTrue(lab.length() <= RjkDisplay.MOST_CHARACTERS + 2, lab.length() + " characters");
        assertTrue(lab.startsWith("[[[0.0, 0.0"), lab.substring(0, 20));
        assertEquals(IntStream.range(0, 100).boxed().toList().toString().replace("]", ", ... (1,000 in all)]"),
                RjkDisplay.text(IntStream.range(0, 1000).toArray()), "a primitive array, its first 100");
        Object throwing = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        assertTrue(RjkDisplay.text(List.of(throwing)).contains("its toString threw java.lang.IllegalStateException"));
        DisplayRenderer renderer = new RjkDisplay().getDisplayRenderers().stream()
                .filter(d -> d.rendererClass() == Collection.class).findFirst().orElseThrow();
        assertTrue(renderer.render(null, self).data().get("text/plain").toString().startsWith("[1, "));
    }
}
