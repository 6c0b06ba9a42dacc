package cnnlab.nn;

import cnnlab.ops.Errors;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax followed by cross-entropy, averaged over the batch: PyTorch's {@code nn.CrossEntropyLoss()} on
 * logits. Computed in double with the log-sum-exp trick, so large logits do not overflow:
 * <pre>
 *   m_n     = max_k z[n, k]
 *   log p   = z[n, k] - m_n - log(sum_j exp(z[n, j] - m_n))            (log-softmax)
 *   loss    = -(1/N) sum_n log p[n, y_n]
 *   dL/dz   = (p[n, k] - [k == y_n]) / N                               (softmax minus one-hot, over N)
 * </pre>
 * Gradient entries below the smallest normal float (1.2e-38) are 0 ({@link #flushSubnormal}).
 *
 * <p>Shapes: logits {@code [N, K]}, labels {@code int[N]} in {@code [0, K)}, gradient and probabilities
 * {@code [N, K]} float32.
 * <pre>
 * jshell&gt; var ce = SoftmaxCrossEntropy.of(Nd4j.create(new float[][] {{2, 0}}), new int[] {0});
 * jshell&gt; ce.loss()
 * $2 ==&gt; 0.1269280110429726           // log(1 + e^-2)
 * </pre>
 *
 * @param loss          the mean cross-entropy
 * @param grad          dL/d logits
 * @param probabilities softmax of the logits
 */
public record SoftmaxCrossEntropy(double loss, INDArray grad, INDArray probabilities) {

    /**
     * The loss of {@code logits} for the true classes {@code labels}, with its gradient.
     *
     * @throws IllegalArgumentException if logits is not {@code [N, K]}, there is not one label per row, or a
     *                                  label is outside {@code [0, K)}
     */
    public static SoftmaxCrossEntropy of(INDArray logits, int[] labels) {
        Check.notNull("SoftmaxCrossEntropy", "logits", logits);
        Check.notNull("SoftmaxCrossEntropy", "labels", labels);
        String ctx = "logits " + Errors.shape(logits) + ", labels [" + labels.length + "]";
        if (logits.rank() != 2) {
            throw Errors.error("SoftmaxCrossEntropy", "logits must be [N, K] but have rank " + logits.rank(), ctx,
                    "Flatten and a Linear layer give [N, K]");
        }
        int n = Math.toIntExact(logits.size(0)), k = Math.toIntExact(logits.size(1));
        if (labels.length != n) {
            throw Errors.error("SoftmaxCrossEntropy", "need one label per row but got " + labels.length
                    + " labels for " + n + " rows", ctx);
        }
        double[] z = logits.dup('c').data().asDouble();
        float[] p = new float[n * k], grad = new float[n * k];
        double total = 0;
        for (int row = 0; row < n; row++) {
            int y = labels[row];
            if (y < 0 || y >= k) {
                throw Errors.error("SoftmaxCrossEntropy", "label " + y + " at index " + row + " is outside [0, "
                        + k + ")", ctx);
            }
            int at = row * k;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                m = Math.max(m, z[at + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[at + j] - m);
            }
            double logSum = Math.log(sum);
            total -= z[at + y] - m - logSum;                            // -log p[row, y]
            for (int j = 0; j < k; j++) {
                double pj = Math.exp(z[at + j] - m - logSum);
                p[at + j] = (float) pj;
                grad[at + j] = flushSubnormal((float) ((pj - (j == y ? 1 : 0)) / n));
            }
        }
        return new SoftmaxCrossEntropy(total / n, Nd4j.create(grad, new long[] {n, k}, 'c'),
                Nd4j.create(p, new long[] {n, k}, 'c'));
    }

    /**
     * 0 for a subnormal float (nonzero, below {@link Float#MIN_NORMAL}, 1.2e-38), else v. A confident network's
     * softmax gives many of them (a quarter of the gradient's entries after 10 epochs on 6,400 Fashion-MNIST
     * images), and x86 multiplies subnormal numbers many times slower than normal ones, in every layer of the
     * backward pass: training slowed to half speed. Such a gradient entry moves no weight by a representable
     * amount (PyTorch keeps them and pays the same cost).
     */
    static float flushSubnormal(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
    }

    @Override
    public String toString() {
        return "SoftmaxCrossEntropy(loss " + loss + ", logits " + Errors.shape(grad) + ")";
    }
}
