package cnnlab.viz;

/** How array values become pixel intensities. */
public enum Scale {
    /** Values in [0, 1] as they are; outside values are clipped. For photos. */
    FIXED,
    /** The smallest value black, the largest white; a constant plane is mid-grey. */
    MIN_MAX,
    /**
     * Symmetric around zero on a diverging blue–white–red map: zero is white, {@code -m} full blue and
     * {@code +m} full red, where {@code m} is the largest magnitude. For signed responses (edge filters, weights).
     */
    SYMMETRIC,
    /**
     * {@link #SYMMETRIC}, but full colour at the 99th percentile of |v|: the
     * strongest 1% of values are clipped, so that a few strong edges do not leave everything else near white. For
     * responses on photos, whose largest values are rare (a Laplacian's thin lines). Takes the largest magnitude
     * when the 99th percentile is 0 (a plane that is almost all zeros).
     */
    SYMMETRIC_CLIPPED;

    /** Whether values go on the blue–white–red map around zero. */
    boolean diverging() {
        return this == SYMMETRIC || this == SYMMETRIC_CLIPPED;
    }
}
