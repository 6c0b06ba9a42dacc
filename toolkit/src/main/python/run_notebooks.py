#!/usr/bin/env python3
"""Execute notebooks headless on the cnnlab kernel: `./cnnlab run` calls this.

For each notebook: start a fresh kernel in the notebook's folder, run every cell with a per-cell time limit
(the kernel's own RJK_TIMEOUT_MILLIS, which ends a runaway cell cleanly, plus a slightly longer client-side
limit), write the executed copy and an HTML rendering under the output folder (in a folder of its own name for a
notebook from outside notebooks/ and lab-exercises/), and print one line with the time. The kernel JVM is shut
down and, if it is still alive, killed by PID: a run never leaves a JVM behind.
Exits 1 naming the notebook and cell of the first error.
"""
import argparse
import html
import os
import re
import shutil
import json
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

from labnb import diagnostic


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def kill_tree(pid):
    """Kill a process and its children (the kernel JVM may be a child of a shell)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(")")[-1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    for child in children:
        kill_tree(child)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def peak_memory(pid):
    """The kernel JVM's peak resident memory in bytes (VmHWM), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def shut_down(km, pid):
    """Asks the kernel to shut down, waits up to 10 s, then kills its JVM by PID: whatever happened, it must go."""
    try:
        km.shutdown_kernel(now=False)
    except Exception:  # noqa: BLE001 - whatever happened, the JVM must go
        pass
    deadline = time.time() + 10
    while alive(pid) and time.time() < deadline:
        time.sleep(0.2)
    if alive(pid):
        kill_tree(pid)


def first_error(nb):
    """The first error's cell and its one line: 'CompilerException: ';' expected', where the kernel gives a compile
    error's message only in its traceback."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                message = f"{out.get('ename', '')}: {out.get('evalue', '')}".strip(": ")
                if not out.get("evalue", "").strip() and out.get("traceback"):
                    trace = "\n".join(re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out["traceback"])
                    found = diagnostic(trace)
                    if found != trace:
                        message += f": {found}"
                return index, message
    return None


# The JVM's one line at start-up for the Vector API module the cnnlab kernel is started with (README, Under IJava).
SHUTDOWN_RACE = b"zmq.ZError$IOException: java.nio.channels.ClosedChannelException"
INCUBATOR_WARNING = b"WARNING: Using incubator modules:"


def kernel_stderr(into=None):
    """A pipe for a kernel's standard error that passes every line on to ours (or to `into`, a binary stream) but
    the JVM's incubator warning, which would otherwise stand before every notebook's line. Returns the write end,
    for the kernel, and the thread that pumps; it ends when every copy of the write end is closed."""
    read_end, write_end = os.pipe()

    def pump():
        out = into or sys.stderr.buffer
        in_race = False
        with os.fdopen(read_end, "rb") as lines:
            for line in lines:
                # JeroMQ's I/O thread, when the kernel shuts its sockets down under it, prints a trace of a closed
                # channel now and then: the kernel's end, not a problem, and not the notebook's
                if line.startswith(SHUTDOWN_RACE):
                    in_race = True
                    continue
                if in_race and line.startswith((b"\tat ", b"\t... ", b"Caused by: java.nio.channels.Closed")):
                    continue
                in_race = False
                if not line.startswith(INCUBATOR_WARNING):
                    out.write(line)
                    out.flush()

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    return write_end, pumping


# A course web site cannot load the scripts Debian's nbconvert points at on this disk (file:///usr/share/...): with
# --publish they are copied beside the pages, MathJax's only as far as the pages use it (TeX in, CommonHTML out)
SHIPPED = {"file:///usr/share/javascript/mathjax/": ("mathjax/", (
    "MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX", "jax/element",
    "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "localization/en")),
    "file:///usr/share/javascript/requirejs/": ("", ("require.min.js",))}


def publishable(text, out):
    """A page (or notebook) for a web site: its scripts from beside it, and no path of this machine in its outputs
    (an output naming /home/me/cnnlab/notebooks/x.npy names notebooks/x.npy)."""
    for local, (shipped, parts) in SHIPPED.items():
        if local not in text:
            continue
        source = Path(local[len("file://"):])
        for part in parts:
            target = out / shipped / part
            if target.exists():  # shipped with an earlier page of this site
                continue
            if (source / part).is_dir():
                shutil.copytree(source / part, target, dirs_exist_ok=True)
            elif (source / part).is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / part, target)
        text = text.replace(local, shipped)
    # the checkout as the launcher names it (a path through a symbolic link) and as it really lies, also as a page
    # writes it (an output's "R&D" is "R&amp;D" there)
    homes = {os.environ.get("CNNLAB_HOME", str(ROOT)), str(ROOT), os.path.realpath(ROOT)}
    escaped = {html.escape(h) for h in homes} | {html.escape(h, quote=False) for h in homes}
    escaped |= {h.replace("&#x27;", "&#39;") for h in escaped}   # a quote as nbconvert's Jinja escapes it
    for home in sorted(homes | escaped, key=len, reverse=True):
        text = text.replace(home.rstrip(os.sep) + os.sep, "")
    return text


def title_of(nb, path):
    """A notebook's first heading ("01 · Convolution"), or its file's name without one."""
    return next((line.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
                 for line in c.source.splitlines() if line.startswith("#")), path.stem)


SITE_TITLE = "cnnlab: the notebooks"


def index_page(out, notebooks):
    """index.html: each page's link under its notebook's first heading, and the notebook to download, for the
    site's front page."""
    items = []
    for path in notebooks:
        folder = out_dir(out, path)
        nb = nbformat.read(str(folder / path.name), as_version=4)
        page = (folder / (path.stem + ".html")).relative_to(out).as_posix()
        notebook = (folder / path.name).relative_to(out).as_posix()
        items.append(f'<li><a href="{html.escape(page)}">{html.escape(title_of(nb, path))}</a> '
                     f'<span style="color:#666">(<a style="color:#666" href="{html.escape(notebook)}" download>'
                     f'{html.escape(path.name)}</a>)</span></li>')
    (out / "index.html").write_text("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                                    "content=\"width=device-width, initial-scale=1\"><title>cnnlab notebooks</title>"
                                    "</head><body style=\"font-family:sans-serif;max-width:800px;margin:24px\">"
                                    f"<h1>{SITE_TITLE}</h1><ul>" + "".join(items) + "</ul></body></html>\n",
                                    encoding="utf-8")


