package cnnlab.ops;

/**
 * A validated transposed convolution, resolved to numbers. Input {@code [n, c, h, w]},
 * weight {@code [c, k, kh, kw]}, output {@code [n, k, oh, ow]}.
 */
public record ConvTransposeGeometry(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw,
                                    int ph, int pw, int oph, int opw, int dh, int dw, int oh, int ow) {

    public long[] outputShape() {
        return new long[] {n, k, oh, ow};
    }

}
