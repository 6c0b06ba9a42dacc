package cnnlab.ops;

/**
 * A validated pooling (or unpooling) window, resolved to numbers. Input {@code [n, c, h, w]},
 * output {@code [n, c, oh, ow]}.
 */
public record PoolGeometry(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                           int dh, int dw, int oh, int ow, boolean ceilMode, boolean countIncludePad) {

    public long[] outputShape() {
        return new long[] {n, c, oh, ow};
    }

    /**
     * The input rows {@code [h0, h1)} and columns {@code [w0, w1)} that average-pooling output {@code (oh, ow)}
     * sums, and its divisor, as PyTorch computes them: a window that ceil mode lets hang past the padding is
     * clipped to the padded edge, and with {@code countIncludePad} the divisor counts the padded cells inside
     * that edge, otherwise only input cells. Returns {@code {h0, h1, w0, w1, divisor}}.
     */
    public int[] averageWindow(int oh, int ow) {
        int h0 = oh * sh - ph, w0 = ow * sw - pw;
        int h1 = Math.min(h0 + kh, h + ph), w1 = Math.min(w0 + kw, w + pw);
        int poolSize = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, h);
        w1 = Math.min(w1, w);
        int divisor = countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
        return new int[] {h0, h1, w0, w1, divisor};
    }

    /**
     * Rows of padding the last row of windows reaches below the input: ph, more where ceil mode lets the last
     * window hang over, fewer (down to 0) where the windows stop short of the bottom.
     */
    public int padBottom() {
        return Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - h - ph);
    }

    /** Columns of padding the last column of windows reaches right of the input, as {@link #padBottom}. */
    public int padRight() {
        return Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - w - pw);
    }

    /** Number of elements in one window. */
    public int windowSize() {
        return kh * kw;
    }
}
