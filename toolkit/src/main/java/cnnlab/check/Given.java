package cnnlab.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arrays one case hands to the student's function: a fresh copy of each, kept beside its original, so that a
 * wrong result can also say that the function changed one of them. Sorting the rows of x in place to find a median
 * changes the windows read after it, and the values shown as the case's inputs are no longer the ones the code saw.
 */
final class Given {
    private final List<String> names = new ArrayList<>();
    private final List<Object> originals = new ArrayList<>();
    private final List<Object> copies = new ArrayList<>();

    double[] copy(String name, double[] x) {
        return keep(name, x, x == null ? null : x.clone());
    }

    double[][][] copy(String name, double[][][] x) {
        return keep(name, x, JavaArrays.copy(x));
    }

    double[][][][] copy(String name, double[][][][] x) {
        return keep(name, x, JavaArrays.copy(x));
    }

    private <T> T keep(String name, Object original, T copy) {
        names.add(name);
        originals.add(original);
        copies.add(copy);
        return copy;
    }

    /**
     * The mismatch as it is when the call left every input as it was given; else with a note naming the first input
     * it changed and where ({@code x[0][1][2] was 5, afterwards 3}; a hidden case's note names only the place).
     */
    Compare.Mismatch noted(Compare.Mismatch m) {
        if (m == null) {
            return null;
        }
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k);
            int[] shape = Compare.shape(originals.get(k));
            int[] now = Compare.shape(copies.get(k));
            if (!Arrays.equals(shape, now)) {
                String note = "\nnote: your function changed the shape of its input " + name + " (it was "
                        + Arrays.toString(shape) + ")";
                return new Compare.Mismatch(m.shown() + note, m.hidden() + note);
            }
            double[] before = Compare.flat(originals.get(k)), after = Compare.flat(copies.get(k));
            for (int i = 0; i < before.length; i++) {
                if (Double.compare(before[i], after[i]) != 0) {
                    String at = Compare.index(name, i, shape);
                    String note = "\nnote: your function changed its input " + name + " (";
                    String tail = "): later reads of " + name + " see the changed values";
                    return new Compare.Mismatch(m.shown() + note + at + " was " + Compare.num(before[i])
                            + ", afterwards " + Compare.num(after[i]) + tail, m.hidden() + note + "at " + at + tail);
                }
            }
        }
        return m;
    }
}
