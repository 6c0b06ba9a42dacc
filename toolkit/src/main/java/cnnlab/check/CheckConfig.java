package cnnlab.check;

import java.nio.file.Path;

/**
 * How checks run: public cases only or also the hidden ones, their seed, where results are appended, and the
 * time limit of one call to the student's function. {@link #fromEnvironment()} reads the switches the grader
 * sets; a student cannot change them from a notebook (the checks read the environment on every call).
 *
 * <ul>
 *   <li>{@code CNNLAB_GRADING=1}: run hidden cases too (default: public only);</li>
 *   <li>{@code CNNLAB_GRADE_SEED}: a long that seeds the hidden cases (default {@link #DEFAULT_SEED});</li>
 *   <li>{@code CNNLAB_RESULTS=/path/file.jsonl}: every check appends one JSON line (default: none);</li>
 *   <li>{@code CNNLAB_CHECK_SECONDS}: limit for one call of the student's function, in seconds (default 10).</li>
 * </ul>
 *
 * @param grading      true to run hidden cases
 * @param seed         seed of the hidden cases
 * @param results      JSON-lines file each check appends to, or null
 * @param limitSeconds time limit of one student call, &gt; 0
 */
public record CheckConfig(boolean grading, long seed, Path results, double limitSeconds) {
    /** The hidden cases' seed when {@code CNNLAB_GRADE_SEED} is not set. */
    public static final long DEFAULT_SEED = 20261128L;
    /** The time limit when {@code CNNLAB_CHECK_SECONDS} is not set. */
    public static final double DEFAULT_LIMIT_SECONDS = 10;

    /** @throws IllegalArgumentException if limitSeconds is not a positive finite number */
    public CheckConfig {
        if (!(limitSeconds > 0) || Double.isInfinite(limitSeconds)) {
            throw new IllegalArgumentException("CheckConfig: limitSeconds must be > 0 but is " + limitSeconds);
        }
    }

    /** The switches from the environment; a malformed value falls back to its default rather than failing a check. */
    public static CheckConfig fromEnvironment() {
        String grading = System.getenv("CNNLAB_GRADING");
        String seed = System.getenv("CNNLAB_GRADE_SEED");
        String results = System.getenv("CNNLAB_RESULTS");
        String seconds = System.getenv("CNNLAB_CHECK_SECONDS");
        long s = DEFAULT_SEED;
        try {
            s = seed == null || seed.isBlank() ? DEFAULT_SEED : Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            s = seed.trim().hashCode();
        }
        double limit = DEFAULT_LIMIT_SECONDS;
        try {
            limit = seconds == null || seconds.isBlank() ? DEFAULT_LIMIT_SECONDS : Double.parseDouble(seconds.trim());
        } catch (NumberFormatException e) {
            limit = DEFAULT_LIMIT_SECONDS;
        }
        if (!(limit > 0) || Double.isInfinite(limit)) {
            limit = DEFAULT_LIMIT_SECONDS;
        }
        return new CheckConfig("1".equals(grading == null ? null : grading.trim())
                || "true".equalsIgnoreCase(grading == null ? null : grading.trim()), s,
                results == null || results.isBlank() ? null : Path.of(results.trim()), limit);
    }

    /** Public cases only, default seed, no results file, the given limit: for tests. */
    public static CheckConfig publicOnly(double limitSeconds) {
        return new CheckConfig(false, DEFAULT_SEED, null, limitSeconds);
    }

    /** Public and hidden cases with this seed, no results file, the given limit: for tests. */
    public static CheckConfig grading(long seed, double limitSeconds) {
        return new CheckConfig(true, seed, null, limitSeconds);
    }

    public CheckConfig withResults(Path results) {
        return new CheckConfig(grading, seed, results, limitSeconds);
    }
}
