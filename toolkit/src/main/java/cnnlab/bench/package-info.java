/** {@code ./cnnlab bench}: side-by-side timings of the two engines. Not a test: it asserts nothing. */
package cnnlab.bench;
