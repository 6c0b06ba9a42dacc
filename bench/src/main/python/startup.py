#!/usr/bin/env python3
"""Kernel start to first op on the cnnlab kernel, as a student's first minute goes: `./cnnlab bench --startup`.

Each run starts a fresh kernel in notebooks/ and times three steps one after the other:
  ready     from starting the kernel until it answers a kernel_info request;
  setup     the first two code cells of notebooks/01-convolution.ipynb (%jars, the imports, Notebook.setup());
  first op  one convolution, Cnn.conv2d on a 1x3x32x32 input (the fast engine loads oneDNN on its first).

--cache-dir DIR gives the kernel's JVM that JavaCPP cache (through JAVA_TOOL_OPTIONS). The first run into an
empty DIR pays for unpacking the native libraries, as a first run on a new machine does; the runs after it find
them there. Without it the kernel uses its usual cache.

Prints, as each run ends:  RUN <label> <ready s> <setup s> <first-op s>
and with --cache-dir, last, for each library unpacked there: UNPACKED <library> <MB>
Exits 1 with a message on stderr if the kernel is missing or a cell fails.
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "toolkit/src/main/python"))
from run_notebooks import shut_down  # noqa: E402  (the notebook runner's clean shutdown)

FIRST_OP = ("Cnn.conv2d(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32), Nd4j.rand(DataType.FLOAT, 8, 3, 3, 3))"
            ".shape().length")
CELL_SECONDS = 300


def setup_cells(notebook):
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    return cells[:2]


def execute(client, code, label):
    """Runs one cell; returns its wall-clock seconds. A failed cell ends the script with the kernel's message."""
    errors = []

    def keep_errors(msg):
        if msg["header"]["msg_type"] == "error":
            errors.append(f"{msg['content'].get('ename', '')}: {msg['content'].get('evalue', '')}")

    started = time.perf_counter()
    reply = client.execute_interactive(code, timeout=CELL_SECONDS, output_hook=keep_errors, allow_stdin=False)
    seconds = time.perf_counter() - started
    if reply["content"]["status"] != "ok":
        problem = errors[0] if errors else reply["content"].get("evalue", reply["content"]["status"])
        raise RuntimeError(f"{label} failed: {problem}")
    return seconds


def one_run(kernel, cells, cache_dir):
    env = dict(os.environ)
    if cache_dir:
        option = f"-Dorg.bytedeco.javacpp.cachedir={cache_dir}"
        env["JAVA_TOOL_OPTIONS"] = (env.get("JAVA_TOOL_OPTIONS", "") + " " + option).strip()
    km = KernelManager(kernel_name=kernel)
    started = time.perf_counter()
    try:
        km.start_kernel(cwd=str(ROOT / "notebooks"), env=env)
    except NoSuchKernel:
        sys.exit(f"startup: there is no '{kernel}' kernel; run ./cnnlab setup (it installs it under build/jupyter)")
    pid = km.provisioner.process.pid
    client = km.client()
    try:
        client.start_channels()
        client.wait_for_ready(timeout=CELL_SECONDS)
        ready = time.perf_counter() - started
        setup = sum(execute(client, cell, "the setup cells") for cell in cells)
        first_op = execute(client, FIRST_OP, "the first op")
        return ready, setup, first_op
    finally:
        client.stop_channels()
        shut_down(km, pid)


def megabytes(folder):
    return sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def library(folder):
    """JavaCPP names a library's folder after its jar: nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar gives
    nd4j-native-onednn-avx2, dnnl-2.5.2-1.5.7-linux-x86_64.jar gives dnnl."""
    stem = folder.name.removesuffix(".jar")
    found = re.match(r"(.+?)-\d.*?linux-x86_64-?(.*)$", stem)
    if not found:
        return stem.replace(" ", "_")
    return found.group(1) + ("-" + found.group(2) if found.group(2) else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="kernels to start, one after the other")
    parser.add_argument("--cache-dir", help="JavaCPP cache for the kernel's JVM (empty: the first run unpacks)")
    parser.add_argument("--kernel", default="cnnlab")
    parser.add_argument("--notebook", default=str(ROOT / "notebooks/01-convolution.ipynb"))
    args = parser.parse_args()
    cells = setup_cells(args.notebook)
    cold = bool(args.cache_dir) and not any(Path(args.cache_dir).glob("*"))
    for i in range(args.runs):
        label = "cold" if cold and i == 0 else "warm"
        try:
            ready, setup, first_op = one_run(args.kernel, cells, args.cache_dir)
        except RuntimeError as e:
            sys.exit(f"startup: run {i + 1}: {e}")
        print(f"RUN {label} {ready:.3f} {setup:.3f} {first_op:.3f}", flush=True)
    if args.cache_dir:
        for folder in sorted(Path(args.cache_dir).iterdir()):
            print(f"UNPACKED {library(folder)} {megabytes(folder):.1f}", flush=True)


if __name__ == "__main__":
    main()
