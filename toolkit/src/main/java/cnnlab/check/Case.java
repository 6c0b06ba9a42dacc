package cnnlab.check;

import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One case of a check: how it is described, its inputs written out (shown only for public cases), the call of the
 * student's function (on fresh copies of the inputs), and how its result is judged.
 *
 * @param label   what the case exercises, e.g. {@code "stride 2, padding 1, 2 channels"}: the only thing a hidden
 *                case ever shows
 * @param inputs  the inputs written out, for public cases
 * @param call    calls the student's function
 * @param judge   null when the returned value is right, else what is wrong
 */
record Case(String label, String inputs, Callable<Object> call, Function<Object, Compare.Mismatch> judge) {
}
