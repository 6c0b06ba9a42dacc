/**
 * The Jupyter kernel's launcher: starts rapaio-jupyter-kernel without its start-up races. Runs in the kernel
 * JVM, ships in {@code cnnlab-toolkit-kernel.jar}; not part of the toolkit that notebooks load.
 */
package cnnlab.kernel;
