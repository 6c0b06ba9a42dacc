#!/usr/bin/env python3
"""The notebook runner's filter on a kernel's standard error, and the launcher's checks (Java, the checkout's
path): `./cnnlab test` runs this.

A JVM started with the Vector API module (as the cnnlab kernel is) prints one incubator warning and then whatever
else it has to say; the runner drops the warning and passes the rest on.

Run: /usr/bin/python3 toolkit/src/test/python/test_run_notebooks.py [-v]
"""
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import nbformat
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "main/python"))
import run_notebooks  # noqa: E402


class KernelStderrTest(unittest.TestCase):
    def filtered(self, command):
        into = io.BytesIO()
        write_end, pumping = run_notebooks.kernel_stderr(into)
        try:
            subprocess.run(command, stderr=write_end, stdout=subprocess.DEVNULL, check=True)
        finally:
            os.close(write_end)
        pumping.join(10)
        self.assertFalse(pumping.is_alive(), "the pump ends with the process")
        return into.getvalue().decode()

    def test_the_incubator_warning_is_dropped_and_the_rest_kept(self):
        text = self.filtered(["java", "--add-modules=jdk.incubator.vector", "-version"])
        self.assertNotIn("incubator", text)
        self.assertIn("version", text)  # java -version writes to standard error

    def test_other_lines_pass_unchanged(self):
        lines = "WARNING: something else\nan error\n# A fatal error has been detected\n"
        text = self.filtered([sys.executable, "-c", f"import sys; sys.stderr.write({lines!r})"])
        self.assertEqual(lines, text)


class PublishTest(unittest.TestCase):
    def test_the_zmq_shutdown_race_is_dropped(self):
        race = ("zmq.ZError$IOException: java.nio.channels.ClosedChannelException\n\tat zmq.Signaler.send(S.java:138)\n"
                "Caused by: java.nio.channels.ClosedChannelException\n\t... 12 more\nlast words\n")
        text = KernelStderrTest.filtered(self, [sys.executable, "-c", f"import sys; sys.stderr.write({race!r})"])
        self.assertEqual("last words\n", text)

    def test_a_published_page_loads_its_scripts_from_beside_it_and_names_no_local_path(self):
        page = ('<script src="file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe">'
                '</script><script src="file:///usr/share/javascript/requirejs/require.min.js"></script>'
                f'<pre>no {run_notebooks.ROOT}/notebooks/alexnet-conv1.npy yet</pre>')
        with tempfile.TemporaryDirectory() as out:
            shown = run_notebooks.publishable(page, Path(out))
            self.assertNotIn("file://", shown)
            self.assertIn('src="mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"', shown)
            self.assertIn("no notebooks/alexnet-conv1.npy yet", shown)
            if Path("/usr/share/javascript/mathjax/MathJax.js").is_file():  # Debian's libjs-mathjax
                for part in ("MathJax.js", "config/TeX-AMS_CHTML-full.js", "jax/output/CommonHTML/jax.js",
                             "fonts/HTML-CSS/TeX/woff/MathJax_Main-Regular.woff"):
                    self.assertTrue((Path(out) / "mathjax" / part).is_file(), part)
                self.assertTrue((Path(out) / "require.min.js").is_file())


