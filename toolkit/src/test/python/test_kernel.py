#!/usr/bin/env python3
"""The cnnlab kernel in a live session, as a student drives it: `./cnnlab test` runs this.

Each test talks to a real "Java (cnnlab)" kernel through jupyter_client: the stop button (an interrupt) must end
the cell and leave a kernel that still runs cells, with its variables; Run All must stop at the first error; a
compile error must be shown and the cell must finish; the toolkit's own errors are written once, without its stack
frames.

Run: JUPYTER_PATH=build/jupyter /usr/bin/python3 toolkit/src/test/python/test_kernel.py [-v]
"""
import os
import queue
import re
import signal
import sys
import time
import unittest
from pathlib import Path

from jupyter_client import KernelManager

ROOT = Path(__file__).resolve().parents[4]
JAR = ROOT / "toolkit/target/cnnlab-toolkit.jar"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class Kernel:
    def __init__(self):
        os.environ.setdefault("JUPYTER_PATH", str(ROOT / "build/jupyter"))
        self.km = KernelManager(kernel_name="cnnlab")
        self.km.start_kernel(cwd=str(ROOT / "notebooks"))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=90)

    def submit(self, code):
        return self.kc.execute(code)

    def reply_status(self, msg_id, timeout):
        """The status of the cell's execute reply ("ok", "error", "aborted"), or None on timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                reply = self.kc.get_shell_msg(timeout=0.5)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]["status"]
        return None

    def finish(self, msg_id, timeout):
        """The cell's reply status and everything it showed (text, results, errors), or None on timeout."""
        shown, status = [], self.reply_status(msg_id, timeout)
        # the outputs come on iopub; take what is there for this cell
        end = time.time() + 2
        while time.time() < end:
            try:
                m = self.kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if status is not None:
                    break
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            c = m["content"]
            if m["msg_type"] == "stream":
                shown.append(c["text"])
            elif m["msg_type"] in ("execute_result", "display_data"):
                shown.append(c["data"].get("text/plain", ""))
            elif m["msg_type"] == "error":
                shown.append("\n".join(c["traceback"]))
        return status, ANSI.sub("", "".join(shown))

    def run(self, code, timeout=60):
        return self.finish(self.submit(code), timeout)

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class KernelSessionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()
        status, cls.jars_shown = cls.k.run(f"%jars {JAR.parent}/../target/{JAR.name}")
        assert status == "ok", status
        status, text = cls.k.run("import cnnlab.*; import cnnlab.ops.*; import cnnlab.nn.*;\n"
                                 "import org.nd4j.linalg.factory.Nd4j;\ncnnlab.notebook.Notebook.setup();\n"
                                 "int marker = 41;")
        assert status == "ok", text

    @classmethod
    def tearDownClass(cls):
        cls.k.stop()

    def interrupted(self, code, after=2.0, timeout=20):
        msg_id = self.k.submit(code)
        time.sleep(after)
        started = time.time()
        self.k.km.interrupt_kernel()
        status, text = self.k.finish(msg_id, timeout)
        return status, text, time.time() - started

    def assertAlive(self):
        status, text = self.k.run("marker + 1", timeout=20)
        self.assertEqual("ok", status, "the kernel still runs cells after the interrupt: " + text)
        self.assertIn("42", text, "and keeps its variables")

    def test_0_an_interrupt_while_idle_changes_nothing(self):
        self.k.km.interrupt_kernel()
        time.sleep(1)
        self.assertAlive()

    def test_1_an_interrupted_sleep_ends_its_cell_and_the_kernel_goes_on(self):
        status, text, took = self.interrupted("Thread.sleep(60_000);")
        self.assertEqual("error", status, text)
        self.assertIn("InterruptedException", text)
        self.assertLess(took, 5, "ends at once")
        self.assertAlive()

    def test_6_arrays_of_numbers_show_their_values(self):
        self.assertEqual(("ok", "[1, 3, 4, 4]"), self.k.run("Nd4j.zeros(1, 3, 4, 4).shape()"))
        self.assertEqual(("ok", "[2, 0, 1]"), self.k.run("new int[] {2, 0, 1}"))

    def test_6c_a_near_miss_of_a_toolkit_name_gets_the_name(self):
        status, text = self.k.run('cnnlab.viz.Images.sampleGray("camera")')
        self.assertEqual("error", status)
        self.assertIn("cannot find symbol", text, "javac's message stays")
        self.assertIn("Images has no method sampleGray: did you mean sampleGrey? (the toolkit spells grey", text)

    def test_6a_lists_and_maps_show_as_in_jshell(self):
        self.assertEqual(("ok", "[1, 2]"), self.k.run("List.of(1, 2)"))
        self.assertEqual(("ok", "{a=1}"), self.k.run('Map.of("a", 1)'))   # was an error of the kernel's own

    def test_6b_a_declaration_using_something_undeclared_gets_a_note_and_its_check_says_why(self):
        status, text = self.k.run("class MyConv3 { static double[][][] conv2d(double[][][] x, double[][][][] w,"
                                  " double[] b, ConvParams p) { return helper(x); } }")
        self.assertEqual("ok", status)
        self.assertIn("note: MyConv3 is declared, but it cannot be used until method helper(double[][][]) is"
                      " declared", text)
        status, text = self.k.run("cnnlab.check.Check.lab1.conv2d(MyConv3::conv2d)")
        self.assertIn("calls a method or class that is not declared yet", text)

    BUSY = ("Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(\"Engine-thread-\")"
            " && t.getState() == Thread.State.RUNNABLE).count()")

    def test_7_a_loop_that_ignores_interrupts_is_stopped_after_the_grace_period(self):
        status, text, took = self.interrupted("long spins = 0; while (true) { spins++; }")
        self.assertEqual("error", status, text)
        self.assertIn("Stopped:", text)
        self.assertIn("did not end within 3 s of the stop button", text)
        self.assertLess(took, 10, text)
        self.assertAlive()
        time.sleep(0.5)
        self.assertEqual(("ok", "1"), self.k.run(self.BUSY), "no cell thread left spinning but the one asking")

    def test_8_every_statement_of_a_cell_is_stopped_and_printing_does_not_break(self):
        # each statement runs as a task of its own, and the loop prints while the interrupt is pending
        spin = "for (long t = System.nanoTime(); System.nanoTime() - t < 300_000_000L; ) { }\n"
        cell = "System.out.println(\"start\");\n" + spin * 40 + (
            "while (true) { System.out.println(\"tick\");"
            " for (long t = System.nanoTime(); System.nanoTime() - t < 50_000_000L; ) { } }")
        status, text, took = self.interrupted(cell, after=1)
        self.assertEqual("error", status, text[-500:])
        self.assertLess(took, 10, text[-500:])
        self.assertNotIn("ZMQException", text)
        self.assertAlive()

    def test_9_a_stack_overflow_shows_its_ends_not_a_thousand_frames(self):
        self.assertEqual("ok", self.k.run("int down(int n) { return down(n + 1); }")[0])
        status, text = self.k.run("down(0)")
        self.assertEqual("error", status)
        self.assertIn("StackOverflowError", text)
        self.assertIn("more lines", text)
        self.assertLess(text.count("\n"), 100, text[:2000])

    def reply_status(self, msg_id, timeout=30):
        return self.k.reply_status(msg_id, timeout)

    def test_2_run_all_stops_at_the_first_error(self):
        # Run All: Jupyter sends every cell at once; those queued behind a failed cell are aborted, as IPython does
        ids = [self.k.submit('throw new IllegalStateException("first");'), self.k.submit("int skipped = 1;"),
               self.k.submit("skipped + 1")]
        self.assertEqual(["error", "aborted", "aborted"], [self.reply_status(i) for i in ids])
        status, text = self.k.run("skipped", timeout=20)
        self.assertEqual("error", status, "the aborted cells never ran")
        self.assertIn("cannot find symbol", text)
        # a cell sent after the error's reply runs, however soon (a script, or a student's next cell)
        failed = self.k.submit('throw new IllegalStateException("again");')
        self.assertEqual("error", self.reply_status(failed))
        self.assertEqual("ok", self.reply_status(self.k.submit("int ranAfter = 2;")))
        # without stop_on_error (nbclient going on after errors, as the grader does) every cell runs
        ids = [self.k.kc.execute('throw new IllegalStateException("third");', stop_on_error=False),
               self.k.kc.execute("int ranToo = 3;", stop_on_error=False)]
        self.assertEqual(["error", "ok"], [self.reply_status(i) for i in ids])
        self.assertAlive()

    def test_3_an_interrupted_fit_stops_between_two_steps_and_keeps_the_network(self):
        setup = ("var x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2000, 1, 28, 28);\n"
                 "int[] y = new int[2000];\n"
                 "Sequential net = LeNet5.create(Activation.RELU, 1);")
        self.assertEqual("ok", self.k.run(setup)[0])
        status, text, took = self.interrupted(
            "var h = Trainer.fit(net, new Adam(1e-3), x, y, FitParams.of(50, 16));", after=4)
        self.assertEqual("error", status, text)
        self.assertIn("Trainer.fit: stopped by an interrupt in epoch", text)
        self.assertIn("hint: fit again", text)
        self.assertLess(took, 5, text)
        status, predicted = self.k.run("net.predict(x).length")
        self.assertEqual(("ok", "2000"), (status, predicted.strip()))
        # the epochs the stopped fit finished, for the plot the next cell makes of its unassigned history
        status, rows = self.k.run("net.history().rowCount()")
        self.assertEqual("ok", status, rows)
        self.assertIn("net.history() the %s before" % ("epoch" if rows.strip() == "1" else rows.strip() + " epochs")
                      if rows.strip() != "0" else "no epoch had finished", text)
        self.assertAlive()

    def test_4_a_method_reference_of_the_wrong_type_is_a_compile_error_not_a_hang(self):
        self.assertEqual("ok", self.k.run(
            "class MyConv { static double[][][] conv2d(float[][][] x, double[][][][] w, double[] b, ConvParams p)"
            " { return null; } }")[0])
        status, text = self.k.run("cnnlab.check.Check.lab1.conv2d(MyConv::conv2d)", timeout=30)
        self.assertEqual("error", status, "the cell finishes")
        self.assertIn("Compile error", text)
        self.assertIn("MyConv::conv2d", text, "with the cell's code")
        self.assertAlive()

    def test_4b_a_cell_using_a_class_that_did_not_compile_says_so(self):
        status, text = self.k.run("class MySizes9 { static int size(double x) { return Math.floor(x) + 1; } }")
        self.assertEqual("error", status)
        self.assertIn("lossy conversion", text)
        status, text = self.k.run("MySizes9.size(2.5)")
        self.assertEqual("error", status)
        self.assertIn("MySizes9 did not compile: fix the cell that declares it", text)
        status, text = self.k.run("Math.max(nothingHere, 1)")
        self.assertNotIn("did not compile", text, "a name never declared is javac's own error")

    def test_4c_a_check_after_an_exercise_cell_that_stopped_compiling_does_not_grade_the_old_class(self):
        good = ("// ✏️ lab1 ex1\nclass MySizes8 {\n    static int outputSize(int i, int k, int s, int p) {\n"
                "        return (i + 2 * p - k) / s + 1;\n    }\n}")
        check = "cnnlab.check.Check.lab1.outputSize(MySizes8::outputSize)"
        self.assertEqual("ok", self.k.run(good)[0])
        self.assertIn("all 6 public cases passed", self.k.run(check)[1])
        status, text = self.k.run(good.replace("+ 1;", "+ 1"))   # edited, and a ';' lost
        self.assertEqual("error", status)
        status, text = self.k.run(check)
        self.assertIn("not checked: the ✏️ lab1 ex1 cell did not compile when it last ran", text)
        self.assertNotIn("passed", text)
        self.assertEqual("ok", self.k.run(good)[0])
        self.assertIn("all 6 public cases passed", self.k.run(check)[1])
        # a stray statement that does not compile leaves the cell's class new: its check runs
        status, text = self.k.run(good.replace("+ 1;", "+ 2;") + "\nint leftover = undefinedThing;")
        self.assertEqual("error", status)
        self.assertIn("0 of 6 public", self.k.run(check)[1], "the new, wrong class is what the check ran")

    def test_5_the_toolkits_own_errors_are_written_once_without_its_frames(self):
        status, text = self.k.run("var w = Nd4j.zeros(2, 3, 3, 3);\nCnn.conv2d(null, w, null, ConvParams.of(1, 0))")
        self.assertEqual("error", status)
        self.assertEqual(1, text.count("conv2d: input is null"), text)
        self.assertIn("IllegalArgumentException: conv2d: input is null", text)
        self.assertNotIn("at cnnlab.", text, "no toolkit frames")
        self.assertIn("Cnn.conv2d(null, w, null", text, "the cell line that made the call")
        # ND4J's own, likewise: its message and the cell line, not BaseNDArray's frames
        status, text = self.k.run("var six = Nd4j.zeros(2, 3);\nsix.reshape(4, 4)")
        self.assertEqual("error", status)
        self.assertIn("ND4JIllegalStateException: New shape length doesn't match original length", text)
        self.assertNotIn("at org.nd4j.", text, "no ND4J frames")
        self.assertIn("six.reshape(4, 4)", text, "the cell line that made the call")
        # a student's own exception keeps its frames, which point into the student's code
        status, text = self.k.run("int[] a = new int[2];\nint bad(int[] v) { return v[5]; }\nbad(a)")
        self.assertEqual("error", status)
        self.assertIn("ArrayIndexOutOfBoundsException", text)
        self.assertIn("return v[5]", text, text)
        # a helpful NullPointerException names the variable as declared, not JShell's class around it
        status, text = self.k.run("String nothing = null;\nnothing.length()")
        self.assertIn('because "nothing" is null', text)
        # and inside a student's method, its local variables by name (the cells are compiled with -g)
        status, text = self.k.run("class MyRows { static double[][] rows(int n) { double[][] dx = new double[n][];"
                                  " for (int r = 0; r < n; r++) { dx[r][0] = 1; } return dx; } }\nMyRows.rows(2)")
        self.assertIn('because "dx[r]" is null', text)
        status, text = self.k.run("class MyCache { static int[] cache; static int first() { return cache[0]; } }\n"
                                  "MyCache.first()")
        self.assertIn('because "MyCache.cache" is null', text)

    def test_5b_jars_adds_without_a_word_and_says_how_to_build_a_missing_toolkit(self):
        self.assertEqual("", self.jars_shown, "as IJava: no green 'Add ... to classpath' line")
        status, text = self.k.run("%jars ../no-such-folder/../toolkit/target-missing/cnnlab-toolkit.jar")
        self.assertEqual("error", status)
        self.assertIn(f"no such file: {ROOT}/toolkit/target-missing/cnnlab-toolkit.jar", text, "the path, whole")
        self.assertIn(f"The toolkit is built, at {ROOT}/toolkit/target/cnnlab-toolkit.jar: this cell's path does not"
                      " lead there", text)
        status, text = self.k.run(f"%%jars\n{JAR.parent}\n")
        self.assertEqual(("ok", ""), (status, text), "a folder's jars, in a cell")
        self.assertAlive()


