package cnnlab.viz;

import cnnlab.Cnn;
import cnnlab.filters.Gabor;
import cnnlab.filters.Kernels;
import cnnlab.ops.ConvParams;
import cnnlab.ops.PoolParams;
import cnnlab.ops.nd4j.Nd4jRuntime;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ./cnnlab gallery}: writes the toolkit's showcase pictures to a folder (by default {@code docs/gallery}):
 * a Gabor bank mosaic (grey and colour), Sobel and Laplacian responses on {@code astronaut}, the feature maps
 * of a random 8-filter conv → ReLU → max-pool on {@code chelsea}, the ReLU family, and the lecture's 4×4
 * stride-1 max-pooling example as heat maps. Everything is seeded: the same pictures every time.
 */
public final class Gallery {
    private Gallery() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Nd4jRuntime.load();
        Path folder = Path.of(args.length > 0 ? args[0] : "docs/gallery");
        for (Map.Entry<String, BufferedImage> e : pictures().entrySet()) {
            Path file = folder.resolve(e.getKey() + ".png");
            Images.save(e.getValue(), file.toString());
            System.out.println("wrote " + file + " (" + e.getValue().getWidth() + "x" + e.getValue().getHeight() + ")");
        }
    }

    /** The gallery's pictures by file name, in order. */
    public static Map<String, BufferedImage> pictures() {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        double[] phases = {0, Math.PI / 2};
        INDArray gabors = Gabor.bank(15, 8, new double[] {4, 8}, 3.0, 0.5, phases);
        out.put("gabor-bank", KernelGrid.draw(gabors, KernelGrid.Options.diverging().withColumns(8).withLabels(true)));
        INDArray colour = Gabor.colourBank(11, 8, new double[] {5}, 2.5, 0.5, phases);
        out.put("gabor-colour-bank", KernelGrid.draw(colour, KernelGrid.Options.DEFAULT.withColumns(12)));

        // each response on its own blue-white-red scale, its strongest 1% clipped: a few strong edges would
        // otherwise leave the rest, and the Laplacian's thin lines, almost white
        INDArray astronaut = Images.resize(Images.sampleGrey("astronaut"), 384, 384);
        INDArray edges = Nd4j.concat(0, Kernels.sobelX(), Kernels.sobelY(), Kernels.laplacian4());
        INDArray responses = Cnn.conv2d(astronaut, edges, null, ConvParams.same());
        String[] names = {"Sobel x: brighter to the right is red", "Sobel y: brighter below is red",
            "Laplacian: a dark line is red, a light one blue"};
        List<SideBySide.Panel> panels = new ArrayList<>(List.of(SideBySide.Panel.of("astronaut, grey",
                Images.toImage(astronaut))));
        for (int k = 0; k < names.length; k++) {
            panels.add(SideBySide.Panel.of(names[k], Images.toImage(responses.slice(0).slice(k),
                    Scale.SYMMETRIC_CLIPPED)));
        }
        out.put("sobel-astronaut", SideBySide.grid(2, panels.toArray(SideBySide.Panel[]::new)));

        INDArray chelsea = Images.sample("chelsea");
        Nd4j.getRandom().setSeed(7);
        INDArray weights = Nd4j.randn(DataType.FLOAT, 8, 3, 5, 5).divi(Math.sqrt(3 * 25));
        // the photo less each colour's mean, as networks take it: on values that are all positive, random kernels
        // answer mostly with their sum, and ReLU leaves half the maps black
        INDArray centred = chelsea.sub(chelsea.mean(0, 2, 3).reshape(1, 3, 1, 1));
        INDArray conv = Cnn.conv2d(centred, weights, null, ConvParams.of(1, 2));
        INDArray relu = Cnn.relu(conv);
        INDArray pool = Cnn.maxPool2d(relu, PoolParams.of(2));
        LinkedHashMap<String, INDArray> path = new LinkedHashMap<>();
        path.put("chelsea", chelsea);
        path.put("conv 8@5x5", conv);
        path.put("ReLU", relu);
        path.put("max pool 2x2", pool);
        out.put("chelsea-feature-maps", FeatureMaps.path(FeatureMaps.Stage.fromMap(path),
                FeatureMaps.Options.DEFAULT.withScale(Scale.SYMMETRIC)));

        out.put("relu-family", grid(List.of(Plots.relu(), Plots.leakyRelu(0.1), Plots.prelu(0.25), Plots.rrelu()), 2));

        INDArray x = Nd4j.create(new float[] {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4}, new long[] {1, 1, 4, 4}, 'c');
        out.put("maxpool-4x4-stride-1", Plots.heatMapRow(Plots.titled("x, the lecture's 4x4 response", x),
                Plots.titled("maxPool2d(x), 2x2, stride 1", Cnn.maxPool2d(x, PoolParams.of(2, 1)))));
        return out;
    }

    /** Charts side by side, {@code columns} to a row, on white. */
    static BufferedImage grid(List<? extends Chart<?, ?>> charts, int columns) {
        List<BufferedImage> images = new ArrayList<>();
        int w = 0, h = 0;
        for (Chart<?, ?> chart : charts) {
            BufferedImage image = BitmapEncoder.getBufferedImage(chart);
            images.add(image);
            w = Math.max(w, image.getWidth());
            h = Math.max(h, image.getHeight());
        }
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(w * Math.min(columns, images.size()), h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % columns) * w, (i / columns) * h, null);
        }
        g.dispose();
        return out;
    }
}