class SiteTest(unittest.TestCase):
    """A published site: only into a folder of its own, replaced whole when every notebook ran, never touched when
    one failed, and its pages titled and linked to each other."""

    def test_a_site_goes_into_a_folder_of_its_own(self):
        root = run_notebooks.ROOT
        for fine in (root / "build/publish", Path("/tmp/course site/week 1")):
            self.assertIsNone(run_notebooks.site_folder_problem(fine), fine)
        for bad, says in ((root / "notebooks", "is in the cnnlab folder's notebooks/"),
                          (root / "lab-exercises/site", "is in the cnnlab folder's lab-exercises/"),
                          (root, "holds the cnnlab folder itself"), (root.parent, "holds the cnnlab folder itself"),
                          (root / "README.md", "is a file, not a folder")):
            self.assertIn(says, run_notebooks.site_folder_problem(bad) or "", bad)

    def test_a_publish_replaces_what_the_last_one_wrote_and_nothing_else(self):
        with tempfile.TemporaryDirectory() as tmp:
            site, staged = Path(tmp) / "site", Path(tmp) / "staged"
            for name, text in (("index.html", "old index"), ("05-old-name.html", "a renamed notebook's page"),
                               ("mathjax/extensions/gone.js", "x"), ("my-notes.txt", "the instructor's"),
                               ("slides/week1.pdf", "pdf")):
                (site / name).parent.mkdir(parents=True, exist_ok=True)
                (site / name).write_text(text)
            (site / run_notebooks.PUBLISHED).write_text("index.html\n05-old-name.html\nmathjax/extensions/gone.js\n"
                                                        "../outside.txt\n")
            (Path(tmp) / "outside.txt").write_text("not the site's")
            for name in ("index.html", "05-new-name.html", "mathjax/MathJax.js"):
                (staged / name).parent.mkdir(parents=True, exist_ok=True)
                (staged / name).write_text("new " + name)
            run_notebooks.commit_site(staged, site)
            self.assertEqual("new index.html", (site / "index.html").read_text())
            self.assertEqual([".cnnlab-published", "05-new-name.html", "index.html", "mathjax", "my-notes.txt",
                              "slides"], sorted(p.name for p in site.iterdir()), "the old page and its folder gone")
            self.assertEqual(["MathJax.js"], [p.name for p in (site / "mathjax").rglob("*")])
            self.assertTrue((Path(tmp) / "outside.txt").exists(), "a list edited by hand reaches nothing outside")
            self.assertEqual("05-new-name.html\nindex.html\nmathjax/MathJax.js\n",
                             (site / run_notebooks.PUBLISHED).read_text())

    def test_a_path_the_page_escapes_is_taken_out_too(self):
        home = "/home/o'brien/R&D cnnlab"
        with tempfile.TemporaryDirectory() as out:
            old = os.environ.get("CNNLAB_HOME")
            os.environ["CNNLAB_HOME"] = home
            try:
                shown = run_notebooks.publishable(f"<pre>no /home/o&#39;brien/R&amp;D cnnlab/notebooks/x.npy, "
                                                  f"{home}/notebooks/y.npy, /home/o&#x27;brien/R&amp;D cnnlab/z"
                                                  "</pre>", Path(out))
            finally:
                if old is None:
                    del os.environ["CNNLAB_HOME"]
                else:
                    os.environ["CNNLAB_HOME"] = old
        self.assertEqual("<pre>no notebooks/x.npy, notebooks/y.npy, z</pre>", shown)

    @unittest.skipUnless(shutil.which("java"), "needs java")
    def test_a_failed_notebook_publishes_nothing_and_a_good_run_links_its_pages(self):
        try:
            from jupyter_client.kernelspec import KernelSpecManager
            KernelSpecManager().get_kernel_spec("cnnlab")
        except Exception:  # noqa: BLE001 - any failure means there is no kernel to run
            self.skipTest("no cnnlab kernel (./cnnlab setup installs it under build/jupyter)")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            notebooks = tmp / "pages"
            notebooks.mkdir()
            for name, heading, code in (("a.ipynb", "# First · one", "1 + 1"), ("b.ipynb", "# Second & last", "2")):
                nb = nbformat.v4.new_notebook()
                nb.cells = [nbformat.v4.new_markdown_cell(heading), nbformat.v4.new_code_cell(code)]
                nbformat.write(nb, str(notebooks / name))
            site = tmp / "site"

            def publish():
                return subprocess.run([sys.executable, str(Path(run_notebooks.__file__)), "--publish", "--out",
                                       str(site), str(notebooks / "a.ipynb"), str(notebooks / "b.ipynb")],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)

            done = publish()
            self.assertEqual(0, done.returncode, done.stdout)
            self.assertIn(f"publishing 2 notebooks into {site}", done.stdout)
            page = (site / "pages/b.html").read_text()
            self.assertIn("<title>Second &amp; last</title>", page)
            self.assertIn('<a href="../index.html">cnnlab: the notebooks</a> &middot; <a href="a.html">&larr; '
                          'previous</a></nav>', page)
            index = (site / "index.html").read_text()
            self.assertIn('<a href="pages/a.html">First · one</a>', index)
            self.assertIn('href="pages/a.ipynb" download>a.ipynb</a>', index)
            before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
            self.assertEqual([], [p.name for p in site.iterdir() if p.name.startswith(".cnnlab-publish-")])
            nb = nbformat.read(str(notebooks / "b.ipynb"), as_version=4)
            nb.cells[1].source = "throw new IllegalStateException(\"broken\");"
            nbformat.write(nb, str(notebooks / "b.ipynb"))
            done = publish()
            self.assertEqual(1, done.returncode, done.stdout)
            self.assertIn(f"publish: nothing published, {site} is as it was", done.stdout)
            self.assertEqual(before, {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
            self.assertEqual([], [p.name for p in site.iterdir() if p.name.startswith(".cnnlab-publish-")],
                             "no staged pages left in the site")
            fresh = tmp / "new-site"   # a site folder the failed publish made goes again
            done = subprocess.run([sys.executable, str(Path(run_notebooks.__file__)), "--publish", "--out",
                                   str(fresh), str(notebooks / "b.ipynb")], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300)
            self.assertEqual(1, done.returncode, done.stdout)
            self.assertFalse(fresh.exists(), done.stdout)


class OutDirTest(unittest.TestCase):
    def test_the_projects_notebooks_go_to_the_output_folder_and_others_to_a_folder_of_their_own(self):
        out = Path("/tmp/out")
        root = run_notebooks.ROOT
        self.assertEqual(out, run_notebooks.out_dir(out, root / "notebooks/00-welcome.ipynb"))
        self.assertEqual(out, run_notebooks.out_dir(out, root / "lab-exercises/lab1-convolution.ipynb"))
        # a student's handed-out copy keeps its own executed copy beside the instructor's
        self.assertEqual(out / "my-labs", run_notebooks.out_dir(out, root / "my-labs/lab1-convolution.ipynb"))


class FirstErrorTest(unittest.TestCase):
    def test_a_compile_errors_line_is_named_from_its_traceback(self):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("int x = 1;"), nbformat.v4.new_code_cell("return dx")]
        nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="CompilerException", evalue="", traceback=[
            "\x1b[0m\x1b[1m\x1b[31mCompile error:\x1b[0m", "\x1b[0m\x1b[1m|    return dx\x1b[0m",
            "\x1b[0m\x1b[1m              ^\x1b[0m", "\x1b[0m\x1b[1;30m|    }\x1b[0m",
            "\x1b[0m\x1b[1m\x1b[34m';' expected\x1b[0m", ""])]
        self.assertEqual((1, "CompilerException: ';' expected"), run_notebooks.first_error(nb))
        nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="IllegalArgumentException", evalue="bad shape",
                                                      traceback=["IllegalArgumentException: bad shape"])]
        self.assertEqual((1, "IllegalArgumentException: bad shape"), run_notebooks.first_error(nb))


