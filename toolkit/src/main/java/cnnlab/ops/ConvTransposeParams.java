package cnnlab.ops;

/**
 * Parameters of {@link Ops#convTranspose2d}: stride, padding, output padding and dilation per axis.
 *
 * <p>Defaults, as PyTorch's {@code nn.ConvTranspose2d}: stride 1, padding 0, output padding 0, dilation 1.
 * Output padding adds rows and columns at the bottom and right; it must be smaller than the stride or the
 * dilation on its axis.
 * <pre>
 * jshell&gt; ConvTransposeParams.of(2, 1).withOutputPadding(1)
 * $1 ==&gt; stride (2, 2), padding (1, 1), output padding (1, 1), dilation (1, 1)
 * </pre>
 */
public record ConvTransposeParams(int strideH, int strideW, int paddingH, int paddingW,
                                  int outputPaddingH, int outputPaddingW, int dilationH, int dilationW) {

    /** Stride 1, padding 0, output padding 0, dilation 1. */
    public static final ConvTransposeParams DEFAULT = new ConvTransposeParams(1, 1, 0, 0, 0, 0, 1, 1);

    public static ConvTransposeParams of(int stride, int padding) {
        return DEFAULT.withStride(stride).withPadding(padding);
    }

    public static ConvTransposeParams of(int strideH, int strideW, int paddingH, int paddingW) {
        return DEFAULT.withStride(strideH, strideW).withPadding(paddingH, paddingW);
    }

    public ConvTransposeParams withStride(int stride) {
        return withStride(stride, stride);
    }

    public ConvTransposeParams withStride(int strideH, int strideW) {
        return new ConvTransposeParams(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                dilationH, dilationW);
    }

    public ConvTransposeParams withPadding(int padding) {
        return withPadding(padding, padding);
    }

    public ConvTransposeParams withPadding(int paddingH, int paddingW) {
        return new ConvTransposeParams(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                dilationH, dilationW);
    }

    public ConvTransposeParams withOutputPadding(int outputPadding) {
        return withOutputPadding(outputPadding, outputPadding);
    }

    public ConvTransposeParams withOutputPadding(int outputPaddingH, int outputPaddingW) {
        return new ConvTransposeParams(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                dilationH, dilationW);
    }

    public ConvTransposeParams withDilation(int dilation) {
        return withDilation(dilation, dilation);
    }

    public ConvTransposeParams withDilation(int dilationH, int dilationW) {
        return new ConvTransposeParams(strideH, strideW, paddingH, paddingW, outputPaddingH, outputPaddingW,
                dilationH, dilationW);
    }

    @Override
    public String toString() {
        return "stride (" + strideH + ", " + strideW + "), padding (" + paddingH + ", " + paddingW
                + "), output padding (" + outputPaddingH + ", " + outputPaddingW + "), dilation (" + dilationH
                + ", " + dilationW + ")";
    }
}