def with_navigation(page, path, out, notebooks):
    """A published page with a bar at its top: back to the site's index, and the previous and next notebook."""
    here = out_dir(out, path)

    def link(target, text):
        href = os.path.relpath(out_dir(out, target) / (target.stem + ".html"), here) if target else None
        return f'<a href="{html.escape(Path(href).as_posix())}">{text}</a>' if href else ""

    at = notebooks.index(path)
    parts = [f'<a href="{html.escape(Path(os.path.relpath(out / "index.html", here)).as_posix())}">{SITE_TITLE}</a>',
             link(notebooks[at - 1] if at > 0 else None, "&larr; previous"),
             link(notebooks[at + 1] if at + 1 < len(notebooks) else None, "next &rarr;")]
    bar = ('<nav style="font-family:sans-serif;padding:8px 16px;border-bottom:1px solid #ddd">'
           + " &middot; ".join(p for p in parts if p) + "</nav>")
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + bar, page, count=1)


def check_results(path):
    """The lab checks' results a run wrote (CNNLAB_RESULTS), one per exercise, the last of each: the line under a
    lab notebook's "ok", since the notebook runs to the end whatever its checks say."""
    found = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            r = json.loads(line)
            found[str(r["exercise"])] = (float(r["points"]), float(r["max"]), str(r.get("status", "")))
        except (ValueError, KeyError, TypeError):
            continue
    return [(exercise, *result) for exercise, result in found.items()]


def checks_line(results):
    """'checks: lab2 ex1 4/4, lab2 ex2 2.5/4 (not attempted ...)' for check_results' list; '' for none."""
    if not results:
        return ""
    parts = [f"{exercise} {points:g}/{most:g}" + ("" if status in ("passed", "failed", "partial") else f" {status}")
             for exercise, points, most, status in results]
    return "     checks: " + ", ".join(parts) + " (public cases; hidden ones run when graded)"


