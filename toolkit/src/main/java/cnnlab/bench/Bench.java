package cnnlab.bench;

import cnnlab.Cnn;
import cnnlab.ops.ConvParams;
import cnnlab.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the fast and the reference engine side by side, in one run, on the lecture's big shapes:
 * warm-up, then the median of repeated calls. Ratios are what to compare; absolute times drift on shared
 * machines. {@code --quick} repeats less.
 */
public final class Bench {
    private Bench() {
    }

    private record Shape(String op, String shape, Supplier<INDArray[]> inputs, ConvParams params) {
    }

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int fastReps = quick ? 10 : 50, referenceReps = quick ? 1 : 3;
        Nd4j.getRandom().setSeed(42);
        List<Shape> shapes = List.of(
                new Shape("conv2d", "AlexNet conv1: 1x3x227x227, 96x3x11x11, stride 4",
                        () -> new INDArray[] {Nd4j.rand(DataType.FLOAT, 1, 3, 227, 227),
                                Nd4j.rand(DataType.FLOAT, 96, 3, 11, 11), Nd4j.rand(DataType.FLOAT, 96)},
                        ConvParams.of(4, 0)),
                new Shape("conv2d", "VGG 3x3: 8x64x56x56 -> 64, pad 1",
                        () -> new INDArray[] {Nd4j.rand(DataType.FLOAT, 8, 64, 56, 56),
                                Nd4j.rand(DataType.FLOAT, 64, 64, 3, 3), Nd4j.rand(DataType.FLOAT, 64)},
                        ConvParams.of(1, 1)));
        System.out.printf(Locale.ROOT, "%-8s %-50s %12s %14s %14s%n", "op", "shape", "fast ms", "reference ms",
                "reference/fast");
        List<String> rows = new ArrayList<>();
        for (Shape s : shapes) {
            INDArray[] in = s.inputs().get();
            double fast = median(Cnn.fast(), in, s.params(), 3, fastReps);
            double reference = median(Cnn.reference(), in, s.params(), 1, referenceReps);
            String row = String.format(Locale.ROOT, "%-8s %-50s %12.2f %14.1f %13.0fx", s.op(), s.shape(), fast,
                    reference, reference / fast);
            System.out.println(row);
            rows.add(row);
        }
        System.out.println("threads: " + Runtime.getRuntime().availableProcessors() + " cores; "
                + (quick ? "quick run" : "full run") + " (median of " + fastReps + " fast, " + referenceReps
                + " reference calls after warm-up)");
    }

    private static double median(Ops ops, INDArray[] in, ConvParams params, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) {
            ops.conv2d(in[0], in[1], in[2], params);
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            ops.conv2d(in[0], in[1], in[2], params);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
