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
    SYMMETRIC
}
