/**
 * Grading a class: the gradebook, summary, histogram and per-student feedback pages of a grading run
 * ({@link cnnlab.grade.Gradebook}).
 *
 * <p>Running the submissions is not here: {@code ./cnnlab grade} drives each notebook from Python
 * ({@code toolkit/src/main/python/grade.py}), in its own process and kernel, because only a process outside the
 * kernel JVM survives a submission that exits, loops or exhausts memory, and can kill what is left by PID. Release
 * ({@code release.py}) is notebook JSON surgery, also in Python. This package turns their CSV results into tables
 * (Tablesaw) and charts (XChart). It is not the check API students call ({@code cnnlab.check}).
 */
package cnnlab.grade;
