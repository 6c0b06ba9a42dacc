#!/usr/bin/env python3
"""Release and grading, end to end on a fabricated class: `./cnnlab test` runs this (after `./cnnlab setup`).

The class is made from the released fixture lab (toolkit/src/test/resources/grade/lab-exercises/lab0-fixture:
2 exercises, 4 points each) with one student per way a submission can go wrong, plus a fully correct and a
half-correct one. Every student's points and status are asserted, then: the gradebook has a row for each, the
feedback pages hold no hidden input, no kernel JVM is left, a rerun reuses every result and writes the same
gradebook, and two shards merged give the same grades as one run. If lab-exercises/ holds the real labs, their
release is graded as an untouched submission: every notebook must run end to end with every check
"not attempted".

Run: JUPYTER_PATH=build/jupyter /usr/bin/python3 toolkit/src/test/python/test_grade.py [-v]
"""
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[4]
PY = ROOT / "toolkit/src/main/python"
sys.path.insert(0, str(PY))
import grade  # noqa: E402
import labnb  # noqa: E402
import release  # noqa: E402

FIXTURE = ROOT / "toolkit/src/test/resources/grade/lab-exercises"
JAR = ROOT / "toolkit/target/cnnlab-toolkit.jar"
LIMITS = ["--cell-seconds", "6", "--notebook-seconds", "45", "--check-seconds", "2", "--memory-mb", "800"]
SEED = "20261128"
RUN = f"test{os.getpid()}"  # this test's graders' token (CNNLAB_GRADE_RUN): their processes, not another grader's
STUB1 = 'throw new UnsupportedOperationException("lab0 ex1: not implemented yet");'
STUB2 = 'throw new UnsupportedOperationException("lab0 ex2: not implemented yet");'
ADD, LARGER = "return a + b;", "return Math.max(a, b);"


def code(text, **cnnlab):
    return {"cell_type": "code", "execution_count": None, "metadata": {"cnnlab": cnnlab} if cnnlab else {},
            "outputs": [], "source": text}


def fill(nb, ex1=ADD, ex2=LARGER):
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell["source"] = labnb.source(cell).replace(STUB1, ex1).replace(STUB2, ex2)
    return nb


def insert_after_check(nb, check, *cells):
    nb = json.loads(json.dumps(nb))
    at = next(i for i, c in enumerate(nb["cells"]) if labnb.meta(c).get("check") == check)
    nb["cells"][at + 1:at + 1] = list(cells)
    return nb


def fabricate(released, folder, port=None):
    """The class: {student: (expected points, expected status)}; notebooks written under folder. A snooping
    student also tries to connect to 127.0.0.1:port, where the test listens, when a port is given."""
    nb = json.loads(released.read_text())
    fake = ('java.nio.file.Files.writeString(java.nio.file.Path.of(System.getenv("CNNLAB_RESULTS")), '
            '"{\\"exercise\\":\\"%s\\",\\"points\\":4,\\"max\\":4,\\"status\\":\\"passed\\"}\\n", '
            'java.nio.file.StandardOpenOption.APPEND);')
    tampered = fill(nb, ex1="return 0;", ex2='System.out.println("LEAK " + a + " " + b); return Math.max(a, b);')
    for cell in tampered["cells"]:
        if labnb.meta(cell).get("check") == "lab0 ex1":
            cell["source"] = fake % "lab0 ex1"
    tampered = insert_after_check(tampered, "lab0 ex1", code(fake % "lab0 ex2"))
    other_lab = {"cells": [code("%jars x.jar"), code("int y = 1;", exercise="lab5 ex1"),
                           code("Check.lab5.gabor(G::gabor)", check="lab5 ex1", points=6)],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    native_hog = ('var f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true);\n'
                  'var u = (sun.misc.Unsafe) f.get(null);\n'
                  'while (true) { long p = u.allocateMemory(1 << 26); u.setMemory(p, 1 << 26, (byte) 1); }')
    # reads what a kernel must not see (the solutions, the class's seed) and overwrites a classmate's notebook
    # the solutions' source, the test classes' working answers beside the jars, the seed, a classmate's notebook
    unseen = [FIXTURE / "lab0-fixture.ipynb", ROOT / "toolkit/target/test-classes/cnnlab/check/Students.class",
              folder.parent / "out" / "seed.txt", folder / "half" / "lab0-fixture.ipynb"]
    snoop = ('String seen = "";\n'
             'for (String f : new String[] {%s}) {\n'
             '    try { seen += "READ " + java.nio.file.Files.readAllBytes(java.nio.file.Path.of(f)).length + "; "; }\n'
             '    catch (Exception e) { seen += e.getClass().getSimpleName() + "; "; }\n'
             '}\n'
             'try { java.nio.file.Files.writeString(java.nio.file.Path.of("%s"), "{}"); seen += "WROTE; "; }\n'
             'catch (Exception e) { seen += e.getClass().getSimpleName() + "; "; }\n'
             'try (var s = new java.net.Socket("127.0.0.1", %d)) { seen += "CONNECTED; "; }\n'
             'catch (Exception e) { seen += e.getClass().getSimpleName() + "; "; }\n'
             'throw new IllegalStateException("snooped: " + seen);'
             % (", ".join(f'"{f}"' for f in unseen), folder / "half" / "lab0-fixture.ipynb", port or 9))
    emptied = fill(nb)
    for cell in emptied["cells"]:
        if labnb.meta(cell).get("exercise") == "lab0 ex2":
            cell["source"] = "\n"                       # the ✏️ cell cleared: its class is gone, not broken
    students = {
        "correct": (fill(nb), 8, "graded"),
        "emptied": (emptied, 4, "graded"),
        "snoop": (insert_after_check(fill(nb), "lab0 ex1", code(snoop)), 8, "graded"),
        "half": (fill(nb, ex2="return Integer.MIN_VALUE;"), 4, "graded"),
        "untouched": (nb, 0, "graded"),
        "compile": (fill(nb, ex1="return a + ;"), 4, "graded"),
        "throws": (fill(nb, ex1='throw new IllegalStateException("oops");'), 4, "graded"),
        "loop-check": (fill(nb, ex1="while (true) { }"), 4, "graded"),
        "loop-cell": (insert_after_check(fill(nb), "lab0 ex1", code("while (true) { }")), 8, "graded"),
        "exit": (insert_after_check(fill(nb), "lab0 ex1", code("System.exit(0);")), 4, "kernel died"),
        "exit-last": (insert_after_check(fill(nb), "lab0 ex2", code("System.exit(0);")), 8, "graded"),
        "oom-heap": (insert_after_check(fill(nb), "lab0 ex1", code(
            "void hog() { var l = new java.util.ArrayList<long[]>(); while (true) l.add(new long[1 << 20]); }\nhog();")),
            8, "graded"),
        "oom-native": (insert_after_check(fill(nb), "lab0 ex1", code(native_hog)), 4, "out of memory"),
        "slow": (insert_after_check(fill(nb), "lab0 ex1", *[code("Thread.sleep(4000);") for _ in range(12)]),
                 4, "timeout"),
        # prints until its cell limit, which the kernel's timeout does not show as an error output
        "flood": (insert_after_check(fill(nb), "lab0 ex1", code('long n = 0; while (true) System.out.println('
                                                                  '"flood ".repeat(2000) + n++);')), 8, "graded"),
        "forger": (fill(nb, ex1="try { " + fake % "lab0 ex1" + " } catch (Exception e) { } return 0;"), 4, "graded"),
        "tamper": (tampered, 4, "graded"),
        "shadow": (insert_after_check(fill(nb, ex1="return 0;"), "lab0 ex1", code(
            "class FixtureCheck { static String run(String e, int m, IntBinaryOperator f, IntBinaryOperator r) {\n"
            "    return \"all passed\"; } }")), 0, "flagged"),
        "halt": (fill(nb, ex1="try { " + fake % "lab0 ex1" + " } catch (Exception e) { } Runtime.getRuntime().halt(0); return 0;"),
                 0, "kernel died"),
        "invalid": ("{ this is not a notebook", 0, "invalid notebook"),
        "empty": ("", 0, "invalid notebook"),
        "not-cells": (json.dumps({"cells": [{"cell_type": "code", "source": [1, 2]}]}), 0, "invalid notebook"),
        "other-lab": (other_lab, 0, "different lab"),
        "missing": (None, 0, "missing"),
        "Missing ": (None, 0, "missing"),  # looks like "missing" in a gradebook: the run says so
        # named for nothing, but its cells are lab0's: graded, with a note
        "misnamed": ({"Untitled.ipynb": fill(nb)}, 8, "graded"),
        "loosely-named": ({"Lab0 Fixture - Gus.ipynb": fill(nb)}, 8, "graded"),
        # a notebook of no lab at all is not taken for one
        "elsewhere": ({"Untitled.ipynb": {"cells": [code("int x = 1;")], "metadata": {}, "nbformat": 4,
                                          "nbformat_minor": 5}}, 0, "missing"),
        # a browser's second download beside the file: the exact name is graded, the copy is noted
        "copies": ({"lab0-fixture.ipynb": fill(nb, ex2="return Integer.MIN_VALUE;"),
                    "lab0-fixture (1).ipynb": fill(nb)}, 4, "graded"),
        "upper-case": ({"Lab0-Fixture.ipynb": fill(nb)}, 8, "graded"),
        # the release untouched under the lab's name, the work in a browser's second download: the work is graded
        "worked-copy": ({"lab0-fixture.ipynb": nb, "lab0-fixture (1).ipynb": fill(nb)}, 8, "graded"),
        # saved by an editor that writes a byte-order mark first
        "bom": ("\ufeff" + json.dumps(fill(nb)), 8, "graded"),
    }
    expected = {}
    for student, (content, points, status) in students.items():
        d = folder / student
        d.mkdir(parents=True)
        if content is None:
            (d / "notes.txt").write_text("I will hand it in tomorrow")
        elif isinstance(content, dict) and "cells" not in content:  # files under other names
            for name, nb_ in content.items():
                (d / name).write_text(json.dumps(nb_))
        else:
            (d / "lab0-fixture.ipynb").write_text(content if isinstance(content, str) else json.dumps(content),
                                                  encoding="utf-8")
        expected[student] = (points, status)
    return expected


def run_grade(subs, out, *extra, timeout=900, **more_env):
    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "build/jupyter"), CNNLAB_GRADE_RUN=RUN, **more_env)
    env.pop("CNNLAB_GRADE_SEED", None)
    cmd = [sys.executable, str(PY / "grade.py"), str(subs), "--out", str(out), "--source", str(FIXTURE),
           "--release", str(out / "no-release"), "--jar", str(JAR),
           "--jobs", "2", *LIMITS, *extra]
    started = time.time()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, env=env)
    return done, time.time() - started


