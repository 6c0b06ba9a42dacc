package cnnlab.notebook;

import cnnlab.check.CheckResult;
import cnnlab.shape.Explanation;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
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
 * results as an HTML block, and arrays of numbers as {@code [1, 3, 512, 512]} (a shape, predictions).
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
                new Renderer(boolean[].class, o -> DisplayData.fromText(Arrays.toString((boolean[]) o))));
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }
}
