package cnnlab.check;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.function.Supplier;

/** Assertions shared by the lab check tests. */
final class CheckTesting {
    private CheckTesting() {
    }

    static Supplier<CheckConfig> publicOnly() {
        return () -> CheckConfig.publicOnly(Students.GENEROUS);
    }

    static Supplier<CheckConfig> grading() {
        return grading(99);
    }

    static Supplier<CheckConfig> grading(long seed) {
        return () -> CheckConfig.grading(seed, Students.GENEROUS);
    }

    static Supplier<CheckConfig> shortLimit() {
        return () -> CheckConfig.publicOnly(Students.LIMIT);
    }

    /** No value of the hidden inputs (written as feedback writes numbers, at least 5 characters) is in any rendering. */
    static void noHiddenInputs(CheckResult r, List<double[]> hiddenInputs) {
        String all = r.feedback() + r.toString() + r.toHtml() + r.toJson();
        for (double[] values : hiddenInputs) {
            for (double v : values) {
                String written = Compare.num(v);
                if (written.length() > 4) {
                    assertFalse(all.contains(written), "hidden input " + written + " in feedback:\n" + all);
                }
            }
        }
    }
}