class FirstCellsTest(unittest.TestCase):
    def test_a_cell_run_before_the_jars_or_imports_cell_says_which_to_run(self):
        k = Kernel()
        try:
            status, text = k.run("import cnnlab.*;")
            self.assertEqual("error", status)
            self.assertIn("The toolkit is not on the class path yet: run the notebook's first cell (%jars", text)
            status, text = k.run(f"%jars {JAR}")
            self.assertEqual("ok", status, text)
            status, text = k.run("Plots.relu()")
            self.assertIn("Plots is not imported: run the notebook's imports cell (near its top), or add import "
                          "cnnlab.viz.Plots;", text)
            status, text = k.run("class Plots2 { int x = undeclared; }")
            self.assertNotIn("not imported", text, "a name of the student's own gets javac's message alone")
        finally:
            k.stop()


class LocaleTest(unittest.TestCase):
    def test_numbers_read_as_in_the_notebooks_on_a_german_machine(self):
        # a JVM in German wrote 3,25 in heat maps and tables beside the text's 3.25; its messages stay German
        old = os.environ.get("JAVA_TOOL_OPTIONS")
        os.environ["JAVA_TOOL_OPTIONS"] = "-Duser.language=de -Duser.country=DE"
        try:
            k = Kernel()
        finally:
            if old is None:
                os.environ.pop("JAVA_TOOL_OPTIONS")
            else:
                os.environ["JAVA_TOOL_OPTIONS"] = old
        try:
            status, text = k.run('System.out.println(String.format("%.2f %,d", 3.25, 1000) + " "'
                                 ' + java.util.Locale.getDefault() + " " + java.nio.charset.Charset.defaultCharset());')
            self.assertEqual("ok", status, text)
            self.assertIn("3.25 1,000 de_DE UTF-8", text)
        finally:
            k.stop()


class BackgroundStartTest(unittest.TestCase):
    """A Jupyter started in the background (nohup, `&` in a script) passes SIGINT on as ignored; the stop button
    must still reach the cell."""

    def test_the_stop_button_works_when_sigint_was_ignored_at_start(self):
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the kernel, as from a background job
        try:
            k = Kernel()
        finally:
            signal.signal(signal.SIGINT, before)
        try:
            msg_id = k.submit("Thread.sleep(60_000);")
            time.sleep(2)
            started = time.time()
            k.km.interrupt_kernel()
            status, text = k.finish(msg_id, 20)
            self.assertEqual("error", status, text)
            self.assertIn("InterruptedException", text)
            self.assertLess(time.time() - started, 5)
        finally:
            k.stop()


if __name__ == "__main__":
    unittest.main()
