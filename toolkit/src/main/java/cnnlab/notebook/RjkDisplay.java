package cnnlab.notebook;

import cnnlab.check.CheckResult;
import cnnlab.shape.Explanation;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
            return how.apply(o);
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
                new Renderer(Chart.class, o -> png(Png.base64((Chart<?, ?>) o), "chart: " + ((Chart<?, ?>) o).getTitle())),
                new Renderer(Table.class, o -> html(Html.table((Table) o), ((Table) o).print())),
                new Renderer(Explanation.class, o -> html(Html.pre(o.toString()), o.toString())),
                new Renderer(CheckResult.class, o -> html(((CheckResult) o).toHtml(), o.toString())),
                // x.shape() and predict(...) give plain Java arrays, which JShell would show as [J@5c7b40f2
                new Renderer(long[].class, o -> DisplayData.fromText(Arrays.toString((long[]) o))),
                new Renderer(int[].class, o -> DisplayData.fromText(Arrays.toString((int[]) o))),
                new Renderer(double[].class, o -> DisplayData.fromText(Arrays.toString((double[]) o))),
                new Renderer(float[].class, o -> DisplayData.fromText(Arrays.toString((float[]) o))),
                new Renderer(boolean[].class, o -> DisplayData.fromText(Arrays.toString((boolean[]) o))),
                // as JShell shows them: rapaio-jupyter-kernel 3.0.1 shows List.of(1, 2) as ListN{size:2,[1,2]}, and
                // a Map as an error of its own (a NullPointerException naming its display classes)
                new Renderer(Collection.class, o -> DisplayData.fromText(text(o))),
                new Renderer(Map.class, o -> DisplayData.fromText(text(o))),
                new Renderer(Object[].class, o -> DisplayData.fromText(text(o))));
    }

    /** The most elements a collection, map or array shows; the rest are counted. */
    static final int SHOWN = 100;

    /**
     * A value as JShell writes it ({@code [1, 2]}, {@code {a=1}}, arrays inside by their values), its first
     * {@value #SHOWN} elements only: {@code [0, 1, ..., 99, ... (60,000 in all)]}.
     */
    static String text(Object o) {
        if (o instanceof Map<?, ?> m) {
            return joined(m.entrySet().stream().map(e -> text(e.getKey()) + "=" + text(e.getValue())), m.size(),
                    "{", "}");
        }
        if (o instanceof Collection<?> c) {
            return joined(c.stream().map(RjkDisplay::text), c.size(), "[", "]");
        }
        if (o instanceof Object[] a) {
            return joined(Arrays.stream(a).map(RjkDisplay::text), a.length, "[", "]");
        }
        if (o != null && o.getClass().isArray()) {
            String all = Arrays.deepToString(new Object[] {o});
            return all.substring(1, all.length() - 1);              // a primitive array: [1, 2]
        }
        return String.valueOf(o);
    }

    private static String joined(Stream<String> elements, int size, String open, String close) {
        String shown = elements.limit(SHOWN).collect(Collectors.joining(", "));
        return open + shown + (size > SHOWN ? String.format(Locale.ROOT, ", ... (%,d in all)", size) : "") + close;
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }
}
