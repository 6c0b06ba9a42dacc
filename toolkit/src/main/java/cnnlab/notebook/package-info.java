/**
 * The only package that knows about Jupyter: {@link cnnlab.notebook.Notebook#setup()} and the display renderers
 * for rapaio-jupyter-kernel. Formatting ({@link cnnlab.notebook.Html}, {@link cnnlab.notebook.Png}) is plain Java.
 */
package cnnlab.notebook;
