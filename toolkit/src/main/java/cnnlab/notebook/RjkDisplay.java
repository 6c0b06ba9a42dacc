package cnnlab.notebook;

import cnnlab.check.CheckResult;
import cnnlab.shape.Explanation;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.Table;

/**
 * cnnlab's renderers for rapaio-jupyter-kernel, found through {@code META-INF/services}: INDArrays as tables of
 * values, pictures and XChart charts as PNG, Tablesaw tables as HTML tables, worked arithmetic as text, lab check
 * results as an HTML block, arrays of numbers as {@code [1, 3, 512, 512]} (a shape, predictions), and lists, maps
 * and other arrays as JShell writes them ({@code [astronaut, brick]}, {@code {a=1}}).
 * Each bundle also carries {@code text/plain}, so any front end shows something.
 */
public final class RjkDisplay implements DisplayProvider {

    private record Renderer(Class<?> rendererClass, java.util.function.Function<Object, DisplayData> how)
            implements DisplayRenderer {
        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.startsWith("text/") || mime.equals("image/png");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            try {
                return how.apply(o);
            } catch (RuntimeException | StackOverflowError e) {   // never a kernel that stops answering
                return DisplayData.fromText(o.getClass().getName() + " (cannot be shown: " + e + ")");
            }
        }
    }

    private static DisplayData html(String html, String text) {
        DisplayData data = DisplayData.fromHtml(html);
        data.putText(text);
        return data;
    }

    private static DisplayData png(String base64, String text) {
        DisplayData data = DisplayData.withType("image/png", base64);
        data.putText(text);
        return data;
    }

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(
                new Renderer(INDArray.class, o -> html(Html.array((INDArray) o), Html.small((INDArray) o)
                        ? o.toString() : Html.summary((INDArray) o))),
                new Renderer(BufferedImage.class, o -> png(Png.base64((BufferedImage) o),
                        "image " + ((BufferedImage) o).getWidth() + "x" + ((BufferedImage) o).getHeight())),
                new Renderer(Chart.class, o -> png(Png.base64((Chart<?, ?>) o),
                        "chart: " + ((Chart<?, ?>) o).getTitle())),
                new Renderer(Table.class, o -> html(Html.table((Table) o), ((Table) o).print())),
                new Renderer(Explanation.class, o -> html(Html.pre(o.toString()), o.toString())),
                new Renderer(CheckResult.class, o -> html(((CheckResult) o).toHtml(), o.toString())),
                // x.shape() and predict(...) give plain Java arrays, which JShell would show as [J@5c7b40f2
                new Renderer(long[].class, o -> DisplayData.fromText(text(o))),
                new Renderer(int[].class, o -> DisplayData.fromText(text(o))),
                new Renderer(double[].class, o -> DisplayData.fromText(text(o))),
                new Renderer(float[].class, o -> DisplayData.fromText(text(o))),
                new Renderer(boolean[].class, o -> DisplayData.fromText(text(o))),
                // as JShell shows them: rapaio-jupyter-kernel 3.0.1 shows List.of(1, 2) as ListN{size:2,[1,2]}, and
                // a Map as an error of its own (a NullPointerException naming its display classes)
                new Renderer(Collection.class, o -> DisplayData.fromText(text(o))),
                new Renderer(Map.class, o -> DisplayData.fromText(text(o))),
                new Renderer(Object[].class, o -> DisplayData.fromText(text(o))));
    }

    /** The most elements a collection, map or array shows, at every level; the rest are counted. */
    static final int SHOWN = 100;
    /** The most characters a value's text has (a lab's double[1][512][512] would be a megabyte); then "…". */
    static final int MOST_CHARACTERS = 4_000;
    /** Collections within collections shown this deep; deeper ones are "[…]". */
    private static final int DEPTH = 12;

    /**
     * A value as JShell writes it ({@code [1, 2]}, {@code {a=1}}, arrays inside by their values), the first
     * {@value #SHOWN} elements of each level ({@code [0, 1, ..., 99, ... (60,000 in all)]}), at most
     * {@value #MOST_CHARACTERS} characters; a collection inside itself is {@code (this Collection)}, as in its own
     * toString.
     */
    static String text(Object o) {
        StringBuilder out = new StringBuilder();
        write(o, out, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), 0);
        return out.length() > MOST_CHARACTERS ? out.substring(0, MOST_CHARACTERS) + " …" : out.toString();
    }

    private static void write(Object o, StringBuilder out, java.util.Set<Object> open, int depth) {
        if (out.length() > MOST_CHARACTERS) {
            return;
        }
        boolean many = o instanceof Map || o instanceof Collection || o != null && o.getClass().isArray();
        if (many && depth >= DEPTH) {
            out.append("[…]");
            return;
        }
        if (many && !open.add(o)) {
            out.append(o instanceof Map ? "(this Map)" : o instanceof Collection ? "(this Collection)" : "[...]");
            return;
        }
        if (o instanceof Map<?, ?> m) {
            elements(m.entrySet().iterator(), m.size(), "{", "}", out, (e, b) -> {
                write(e.getKey(), b, open, depth + 1);
                b.append('=');
                write(e.getValue(), b, open, depth + 1);
            });
        } else if (o instanceof Collection<?> c) {
            elements(c.iterator(), c.size(), "[", "]", out, (e, b) -> write(e, b, open, depth + 1));
        } else if (many) {
            int n = java.lang.reflect.Array.getLength(o);
            java.util.Iterator<Object> items = java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> java.lang.reflect.Array.get(o, i)).iterator();
            elements(items, n, "[", "]", out, (e, b) -> write(e, b, open, depth + 1));
        } else {
            try {
                out.append(o);
            } catch (RuntimeException e) {                 // a toString of a student's own that throws
                out.append(o.getClass().getName()).append(" (its toString threw ").append(e).append(')');
            }
        }
        if (many) {
            open.remove(o);
        }
    }

    private static <T> void elements(java.util.Iterator<T> items, int size, String open, String close,
                                     StringBuilder out, java.util.function.BiConsumer<T, StringBuilder> each) {
        out.append(open);
        for (int i = 0; i < SHOWN && items.hasNext() && out.length() <= MOST_CHARACTERS; i++) {
            if (i > 0) {
                out.append(", ");
            }
            each.accept(items.next(), out);
        }
        if (size > SHOWN) {
            out.append(String.format(Locale.ROOT, ", ... (%,d in all)", size));
        }
        out.append(close);
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }
}
