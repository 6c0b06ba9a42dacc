package cnnlab.check;

import java.util.Arrays;
import java.util.Random;

/**
 * Case inputs: small integers for public cases (readable in feedback, like the lecture's examples) and seeded
 * float-exact uniform values for hidden ones (so the float32 reference engine sees exactly what the student sees).
 */
final class Inputs {
    private Inputs() {
    }

    /** The random source of one exercise's hidden cases: the grading seed mixed with the exercise's name. */
    static Random hidden(CheckConfig config, String exercise) {
        return new Random(config.seed() * 1_000_003L + exercise.hashCode());
    }

    static double value(Random r, boolean integers) {
        return integers ? r.nextInt(7) - 3 : (double) (float) (r.nextDouble() * 2 - 1);
    }

    static double[] vector(Random r, int n, boolean integers) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = value(r, integers);
        }
        return v;
    }

    static double[][] plane(Random r, int h, int w, boolean integers) {
        double[][] v = new double[h][];
        for (int i = 0; i < h; i++) {
            v[i] = vector(r, w, integers);
        }
        return v;
    }

    static double[][][] volume(Random r, int c, int h, int w, boolean integers) {
        double[][][] v = new double[c][][];
        for (int i = 0; i < c; i++) {
            v[i] = plane(r, h, w, integers);
        }
        return v;
    }

    static double[][][][] bank(Random r, int k, int c, int h, int w, boolean integers) {
        double[][][][] v = new double[k][][][];
        for (int i = 0; i < k; i++) {
            v[i] = volume(r, c, h, w, integers);
        }
        return v;
    }

    static int between(Random r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    static String shape(Object a) {
        return Arrays.toString(Compare.shape(a));
    }
}