def gradebook_rows(out):
    with open(out / "gradebook.csv", newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


class HelpersTest(unittest.TestCase):
    def test_a_long_error_keeps_its_diagnostic(self):
        echoed = "\n".join(f"|  line {i} of the student's cell" for i in range(60))
        text = "CompilationException: \n" + echoed + "\n';' expected"
        short = grade.shortened(text, 600)
        self.assertLessEqual(len(short), 600)
        self.assertTrue(short.startswith("CompilationException"), short)
        self.assertTrue(short.endswith("';' expected"), short)
        self.assertEqual("short", grade.shortened("short", 600))

    def test_a_compile_error_keeps_its_line_and_leaves_out_the_cells_other_lines(self):
        dim, bold, end = "\x1b[0m\x1b[1;30m", "\x1b[0m\x1b[1m", "\x1b[0m"
        context = [f"{dim}|    int line{i} = {i};{end}" for i in range(40)]
        cell = {"outputs": [{"output_type": "error", "ename": "CompilerException", "evalue": "", "traceback": [
            "\x1b[1m\x1b[31mCompile error:\x1b[0m", *context, f"{bold}|    double sum = b[k]{end}",
            f"{bold}                      ^{end}", *context, "\x1b[1m\x1b[34m';' expected\x1b[0m"]}]}
        self.assertEqual("CompilerException\nCompile error:\n|    …\n|    double sum = b[k]\n"
                         "                      ^\n|    …\n';' expected", grade.cell_error(cell))
        # javac's other errors mark the span with a background colour, which becomes »...«
        cell["outputs"][0]["traceback"] = ["\x1b[1m\x1b[31mCompile error:\x1b[0m",
                                           f"{bold}|    Check.lab1.conv2d(\x1b[0m\x1b[1m\x1b[48;2;235;145;148mMyConv"
                                           f"{end}\x1b[1m::conv2d){end}", "\x1b[1m\x1b[34mcannot find symbol\x1b[0m"]
        self.assertIn("|    Check.lab1.conv2d(»MyConv«::conv2d)", grade.cell_error(cell))
        # javac's line before its details, when they alone would fill the note (one per overload)
        overloads = [f"\x1b[1m\x1b[34m    method cnnlab.check.JavaArrays.toINDArray(double[]{'[]' * (i % 4)}) is not "
                     f"applicable\x1b[0m\n      (argument mismatch; float[][][] cannot be converted to double[])"
                     for i in range(12)]
        cell["outputs"][0]["traceback"] = ["\x1b[1m\x1b[31mCompile error:\x1b[0m",
                                           f"{bold}|    Images.toImage(JavaArrays.toINDArray(y)){end}",
                                           f"{bold}                   ^{end}",
                                           "\x1b[1m\x1b[34mno suitable method found for toINDArray(float[][][])\x1b[0m",
                                           *overloads]
        note = grade.cell_error(cell)
        self.assertIn("^\nno suitable method found for toINDArray(float[][][])\n…", note)
        self.assertLessEqual(len(note), 600)

    def test_paths_typed_to_the_launcher_are_from_where_they_were_typed(self):
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "class").mkdir()
            saved = os.environ.get("CNNLAB_CALLER_DIR")
            os.environ["CNNLAB_CALLER_DIR"] = tmp
            try:
                self.assertEqual(Path(tmp) / "out", labnb.from_caller("out"))
                self.assertEqual(Path(tmp) / "class", labnb.from_caller("class", only_if_there=True))
                self.assertEqual(Path("lab-exercises"), labnb.from_caller("lab-exercises", only_if_there=True),
                                 "not there: from the cnnlab folder, as before")
                self.assertEqual(Path("/abs"), labnb.from_caller("/abs"))
            finally:
                if saved is None:
                    os.environ.pop("CNNLAB_CALLER_DIR")
                else:
                    os.environ["CNNLAB_CALLER_DIR"] = saved

    def test_the_checks_digest_follows_the_code_not_its_layout(self):
        with tempfile.TemporaryDirectory() as tmp:
            f = Path(tmp) / "Lab1Checks.java"
            f.write_text("class Lab1Checks {\n    int cases = 3; // three\n}\n")
            a = grade.checks_digest(tmp)
            f.write_text("/** the checks */\nclass Lab1Checks {\n  int cases\n      = 3;   // three cases\n}\n")
            self.assertEqual(a, grade.checks_digest(tmp), "comments and line breaks")
            f.write_text("class Lab1Checks {\n    int cases = 4;\n}\n")
            self.assertNotEqual(a, grade.checks_digest(tmp), "a fixed check")
            self.assertEqual("no check sources", grade.checks_digest(Path(tmp) / "none"))
            # one lab's digest: its own checks and what every lab shares, not another lab's checks
            (Path(tmp) / "Lab2Checks.java").write_text("class Lab2Checks {}\n")
            (Path(tmp) / "Exercise.java").write_text("class Exercise {}\n")
            lab1, lab2 = grade.checks_digest(tmp, "lab1"), grade.checks_digest(tmp, "lab2")
            f.write_text("class Lab1Checks {\n    int cases = 5;\n}\n")
            self.assertNotEqual(lab1, grade.checks_digest(tmp, "lab1"), "lab1's fixed check regrades lab1")
            self.assertEqual(lab2, grade.checks_digest(tmp, "lab2"), "and not lab2")
            (Path(tmp) / "Exercise.java").write_text("class Exercise { int limit; }\n")
            self.assertNotEqual(lab2, grade.checks_digest(tmp, "lab2"), "a change every lab shares regrades all")
        self.assertNotEqual("no check sources", grade.checks_digest(), "the toolkit's own are found")

    def test_results_from_before_per_lab_digests_stand_while_nothing_changed(self):
        lab = labnb.load_labs(FIXTURE)[0]
        args = SimpleNamespace(checks={}, whole_checks=grade.checks_digest(), seed=None, cell_seconds=60,
                               notebook_seconds=600, memory_mb=1536, check_seconds=10)
        self.assertTrue(grade.unchanged_checks(args, lab, grade.checks_digest(lab="lab0")))
        self.assertTrue(grade.unchanged_checks(args, lab, args.whole_checks), "the package's digest, recorded before")
        self.assertFalse(grade.unchanged_checks(args, lab, "an older package"))
        self.assertFalse(grade.unchanged_checks(args, lab, None))
        old = dict(graded_from=dict(notebook="missing", checks=lab.fingerprint(), lab_checks=args.whole_checks))
        self.assertIsNone(grade.changed_since(old, lab, None, args))
        self.assertNotEqual(grade.key_of(args, lab, None, 1), grade.key_of(args, lab, None, 1, args.whole_checks))

    def test_a_notebook_named_loosely_for_a_lab_is_that_labs(self):
        for name in ("Lab1 Convolution - Gus.ipynb", "lab 1.ipynb", "LAB_1_final.ipynb", "lab1-draft.ipynb",
                     "lab01.ipynb"):
            self.assertEqual("lab1", grade.named_lab(name), name)
        for name in ("lab12.ipynb", "Untitled.ipynb", "my lab1.ipynb", "labs.ipynb"):
            self.assertNotEqual("lab1", grade.named_lab(name), name)

    def test_names_that_differ_only_in_case_or_spaces_are_named(self):
        self.assertEqual([["Bo Li", "bo  li"], ["abe", "abe "]],
                         grade.lookalikes(["abe", "cy", "bo  li", "abe ", "Bo Li", "abel"]))
        self.assertEqual([], grade.lookalikes(["abe", "abel", "ab e"]))
        self.assertEqual([["Jose\u0301", "Jos\u00e9"]], grade.lookalikes(["Jos\u00e9", "Jose\u0301"]), "é; e + accent")

    def test_a_check_that_cannot_find_a_class_names_the_cell_that_did_not_compile(self):
        err = ("CompilerException\nCompile error:\n|    Check.lab1.outputSize(»MySizes«::outputSize)\n"
               "cannot find symbol\n  symbol:   variable MySizes\n  location: class ")
        self.assertEqual(["MySizes", "Helper"], grade.declared_types(
            "class MySizes {\n  // uses class Other\n  String s = \"enum Nope\"; /* interface Gone */\n}\n"
            "record Helper(int a) {}"))
        self.assertEqual("cannot find symbol", grade.diagnostic(
            "CompilerException\nCompile error:\n|        return y + 1;\n               ^\ncannot find symbol\n"
            "  symbol:   variable y\n  location: class MySizes"), "the message, not its details")
        self.assertEqual("possible lossy conversion from double to int", grade.diagnostic(
            "CompilerException\nCompile error:\n|    …\n|        return Math.floor(x) + 1;\n"
            "              ^\n|    …\npossible lossy conversion from double to int"))
        cause = {"MySizes": ("cell 5", "possible lossy conversion from double to int")}
        self.assertEqual("MySizes did not compile (cell 5: possible lossy conversion from double to int); fix that "
                         "cell and this check runs", grade.not_compiled(err, cause))
        self.assertIsNone(grade.not_compiled(err, {"MySize": ("cell 5", "x")}), "another class")
        self.assertIsNone(grade.not_compiled("IllegalStateException: oops", cause))

    def test_a_file_that_is_not_a_notebook_is_named_by_its_kind(self):
        with tempfile.TemporaryDirectory() as d:
            pdf = Path(d) / "lab0-fixture.ipynb"
            pdf.write_bytes(b"%PDF-1.7\n\xe2\xe3\xcf\xd3")
            self.assertEqual("it is a PDF, renamed: hand in the .ipynb file that Jupyter saves (File ▸ Save)",
                             grade.disguised(pdf))
            pdf.write_text('<<<<<<< HEAD\n{"cells": []}')
            self.assertIn("conflict markers", grade.disguised(pdf))
            pdf.write_text('{"cells": []}')
            self.assertIsNone(grade.disguised(pdf))

    def test_a_cell_is_named_by_its_first_line_of_code(self):
        self.assertEqual("cell 7, ✏️ lab1 ex2", grade.cell_label(7, "double[][][] f() {}", "lab1 ex2"))
        self.assertEqual('cell 9 ("while (true) { }")', grade.cell_label(9, "// spin\n\nwhile (true) { }\n"))
        self.assertEqual('cell 3 ("int[] sizes = {1, 2, 3, 4, 5, 6, 7, 8,…")',
                         grade.cell_label(3, "/* sizes */ int[] sizes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};"))
        self.assertEqual("cell 4", grade.cell_label(4, "// nothing but a comment"))

    def test_code_written_below_its_check_is_named(self):
        lab = next(l for l in labnb.load_labs(FIXTURE) if l.id == "lab0")
        nb = json.loads(json.dumps(lab.nb))
        cells = nb["cells"]
        ex2 = next(i for i, c in enumerate(cells) if labnb.meta(c).get("exercise") == "lab0 ex2")
        check2 = next(i for i, c in enumerate(cells) if labnb.meta(c).get("check") == "lab0 ex2")
        cells.insert(check2, cells.pop(ex2))  # the ✏️ cell moved below its check
        cells.append(code("class Add { static int add(int a, int b) { return a + b; } }"))  # work below the stub
        _, notes = grade.assemble(lab, nb)
        self.assertIn(f"cell {check2 + 1}, ✏️ lab0 ex2, comes after its check (cell {check2}), which ran before it: "
                      "move it above the check", notes)
        check1 = next(i for i, c in enumerate(cells) if labnb.meta(c).get("check") == "lab0 ex1") + 1
        self.assertIn(f'cell {len(cells)} ("class Add {{ static int add(int a, int b…") declares Add again, below '
                      f"the check of lab0 ex1 (cell {check1}), which "
                      "graded the Add of the ✏️ lab0 ex1 cell: write your code in that cell", notes)
        # and once on the instructor's review list, where a row's count of notes alone would not show it
        self.assertIn("for the instructor: work of lab0 ex1, lab0 ex2 sits below its check, which ran before it; its "
                      "points may be lost to the order alone; review it", notes)

    def test_an_emptied_exercise_cell_is_not_attempted_only_when_its_class_is_what_is_missing(self):
        lab = next(l for l in labnb.load_labs(FIXTURE) if l.id == "lab0")
        released, _ = lab.release()
        nb = fill(released)
        ex2 = next(i for i, c in enumerate(nb["cells"]) if labnb.meta(c).get("exercise") == "lab0 ex2")
        nb["cells"][ex2]["source"] = "// I gave up\n/* maybe later */\n"
        emptied = grade.emptied_exercises(lab, nb)
        declared = grade.declared_types(labnb.source(next(c for c in lab.nb["cells"]
                                                          if labnb.meta(c).get("exercise") == "lab0 ex2")))
        self.assertEqual({"lab0 ex2": (ex2 + 1, declared)}, emptied)
        name = declared[0]
        self.assertTrue(grade.missing(f"cannot find symbol\n  symbol:   variable {name}", emptied["lab0 ex2"]))
        self.assertFalse(grade.missing("cannot find symbol\n  symbol:   variable FixtureCheck", emptied["lab0 ex2"]),
                         "the toolkit's own class missing is the grader's problem, not an empty cell")
        self.assertFalse(grade.missing(f"symbol: variable {name}", None), "an exercise whose cell is not empty")

    def test_the_instructors_notebook_handed_in_is_noted_for_the_instructor(self):
        lab = next(l for l in labnb.load_labs(FIXTURE) if l.id == "lab0")
        marked = [i + 1 for i, c in enumerate(lab.nb["cells"]) if "BEGIN SOLUTION" in labnb.source(c)]
        _, notes = grade.assemble(lab, json.loads(json.dumps(lab.nb)))
        self.assertEqual(2, len(marked))
        self.assertIn(f"for the instructor: cells {', '.join(map(str, marked))} still have the solution markers "
                      "(// BEGIN SOLUTION): this is the instructor's notebook, not the release; review it", notes)
        released, _ = lab.release()
        _, notes = grade.assemble(lab, fill(released))
        self.assertEqual([], [n for n in notes if n.startswith("for the instructor")], notes)

    def test_a_copy_with_more_written_than_the_one_graded_is_noted_for_the_instructor(self):
        lab = next(l for l in labnb.load_labs(FIXTURE) if l.id == "lab0")
        released, _ = lab.release()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            draft = fill(released, ex2=STUB2)             # the draft under the lab's name: ex1 only
            (folder / lab.path.name).write_text(json.dumps(draft))
            (folder / "lab0-fixture (1).ipynb").write_text(json.dumps(fill(released)))  # the finished copy
            notebook = grade.find_notebook(folder, lab)
            self.assertEqual(lab.path.name, notebook.name, "the file of the lab's name is graded")
            notes = grade.file_notes(folder, lab, notebook)
            self.assertIn("for the instructor: lab0-fixture (1).ipynb, not graded, has more exercises written than "
                          "lab0-fixture.ipynb (2 against 1): was the wrong copy handed in? Review it", notes)
            (folder / "lab0-fixture (1).ipynb").write_text(json.dumps(draft))
            self.assertEqual([], [n for n in grade.file_notes(folder, lab, notebook) if "instructor" in n])

    def test_an_exercise_calling_the_toolkit_is_noted_for_the_instructor_by_name(self):
        lab = next(l for l in labnb.load_labs(FIXTURE) if l.id == "lab0")
        nb = json.loads(json.dumps(lab.nb))
        ex1 = next(c for c in nb["cells"] if labnb.meta(c).get("exercise") == "lab0 ex1")
        ex1["source"] = ("class Add { // not Cnn.relu\n  static int add(int a, int b) {\n"
                         "    return (int) Shapes.convOutput(a, 1, 1, 0, 1) + b + KernelGrid.AUTO; } }")
        _, notes = grade.assemble(lab, nb)
        number = nb["cells"].index(ex1) + 1
        self.assertIn(f"for the instructor: cell {number}, an exercise, calls the toolkit's own ops "
                      "(Shapes.convOutput); review it", notes)
        self.assertEqual(["Gabor.kernel", "cnnlab.ops.PoolParams", "KernelGrid.normalised", "cnnlab.nn.LeakyReLU"],
                         grade.toolkit_used("var g = Gabor.kernel(5, 0, 4, 0, 2, 0.5); /* Cnn.conv2d */ "
                                            "cnnlab.ops.PoolParams p; f = KernelGrid::normalised;"
                                            " new cnnlab.nn.LeakyReLU(0.1)"))
        # strings are not code, a "//" inside one hides nothing, and pictures and conversions are not answers
        self.assertEqual(["Cnn.relu"], grade.toolkit_used('String u = "http://x"; y = Cnn.relu(x); '
                                                          'println("try Cnn.conv2d"); Images.toImage(y); '
                                                          'JavaArrays.toINDArray(z); int a = KernelGrid.AUTO;'))
        self.assertEqual([], grade.toolkit_used("Arrays.sort(v); double m = Math.max(a, b);"))
        self.assertEqual([], grade.toolkit_used("int o = Shapes.size(3);", {"Shapes"}), "the student's own Shapes")
        self.assertEqual(["Ops.reference"], grade.toolkit_used("var e = Ops.reference();"))
        # a cell the student added serves an exercise as well: an alias there is noted; the lab's own cells are not
        nb["cells"].insert(2, code("var E = Cnn.reference();"))
        _, notes = grade.assemble(lab, nb)
        self.assertIn("for the instructor: cell 3, which the student added, calls the toolkit's own ops "
                      "(Cnn.reference); review it", notes)
        for real in labnb.load_labs(ROOT / "lab-exercises"):   # their own cells call the toolkit to draw, to compare
            released, _ = real.release()
            self.assertEqual([], [n for n in grade.assemble(real, released)[1] if "toolkit" in n], real.name)

    def test_a_whole_class_in_one_folder_is_named_as_an_lms_download(self):
        import contextlib
        import io
        subs = Path(tempfile.mkdtemp())
        for user in ("jdoe", "asmith", "bwong"):  # Canvas, flat; Blackboard, in one folder
            (subs / f"{user}_123_456_lab0-fixture.ipynb").write_text("{}")
            (subs / "gradebook_export").mkdir(exist_ok=True)
            (subs / "gradebook_export" / f"Lab0_{user}_attempt_2026-11-20_lab0-fixture.ipynb").write_text("{}")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            jobs, _ = grade.plan(SimpleNamespace(submissions=subs, labs=None, shard=None), labnb.load_labs(FIXTURE))
        self.assertEqual(1, len(jobs))
        self.assertIn("grade: ignored 3 notebooks beside the students' folders (asmith_123_456_lab0-fixture.ipynb, "
                      "bwong_123_456_lab0-fixture.ipynb, …): a submission belongs in <student>/<lab>.ipynb. An LMS's "
                      "download of a whole class needs a folder per student first", printed.getvalue())
        self.assertIn("grade: gradebook_export/ holds 3 notebooks that could be lab0 (", printed.getvalue())
        self.assertIn("is graded. If they are several students' work, an LMS's download", printed.getvalue())
        shutil.rmtree(subs)

    def test_the_sandbox_runs_a_kernel_whose_jars_are_under_tmp(self):
        if grade.sandbox_problem("cnnlab"):
            self.skipTest(grade.sandbox_problem("cnnlab"))
        # a checkout in /tmp: the sandbox's own /tmp used to hide the jars bound before it
        spec = json.loads((ROOT / "build/jupyter/kernels/cnnlab/kernel.json").read_text())
        home = Path(tempfile.mkdtemp(dir="/tmp"))
        at = spec["argv"].index("-cp") + 1
        jars = [Path(j) for j in spec["argv"][at].split(os.pathsep)]
        for jar in jars:
            shutil.copy2(jar, home / jar.name)
        spec["argv"][at] = os.pathsep.join(str(home / jar.name) for jar in jars)
        (home / "kernels/tmp-cnnlab").mkdir(parents=True)
        (home / "kernels/tmp-cnnlab/kernel.json").write_text(json.dumps(spec))
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = str(home)
        try:
            self.assertIsNone(grade.sandbox_problem("tmp-cnnlab"))
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH")
            else:
                os.environ["JUPYTER_PATH"] = old
            shutil.rmtree(home)

    def test_a_kernel_gets_none_of_the_instructors_variables_and_no_sandbox_is_named(self):
        env = grade.kernel_env({"PATH": "/usr/bin", "LC_ALL": "C.UTF-8", "AWS_SECRET_ACCESS_KEY": "k",
                                "CNNLAB_HOME": "/home/me/cnnlab", "HOME": "/home/me"}, Path("/tmp/w"))
        self.assertEqual(["HOME", "LC_ALL", "PATH"], sorted(env))
        self.assertEqual(("/tmp/w", "C.UTF-8"), (env["HOME"], env["LC_ALL"]))
        self.assertTrue(env["PATH"].endswith(":/usr/bin"), env["PATH"])  # java's real folder first
        path = os.environ["PATH"]
        try:
            os.environ["PATH"] = str(Path(tempfile.mkdtemp()))
            self.assertEqual("bubblewrap (bwrap) is not installed", grade.sandbox_problem("cnnlab"))
        finally:
            os.environ["PATH"] = path

    def test_a_text_cell_added_to_a_lab_changes_nothing_graded(self):
        nb = json.loads((FIXTURE / "lab0-fixture.ipynb").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "lab0-fixture.ipynb").write_text(json.dumps(nb))
            before = labnb.load_labs(tmp)[0].fingerprint()
            nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": "A note for students"})
            (Path(tmp) / "lab0-fixture.ipynb").write_text(json.dumps(nb))
            self.assertEqual(before, labnb.load_labs(tmp)[0].fingerprint())


    def test_a_check_fixed_after_the_release_is_no_students_change(self):
        """The instructor fixes a check cell after handing the lab out: the students' cells, as released, are not
        changes of theirs; the fixed cell is what runs. A cell a student did change is still noted."""
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            release.release(FIXTURE, tmp / "release")
            handed_out = json.loads((tmp / "release/lab0-fixture.ipynb").read_text())
            fixed = json.loads((FIXTURE / "lab0-fixture.ipynb").read_text())
            check = next(c for c in fixed["cells"] if labnb.meta(c).get("check") == "lab0 ex1")
            check["source"] = labnb.source(check) + "  // fixed after the release"
            (tmp / "src").mkdir()
            (tmp / "src/lab0-fixture.ipynb").write_text(json.dumps(fixed))
            lab = labnb.load_labs(tmp / "src")[0]
            args = SimpleNamespace(release=tmp / "release", source=tmp / "src")
            kit = tmp / "release/cnnlab-students.tar.gz"
            kit.write_bytes(b"")
            os.utime(kit, (0, 0))                                   # written before the checks' last change
            import contextlib
            import io
            said = io.StringIO()
            with contextlib.redirect_stdout(said):
                grade.verify_release(args, [lab])
            self.assertIn("grade: the lab checks changed since", said.getvalue())
            self.assertIn("./cnnlab release writes it again", said.getvalue())
            cells, notes = grade.assemble(lab, handed_out)
            self.assertEqual([], [n for n in notes if "had been changed" in n], notes)
            self.assertIn(labnb.source(check), [text for text, c, _ in cells if c is not None])
            changed = json.loads(json.dumps(handed_out))
            cell = next(c for c in changed["cells"] if labnb.meta(c).get("check") == "lab0 ex1")
            cell["source"] = "System.out.println(42);"
            _, notes = grade.assemble(lab, changed)
            self.assertTrue(any("the check cell for lab0 ex1 had been changed" in n for n in notes), notes)
            self.assertIn("for the instructor: the check cell of lab0 ex1 was changed or removed (the original ran); "
                          "review it", notes)
            changed["cells"].remove(cell)
            _, notes = grade.assemble(lab, changed)
            self.assertIn("the check cell for lab0 ex1 was missing (deleted, or replaced by another cell); the "
                          "original was added at the end", notes)