def run(path, out_dir, cell_seconds, kernel_name, publish=None):
    """Runs one notebook; `publish` is (site folder, every notebook of the site) for a page of a web site."""
    nb = nbformat.read(path, as_version=4)
    results = tempfile.NamedTemporaryFile(prefix="cnnlab-run-", suffix=".jsonl", delete=False)
    results.close()
    env = dict(os.environ, RJK_TIMEOUT_MILLIS=str(int(cell_seconds * 1000)), CNNLAB_RESULTS=results.name)
    env.pop("CNNLAB_GRADING", None)
    km = KernelManager(kernel_name=kernel_name)
    started = time.time()
    stderr, pumping = kernel_stderr()
    try:
        km.start_kernel(cwd=str(path.parent.resolve()), env=env, stderr=stderr)
    except NoSuchKernel:
        os.unlink(results.name)
        sys.exit(f"run_notebooks: there is no '{kernel_name}' kernel; "
                 "run ./cnnlab setup (it installs it under build/jupyter)")
    finally:
        os.close(stderr)  # the kernel has its own copy; the pump ends when the kernel does
    pid = km.provisioner.process.pid
    problem = None
    try:
        client = NotebookClient(nb, km=km, timeout=int(cell_seconds) + 30, startup_timeout=90,
                                kernel_name=kernel_name, resources={"metadata": {"path": str(path.parent)}})
        client.execute()
    except CellExecutionError:
        problem = "error"
    except CellTimeoutError:
        problem = "timeout"
    except DeadKernelError:
        problem = "the kernel died"
    finally:
        peak = peak_memory(pid)
        shut_down(km, pid)
        pumping.join(5)  # the kernel's last words (a JVM's crash report, say) before the notebook's line
        checks = check_results(results.name)
        os.unlink(results.name)
    seconds = time.time() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    # the page's title (the browser's tab) is the notebook's first heading, not "Notebook"
    page, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, path)}})
    notebook = nbformat.writes(nb)
    if publish:
        site, notebooks = publish
        page = with_navigation(publishable(page, out_dir), path, site, notebooks)
        notebook = publishable(notebook, out_dir)
    (out_dir / path.name).write_text(notebook, encoding="utf-8")
    (out_dir / (path.stem + ".html")).write_text(page, encoding="utf-8")
    if problem:
        found = first_error(nb)
        if found:
            index, message = found
            count = nb.cells[index].get("execution_count")  # what Jupyter shows beside the cell, In [3]
            where = f"cell {index + 1}" + (f" (In [{count}])" if count else "")
            return seconds, f"{where}: {message.splitlines()[0] if message else problem}", pid, peak, checks
        return seconds, problem, pid, peak, checks
    return seconds, None, pid, peak, checks


ROOT = Path(__file__).resolve().parents[4]


def out_dir(out, path):
    """Where a notebook's executed copy goes: `out` for the project's own notebooks/ and lab-exercises/, and a
    folder named after its own for any other (a student's my-labs/lab1-convolution.ipynb must not replace the
    copy of lab-exercises/lab1-convolution.ipynb)."""
    folder = path.resolve().parent
    if folder in (ROOT / "notebooks", ROOT / "lab-exercises"):
        return out
    return out / folder.name


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/notebooks"))
    parser.add_argument("--cell-seconds", type=float, default=300)
    parser.add_argument("--kernel", default="cnnlab")
    parser.add_argument("--repeat", type=int, default=1, help="run each notebook this many times (reliability)")
    parser.add_argument("--expect-error", action="store_true", help="succeed only if every notebook fails")
    parser.add_argument("--publish", action="store_true", help="pages for a web site: scripts copied beside them, "
                                                               "no local paths, and an index.html")
    args = parser.parse_args()
    failures = 0
    began = time.time()
    for path in args.notebooks:
        if not path.is_file():
            sys.exit(f"run_notebooks: no notebook {path}")
    out = args.out
    if args.publish:
        problem = site_folder_problem(args.out)
        if problem:
            sys.exit(f"publish: {problem}")
        # every page goes to a folder inside the site first (the same file system, and a site folder of one's own
        # under a web root that is not), and into the site only if every notebook ran: a failed notebook never
        # replaces a good page of a site that is online
        created = not args.out.exists()
        args.out.mkdir(parents=True, exist_ok=True)
        for left in args.out.glob(STAGING + "*"):   # a publish ended by a signal that skipped its clean-up
            shutil.rmtree(left, ignore_errors=True)
        out = Path(tempfile.mkdtemp(dir=args.out, prefix=STAGING))
        print(f"publishing {len(args.notebooks)} notebooks into {args.out}", flush=True)
    committed = False
    if args.publish:   # a closed terminal or a cancelled job ends the publish through its clean-up below
        for ending in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(ending, lambda number, frame: sys.exit(128 + number))
    try:
        failures = run_all(args, out)
        if args.publish and not failures:
            index_page(out, args.notebooks)
            commit_site(out, args.out)
            committed = True
    finally:
        if args.publish:
            shutil.rmtree(out, ignore_errors=True)
            if created and not committed and not any(args.out.iterdir()):
                args.out.rmdir()   # a site folder this publish made, and left empty
    runs = len(args.notebooks) * args.repeat
    print(f"notebooks: {runs - failures} passed, {failures} failed, {time.time() - began:.1f} s in all", flush=True)
    if args.publish and failures:
        print(f"publish: nothing published, {args.out} is as it was", flush=True)
    sys.exit(1 if failures else 0)


