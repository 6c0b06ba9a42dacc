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
import os
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


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
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return index, f"{out.get('ename', '')}: {out.get('evalue', '')}".strip()
    return None


# The JVM's one line at start-up for the Vector API module the cnnlab kernel is started with (README, Under IJava).
INCUBATOR_WARNING = b"WARNING: Using incubator modules:"


def kernel_stderr(into=None):
    """A pipe for a kernel's standard error that passes every line on to ours (or to `into`, a binary stream) but
    the JVM's incubator warning, which would otherwise stand before every notebook's line. Returns the write end,
    for the kernel, and the thread that pumps; it ends when every copy of the write end is closed."""
    read_end, write_end = os.pipe()

    def pump():
        out = into or sys.stderr.buffer
        with os.fdopen(read_end, "rb") as lines:
            for line in lines:
                if not line.startswith(INCUBATOR_WARNING):
                    out.write(line)
                    out.flush()

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    return write_end, pumping


def run(path, out_dir, cell_seconds, kernel_name):
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, RJK_TIMEOUT_MILLIS=str(int(cell_seconds * 1000)))
    km = KernelManager(kernel_name=kernel_name)
    started = time.time()
    stderr, pumping = kernel_stderr()
    try:
        km.start_kernel(cwd=str(path.parent.resolve()), env=env, stderr=stderr)
    except NoSuchKernel:
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
    seconds = time.time() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out_dir / path.name)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / (path.stem + ".html")).write_text(html, encoding="utf-8")
    if problem:
        found = first_error(nb)
        if found:
            index, message = found
            return seconds, f"cell {index + 1}: {message.splitlines()[0] if message else problem}", pid, peak
        return seconds, problem, pid, peak
    return seconds, None, pid, peak


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
    args = parser.parse_args()
    failures = 0
    began = time.time()
    for path in args.notebooks:
        if not path.is_file():
            sys.exit(f"run_notebooks: no notebook {path}")
        for attempt in range(args.repeat):
            seconds, problem, pid, peak = run(path, out_dir(args.out, path), args.cell_seconds, args.kernel)
            left = " (kernel JVM still running!)" if alive(pid) else ""
            memory = f"  peak {peak / 2**30:.2f} GB" if peak else ""
            label = path.stem + (f" #{attempt + 1}" if args.repeat > 1 else "")
            if problem and args.expect_error:
                print(f"ok   {label:32s} {seconds:6.1f} s  failed as expected: {problem}{memory}{left}", flush=True)
            elif problem:
                print(f"FAIL {label:32s} {seconds:6.1f} s  {problem}{memory}{left}", flush=True)
            else:
                print(f"ok   {label:32s} {seconds:6.1f} s{memory}{left}", flush=True)
            failed = bool(problem) != args.expect_error or bool(left)
            failures += failed
    runs = len(args.notebooks) * args.repeat
    print(f"notebooks: {runs - failures} passed, {failures} failed, {time.time() - began:.1f} s in all", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
