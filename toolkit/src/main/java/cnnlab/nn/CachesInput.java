package cnnlab.nn;

/**
 * A layer of this package that keeps arrays from its forward pass for its backward one (its input, or its output
 * and slopes). {@link StepMemory} makes it forget them when a step's memory is handed to the next step.
 */
interface CachesInput {
    /** Drops the cached arrays; a backward pass then needs a new forward pass first. */
    void forgetInput();
}
