package cnnlab.nn;

import cnnlab.ops.Errors;
import cnnlab.viz.KernelGrid;
import cnnlab.viz.Scale;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Looking at a trained classifier: its confusion matrix (as counts and as a Tablesaw table), the samples it gets
 * wrong (as indices and as a captioned picture), and one image's activations after every layer, ready for
 * {@code FeatureMaps.path}.
 * <p>Shapes: images {@code [N, C, H, W]}; labels and predictions {@code int[N]} with classes {@code 0..K-1}.
 * <pre>
 * jshell&gt; int[] predicted = net.predict(test.images());
 * jshell&gt; Evaluation.confusionMatrix(test.labels(), predicted, test.classNames())   // rows: true, columns: predicted
 * jshell&gt; Evaluation.misclassifiedGrid(test.images(), test.labels(), predicted, test.classNames(), 20)
 * jshell&gt; FeatureMaps.path(Evaluation.activations(net, test.images().get(NDArrayIndex.interval(0, 1))))
 * </pre>
 */
public final class Evaluation {
    /** Zoom of {@link #misclassifiedGrid}'s tiles: a 28×28 digit becomes 84×84 pixels, room for its caption. */
    public static final int GRID_ZOOM = 3;
    /** Tiles per row of {@link #misclassifiedGrid} (fewer if there are fewer samples). */
    public static final int GRID_COLUMNS = 10;

    private Evaluation() {
    }

