package cnnlab.check;

/**
 * Lab 4, exercise 1: the ReLU family and their derivatives, one number at a time. A student's class implements it
 * and is checked with {@code Check.lab4.reluFamily(new MyRelu())}. Conventions are PyTorch's: every derivative at
 * exactly 0 takes the left-hand value (relu'(0) = 0).
 */
public interface ReluFamily {
    /** {@code max(0, x)}. */
    double relu(double x);

    /** d relu / dx: 1 for x &gt; 0, else 0. */
    double reluGrad(double x);

    /** {@code x} for x &gt; 0, else {@code slope · x}. */
    double leakyRelu(double x, double slope);

    /** d leakyRelu / dx. */
    double leakyReluGrad(double x, double slope);

    /** RReLU in eval mode: leaky ReLU with the fixed slope {@code (lower + upper)/2}. */
    double rreluEval(double x, double lower, double upper);

    /** d prelu / d alpha for {@code prelu(x) = x > 0 ? x : alpha · x}: what the learned slope's gradient is made of. */
    double preluGradAlpha(double x, double alpha);
}
