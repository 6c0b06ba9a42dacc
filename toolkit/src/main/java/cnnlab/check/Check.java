package cnnlab.check;

/**
 * The autochecks of the graded labs, one field per lab. A check cell is one short call with the student's function:
 * <pre>
 * jshell&gt; Check.lab1.conv2d(MyConv::conv2d)
 * $1 ==&gt; lab1 ex2 · conv2d: 6/6 points
 *        all 6 public cases passed; hidden cases run when graded
 *        ...
 * </pre>
 * Each check runs its public cases (inputs shown in the feedback) and, when {@code CNNLAB_GRADING=1}, seeded hidden
 * cases (only described). Expected values come from the reference engine ({@code Cnn.reference()}) or the toolkit.
 * A check never throws because of the student: exceptions, {@code UnsupportedOperationException} ("not attempted")
 * and calls past the time limit are reported in the returned {@link CheckResult}. The switches are read from the
 * environment on every call ({@link CheckConfig#fromEnvironment()}).
 */
public final class Check {
    /** Lab 1, convolution: {@code outputSize}, {@code conv2d}. */
    public static final Lab1Checks lab1 = new Lab1Checks(CheckConfig::fromEnvironment);
    /** Lab 2, pooling: {@code pooling}, {@code maxPoolBackward}. */
    public static final Lab2Checks lab2 = new Lab2Checks(CheckConfig::fromEnvironment);
    /** Lab 3, unpooling and transposed convolution: {@code unpoolNearest}, {@code convTranspose2d}. */
    public static final Lab3Checks lab3 = new Lab3Checks(CheckConfig::fromEnvironment);
    /** Lab 4, ReLU and backprop: {@code reluFamily}, {@code numericGradient}. */
    public static final Lab4Checks lab4 = new Lab4Checks(CheckConfig::fromEnvironment);
    /** Lab 5, visualising filters: {@code normalise}, {@code tile}, {@code gabor}. */
    public static final Lab5Checks lab5 = new Lab5Checks(CheckConfig::fromEnvironment);

    private Check() {
    }

    /**
     * The value of {@code what}, or a one-line note when it cannot be had yet: for cells that look at what a
     * student's function does (a picture, a table), so that a notebook whose exercises are not done yet still runs
     * to the end. Runs under the same time limit as a check.
     * <pre>
     * jshell&gt; Check.preview(() -&gt; Images.toImage(JavaArrays.toINDArray(MyConv.conv2d(x, w, b, p)), Scale.SYMMETRIC))
     * $1 ==&gt; (a picture), or "preview not available: MyConv.conv2d is not implemented yet"
     * </pre>
     *
     * @return what {@code what} returned; or a String saying it is not implemented yet, what it threw, or that it ran
     *         past the limit
     */
    public static Object preview(java.util.concurrent.Callable<?> what) {
        return preview(what, CheckConfig.fromEnvironment().limitSeconds());
    }

    static Object preview(java.util.concurrent.Callable<?> what, double limit) {
        if (what == null) {
            return "preview not available: nothing to preview (null)";
        }
        Call.Outcome out = Call.run(what, limit);
        if (out.timedOut()) {
            return "preview not available: still running after " + CheckResult.pts(limit) + " s, so it was "
                    + (out.stopped() ? "stopped" : "left running") + " (look for a loop that never ends)";
        }
        if (out.notAttempted()) {
            return "preview not available: " + (out.thrown().getMessage() == null ? "not implemented yet"
                    : out.thrown().getMessage()) + " (write the exercise above first)";
        }
        if (out.thrown() != null) {
            StackTraceElement[] at = out.thrown().getStackTrace();
            // thrown by the toolkit drawing or converting the result, not by the student's own code
            boolean toolkit = out.thrown() instanceof IllegalArgumentException && at.length > 0
                    && at[0].getClassName().startsWith("cnnlab.");
            return "preview not available: it threw " + Call.describe(out.thrown()) + (toolkit
                    ? "\nhint: the toolkit could not draw your function's result: check that its shape is the one the"
                    + " exercise asks for" : "");
        }
        return out.value() == null ? "preview not available: the result is null" : out.value();
    }
}
