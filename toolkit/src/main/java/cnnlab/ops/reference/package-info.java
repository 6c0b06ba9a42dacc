/**
 * The reference engine: plain loops over float arrays that read like the lecture's formulas, one file per op
 * family with forward and backward together. For reading and for checking the fast engine, not for speed.
 * Reached through {@code Cnn.reference()}; validation happens before these loops run.
 */
package cnnlab.ops.reference;
