package cnnlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded per-class index picking, shared by {@link Dataset#split} and the committed subsets. */
final class Stratified {
    private Stratified() {
    }

    /** The indices of each class, in data set order: {@code result[c]} lists the examples labelled c. */
    static int[][] byClass(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] at = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][at[labels[i]]++] = i;
        }
        return byClass;
    }

    /** Fisher–Yates, in place. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * {@code perClass} seeded random examples of each class (all of a smaller class), in data set order.
     */
    static int[] pick(int[] labels, int classes, int perClass, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byClass = byClass(labels, classes);
        int[] picked = new int[0];
        for (int[] members : byClass) {
            int[] copy = members.clone();
            shuffle(copy, random);
            int[] chosen = Arrays.copyOf(copy, Math.min(perClass, copy.length));
            Arrays.sort(chosen);
            int old = picked.length;
            picked = Arrays.copyOf(picked, old + chosen.length);
            System.arraycopy(chosen, 0, picked, old, chosen.length);
        }
        Arrays.sort(picked);
        return picked;
    }
}
