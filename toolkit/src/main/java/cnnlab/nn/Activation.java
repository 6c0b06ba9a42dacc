package cnnlab.nn;

/**
 * The nonlinearity of {@link LeNet5}: ReLU (modern), or tanh and sigmoid (the original's era).
 */
public enum Activation {
    RELU, TANH, SIGMOID;

    /** A new layer computing this activation. */
    public Layer layer() {
        return switch (this) {
            case RELU -> new ReLU();
            case TANH -> new Tanh();
            case SIGMOID -> new Sigmoid();
        };
    }
}
