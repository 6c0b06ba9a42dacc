package cnnlab.ops.nd4j;

import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvTransposeGeometry;
import cnnlab.ops.Engine;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import cnnlab.ops.reference.ReferenceEngine;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast engine: the ops on libnd4j's native kernels, and the window ops libnd4j has no fitting kernel for on
 * Java loops over the planes ({@link PlaneLoops}), in the files beside this one.
 */
public final class Nd4jEngine implements Engine {

    public Nd4jEngine() {
        Nd4jRuntime.load();
    }

    @Override
    public String name() {
        return "fast";
    }

    /**
     * Whether convolutions run on oneDNN called directly ({@code OneDnn}) rather than on libnd4j's conv2d: true
     * where JavaCPP's oneDNN loads and {@code -Dcnnlab.onednn=false} is not set. For the bench's description.
     */
    public static boolean directOneDnn() {
        Nd4jRuntime.load();
        return OneDnn.active();
    }

    /**
     * libnd4j runs a dilated convolution on a kernel spread out with zero taps ({@link Native}), and {@code 0 * inf}
     * is NaN: an infinite or NaN value in the array those taps meet would spoil outputs PyTorch leaves finite. Such
     * calls (dilation above 1 and a non-finite input or upstream gradient, found by one sum; a finite array whose sum
     * overflows only costs the slow path) go to the reference engine, which skips what lies between the taps.
     */
    private static final Engine BETWEEN_TAPS = new ReferenceEngine();

    private static boolean spreadIsExact(int dh, int dw, INDArray meetsTheZeros) {
        return dh == 1 && dw == 1 || Double.isFinite(meetsTheZeros.sumNumber().doubleValue());
    }

    @Override
    public INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvGeometry g) {
        if (!spreadIsExact(g.dh(), g.dw(), x)) {
            return BETWEEN_TAPS.conv2d(x, weight, bias, g);
        }
        return Convolutions.conv2d(x, weight, bias, g);
    }

    @Override
    public ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvGeometry g) {
        if (!spreadIsExact(g.dh(), g.dw(), gradOut)) {   // dx; dw keeps only the real taps' sums
            return BETWEEN_TAPS.conv2dBackward(x, weight, gradOut, g);
        }
        return Convolutions.conv2dBackward(x, weight, gradOut, g);
    }

    @Override
    public ConvGradients conv2dWeightBackward(INDArray x, INDArray weight, INDArray gradOut, ConvGeometry g) {
        return Convolutions.conv2dBackward(x, weight, gradOut, g, false);
    }

    @Override
    public INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeGeometry g) {
        if (!spreadIsExact(g.dh(), g.dw(), x)) {
            return BETWEEN_TAPS.convTranspose2d(x, weight, bias, g);
        }
        return Convolutions.convTranspose2d(x, weight, bias, g);
    }

    @Override
    public ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut,
                                                 ConvTransposeGeometry g) {
        if (!spreadIsExact(g.dh(), g.dw(), gradOut)) {
            return BETWEEN_TAPS.convTranspose2dBackward(x, weight, gradOut, g);
        }
        return Convolutions.convTranspose2dBackward(x, weight, gradOut, g);
    }

    @Override
    public Pooled maxPool2d(INDArray x, PoolGeometry g) {
        return Windows.max(x, g);
    }

    @Override
    public INDArray maxPool2dValues(INDArray x, PoolGeometry g) {
        return Windows.maxValues(x, g);
    }

    @Override
    public INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        return Windows.maxBackward(x, gradOut, g);
    }

    @Override
    public INDArray maxPool2dBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g) {
        return Windows.maxBackwardByIndices(gradOut, indices, g);
    }

    @Override
    public INDArray minPool2d(INDArray x, PoolGeometry g) {
        return Windows.minValues(x, g);
    }

    @Override
    public INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        return Windows.minBackward(x, gradOut, g);
    }

    @Override
    public INDArray avgPool2d(INDArray x, PoolGeometry g) {
        return Windows.average(x, g);
    }

    @Override
    public INDArray avgPool2dBackward(INDArray gradOut, PoolGeometry g) {
        return Windows.averageBackward(gradOut, g);
    }

    @Override
    public INDArray medianPool2d(INDArray x, PoolGeometry g) {
        return PlaneLoops.median(x, g);
    }

    @Override
    public INDArray maxUnpool2d(INDArray x, INDArray indices, int oh, int ow) {
        return PlaneLoops.maxUnpool(x, indices, oh, ow);
    }

    @Override
    public INDArray unpoolNearest(INDArray x, PoolGeometry g) {
        return PlaneLoops.nearest(x, g);
    }

    @Override
    public INDArray relu(INDArray x) {
        return Activations.relu(x);
    }

    @Override
    public INDArray reluBackward(INDArray x, INDArray gradOut) {
        return Activations.reluBackward(x, gradOut);
    }

    @Override
    public INDArray leakyRelu(INDArray x, double slope) {
        return Activations.leakyRelu(x, slope);
    }

    @Override
    public INDArray leakyReluBackward(INDArray x, INDArray gradOut, double slope) {
        return Activations.leakyReluBackward(x, gradOut, slope);
    }

    @Override
    public INDArray prelu(INDArray x, INDArray alpha) {
        return Activations.prelu(x, alpha);
    }

    @Override
    public PreluGradients preluBackward(INDArray x, INDArray alpha, INDArray gradOut) {
        return Activations.preluBackward(x, alpha, gradOut);
    }

    @Override
    public RRelu rreluTraining(INDArray x, INDArray drawn) {
        return Activations.rreluTraining(x, drawn);
    }

    @Override
    public INDArray rreluBackward(INDArray gradOut, INDArray slopes) {
        return Activations.rreluBackward(gradOut, slopes);
    }
}
