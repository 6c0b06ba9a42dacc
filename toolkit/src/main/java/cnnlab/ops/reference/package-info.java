/**
 * The reference engine: plain loops over float arrays that read like the lecture's formulas, one file per op
 * family with forward and backward together. For reading and for checking the fast engine, not for speed.
 * Reached through {@code Cnn.reference()}; validation happens before these loops run.
 *
 * <p>The code uses PyTorch's names (the house style); the lecture's symbols are these:
 * <pre>
 *   lecture                      code
 *   C channels of the input      c          (loop index c)
 *   M x N input plane            h x w      (g.h(), g.w(); loop indices ih, iw)
 *   K kernels                    k          (loop index k; the weight is [K, C, kh, kw])
 *   w x h kernel                 kh x kw    (loop indices i, j: the notebook's u, v)
 *   p padding                    ph, pw     (conv: padTop/padBottom, padLeft/padRight)
 *   S stride                     sh, sw
 *   o output size                oh x ow    (loop indices oh, ow: the notebook's i, j)
 *   W(c, u, v) weights           w.at(k, c, i, j), or weight
 *   (none: a batch of images)    n          (batch index; NOT the lecture's width N)
 * </pre>
 * Every output size (without dilation {@code oh = (h - kh + 2p)/sh + 1}, the lecture's
 * {@code o = (M - w + 2p)/S + 1}) is worked out once, in {@link cnnlab.shape.Shapes}, by the shared validation
 * ({@code cnnlab.ops.CheckedOps}), and reaches these loops inside a {@code ConvGeometry},
 * {@code ConvTransposeGeometry} or {@code PoolGeometry}.
 */
package cnnlab.ops.reference;