class CollectTest(unittest.TestCase):
    """The gradebook's rows, from results on disk (no kernel runs)."""

    def test_a_lab_graded_in_an_earlier_run_keeps_its_columns(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            source = tmp / "labs"
            source.mkdir()
            text = (FIXTURE / "lab0-fixture.ipynb").read_text()
            (source / "lab0-fixture.ipynb").write_text(text)
            (source / "lab9-fixture.ipynb").write_text(text.replace("lab0", "lab9"))
            labs = {l.id: l for l in labnb.load_labs(source)}
            for student in ("ada", "ben"):
                (tmp / "class" / student).mkdir(parents=True)
                for lab in labs.values():
                    (tmp / "class" / student / lab.path.name).write_text(text)
            out = tmp / "out"
            # week 3: lab0 graded with --labs lab0; week 5: lab9 with --labs lab9
            args = SimpleNamespace(submissions=tmp / "class", out=out, source=source, labs="lab0", shard=None,
                                   checks={"lab0": "c", "lab9": "c"})
            for student in ("ada", "ben"):
                r = grade.outcome(student, labs["lab0"], "graded", "")
                grade.write_atomic(grade.result_path(out, student, labs["lab0"]), json.dumps(r))
            args.labs = "lab9"
            n, missing, stale = grade.collect(args)
            with open(out / "submissions.csv", newline="") as f:
                ordered = [((r["student"], r["lab"]), r["status"]) for r in csv.DictReader(f)]
            rows = dict(ordered)
            self.assertEqual({("ada", "lab0"): "graded", ("ben", "lab0"): "graded", ("ada", "lab9"): "not graded",
                              ("ben", "lab9"): "not graded"}, rows)
            # lab0 before lab9 though this run graded lab9: the gradebook's columns keep their places week to week
            self.assertEqual(["lab0", "lab0", "lab9", "lab9"], [lab for (_, lab), _ in ordered])
            self.assertEqual((4, 2, 0), (n, missing, stale))
            self.assertEqual("lab9", args.labs, "the run's own --labs is left as it was")
            # a lab whose results are all 'missing' rows is not kept; a missing notebook is not 'changed' when the
            # checks are
            for student in ("ada", "ben"):
                r = grade.outcome(student, labs["lab9"], "missing", "no lab9-fixture.ipynb")
                r["graded_from"] = dict(notebook="missing", checks=labs["lab9"].fingerprint(), lab_checks="old")
                grade.write_atomic(grade.result_path(out, student, labs["lab9"]), json.dumps(r))
            (tmp / "class/ada/lab9-fixture.ipynb").unlink()
            (tmp / "class/ben/lab9-fixture.ipynb").unlink()
            args.labs = "lab0"
            self.assertEqual((2, 0, 0), grade.collect(args))
            r = json.loads(grade.result_path(out, "ada", labs["lab9"]).read_text())
            self.assertIsNone(grade.changed_since(r, labs["lab9"], None, args), "missing then and now")


    def test_folders_that_look_like_one_student_are_on_the_review_list(self):
        """José written two ways (macOS writes the accent apart) is two folders that print alike: each row says so
        for the instructor, not only the run's first lines."""
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            lab = labnb.load_labs(FIXTURE)[0]
            composed, decomposed = "Jos\u00e9", "Jose\u0301"
            args = SimpleNamespace(submissions=tmp / "class", out=tmp / "out", source=FIXTURE, labs=None, shard=None,
                                   checks={"lab0": "c", "lab9": "c"})
            for student in (composed, decomposed, "ada"):
                (tmp / "class" / student).mkdir(parents=True)
                (tmp / "class" / student / lab.path.name).write_text((FIXTURE / lab.path.name).read_text())
                grade.write_atomic(grade.result_path(args.out, student, lab),
                                   json.dumps(grade.outcome(student, lab, "graded", "")))
            grade.collect(args)
            with open(args.out / "submissions.csv", newline="") as f:
                notes = {r["student"]: r["notes"] for r in csv.DictReader(f)}
            self.assertIn(f"for the instructor: the folders '{decomposed}' ('Jose\\u0301') and '{composed}' "
                          "('Jos\\xe9') look like one student", notes[decomposed])
            self.assertEqual("", notes[composed], "once a group")
            self.assertEqual("", notes["ada"])

class ReleaseTest(unittest.TestCase):
    def test_stubs_and_leak_search(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "release"
            labs = release.release(FIXTURE, out)
            text = (out / "lab0-fixture.ipynb").read_text()
            self.assertIn(STUB1.replace('"', '\\"'), text)
            self.assertIn("// YOUR CODE HERE", text)
            self.assertNotIn("sumOfBoth", text)
            # readable by whoever the umask lets read (mkstemp's 0600 kept copies handed out from students)
            self.assertEqual(0o666 & ~labnb.UMASK, (out / "lab0-fixture.ipynb").stat().st_mode & 0o777)
            self.assertEqual([], release.leaks(out, labs))
            manifest = json.loads((out / "checks.json").read_text())
            self.assertEqual(["lab0 ex1", "lab0 ex2"], [c["id"] for c in manifest["labs"][0]["checks"]])
            # the search finds a solution line or a marker that slipped through
            (out / "leaked.ipynb").write_text(text.replace("// YOUR CODE HERE", "int sumOfBoth = a + b;"))
            (out / "marker.txt").write_text("// BEGIN SOLUTION")
            found = release.leaks(out, labs)
            self.assertIn(("leaked.ipynb", "solution line: int sumOfBoth = a + b;"), found)
            self.assertTrue(any(name == "marker.txt" for name, _ in found), found)

    def test_a_check_cells_points_must_be_its_checks(self):
        """An instructor who changes a check cell's points alone gets told where the check's points are, before
        anything is released or graded: the grade was out of the cell's number with the check's points inside."""
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            source = tmp / "lab-exercises"
            source.mkdir()
            nb = json.loads((ROOT / "lab-exercises/lab1-convolution.ipynb").read_text())
            for cell in nb["cells"]:
                if labnb.meta(cell).get("check") == "lab1 ex2":
                    cell["metadata"]["cnnlab"]["points"] = 10
            (source / "lab1-convolution.ipynb").write_text(json.dumps(nb))
            expected = r"lab1-convolution.ipynb: the check cell of lab1 ex2 says 10 points, and its check gives 6 " \
                       r"\(the points of its case groups, in toolkit/src/main/java/cnnlab/check/Lab1Checks.java\)"
            with self.assertRaisesRegex(labnb.LabError, "release: nothing released(.|\n)*" + expected):
                release.release(source, tmp / "release", JAR)
            self.assertFalse((tmp / "release/checks.json").exists())
            student = tmp / "class/ada"
            student.mkdir(parents=True)
            shutil.copy(ROOT / "lab-exercises/lab1-convolution.ipynb", student)
            done = subprocess.run([sys.executable, str(PY / "grade.py"), str(tmp / "class"), "--out", str(tmp / "out"),
                                   "--source", str(source), "--release", str(tmp / "no-release"), "--jar", str(JAR)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
            self.assertEqual(1, done.returncode, done.stdout)
            self.assertRegex(done.stdout, "grade: nothing graded(.|\n)*" + expected)
            self.assertFalse((tmp / "out/results").exists(), "nothing was graded")
            # the shipped labs agree with their checks
            self.assertEqual([], labnb.points_differences(labnb.load_labs(ROOT / "lab-exercises"),
                                                           labnb.check_points(JAR)))

    def test_broken_source_is_named(self):
        with self.assertRaisesRegex(labnb.LabError, "never closed"):
            labnb.strip_solutions("int f() {\n  // BEGIN SOLUTION\n  return 1;\n}", "lab0 ex1", "x.ipynb, cell 3")
        with self.assertRaisesRegex(labnb.LabError, "every solution region of x.ipynb, cell 3 is NO PROMPT"):
            labnb.strip_solutions("class A {\n  // BEGIN SOLUTION NO PROMPT\n  int f() { return 1; }\n"
                                  "  // END SOLUTION\n}", "lab0 ex1", "x.ipynb, cell 3")

    def test_a_no_prompt_region_goes_without_a_stub(self):
        """The instructor's own helper leaves the release whole: no signature for students to take as a task."""
        stub, removed = labnb.strip_solutions(
            "class A {\n  int f() {\n    // BEGIN SOLUTION\n    return g();\n    // END SOLUTION\n  }\n"
            "  // a helper of your own may go here\n  // BEGIN SOLUTION NO PROMPT\n  int g() {\n    return 1;\n  }\n"
            "  // END SOLUTION\n}", "lab0 ex1", "x.ipynb, cell 3")
        self.assertEqual("class A {\n  int f() {\n    // YOUR CODE HERE\n    throw new UnsupportedOperationException("
                         '"lab0 ex1: not implemented yet");\n  }\n  // a helper of your own may go here\n}', stub)
        self.assertEqual(["    return g();", "  int g() {", "    return 1;", "  }"], removed)
        self.assertIsNotNone(grade.BEGIN.match("    // BEGIN SOLUTION NO PROMPT"), "a handed-in solution is named")


class GradeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cnnlab-grade-test-"))
        release.release(FIXTURE, cls.tmp / "release")
        cls.subs = cls.tmp / "class"
        import socket
        cls.listener = socket.socket()  # a service on the machine's loopback, which no notebook may reach
        cls.listener.bind(("127.0.0.1", 0))
        cls.listener.listen()
        cls.expected = fabricate(cls.tmp / "release/lab0-fixture.ipynb", cls.subs, cls.listener.getsockname()[1])
        (cls.subs / "zoe_lab0-fixture.ipynb").write_text("{}")  # handed in beside the folders, not in one
        cls.out = cls.tmp / "out"
        cls.done, cls.seconds = run_grade(cls.subs, cls.out, "--seed", SEED, CNNLAB_GRADE_HEARTBEAT="10")
        print(cls.done.stdout, flush=True)

    @classmethod
    def tearDownClass(cls):
        cls.listener.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def result(self, student):
        return json.loads((self.out / "results" / student / "lab0-fixture.json").read_text())

    def test_every_student_gets_the_expected_points_and_status(self):
        self.assertEqual(0, self.done.returncode, self.done.stdout)
        slowest = max(self.expected, key=lambda s: self.result(s).get("seconds") or 0)
        print(f"graded {len(self.expected)} submissions in {self.seconds:.1f} s; slowest: {slowest} "
              f"({self.result(slowest)['seconds']} s)", flush=True)
        for student, (points, status) in self.expected.items():
            with self.subTest(student=student):
                r = self.result(student)
                self.assertEqual((points, status), (r["points"], r["status"]), json.dumps(r, indent=1)[:2000])

    def test_reasons(self):
        def ex(student, n):
            return self.result(student)["exercises"][n - 1]
        self.assertEqual(["not attempted", "not attempted"], [e["status"] for e in self.result("untouched")["exercises"]])
        self.assertEqual(("passed", "2/2", "6/6"), (ex("correct", 1)["status"], ex("correct", 1)["public"],
                                                    ex("correct", 1)["hidden"]))
        self.assertEqual("error", ex("throws", 1)["status"])
        self.assertIn("oops", ex("throws", 1)["feedback"])
        self.assertEqual("timeout", ex("loop-check", 1)["status"])
        self.assertEqual("not attempted", ex("emptied", 2)["status"])
        self.assertRegex(ex("emptied", 2)["feedback"], r"^not attempted: its ✏️ cell \(cell \d+\) is empty$")
        self.assertRegex(ex("compile", 1)["feedback"], r"^the check could not run: Add did not compile \(cell \d+, "
                         r"✏️ lab0 ex1: illegal start of expression\); fix that cell and this check runs$")
        self.assertTrue(any("illegal start of expression" in e for e in self.result("compile")["errors"]))
        self.assertTrue(any("cell limit" in e for e in self.result("loop-cell")["errors"]))
        self.assertTrue(any("OutOfMemoryError" in e or "heap space" in e for e in self.result("oom-heap")["errors"]))
        self.assertIn("exit code 0", self.result("exit")["reason"])
        self.assertTrue(any(n.startswith("the kernel died in cell ") and n.endswith("after every check had run; the"
                                                                                    " grade stands")
                            for n in self.result("exit-last")["notes"]), self.result("exit-last")["notes"])
        self.assertIn("not run", ex("exit", 2)["feedback"])
        self.assertIn("800 MB", self.result("oom-native")["reason"])
        self.assertIn("45 s limit", self.result("slow")["reason"])
        self.assertIn("result lines", ex("forger", 1)["feedback"])
        notes = " ".join(self.result("tamper")["notes"])
        self.assertIn("had been changed; the original was restored", notes)
        self.assertIn("wrote a check result outside the lab's check cells; it does not count", notes)
        self.assertIn("lab5", self.result("other-lab")["reason"])
        self.assertIn("declares FixtureCheck", self.result("shadow")["reason"])
        self.assertEqual("error", ex("halt", 1)["status"])  # its forged line was written, and does not count
        self.assertIn("not a valid notebook", self.result("invalid")["reason"])
        self.assertTrue(any("cell limit" in e for e in self.result("flood")["errors"]), self.result("flood"))
        self.assertTrue(any("printed more than 1 MB" in n for n in self.result("flood")["notes"]), self.result("flood"))
        executed = self.out / "executed/flood/lab0-fixture.ipynb"
        self.assertLess(executed.stat().st_size, 10 << 20, "each cell's printed output is capped")
        # the executed copy names each cell as the notes and errors do
        sources = [labnb.source(c) for c in json.loads(executed.read_text())["cells"]]
        self.assertTrue(any(s.startswith('// grader: cell 6 ("long n = 0; while (true) System.out.pri…")\n'
                                         "long n = 0;") for s in sources), sources)
        self.assertEqual("lab0-fixture.ipynb was not handed in (found: Untitled.ipynb; a lab is graded from the file "
                         "named lab0-fixture.ipynb)", self.result("elsewhere")["reason"])
        self.assertEqual("lab0-fixture.ipynb was not handed in", self.result("missing")["reason"])
        self.assertEqual("lab0-fixture.ipynb is empty (0 bytes): was it saved?", self.result("empty")["reason"])
        self.assertIn("grade: ignored Untitled.ipynb of 1 student (elsewhere): not one of the labs graded",
                      self.done.stdout)
        self.assertIn("grade: 'Missing ' and 'missing' differ only in letter case, spaces or accents' encoding",
                      self.done.stdout)
        self.assertIn("grade: the folder 'Missing ' has a space at its start or end", self.done.stdout)
        self.assertIn("grade: ignored zoe_lab0-fixture.ipynb: a submission belongs in <student>/<lab>.ipynb",
                      self.done.stdout)
        with open(self.out / "submissions.csv", newline="") as f:
            notes = {r["student"]: r["notes"] for r in csv.DictReader(f)}
        self.assertIn("also handed in: lab0-fixture (1).ipynb; not graded, lab0-fixture.ipynb was", notes["copies"])
        self.assertIn("graded from Lab0-Fixture.ipynb: the lab's file is named lab0-fixture.ipynb", notes["upper-case"])
        self.assertIn("graded from Untitled.ipynb: the lab's file is named lab0-fixture.ipynb", notes["misnamed"])
        self.assertIn("graded from Lab0 Fixture - Gus.ipynb: the lab's file is named", notes["loosely-named"])
        self.assertEqual("graded from lab0-fixture (1).ipynb: lab0-fixture.ipynb beside it is the release untouched "
                         "(every exercise still says 'not implemented yet')", notes["worked-copy"])
        self.assertIn("grade: ignored copies/lab0-fixture (1).ipynb: copies/lab0-fixture.ipynb is the lab0 notebook "
                      "graded", self.done.stdout)
        self.assertRegex(self.result("slow")["reason"], r'45 s limit \(stopped (in|before) cell \d+ \("Thread.sleep'
                                                         r'\(4000\);"\)\)$')

    def test_a_notebook_sees_neither_the_solutions_nor_the_seed_nor_its_classmates(self):
        if "no sandbox" in self.done.stdout:  # a machine without user namespaces, say: the run said so at its start
            self.skipTest(grade.sandbox_problem("cnnlab"))
        errors = " ".join(self.result("snoop")["errors"])
        self.assertIn("snooped: " + "NoSuchFileException; " * 5 + "ConnectException", errors)
        self.assertEqual(4, self.result("half")["points"], "the classmate's notebook is as it was handed in")
        self.assertTrue(json.loads((self.subs / "half/lab0-fixture.ipynb").read_text())["cells"])

    def test_progress_while_a_notebook_runs(self):
        # the slow student's notebook runs for its 45 s limit: a line says so while it runs
        self.assertRegex(self.done.stdout, r"grade: running .*slow/lab0 \d+ s.*\(limit 45 s a notebook\)")
        first = next(line for line in self.done.stdout.splitlines() if line.replace(" ", "").startswith("[1/"))
        self.assertNotIn("ETA 0 s", first)

    def test_a_lab_that_does_not_exist_is_named(self):
        done, _ = run_grade(self.subs, self.tmp / "nolab", "--labs", "lab7", timeout=120)
        self.assertNotEqual(0, done.returncode)
        self.assertIn("grade: no lab lab7 in", done.stdout)
        self.assertIn("the labs are lab0", done.stdout)

    def test_gradebook_and_feedback(self):
        rows = gradebook_rows(self.out)
        self.assertEqual(sorted(self.expected), sorted(rows))
        for student, (points, status) in self.expected.items():
            self.assertEqual(points, float(rows[student]["total"]), student)
            self.assertTrue(rows[student]["lab0 status"].startswith(status), rows[student])
        self.assertEqual("50", rows["half"]["percent"])
        for page in ("gradebook.html", "summary.html", "summary.csv", "histogram.png"):
            self.assertTrue((self.out / page).is_file(), page)
        pages = list((self.out / "feedback").glob("*.html"))  # the students' pages only: the list is beside it
        self.assertEqual(len(self.expected), len(pages))
        for page in pages:
            self.assertNotIn("LEAK", page.read_text(), page.name)  # prints of hidden inputs stay with the grader
        self.assertIn("LEAK", (self.out / "executed/tamper/lab0-fixture.ipynb").read_text())
        with open(self.out / "summary.csv", newline="") as f:
            summary = {row["item"]: row for row in csv.DictReader(f)}
        totals = sorted(p for p, _ in self.expected.values())
        self.assertAlmostEqual(sum(totals) / len(totals), float(summary["total"]["mean"]), places=2)

    def test_no_process_left(self):
        left = [p for p in grade.processes_with_token(RUN) if Path(f"/proc/{p}").exists()]
        self.assertEqual([], left, "kernel processes left behind")

    def test_rerun_reuses_and_gives_the_same_gradebook(self):
        before = (self.out / "gradebook.csv").read_bytes()
        done, seconds = run_grade(self.subs, self.out, timeout=300)  # the seed is kept in OUT/seed.txt
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertIn(f"; {len(self.expected)} reused (unchanged since graded), 0 to grade;", done.stdout)
        self.assertFalse([line for line in done.stdout.splitlines() if line.startswith("[")], "no row listed")
        self.assertEqual(before, (self.out / "gradebook.csv").read_bytes())

    def test_shards_merge_to_the_same_grades(self):
        part = self.tmp / "part"
        for student in ("correct", "half", "invalid", "missing", "untouched"):
            shutil.copytree(self.subs / student, part / student)
        out = self.tmp / "sharded"
        shards = {s: grade.shard_of(s, 2) for s in os.listdir(part)}
        self.assertEqual({1, 2}, set(shards.values()), shards)
        for i in (1, 2):
            done, _ = run_grade(part, out, "--shard", f"{i}/2", "--seed", SEED)
            self.assertEqual(0, done.returncode, done.stdout)
            graded = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("[")}
            self.assertEqual({s for s, k in shards.items() if k == i}, graded)
            self.assertFalse((out / "gradebook.csv").exists(), "a shard leaves the gradebook to --merge")
        done, _ = run_grade(part, out, "--merge")
        self.assertEqual(0, done.returncode, done.stdout)
        merged, whole = gradebook_rows(out), gradebook_rows(self.out)
        self.assertEqual(sorted(shards), sorted(merged))
        for student in shards:   # the whole class has folders this part has not ('Missing ' beside 'missing'): the
            # review list's notes differ with them, so the statuses are compared without their count of notes
            self.assertEqual(*[dict(rows[student], **{"lab0 status": re.sub(r", \d+ notes?$", "",
                                                                                rows[student]["lab0 status"])})
                               for rows in (whole, merged)])
        # a notebook changed after its shard ran is not passed off as graded
        nb = json.loads((self.tmp / "release/lab0-fixture.ipynb").read_text())
        (part / "half/lab0-fixture.ipynb").write_text(json.dumps(fill(nb)))
        done, _ = run_grade(part, out, "--merge")
        self.assertEqual(0, done.returncode, done.stdout)
        # no total to import: an LMS would post a 0 (the status says why)
        self.assertEqual(("", "not graded"), (gradebook_rows(out)["half"]["total"],
                                              gradebook_rows(out)["half"]["lab0 status"]))
        self.assertIn("1 of 5 submissions changed since they were graded", done.stdout)
        with open(out / "submissions.csv", newline="") as f:
            half = next(r for r in csv.DictReader(f) if r["student"] == "half")
        self.assertTrue(half["reason"].startswith("the notebook changed since it was graded (4/8)"), half)
        # graded again, the resubmission leaves a trace on the row; the others are reused
        done, _ = run_grade(part, out, "--seed", SEED)
        self.assertIn("; 4 reused (unchanged since graded), 1 to grade;", done.stdout)
        self.assertIn("[1/1] half ", done.stdout)
        with open(out / "submissions.csv", newline="") as f:
            half = next(r for r in csv.DictReader(f) if r["student"] == "half")
        self.assertEqual(("graded", 8.0), (half["status"], float(half["points"])))
        self.assertIn("graded again (the notebook changed): 8/8, was 4/8", half["notes"])

    def test_an_empty_shard_is_not_a_failure_and_paths_are_from_the_callers_folder(self):
        names = sorted(p.name for p in self.subs.iterdir() if p.is_dir())
        empty = next(i for i in range(1, 200) if all(grade.shard_of(s, 200) != i for s in names))
        env = dict(os.environ, JUPYTER_PATH=str(ROOT / "build/jupyter"), CNNLAB_CALLER_DIR=str(self.tmp))
        done = subprocess.run([sys.executable, str(PY / "grade.py"), "class", "--out", "shard-out", "--source",
                               str(FIXTURE), "--seed", SEED, "--shard", f"{empty}/200"], cwd=str(ROOT),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120, env=env)
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertIn(f"grade: shard {empty}/200 has none of the {len(names)} students", done.stdout)
        self.assertTrue((self.tmp / "shard-out/seed.txt").is_file(), "--out is from the caller's folder")


def runs_folders():
    return set(Path(tempfile.gettempdir()).glob("cnnlab-grade-run-*"))


class InterruptTest(unittest.TestCase):
    SIGNAL = signal.SIGINT  # Ctrl-C

    def test_interrupted_run_keeps_what_it_graded(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            release.release(FIXTURE, tmp / "release")
            nb = json.loads((tmp / "release/lab0-fixture.ipynb").read_text())
            for student in ("a", "b", "c"):
                (tmp / "class" / student).mkdir(parents=True)
                (tmp / "class" / student / "lab0-fixture.ipynb").write_text(json.dumps(fill(nb)))
            out = tmp / "out"
            env = dict(os.environ, JUPYTER_PATH=str(ROOT / "build/jupyter"), CNNLAB_GRADE_RUN=RUN)
            cmd = [sys.executable, str(PY / "grade.py"), str(tmp / "class"), "--out", str(out), "--source", str(FIXTURE),
                   "--release", str(tmp), "--jar", str(JAR), "--jobs", "1", "--seed", SEED, *LIMITS]
            folders_before = runs_folders()
            # Ctrl-C's SIGINT must reach the grader even when this test runs in the background, where the shell
            # starts every process with SIGINT ignored (and Python then keeps it ignored)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                    preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            deadline = time.time() + 300
            while time.time() < deadline and not list((out / "results").glob("*/*.json")):
                time.sleep(0.5)
            time.sleep(2)  # the second submission is running now
            proc.send_signal(self.SIGNAL)
            log, _ = proc.communicate(timeout=60)
            self.assertEqual(130, proc.returncode, log)
            self.assertEqual(set(), runs_folders() - folders_before, "the run's temporary folder is removed")
            kept = list((out / "results").glob("*/*.json"))
            self.assertGreaterEqual(len(kept), 1, log)
            self.assertLess(len(kept), 3, log)
            time.sleep(1)
            self.assertEqual([], grade.processes_with_token(RUN), "processes left after the interrupt")
            done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                  timeout=600)
            self.assertEqual(0, done.returncode, done.stdout)
            self.assertIn(f"; {len(kept)} reused (unchanged since graded), {3 - len(kept)} to grade;", done.stdout)
            self.assertEqual({"8"}, {row["total"] for row in gradebook_rows(out).values()})


class TerminatedTest(InterruptTest):
    """kill, timeout or a closed session send SIGTERM: the grader must stop its kernels as for Ctrl-C."""
    SIGNAL = signal.SIGTERM


class RealLabsReleaseTest(unittest.TestCase):
    """The released real labs, handed in untouched: every notebook runs end to end, every check 'not attempted'."""

    def real_labs(self):
        """lab-exercises/ and its labs (the test is skipped without them)."""
        source = ROOT / "lab-exercises"
        labs = labnb.load_labs(source) if source.is_dir() else []
        if not labs:
            self.skipTest("no lab notebooks in lab-exercises/ yet")
        return source, labs

    def test_released_labs_run_with_every_check_not_attempted(self):
        source, labs = self.real_labs()
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            release.release(source, tmp / "release")
            for lab in labs:
                d = tmp / "class/untouched"
                d.mkdir(parents=True, exist_ok=True)
                shutil.copy(tmp / "release" / lab.path.name, d / lab.path.name)
            env = dict(os.environ, JUPYTER_PATH=str(ROOT / "build/jupyter"))
            done = subprocess.run([sys.executable, str(PY / "grade.py"), str(tmp / "class"), "--out", str(tmp / "out"),
                                   "--source", str(source), "--release", str(tmp / "release"), "--jobs", "2",
                                   "--jar", str(JAR), "--cell-seconds", "120", "--notebook-seconds", "600"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, timeout=1500)
            print(done.stdout, flush=True)
            self.assertEqual(0, done.returncode, done.stdout)
            for lab in labs:
                r = json.loads((tmp / "out/results/untouched" / f"{lab.path.stem}.json").read_text())
                self.assertEqual(("graded", 0), (r["status"], r["points"]), json.dumps(r, indent=1)[:3000])
                self.assertEqual([], r["errors"], lab.name)
                for e in r["exercises"]:
                    self.assertEqual("not attempted", e["status"], f"{lab.name}: {e}")

    def test_the_students_kit_has_no_solutions_and_runs_a_released_lab(self):
        """The cnnlab folder students get: no lab-exercises/, no tests (the lab checks' tests hold working answers),
        the released notebooks in my-labs/, and a launcher that builds the toolkit and runs a lab from there."""
        source, labs = self.real_labs()
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            release.release(source, tmp / "release", JAR, ROOT)
            with tarfile.open(tmp / "release" / release.KIT) as tar:
                names = tar.getnames()
                tar.extractall(tmp / "kit")
            self.assertIn("cnnlab/toolkit/src/main/java/cnnlab/Cnn.java", names)
            self.assertIn("cnnlab/notebooks/00-welcome.ipynb", names)
            self.assertEqual(sorted(f"cnnlab/my-labs/{lab.path.name}" for lab in labs),
                             sorted(n for n in names if n.startswith("cnnlab/my-labs/")))
            for gone in ("cnnlab/lab-exercises/", "cnnlab/toolkit/src/test/", "cnnlab/build/", "cnnlab/.ci/"):
                self.assertEqual([], [n for n in names if n.startswith(gone)], gone)
            kit = tmp / "kit/cnnlab"
            self.assertTrue(os.access(kit / "cnnlab", os.X_OK), "the launcher stays executable")
            readme = (kit / "README.md").read_text()
            self.assertTrue(readme.startswith("# cnnlab\n\n> **This is the students' kit of cnnlab.** Your lab "
                                              "notebooks are in `my-labs/`"), readme[:300])
            self.assertEqual((ROOT / "README.md").read_text().partition("\n")[2],
                             readme.partition(release.KIT_README_NOTE)[2], "and the rest as it is")
            for command in ("release", "grade"):
                done = subprocess.run([str(kit / "cnnlab"), command, "x"], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, timeout=60)
                self.assertEqual(1, done.returncode, done.stdout)
                self.assertIn("it is the students' kit", done.stdout)
            helped = subprocess.run([str(kit / "cnnlab"), "help"], stdout=subprocess.PIPE, text=True, timeout=60)
            self.assertIn("./cnnlab start", helped.stdout)   # the kit's help lists the students' commands only
            self.assertIn("./cnnlab publish", helped.stdout)
            for gone in ("./cnnlab test", "./cnnlab release", "./cnnlab grade", "SUBMISSIONS_DIR"):
                self.assertNotIn(gone, helped.stdout)
            for lab in labs:   # what students get is the release, byte for byte
                self.assertEqual((tmp / "release" / lab.path.name).read_bytes(),
                                 (kit / "my-labs" / lab.path.name).read_bytes())
            env = dict(os.environ, CNNLAB_CALLER_DIR=str(kit))
            env.pop("JUPYTER_PATH", None)
            done = subprocess.run([str(kit / "cnnlab"), "run", f"my-labs/{labs[0].path.name}"], cwd=kit, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
            self.assertEqual(0, done.returncode, done.stdout)
            self.assertIn("1 passed, 0 failed", done.stdout)
            # the notebook ran to the end; the line under it says what its checks found
            self.assertRegex(done.stdout, r"checks: lab1 ex1 0/2 not attempted, lab1 ex2 0/6 not attempted \(public")

    def test_a_solution_in_the_kit_fails_the_release(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            root = tmp / "project"
            (root / "notebooks").mkdir(parents=True)
            (root / "notebooks/01-x.ipynb").write_text(json.dumps({"cells": [code("int sumOfBoth = a + b;")]}))
            labs = release.release(FIXTURE, tmp / "release")
            with self.assertRaisesRegex(labnb.LabError, "1 leaks in the students' kit"):
                release.student_kit(root, tmp / "release", labs)
            self.assertFalse((tmp / "release" / release.KIT).exists())

    def test_the_kit_of_a_folder_that_is_no_checkout_takes_the_projects_files_only(self):
        """A downloaded copy, no git: the kit takes the launcher, the build, the toolkit, the notebooks, the data
        and the docs, and leaves out what else sits in the folder (submissions, lab-exercises/, an instructor's
        my-labs/), the tests, build output, and symbolic links (one could point at the solutions)."""
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for f in ("cnnlab", "pom.xml", "README.md", "toolkit/pom.xml", "toolkit/src/main/java/cnnlab/Cnn.java",
                      "toolkit/src/test/java/cnnlab/check/Students.java", "toolkit/target/cnnlab-toolkit.jar",
                      "notebooks/00-welcome.ipynb", "datasets/images/cat.png", "datasets/cache/mnist.gz",
                      "lab-exercises/lab1-convolution.ipynb", "SUBMISSIONS/ada/lab1-convolution.ipynb",
                      "my-labs/lab1-convolution.ipynb", ".venv/bin/python", "build/release/checks.json"):
                (root / f).parent.mkdir(parents=True, exist_ok=True)
                (root / f).write_text("x")
            (root / "notebooks/answers.ipynb").symlink_to(root / "lab-exercises/lab1-convolution.ipynb")
            files, links = release.kit_files(root)
            self.assertEqual(["README.md", "cnnlab", "datasets/images/cat.png", "notebooks/00-welcome.ipynb",
                              "pom.xml", "toolkit/pom.xml", "toolkit/src/main/java/cnnlab/Cnn.java"], files)
            self.assertEqual(["notebooks/answers.ipynb"], links)


if __name__ == "__main__":
    unittest.main()