def run_all(args, out):
    """Runs every notebook (args.repeat times) into `out`, a line each; returns how many failed."""
    failures = 0
    for path in args.notebooks:
        for attempt in range(args.repeat):
            seconds, problem, pid, peak, checks = run(path, out_dir(out, path), args.cell_seconds, args.kernel,
                                                      (out, args.notebooks) if args.publish else None)
            left = " (kernel JVM still running!)" if alive(pid) else ""
            memory = f"  peak {peak / 2**30:.2f} GB" if peak else ""
            label = path.stem + (f" #{attempt + 1}" if args.repeat > 1 else "")
            if problem and args.expect_error:
                print(f"ok   {label:32s} {seconds:6.1f} s  failed as expected: {problem}{memory}{left}", flush=True)
            elif problem:
                print(f"FAIL {label:32s} {seconds:6.1f} s  {problem}{memory}{left}", flush=True)
            else:
                print(f"ok   {label:32s} {seconds:6.1f} s{memory}{left}", flush=True)
            line = checks_line(checks)
            if line:
                print(line, flush=True)
            failed = bool(problem) != args.expect_error or bool(left)
            failures += failed
    return failures


# the folder inside a site where a publish writes its pages before they replace the site's
STAGING = ".cnnlab-publish-"
# the files the last publish wrote into a site folder, one per line: the next publish removes those it does not
# write again (a renamed notebook's old page) and never touches anything else there
PUBLISHED = ".cnnlab-published"


def site_folder_problem(site):
    """Why `site` cannot take a published site (None if it can): a file, the checkout itself or a folder above
    it, or one of its folders of sources (publishing into notebooks/ filled the notebooks with outputs)."""
    site = Path(os.path.realpath(site))
    root = Path(os.path.realpath(ROOT))
    if site.exists() and not site.is_dir():
        return f"{site} is a file, not a folder"
    if site == root or root.is_relative_to(site):
        return f"{site} holds the cnnlab folder itself; name a folder of its own (default: build/publish)"
    for sources in ("notebooks", "lab-exercises", "my-labs", "toolkit", "datasets", "docs", "bench", ".git"):
        if site.is_relative_to(root / sources):
            return (f"{site} is in the cnnlab folder's {sources}/, which publishing would fill with pages and run "
                    "copies; name a folder of its own (default: build/publish)")
    return None


def commit_site(staged, site):
    """Moves a staged site's files into `site`: each file replaced whole, the files of the last publish that this
    one did not write removed (its list, PUBLISHED), everything else in the folder left alone."""
    site.mkdir(parents=True, exist_ok=True)
    written = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    try:
        before = (site / PUBLISHED).read_text(encoding="utf-8").splitlines()
    except OSError:
        before = []
    for name in written:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / name, site / name)
    for name in sorted(set(before) - set(written) - {PUBLISHED, ""}):
        gone = site / name
        if ".." in Path(name).parts or Path(name).is_absolute() or not gone.is_file():
            continue   # a list edited by hand names nothing outside the site
        gone.unlink()
        for folder in gone.parents:   # folders the removed files leave empty
            if folder == site or any(folder.iterdir()):
                break
            folder.rmdir()
    (site / PUBLISHED).write_text("".join(name + "\n" for name in written), encoding="utf-8")


if __name__ == "__main__":
    main()
