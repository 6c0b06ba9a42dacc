package cnnlab.ops;

/**
 * Parameters of the pooling ops and of the unpools: window, stride, padding and dilation per axis,
 * {@code ceil_mode} and {@code count_include_pad}.
 *
 * <p>Defaults, as PyTorch's pooling modules: stride equal to the kernel, padding 0, dilation 1,
 * {@code ceil_mode} false, {@code count_include_pad} true (average pooling only). Padding may be at most
 * half the kernel. Padded cells never win a max or min pool.
 * <pre>
 * jshell&gt; PoolParams.of(2)
 * $1 ==&gt; kernel 2x2, stride (2, 2), padding (0, 0)
 * jshell&gt; PoolParams.of(3, 2, 1).withCeilMode(true).withCountIncludePad(false)
 * $2 ==&gt; kernel 3x3, stride (2, 2), padding (1, 1), ceil_mode, count_include_pad false
 * </pre>
 */
public record PoolParams(int kernelH, int kernelW, int strideH, int strideW, int paddingH, int paddingW,
                         int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {

    /** A square window with stride equal to its size. */
    public static PoolParams of(int kernel) {
        return of(kernel, kernel);
    }

    public static PoolParams of(int kernel, int stride) {
        return of(kernel, stride, 0);
    }

    public static PoolParams of(int kernel, int stride, int padding) {
        return new PoolParams(kernel, kernel, stride, stride, padding, padding, 1, 1, false, true);
    }

    /** A rectangular {@code kernelH x kernelW} window with stride equal to its size. */
    public static PoolParams window(int kernelH, int kernelW) {
        return new PoolParams(kernelH, kernelW, kernelH, kernelW, 0, 0, 1, 1, false, true);
    }

    public PoolParams withStride(int stride) {
        return withStride(stride, stride);
    }

    public PoolParams withStride(int strideH, int strideW) {
        return new PoolParams(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                ceilMode, countIncludePad);
    }

    public PoolParams withPadding(int padding) {
        return withPadding(padding, padding);
    }

    public PoolParams withPadding(int paddingH, int paddingW) {
        return new PoolParams(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                ceilMode, countIncludePad);
    }

    public PoolParams withDilation(int dilation) {
        return withDilation(dilation, dilation);
    }

    public PoolParams withDilation(int dilationH, int dilationW) {
        return new PoolParams(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                ceilMode, countIncludePad);
    }

    public PoolParams withCeilMode(boolean ceilMode) {
        return new PoolParams(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                ceilMode, countIncludePad);
    }

    public PoolParams withCountIncludePad(boolean countIncludePad) {
        return new PoolParams(kernelH, kernelW, strideH, strideW, paddingH, paddingW, dilationH, dilationW,
                ceilMode, countIncludePad);
    }

    @Override
    public String toString() {
        return "kernel " + kernelH + "x" + kernelW + ", stride (" + strideH + ", " + strideW + "), padding ("
                + paddingH + ", " + paddingW + ")"
                + (dilationH == 1 && dilationW == 1 ? "" : ", dilation (" + dilationH + ", " + dilationW + ")")
                + (ceilMode ? ", ceil_mode" : "") + (countIncludePad ? "" : ", count_include_pad false");
    }
}
