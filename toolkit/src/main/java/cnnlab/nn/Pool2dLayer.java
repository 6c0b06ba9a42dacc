package cnnlab.nn;

import cnnlab.Cnn;
import cnnlab.ops.Ops;
import cnnlab.ops.PoolParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the pooling layers share: no parameters, remember the input, call the op and its backward. */
abstract class Pool2dLayer implements Layer, CachesInput {
    private final PoolParams params;
    private Ops ops = Cnn.fast();
    private INDArray x;

    Pool2dLayer(String name, PoolParams params) {
        Check.notNull(name, "params", params);
        this.params = params;
    }

    abstract INDArray pool(Ops ops, INDArray x, PoolParams params);

    abstract INDArray poolBackward(Ops ops, INDArray x, INDArray gradOut, PoolParams params);

    @Override
    public INDArray forward(INDArray x) {
        this.x = x;
        return pool(ops, x, params);
    }

    @Override
    public INDArray backward(INDArray gradOut) {
        if (x == null) {
            throw Check.noForward(this);
        }
        return poolBackward(ops, x, gradOut, params);
    }

    @Override
    public void useEngine(Ops ops) {
        this.ops = ops;
    }

    @Override
    public String kind() {
        return "pool";
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + params + ")";
    }

    @Override
    public void forgetInput() {
        x = null;
    }
}
