package cnnlab.ops;

/**
 * A validated convolution, resolved to numbers: what an {@link Engine} needs to compute it.
 * Input {@code [n, c, h, w]}, weight {@code [k, c, kh, kw]} (k kernels), output {@code [n, k, oh, ow]}.
 * Padding may differ before and after the input (padding "same" with an even kernel puts the odd row last).
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw,
                           int padTop, int padBottom, int padLeft, int padRight, int dh, int dw,
                           int oh, int ow, PaddingMode mode) {

    /** True when the padding is zeros and the same on both sides of each axis. */
    public boolean symmetricZeroPadding() {
        return mode == PaddingMode.ZEROS && padTop == padBottom && padLeft == padRight;
    }

    public long[] inputShape() {
        return new long[] {n, c, h, w};
    }

    public long[] outputShape() {
        return new long[] {n, k, oh, ow};
    }
}