    /**
     * The confusion matrix as counts: {@code counts[t][p]} is the number of samples of true class t predicted as
     * class p; the diagonal holds the correct ones.
     * <pre>
     * jshell&gt; Evaluation.confusionCounts(new int[] {0, 0, 1}, new int[] {0, 1, 1}, 2)
     * $1 ==&gt; int[2][] { int[2] { 1, 1 }, int[2] { 0, 1 } }
     * </pre>
     *
     * @throws IllegalArgumentException if an array is null, their lengths differ, classes &lt; 1, or a label or
     *                                  prediction is outside 0..classes-1
     */
    public static int[][] confusionCounts(int[] labels, int[] predicted, int classes) {
        String op = "Evaluation.confusionCounts";
        checkPairs(op, labels, predicted);
        if (classes < 1) {
            throw Errors.error(op, "classes must be at least 1 but is " + classes, context(labels, predicted));
        }
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            checkClass(op, "label", i, labels[i], classes, labels, predicted);
            checkClass(op, "prediction", i, predicted[i], classes, labels, predicted);
            counts[labels[i]][predicted[i]]++;
        }
        return counts;
    }

    /**
     * The confusion matrix as a Tablesaw table named {@code "Confusion matrix (rows: true class, columns:
     * predicted)"}: one row per true class, with the columns {@code true} (the class name), one int column per
     * predicted class (named by the class names), {@code total} (samples of that class) and {@code recall}
     * (the share of them predicted right, in percent, 1 decimal, printed as {@code 97.0%}; NaN for a class with no
     * samples).
     *
     * @param classNames one name per class, distinct, none of them "true", "total" or "recall"
     * @throws IllegalArgumentException as {@link #confusionCounts}, or if the class names are null, not distinct
     *                                  or clash with the other columns
     */
    public static Table confusionMatrix(int[] labels, int[] predicted, List<String> classNames) {
        String op = "Evaluation.confusionMatrix";
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException(op + ": no class names given (" + classNames + ")");
        }
        List<String> reserved = List.of("true", "total", "recall");
        if (classNames.stream().anyMatch(n -> n == null || reserved.contains(n))
                || classNames.stream().distinct().count() != classNames.size()) {
            throw Errors.error(op, "class names must be distinct and not null, \"true\", \"total\" or \"recall\"",
                    "class names " + classNames);
        }
        int k = classNames.size();
        int[][] counts = confusionCounts(labels, predicted, k);
        Table table = Table.create("Confusion matrix (rows: true class, columns: predicted)",
                StringColumn.create("true", classNames));
        for (int p = 0; p < k; p++) {
            int[] column = new int[k];
            for (int t = 0; t < k; t++) {
                column[t] = counts[t][p];
            }
            table.addColumns(IntColumn.create(classNames.get(p), column));
        }
        int[] totals = new int[k];
        double[] recall = new double[k];
        for (int t = 0; t < k; t++) {
            totals[t] = Arrays.stream(counts[t]).sum();
            recall[t] = totals[t] == 0 ? Double.NaN : Math.round(1000.0 * counts[t][t] / totals[t]) / 10.0;
        }
        DoubleColumn recallColumn = DoubleColumn.create("recall", recall);
        var percent = new java.text.DecimalFormat("0.0'%'", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
        recallColumn.setPrintFormatter(new tech.tablesaw.columns.numbers.NumberColumnFormatter(percent));
        return table.addColumns(IntColumn.create("total", totals), recallColumn);
    }

    /**
     * The share of samples whose prediction equals the label, in [0, 1] (0 for no samples): the same number as
     * {@link Sequential#accuracy}, from predictions already made, without running the network again.
     * <pre>
     * jshell&gt; Evaluation.accuracy(new int[] {0, 1, 1, 2}, new int[] {0, 1, 2, 2})
     * $1 ==&gt; 0.75
     * </pre>
     *
     * @throws IllegalArgumentException if an array is null or their lengths differ
     */
    public static double accuracy(int[] labels, int[] predicted) {
        checkPairs("Evaluation.accuracy", labels, predicted);
        return Sequential.fractionCorrect(predicted, labels);
    }

    /**
     * The indices of the samples whose prediction differs from the label, in order.
     *
     * @throws IllegalArgumentException if an array is null or their lengths differ
     */
    public static int[] misclassified(int[] labels, int[] predicted) {
        checkPairs("Evaluation.misclassified", labels, predicted);
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != predicted[i]).toArray();
    }

    /**
     * The first {@code max} misclassified samples as one picture: {@value #GRID_COLUMNS} tiles a row, each image
     * enlarged {@value #GRID_ZOOM}× and captioned {@code "true 4 → 9"} (true class, then predicted). Images are
     * drawn as they are ({@link Scale#FIXED}: values in [0, 1], 0 black), colour if they have 3 channels.
     * {@code null} when nothing is misclassified (a notebook then shows nothing).
     *
     * @param images     {@code [N, C, H, W]}, C = 1 or 3, values in [0, 1]
     * @param classNames one name per class, used in the captions
     * @param max        at most this many tiles, at least 1
     * @throws IllegalArgumentException if images is null or not {@code [N, C, H, W]} with C = 1 or 3, the arrays
     *                                  do not have one entry per image, a class is outside the names, or max &lt; 1
     */
    public static BufferedImage misclassifiedGrid(INDArray images, int[] labels, int[] predicted,
                                                  List<String> classNames, int max) {
        String op = "Evaluation.misclassifiedGrid";
        checkPairs(op, labels, predicted);
        if (images == null || images.rank() != 4 || (images.size(1) != 1 && images.size(1) != 3)) {
            throw Errors.error(op, "images must be [N, C, H, W] with C = 1 or 3",
                    "images " + Errors.shape(images) + ", " + context(labels, predicted));
        }
        if (images.size(0) != labels.length) {
            throw Errors.error(op, "need one label and one prediction per image but got " + labels.length + " for "
                    + images.size(0) + " images", "images " + Errors.shape(images) + ", " + context(labels, predicted));
        }
        if (max < 1) {
            throw Errors.error(op, "max must be at least 1 but is " + max, "images " + Errors.shape(images));
        }
        if (classNames == null) {
            throw new IllegalArgumentException(op + ": the class names are null");
        }
        int[] wrong = misclassified(labels, predicted);
        if (wrong.length == 0) {
            return null;
        }
        int[] shown = Arrays.copyOf(wrong, Math.min(max, wrong.length));
        List<String> captions = new ArrayList<>();
        for (int i : shown) {
            checkClass(op, "label", i, labels[i], classNames.size(), labels, predicted);
            checkClass(op, "prediction", i, predicted[i], classNames.size(), labels, predicted);
            captions.add("true " + classNames.get(labels[i]) + " → " + classNames.get(predicted[i]));
        }
        INDArray tiles = Nd4j.pullRows(images.reshape('c', images.size(0), images.length() / images.size(0)), 1,
                shown).reshape('c', shown.length, images.size(1), images.size(2), images.size(3));
        return KernelGrid.draw(tiles.castTo(DataType.FLOAT), KernelGrid.Options.of(GRID_ZOOM,
                Math.min(GRID_COLUMNS, shown.length)).withPerFilter(false).withScale(Scale.FIXED)
                .withSeparator(2).withCaptions(captions));
    }

    /**
     * One image's activations after each layer that keeps the {@code [N, C, H, W]} layout (conv, activation,
     * pool), in eval mode, keyed by layer name after an {@code "input"} entry; the walk stops at the first layer
     * whose output is not 4-D (the flatten). {@code FeatureMaps.path} draws the result as the lecture's figure.
     * The network's mode is restored.
     * <pre>
     * jshell&gt; Evaluation.activations(LeNet5.create(Activation.RELU, 1), Nd4j.rand(DataType.FLOAT, 1, 1, 28, 28)).keySet()
     * $1 ==&gt; [input, conv1, relu1, pool1, conv2, relu2, pool2]
     * </pre>
     *
     * @param image {@code [1, C, H, W]}: one image, as the network expects it
     * @throws IllegalArgumentException if net or image is null, or image is not {@code [1, C, H, W]}
     */
    public static LinkedHashMap<String, INDArray> activations(Sequential net, INDArray image) {
        String op = "Evaluation.activations";
        Check.notNull(op, "network", net);
        if (image == null || image.rank() != 4 || image.size(0) != 1) {
            throw Errors.error(op, "image must be one image [1, C, H, W]", "image " + Errors.shape(image),
                    "pick one with images.get(NDArrayIndex.interval(i, i + 1))");
        }
        LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
        INDArray a = image.dataType() == DataType.FLOAT ? image : image.castTo(DataType.FLOAT);
        out.put("input", a);
        boolean wasTraining = net.isTraining();
        net.eval();
        try {
            List<Layer> layers = net.layers();
            List<String> names = net.layerNames();
            for (int i = 0; i < layers.size(); i++) {
                a = layers.get(i).forward(a);
                if (a.rank() != 4) {
                    break;
                }
                out.put(names.get(i), a);
            }
        } finally {
            net.forgetInputs();         // the layers saw one image, not the network's last forward pass
            if (wasTraining) {
                net.train();
            }
        }
        return out;
    }

    private static void checkPairs(String op, int[] labels, int[] predicted) {
        if (labels == null || predicted == null) {
            throw new IllegalArgumentException(op + ": the " + (labels == null ? "labels are" : "predictions are")
                    + " null");
        }
        if (labels.length != predicted.length) {
            throw Errors.error(op, "need one prediction per label but got " + predicted.length + " predictions for "
                    + labels.length + " labels", context(labels, predicted));
        }
    }

    private static void checkClass(String op, String what, int i, int value, int classes, int[] labels,
                                   int[] predicted) {
        if (value < 0 || value >= classes) {
            throw Errors.error(op, String.format(Locale.ROOT, "%s %d of sample %d is not a class 0..%d", what, value,
                    i, classes - 1), context(labels, predicted) + ", " + classes + " classes");
        }
    }

    private static String context(int[] labels, int[] predicted) {
        return "labels [" + labels.length + "], predictions [" + predicted.length + "]";
    }
}
