/**
 * The ops contract: {@link cnnlab.ops.Ops}, its parameter records, result records and the one shared
 * validation path. Not the computations themselves: those live in {@code ops.reference} and {@code ops.nd4j}.
 */
package cnnlab.ops;
