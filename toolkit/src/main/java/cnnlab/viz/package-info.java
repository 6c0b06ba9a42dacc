/**
 * Pictures: photos in and out ({@link cnnlab.viz.Images}) and colour maps. Returns images; never shows them
 * (that is {@code notebook}) and never computes ops.
 */
package cnnlab.viz;
