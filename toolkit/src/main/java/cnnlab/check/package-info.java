/**
 * The autocheck API of the graded labs ({@code lab-exercises/}): {@link cnnlab.check.Check} with one field per lab,
 * the {@link cnnlab.check.CheckResult} a check returns, and {@link cnnlab.check.JavaArrays} to move between the
 * plain Java arrays students write loops on and INDArrays.
 *
 * <p>Students implement the lecture's loops on {@code double} arrays ({@code x[c][i][j]}, {@code w[k][c][u][v]}),
 * one image at a time: they read like the formulas, need no ND4J knowledge, and a wrong index fails with a plain
 * {@code ArrayIndexOutOfBoundsException} that the check reports. Every exercise uses that convention.
 *
 * <p>Not here: showing results in a notebook ({@code cnnlab.notebook} renders {@code CheckResult#toHtml()}),
 * releasing and grading notebooks ({@code cnnlab.grade}).
 */
package cnnlab.check;
