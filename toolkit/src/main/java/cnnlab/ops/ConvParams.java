package cnnlab.ops;

/**
 * Parameters of {@link Ops#conv2d}: stride, padding and dilation per axis (height, width), padding "same",
 * and the padding mode. Values are checked when the op runs, against the shapes they are used with.
 *
 * <p>Defaults, as PyTorch's {@code nn.Conv2d}: stride 1, padding 0, dilation 1, padding mode zeros.
 * <pre>
 * jshell&gt; ConvParams.of(2, 1)
 * $1 ==&gt; stride (2, 2), padding (1, 1), dilation (1, 1)
 * jshell&gt; ConvParams.DEFAULT.withStride(1, 2).withDilation(2)
 * $2 ==&gt; stride (1, 2), padding (0, 0), dilation (2, 2)
 * jshell&gt; ConvParams.same().withPaddingMode(PaddingMode.REFLECT)
 * $3 ==&gt; stride (1, 1), padding same, dilation (1, 1), padding mode reflect
 * </pre>
 *
 * @param samePadding PyTorch's {@code padding='same'}: pad so that the output has the input's size (stride 1
 *                    only); the padding fields are then ignored
 */
public record ConvParams(int strideH, int strideW, int paddingH, int paddingW, int dilationH, int dilationW,
                         boolean samePadding, PaddingMode paddingMode) {

    /** Stride 1, padding 0, dilation 1, zeros. */
    public static final ConvParams DEFAULT = new ConvParams(1, 1, 0, 0, 1, 1, false, PaddingMode.ZEROS);

    public ConvParams {
        if (paddingMode == null) {
            paddingMode = PaddingMode.ZEROS;
        }
    }

    /** The same stride and padding on both axes. */
    public static ConvParams of(int stride, int padding) {
        return DEFAULT.withStride(stride).withPadding(padding);
    }

    /** Stride and padding per axis. */
    public static ConvParams of(int strideH, int strideW, int paddingH, int paddingW) {
        return DEFAULT.withStride(strideH, strideW).withPadding(paddingH, paddingW);
    }

    /** Padding "same": the output keeps the input's height and width (stride 1). */
    public static ConvParams same() {
        return DEFAULT.withSamePadding();
    }

    public ConvParams withStride(int stride) {
        return withStride(stride, stride);
    }

    public ConvParams withStride(int strideH, int strideW) {
        return new ConvParams(strideH, strideW, paddingH, paddingW, dilationH, dilationW, samePadding, paddingMode);
    }

    /** Explicit padding on both axes (turns padding "same" off). */
    public ConvParams withPadding(int padding) {
        return withPadding(padding, padding);
    }

    public ConvParams withPadding(int paddingH, int paddingW) {
        return new ConvParams(strideH, strideW, paddingH, paddingW, dilationH, dilationW, false, paddingMode);
    }

    public ConvParams withSamePadding() {
        return new ConvParams(strideH, strideW, 0, 0, dilationH, dilationW, true, paddingMode);
    }

    public ConvParams withDilation(int dilation) {
        return withDilation(dilation, dilation);
    }

    public ConvParams withDilation(int dilationH, int dilationW) {
        return new ConvParams(strideH, strideW, paddingH, paddingW, dilationH, dilationW, samePadding, paddingMode);
    }

    public ConvParams withPaddingMode(PaddingMode mode) {
        return new ConvParams(strideH, strideW, paddingH, paddingW, dilationH, dilationW, samePadding, mode);
    }

    @Override
    public String toString() {
        return "stride (" + strideH + ", " + strideW + "), padding "
                + (samePadding ? "same" : "(" + paddingH + ", " + paddingW + ")")
                + ", dilation (" + dilationH + ", " + dilationW + ")"
                + (paddingMode == PaddingMode.ZEROS ? "" : ", padding mode " + paddingMode.torchName());
    }
}
