package cnnlab.ops.reference;

import cnnlab.ops.ConvGeometry;
import cnnlab.ops.ConvGradients;
import cnnlab.ops.ConvTransposeGeometry;
import cnnlab.ops.Engine;
import cnnlab.ops.PoolGeometry;
import cnnlab.ops.Pooled;
import cnnlab.ops.PreluGradients;
import cnnlab.ops.RRelu;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The readable engine: each op is a loop over the lecture's formula, in the files beside this one. */
public final class ReferenceEngine implements Engine {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public INDArray conv2d(INDArray x, INDArray weight, INDArray bias, ConvGeometry g) {
        return Convolution.conv2d(x, weight, bias, g);
    }

    @Override
    public ConvGradients conv2dBackward(INDArray x, INDArray weight, INDArray gradOut, ConvGeometry g) {
        return Convolution.conv2dBackward(x, weight, gradOut, g);
    }

    @Override
    public INDArray convTranspose2d(INDArray x, INDArray weight, INDArray bias, ConvTransposeGeometry g) {
        return Convolution.convTranspose2d(x, weight, bias, g);
    }

    @Override
    public ConvGradients convTranspose2dBackward(INDArray x, INDArray weight, INDArray gradOut,
                                                 ConvTransposeGeometry g) {
        return Convolution.convTranspose2dBackward(x, weight, gradOut, g);
    }

    @Override
    public Pooled maxPool2d(INDArray x, PoolGeometry g) {
        return Pooling.extreme(x, g, true);
    }

    @Override
    public INDArray maxPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        return Pooling.routeToWinners(gradOut, Pooling.extreme(x, g, true).indices(), g);
    }

    @Override
    public INDArray maxPool2dBackwardByIndices(INDArray gradOut, INDArray indices, PoolGeometry g) {
        return Pooling.routeToWinners(gradOut, indices, g);
    }

    @Override
    public INDArray minPool2d(INDArray x, PoolGeometry g) {
        return Pooling.extreme(x, g, false).output();
    }

    @Override
    public INDArray minPool2dBackward(INDArray x, INDArray gradOut, PoolGeometry g) {
        return Pooling.routeToWinners(gradOut, Pooling.extreme(x, g, false).indices(), g);
    }

    @Override
    public INDArray avgPool2d(INDArray x, PoolGeometry g) {
        return Pooling.average(x, g);
    }

    @Override
    public INDArray avgPool2dBackward(INDArray gradOut, PoolGeometry g) {
        return Pooling.averageBackward(gradOut, g);
    }

    @Override
    public INDArray medianPool2d(INDArray x, PoolGeometry g) {
        return Pooling.median(x, g);
    }

    @Override
    public INDArray maxUnpool2d(INDArray x, INDArray indices, int oh, int ow) {
        return Unpooling.maxUnpool2d(x, indices, oh, ow);
    }

    @Override
    public INDArray unpoolNearest(INDArray x, PoolGeometry g) {
        return Unpooling.nearest(x, g);
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
        return Activations.times(gradOut, slopes);
    }
}
