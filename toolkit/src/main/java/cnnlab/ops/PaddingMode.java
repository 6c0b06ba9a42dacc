package cnnlab.ops;

/**
 * What a convolution reads outside the input, as PyTorch's {@code padding_mode}.
 *
 * <p>{@link #source(int, int)} maps a coordinate of the padded input back to the input, and is shared by
 * both engines (the reference reads through it, the fast engine builds gather indices from it).
 */
public enum PaddingMode {
    /** Zeros outside the input (PyTorch's {@code 'zeros'}, the default). */
    ZEROS,
    /** Mirror without repeating the edge: {@code 3 2 | 1 2 3 4 | 3 2} (needs padding &lt; size). */
    REFLECT,
    /** Repeat the edge value: {@code 1 1 | 1 2 3 4 | 4 4}. */
    REPLICATE,
    /** Wrap around: {@code 3 4 | 1 2 3 4 | 1 2} (needs padding &le; size). */
    CIRCULAR;

    /**
     * The input index that padded position {@code i} reads, for an axis of {@code size} elements;
     * {@code i} may be negative or past the end. Returns -1 where the value is zero.
     */
    public int source(int i, int size) {
        if (i >= 0 && i < size) {
            return i;
        }
        return switch (this) {
            case ZEROS -> -1;
            case REFLECT -> i < 0 ? -i : 2 * (size - 1) - i;
            case REPLICATE -> i < 0 ? 0 : size - 1;
            case CIRCULAR -> Math.floorMod(i, size);
        };
    }

    /** PyTorch's name for this mode. */
    public String torchName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
