/**
 * {@code ./cnnlab bench}: JMH benchmarks of the fast and the reference engine beside PyTorch on the same shapes, with
 * a table (Tablesaw CSV), a chart and the README's performance table as output; and the other measurements of
 * issue 8, each behind its own option: the convolution routes, every op on both engines, memory over ten training
 * epochs, and the kernel's start-up. Not a test: it asserts nothing, and it is not part of the toolkit jar the
 * notebooks load.
 */
package cnnlab.bench;