class ChecksLineTest(unittest.TestCase):
    def test_a_lab_notebooks_checks_are_summed_up_under_its_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            results = Path(tmp) / "results.jsonl"
            results.write_text('{"exercise": "lab2 ex1", "points": 2, "max": 4, "status": "partial"}\n'
                               'not json\n'
                               '{"exercise": "lab2 ex2", "points": 0, "max": 4, "status": "not attempted"}\n'
                               '{"exercise": "lab2 ex1", "points": 4, "max": 4, "status": "passed"}\n')
            found = run_notebooks.check_results(results)
        self.assertEqual([("lab2 ex1", 4.0, 4.0, "passed"), ("lab2 ex2", 0.0, 4.0, "not attempted")], found,
                         "the last result of each exercise, as the notebook shows it")
        self.assertEqual("     checks: lab2 ex1 4/4, lab2 ex2 0/4 not attempted (public cases; hidden ones run when "
                         "graded)", run_notebooks.checks_line(found))
        self.assertEqual("", run_notebooks.checks_line([]), "a lecture notebook has no checks")
        self.assertEqual([], run_notebooks.check_results(Path(tmp) / "gone.jsonl"))


class LauncherTest(unittest.TestCase):
    @staticmethod
    def setup_with_java(says):
        """./cnnlab setup with a `java` first on PATH that prints `says` as its version."""
        with tempfile.TemporaryDirectory() as bin_dir:
            fake = Path(bin_dir) / "java"
            fake.write_text(f"#!/bin/sh\necho '{says}' >&2\n")
            fake.chmod(0o755)
            env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
            env.pop("JAVA_HOME", None)
            return subprocess.run([str(run_notebooks.ROOT / "cnnlab"), "setup"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=60)

    def test_an_old_default_java_is_named_before_anything_is_built(self):
        done = self.setup_with_java('openjdk version "11.0.21" 2023-10-17')
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn("java is Java 11; cnnlab needs 17 or newer", done.stdout)

    def test_java_8s_version_is_read_as_8(self):
        self.assertIn("java is Java 8;", self.setup_with_java('java version "1.8.0_392"').stdout)

    def test_train_keeps_its_messages_and_status_without_the_incubator_warning(self):
        done = subprocess.run([str(run_notebooks.ROOT / "cnnlab"), "train", "nonsense"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=120)
        self.assertEqual(2, done.returncode, done.stderr)
        self.assertIn("usage: cnnlab train mnist|fashion-mnist [EPOCHS]", done.stderr)
        self.assertNotIn("incubator", done.stderr)

    @staticmethod
    def setup_in(name, command=("setup",), folders=()):
        """./cnnlab setup (or another command) in a checkout at /tmp/.../name with these folders: the launcher
        copied, the built toolkit linked."""
        real = run_notebooks.ROOT
        rjk = next((real / "build/jupyter/kernels/cnnlab").glob("rapaio-jupyter-kernel-*.jar"))
        top = Path(tempfile.mkdtemp())
        root = top / name
        (root / "build/jupyter/kernels/cnnlab").mkdir(parents=True)
        shutil.copy(real / "cnnlab", root / "cnnlab")
        # the built toolkit without its sources, and a POM older than it: the launcher finds nothing to build
        shutil.copy(real / "pom.xml", root / "pom.xml")
        os.utime(root / "pom.xml", (0, 0))
        (root / "toolkit").mkdir()
        (root / "toolkit/target").symlink_to(real / "toolkit/target")
        shutil.copy(rjk, root / "build/jupyter/kernels/cnnlab" / rjk.name)   # no download
        for folder in folders:
            (root / folder).mkdir()
        try:
            done = subprocess.run([str(root / "cnnlab"), *command], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=120)
            spec = root / "build/jupyter/kernels/cnnlab/kernel.json"
            return root, done, json.loads(spec.read_text()) if spec.exists() else None
        finally:
            shutil.rmtree(top)

    def test_a_checkout_path_with_quotes_backslashes_and_a_tab_gives_a_valid_kernel_json(self):
        root, done, kernel = self.setup_in('my "cnn" lab\\2026\tterm 1')
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertEqual(str(root), kernel["env"]["CNNLAB_HOME"])
        class_path = kernel["argv"][kernel["argv"].index("-cp") + 1]
        self.assertTrue(class_path.startswith(f"{root}/toolkit/target/cnnlab-toolkit-kernel.jar:{root}/build/"),
                        class_path)

    def test_start_names_the_folders_of_notebooks_there_are(self):
        # the students' kit has my-labs/ and no lab-exercises/; a checkout, the other way round (a folder missing
        # once ended the launcher with no word: a failed test in a command substitution under set -e)
        for folders, named in ((("notebooks", "my-labs"), "(notebooks/ my-labs/)"),
                               (("notebooks", "lab-exercises"), "(notebooks/ lab-exercises/)")):
            root, done, _ = self.setup_in("labs", ("start", "--help"), folders)
            self.assertEqual(0, done.returncode, done.stdout)
            self.assertIn(f"cnnlab: opening Jupyter on {root} {named}; stop it with Ctrl-C", done.stdout)

    def test_data_without_the_data_sets_goes_on_to_the_fetch(self):
        # the check for npm read CNNLAB_NPM unset under `set -u` and ended the launcher ("unbound variable"); an npm
        # of the test's own first on PATH, so that the launcher installs nothing
        env_npm, path = os.environ.pop("CNNLAB_NPM", None), os.environ["PATH"]
        with tempfile.TemporaryDirectory() as bin_dir:
            (Path(bin_dir) / "npm").write_text("#!/bin/sh\nexit 0\n")
            (Path(bin_dir) / "npm").chmod(0o755)
            os.environ["PATH"] = f"{bin_dir}:{path}"
            try:
                root, done, _ = self.setup_in("fresh", ("data", "--help"))
            finally:
                os.environ["PATH"] = path
                if env_npm is not None:
                    os.environ["CNNLAB_NPM"] = env_npm
        self.assertEqual(0, done.returncode, done.stdout)
        self.assertIn("usage: cnnlab data [mnist] [fashion-mnist]", done.stdout)

    def test_publish_takes_one_folder_and_no_options(self):
        for args, says in ((["--help"], "usage: ./cnnlab publish [DIR]"),
                           (["a", "b"], "one folder for the site, not 2")):
            done = subprocess.run([str(run_notebooks.ROOT / "cnnlab"), "publish", *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=60)
            self.assertEqual(1, done.returncode, done.stdout)
            self.assertIn(says, done.stdout)
        self.assertFalse((run_notebooks.ROOT / "--help").exists())

    def test_a_checkout_path_with_a_colon_is_refused_by_name(self):
        _, done, kernel = self.setup_in("labs:2026")
        self.assertEqual(1, done.returncode, done.stdout)
        self.assertIn("has a ':' in it", done.stdout)
        self.assertIsNone(kernel)

if __name__ == "__main__":
    unittest.main()
