/**
 * Pictures: photos in and out ({@link cnnlab.viz.Images}), kernel mosaics ({@link cnnlab.viz.KernelGrid}), feature-map grids and paths ({@link cnnlab.viz.FeatureMaps}), XChart plots ({@link cnnlab.viz.Plots}), labelled pictures side by side ({@link cnnlab.viz.SideBySide}), arrays side by side as tables ({@link cnnlab.viz.Tables}), colour maps, and the gallery ({@link cnnlab.viz.Gallery}). Returns images; never shows them
 * (that is {@code notebook}) and never computes ops.
 */
package cnnlab.viz;
