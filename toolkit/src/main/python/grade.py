#!/usr/bin/env python3
"""Grade a class of lab submissions: `./cnnlab grade SUBMISSIONS_DIR` calls this.

Layout: SUBMISSIONS_DIR/<student>/<lab>.ipynb (lab names as in lab-exercises/, e.g. lab1-convolution.ipynb).

Why Python drives this: grading means starting and killing Jupyter kernels, and a kernel can die in any way
(System.exit, out of memory, a loop that ignores interrupts). A driver outside every kernel JVM, in its own
process per submission, survives all of that and can kill whatever is left by PID. The gradebook, summary and
feedback pages are then written by Java (cnnlab.grade.Gradebook, Tablesaw + XChart) from the results here.

Per submission (a child process `grade.py _one`): the instructor's header and check cells are restored into
the student's notebook, the notebook runs cell by cell in a fresh kernel with hidden cases on
(CNNLAB_GRADING=1, a per-student seed), a per-cell limit (the kernel's own timeout), a per-notebook limit, and
a memory cap (-Xmx and JavaCPP's maxphysicalbytes for the JVM, plus a watchdog on the kernel's resident
memory). Each check cell appends one JSON line to CNNLAB_RESULTS; only a line written while its own check cell
runs counts. The result is written atomically to OUT/results/<student>/<lab>.json and reused by later runs
while the submission, the instructor's checks, the seed and the limits are unchanged.
"""
import argparse
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import unicodedata
import time
from pathlib import Path

from labnb import (BEGIN, END, LabError, check_points, diagnostic, from_caller, lab_id, load_labs, meta,
                   points_differences, sha256, source, write_atomic)

GRADER_VERSION = 3  # 2: a cell that reaches its limit is noted even without an error output; 3: the lab checks'
#                      sources are part of the key, and results record what --merge checks them against
HERE = Path(__file__).resolve().parent
TOKEN_VAR = "CNNLAB_GRADE_TOKEN"
TEXT = ("-Dfile.encoding=UTF-8", "-Duser.language.format=en", "-Duser.country.format=US")  # as the launcher's
NOTE_SEPARATOR = "\n---\n"  # between the notes of one submission in submissions.csv (a note may span lines)
CHECK_FIELDS = ("exercise", "title", "points", "max", "status", "public", "hidden", "feedback")


# ------------------------------------------------------------------------------------------- processes

def processes_with_token(token):
    """PIDs of our processes whose environment carries this grading token (kernels, their JVMs, children).

    A token matches itself and every token it prefixes with a '-'; the empty token matches every token."""
    needle = f"{TOKEN_VAR}={token}".encode()
    if not token:
        needle = needle[:-1]
    pids = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            data = environ.read_bytes()
        except OSError:
            continue
        if any(v == needle or v.startswith(needle + (b"-" if token else b"=")) for v in data.split(b"\0")):
            pids.append(int(environ.parent.name))
    return [p for p in pids if p not in ancestry()]


def ancestry():
    """This process and its parents: a grader's child runs under bwrap (SANDBOXED), which carries its token too
    and must not be killed by it (bwrap would take the child with it)."""
    chain, pid = set(), os.getpid()
    while pid > 1 and pid not in chain:
        chain.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return chain


def kill_token(token):
    """SIGKILL every process started for this token; returns how many were still alive."""
    killed = 0
    for pid in processes_with_token(token):
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except OSError:
            pass
    return killed


def tree(pid):
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[-1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


# ------------------------------------------------------------------------------------------- the sandbox

# What a student's kernel may read of /etc: the dynamic linker's cache, Java's and fontconfig's settings, names.
# Not the rest (with root's permissions, /etc/shadow is readable).
SANDBOX_ETC = ("alternatives", "fonts", "group", "host.conf", "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
               "localtime", "nsswitch.conf", "passwd", "timezone")
# The environment a kernel keeps of the grader's: none of the instructor's own variables (tokens, keys, paths)
KEPT_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "JAVA_HOME", "LD_LIBRARY_PATH")


def kernel_env(env, work):
    """The grader's environment cut down to what a JVM needs, with the kernel's folder as its home, and the real
    folder of `java` first on PATH (the sandbox shows the JDK where it lies, not a linked folder such as SDKMAN's)."""
    kept = {k: v for k, v in env.items() if k in KEPT_ENV or k.startswith("LC_")}
    java = shutil.which("java", path=kept.get("PATH"))
    if java:
        kept["PATH"] = str(Path(os.path.realpath(java)).parent) + os.pathsep + kept.get("PATH", "")
    return dict(kept, HOME=str(work))


def sandbox_args(work, argv, spec_env):
    """bwrap's arguments that run `argv` (a kernel) where it sees the system, Java and the toolkit's jars read-only,
    its own folder `work` writable, and nothing else of the machine's files: not the solutions in lab-exercises/ (nor
    the test classes beside the jars, whose students' functions are working answers), not OUT/seed.txt or the other
    results, not the other submissions, not the instructor's home. Its own /proc (so no other process's environment
    either) and no capabilities; the network is cut off by the bwrap around the grader's child (SANDBOXED)."""
    # /tmp and JavaCPP's cache folder are the kernel's own, on disk in `work`: a /tmp in memory would let a
    # student's files fill the machine's memory unseen by the watchdog. /tmp first: a bind made before it under
    # /tmp (a checkout in /tmp/cnnlab) would be hidden by it
    scratch = work / ".sandbox"
    for folder in ("tmp", "javacpp"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    args = ["bwrap", "--ro-bind", "/usr", "/usr", "--bind", str(scratch / "tmp"), "/tmp"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    etc = [f"/etc/{name}" for name in SANDBOX_ETC] + [str(p) for p in Path("/etc").glob("java-*")]
    readable = set(etc + ["/var/cache/fontconfig"])
    java = shutil.which("java")
    if java:  # a JDK outside /usr (/opt, ~/.sdkman): kernel_env puts its real bin/ first on PATH
        readable.add(str(Path(os.path.realpath(java)).parents[1]))
    for i, arg in enumerate(argv):  # the kernel's own jars, each file alone
        if i > 0 and argv[i - 1] in ("-cp", "-classpath", "--class-path"):
            readable.update(str(Path(jar).resolve()) for jar in arg.split(os.pathsep) if jar)
    home = spec_env.get("CNNLAB_HOME")
    if home:  # the toolkit's jar and its libraries (%jars), the sample photos and data sets
        target = Path(home).resolve() / "toolkit" / "target"
        readable.update([str(target / "cnnlab-toolkit.jar"), str(target / "lib"),
                         str(Path(home).resolve() / "datasets")])
    for path in sorted(readable):
        if not path.startswith("/usr/"):
            args += ["--ro-bind-try", path, path]
    args += ["--ro-bind-try", "/sys", "/sys", "--proc", "/proc", "--dev", "/dev"]
    # ND4J's native libraries, unpacked once into ~/.javacpp/cache (warm_natives). JavaCPP uses a cache folder it
    # can write to, else unpacks all 440 MB again into /tmp: the folder is the kernel's own, each library's folder
    # in it the real one, read-only
    cache = javacpp_cache()
    if cache.is_dir():
        args += ["--bind", str(scratch / "javacpp"), str(cache)]
        for library in sorted(p for p in cache.iterdir() if p.is_dir()):
            args += ["--ro-bind", str(library), str(library)]
    args += ["--bind", str(work), str(work), "--chdir", str(work),
             "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent"]
    if os.getuid() == 0:
        args += ["--cap-drop", "ALL"]  # root keeps its capabilities in the sandbox otherwise
    return args + ["--"]


# The grader's child and its kernel in a network of their own, only a loopback between them: a notebook can reach
# no other kernel (they listen on the machine's loopback, and one unsigned message ends a kernel's shell thread),
# no local service, and nothing outside. The child itself sees the machine's files as they are.
SANDBOXED = ["bwrap", "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--"]


def kernel_argv(kernel):
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(kernel)
    return spec.argv, spec.env


def sandbox_problem(kernel):
    """None when a kernel can run in the sandbox here; else why not, in a few words."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        argv, env = kernel_argv(kernel)
    except Exception as e:  # noqa: BLE001
        return f"the kernel '{kernel}' has no spec ({e})"
    work = Path(tempfile.mkdtemp(prefix="cnnlab-sandbox-"))
    try:
        # the kernel's own command, up to loading its main class from its jars in the sandbox (java --dry-run)
        if "java" not in argv:
            return f"the kernel '{kernel}' does not start with java ({argv[:3]})"
        at = argv.index("java")
        probe = [a for a in argv[:at + 1] + ["--dry-run"] + argv[at + 1:] if a != "{connection_file}"]
        done = subprocess.run(SANDBOXED + sandbox_args(work, argv, env) + probe, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=60,
                              env=dict(kernel_env(os.environ, work), **env))
        if done.returncode != 0:
            return "the kernel's Java could not start in bwrap here: " + " | ".join(
                l for l in done.stdout.strip().splitlines() if "incubator" not in l)[-300:]
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap could not run here ({e})"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return None


def javacpp_cache():
    """Where JavaCPP keeps the native libraries it unpacks: under Java's user.home, which is passwd's, not $HOME."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir) / ".javacpp" / "cache"


def warm_natives(jar):
    """ND4J unpacks its native libraries (about 440 MB) on its first run into ~/.javacpp, which a sandboxed kernel
    may only read: one JVM outside the sandbox unpacks them first, if no kernel has yet."""
    if any(javacpp_cache().glob("nd4j-native-*")):
        return
    work = Path(tempfile.mkdtemp(prefix="cnnlab-warm-"))
    try:
        (work / "Warm.java").write_text("class Warm { public static void main(String[] a) { "
                                        "System.out.println(org.nd4j.linalg.factory.Nd4j.zeros(1)); } }\n")
        subprocess.run(["java", "-cp", str(Path(jar).resolve()), str(work / "Warm.java")], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=600, cwd=work)
    except (OSError, subprocess.TimeoutExpired):
        pass  # the kernels say what is wrong, if anything is
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rss_mb(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# ------------------------------------------------------------------------------------------- one submission

def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def outcome(student, lab, status, reason, exercises=None, **extra):
    exercises = exercises or [dict(exercise=c["id"], title="", points=0, max=c["points"], status="not run",
                                   public=None, hidden=None, feedback=reason) for c in lab.checks]
    return dict(student=student, lab=lab.id, notebook=lab.path.name, status=status, reason=reason,
                points=round(sum(e["points"] for e in exercises), 4), max=lab.max_points, exercises=exercises,
                **extra)


# what a file that is not a notebook starts with, for the 'invalid notebook' reason
DISGUISES = ((b"<<<<<<<", "a file with git's conflict markers (<<<<<<<) in it"),
             (b"%PDF", "a PDF"), (b"PK\x03\x04", "a zip archive (a .docx, or several files zipped)"),
             (b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"),
             (b"<", "HTML or XML, such as a web page saved from the browser"))


def disguised(path):
    """'it is a PDF, renamed: hand in the .ipynb file that Jupyter saves', or None for a file of no known kind."""
    try:
        with open(path, "rb") as f:
            start = f.read(8).lstrip()
    except OSError:
        return None
    kind = next((name for magic, name in DISGUISES if start.startswith(magic)), None)
    if kind and kind.startswith("a file with"):
        return f"it is {kind}: resolve the conflict, or hand in the notebook as Jupyter saves it"
    return f"it is {kind}, renamed: hand in the .ipynb file that Jupyter saves (File ▸ Save)" if kind else None


def labs_in(nb):
    found = set()
    for cell in nb.get("cells", []):
        for key in ("exercise", "check"):
            v = meta(cell).get(key)
            if isinstance(v, str) and lab_id(v.split()[0]):
                found.add(v.split()[0])
    if not found:
        for cell in nb.get("cells", []):
            found.update(re.findall(r"\bCheck\.(lab\d+)\b", source(cell)))
    own = nb.get("metadata", {}).get("cnnlab", {})
    if isinstance(own, dict) and isinstance(own.get("lab"), str):
        found.add(own["lab"])
    return found


API_NAMES = ("Check", "CheckResult", "cnnlab")


def shadowing(lab, text):
    """Names of the check API (or of the header's own classes) that a student's cell declares again.

    In JShell a later declaration replaces an earlier one, so a student's `class Check` would answer the restored
    check cells in place of cnnlab.check."""
    names = set(API_NAMES) | set(re.findall(r"\b(?:class|record|interface|enum)\s+(\w+)", lab.header[1]))
    declared = set(re.findall(r"\b(?:class|record|interface|enum)\s+(\w+)", text))
    declared |= set(re.findall(r"\b(?:var|[A-Z]\w*(?:<[^>]*>)?)\s+(\w+)\s*=", text))
    return sorted(declared & names)


def assemble(lab, nb):
    """The notebook to run: the instructor's header, the student's cells, the instructor's check cells.

    Returns (cells, notes); each cell is (source, check or None, label for messages)."""
    checks = {c["id"]: c for c in lab.checks}
    header = lab.header_for_grading()
    cells = [(header[0], None, "header cell 1"), (header[1], None, "header cell 2")]
    notes, placed, late, tampered = [], set(), set(), []
    checked_at, exercise_of = {}, {}  # a check's cell number; the exercise whose ✏️ cell declares a class
    own = {name for c in nb.get("cells", []) if c.get("cell_type") == "code" for name in declared_types(source(c))}
    lab_cells = {source(c).strip() for c in lab.nb.get("cells", []) if c.get("cell_type") == "code"}
    for number, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") != "code":
            continue
        text = source(cell)
        check = meta(cell).get("check")
        if check in checks:
            if check in placed:
                notes.append(f"cell {number}: a second check cell for {check} was left out")
                continue
            # the check as released is the student's original too, when the instructor has fixed it since
            if sha256(text) not in (checks[check]["sha256"], lab.released.get(check)):
                notes.append(f"cell {number}: the check cell for {check} had been changed; the original was restored")
                tampered.append(check)
            cells.append((checks[check]["source"], checks[check], f"check cell {check} (your cell {number})"))
            placed.add(check)
            checked_at[check] = number
        elif check is not None:
            notes.append(f"cell {number}: marked as a check for '{check}', which this lab does not have; left out")
        elif text.lstrip().startswith("%"):
            if text.strip() != lab.header[0].strip():
                notes.append(f"cell {number}: magic commands are not run when grading; left out")
        elif text.strip() == lab.header[1].strip() or not text.strip():
            continue
        else:
            # an exercise's cell, or one the student added (where `var E = Cnn.reference();` would serve an exercise)
            added = "exercise" not in meta(cell) and text.strip() not in lab_cells
            used = toolkit_used(text, own) if "exercise" in meta(cell) or added else []
            if used:
                # the instructor's to-do, kept off the student's page (Gradebook.FOR_INSTRUCTOR)
                notes.append(f"for the instructor: cell {number}, " + (
                    "an exercise, calls the toolkit's own ops" if not added else
                    "which the student added, calls the toolkit's own ops") + f" ({', '.join(used)}); review it")
            shadows = shadowing(lab, text)
            if shadows:
                notes.append(f"cell {number}: declares {', '.join(shadows)}, which replaces the check API when grading; "
                             "FLAGGED: rename it")
            # Jupyter shows no cell numbers: an exercise's cell is also named by its ✏️ tag
            exercise = meta(cell).get("exercise")
            label = cell_label(number, text, exercise)
            below = out_of_order(label, exercise, declared_types(text), checked_at, exercise_of)
            notes.extend(text for text, _ in below)
            late.update(ex for _, ex in below)
            cells.append((text, None, label))
    for check in lab.checks:
        if check["id"] not in placed:
            notes.append(f"the check cell for {check['id']} was missing (deleted, or replaced by another cell); the "
                         "original was added at the end")
            tampered.append(check["id"])
            cells.append((check["source"], check, f"check cell {check['id']} (added)"))
    marked = [n for n, c in enumerate(nb.get("cells", []), 1) if c.get("cell_type") == "code" and any(
        BEGIN.match(line) or END.match(line) for line in source(c).split("\n"))]
    if marked:
        notes.append(f"for the instructor: {'cells' if len(marked) > 1 else 'cell'} {', '.join(map(str, marked))} "
                     f"still {'have' if len(marked) > 1 else 'has'} the solution markers (// BEGIN SOLUTION): this is "
                     "the instructor's notebook, not the release; review it")
    if tampered:  # a print of "all cases passed" where the check was is one to look at
        notes.append(f"for the instructor: the check cell of {', '.join(tampered)} was changed or removed (the "
                     "original ran); review it")
    if late:
        notes.append(f"for the instructor: work of {', '.join(sorted(late))} sits below its check, which ran before "
                     "it; its points may be lost to the order alone; review it")
    return cells, notes


# What an exercise is there to write and the toolkit already has: its ops, the output-size formula, Gabor kernels
# and banks, normalising and laying out a bank, its layers. The labs' solutions use plain Java only; conversions,
# pictures and constants (JavaArrays, Images, KernelGrid.AUTO) are not answers and are left out.
TOOLKIT_CALL = re.compile(r"\b(?:(Cnn|Shapes|Ops)\s*(?:\.|::)\s*(\w+)|(Gabor)\s*(?:\.|::)\s*(kernel|bank|colourBank)\b"
                          r"|(KernelGrid)\s*(?:\.|::)\s*(normalised|layout)\b)"
                          r"|\bcnnlab\.(?:ops|shape|filters|nn)\.[\w.]*")
CODE_ONLY = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)  # comments and strings, to blank out
COMMENTS = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def toolkit_used(text, own=()):
    """The toolkit's answers a cell's code calls (comments and strings left out, classes the notebook declares
    itself too), once each in order: ["Gabor.kernel", "cnnlab.ops.PoolParams"]."""
    found = []
    for m in TOOLKIT_CALL.finditer(CODE_ONLY.sub(" ", text)):
        parts = [g for g in m.groups() if g]
        name = f"{parts[0]}.{parts[1]}" if parts else m.group(0).rstrip(".")
        if parts and parts[0] in own:
            continue
        if name not in found:
            found.append(name)
    return found


def cell_label(number, text, exercise=None):
    """How notes name a student's cell, since Jupyter shows no numbers: an exercise's by its ✏️ tag, any other by its
    first line of code too: 'cell 7, ✏️ lab1 ex2', 'cell 9 ("while (true) { }")'."""
    if exercise:
        return f"cell {number}, ✏️ {exercise}"
    first = next((line.strip() for line in COMMENTS.sub(" ", text).splitlines() if line.strip()), "")
    return f"cell {number}" + (f' ("{first if len(first) <= 40 else first[:39].rstrip() + "…"}")' if first else "")


def emptied_exercises(lab, nb):
    """The exercises whose ✏️ cell a student emptied (or left only comments in): {exercise: (cell number, the
    classes the released cell declares)}."""
    released = {meta(c)["exercise"]: declared_types(source(c)) for c in lab.nb.get("cells", [])
                if c.get("cell_type") == "code" and "exercise" in meta(c)}
    return {meta(c)["exercise"]: (n, released.get(meta(c)["exercise"], []))
            for n, c in enumerate(nb["cells"], 1) if c.get("cell_type") == "code" and "exercise" in meta(c)
            and not COMMENTS.sub(" ", source(c)).strip()}


def missing(err, emptied):
    """Whether a check's error is that a class of an emptied ✏️ cell is not there (emptied: a value of
    emptied_exercises)."""
    return emptied is not None and any(re.search(rf"symbol:\s+(?:variable|class) {re.escape(name)}\b", err)
                                       for name in emptied[1])


def out_of_order(label, exercise, declares, checked_at, exercise_of):
    """Notes on code that runs after the check that grades it, as the notebook runs top to bottom: an exercise's ✏️
    cell below its check, or its class written again in a later cell (the work done below the untouched stub,
    which the check never sees). Records the classes an exercise cell declares in `exercise_of`.

    Returns (note, exercise) pairs."""
    notes = []
    if exercise:
        exercise_of.update({name: exercise for name in declares})
        if exercise in checked_at:
            notes.append((f"{label}, comes after its check (cell {checked_at[exercise]}), "
                          "which ran before it: move it above the check", exercise))
        return notes
    again = sorted({name for name in declares if exercise_of.get(name) in checked_at})
    for name in again:
        ex = exercise_of[name]
        notes.append((f"{label} declares {name} again, below the check of {ex} (cell {checked_at[ex]}), which "
                      f"graded the {name} of the ✏️ {ex} cell: write your code in that cell", ex))
    return notes


def read_new_lines(path, offset):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return [], offset
    end = data.rfind(b"\n") + 1  # a line counts once it is complete
    return data[:end].decode("utf-8", "replace").splitlines(), offset + end


def check_entry(check, lines):
    """The exercise's result from the lines its check cell wrote; None if it wrote none that parse."""
    mine, other = [], 0
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            other += 1
            continue
        if isinstance(record, dict) and record.get("exercise") == check["id"]:
            mine.append(record)
        else:
            other += 1
    if not mine:
        return None
    if len(mine) > 1 or other:
        return dict(exercise=check["id"], title=str(mine[-1].get("title", "")), points=0, max=check["points"],
                    status="error", public=None, hidden=None,
                    feedback=f"{len(mine) + other} result lines were written while this check ran (expected 1); "
                             "no points. Do not write to the results file.")
    r = mine[0]
    try:
        points = float(r.get("points", 0))
    except (TypeError, ValueError):
        points = 0.0
    points = min(max(points, 0.0), float(check["points"])) if points == points else 0.0
    return dict(exercise=check["id"], title=str(r.get("title", "")), points=round(points, 4), max=check["points"],
                status=str(r.get("status", "")), public=r.get("public"), hidden=r.get("hidden"),
                feedback=str(r.get("feedback", "")))


def cell_error(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            message = f"{out.get('ename', '')}: {out.get('evalue', '')}".strip(": ")
            trace = []
            for raw in out.get("traceback", []):
                if DIM in raw:  # a compile error's context lines: the line it marks and the diagnostic stay
                    if trace[-1:] != ["|    …"]:
                        trace.append("|    …")
                    continue
                raw = re.sub(r"\x1b\[48;[0-9;]*m([^\x1b]+)", r"»\1«", raw)  # a span marked by its background colour
                trace.append(re.sub(r"\x1b\[[0-9;]*m", "", raw).rstrip())  # the ^ under the error keeps its place
            detail = "\n".join(line for line in trace if line.strip() and line.strip() not in message)
            message = re.sub(r"\x1b\[[0-9;]*m", "", message) + (f"\n{detail}" if detail else "")
            short, found = shortened(message, 600), diagnostic(message)
            if found not in short:
                # javac's own line before its details ("method ... is not applicable", once per overload)
                upto = message[:message.index(found) + len(found)]
                short = shortened(upto, 500) + "\n…"
            return short
    return None


def declared_types(source):
    """The classes, records, interfaces and enums a cell declares (not words in its comments and strings)."""
    return re.findall(r"\b(?:class|record|interface|enum)\s+([A-Za-z_]\w*)", CODE_ONLY.sub(" ", source))


def not_compiled(err, uncompiled, this="this check"):
    """Why a cell could not find a student's class, when it is the class's own cell that did not compile:
    'Add did not compile (cell 4: illegal start of expression); fix that cell and this check runs'."""
    if "cannot find symbol" not in err:
        return None
    for name, (label, message) in uncompiled.items():
        if re.search(rf"symbol:\s+(?:variable|class) {re.escape(name)}\b", err):
            return f"{name} did not compile ({label}: {message}); fix that cell and {this} runs"
    return None


DIM = "\x1b[1;30m"  # how the kernel writes the lines around a compile error's own line


def shortened(text, limit):
    """At most about limit characters: the first line and the end, where a compiler puts its diagnostic after
    echoing the source (the middle is what gives way)."""
    if len(text) <= limit:
        return text
    first, _, rest = text.partition("\n")
    first = first[:limit // 4]
    tail = rest[-(limit - len(first) - 3):]
    if "\n" in tail[:-1]:
        tail = tail[tail.index("\n") + 1:]  # from a whole line
    return f"{first}\n…\n{tail}"


OUTPUT_CAP = 1 << 20  # characters of printed output kept per cell in the executed copy


def capped(client_class):
    """nbclient's client, keeping at most OUTPUT_CAP characters of each cell's printed output (a cell printing in
    a loop made a 35 MB executed copy and a grader process growing with it); the cells cut are in .cut."""

    class Capped(client_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.printed, self.cut = {}, set()

        def output(self, outs, msg, display_id, cell_index):
            if msg["msg_type"] == "stream":
                printed = self.printed.get(cell_index, 0) + len(msg["content"].get("text", ""))
                self.printed[cell_index] = printed
                if printed > OUTPUT_CAP:
                    self.cut.add(cell_index)
                    return None
            return super().output(outs, msg, display_id, cell_index)

    return Capped


def grade_one(spec):
    """Run one submission; returns its result dict. Never raises because of the submission."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    lab = next(l for l in load_labs(spec["source"]) if l.id == spec["lab"])
    lab.released = spec.get("released", {})
    student, path = spec["student"], Path(spec["path"])
    started = time.time()
    if path.stat().st_size == 0:
        return outcome(student, lab, "invalid notebook", f"{path.name} is empty (0 bytes): was it saved?")
    try:
        # utf-8-sig: an editor's byte-order mark in front is no reason for a 0 (Jupyter itself refuses the file)
        nb = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
    except (ValueError, UnicodeDecodeError) as e:
        return outcome(student, lab, "invalid notebook", f"{path.name} is not a valid notebook ("
                       + (disguised(path) or str(e)[:200]) + ")")
    try:
        found = labs_in(nb)
        if found and lab.id not in found:
            return outcome(student, lab, "different lab",
                           f"{path.name} holds {', '.join(sorted(found))}, not {lab.id}; was the wrong file submitted?")
        cells, notes = assemble(lab, nb)
        emptied = emptied_exercises(lab, nb)
    except (TypeError, AttributeError, ValueError) as e:  # JSON, but not a notebook's cells
        return outcome(student, lab, "invalid notebook", f"{path.name} is not a valid notebook ({str(e)[:200]})")
    work = Path(tempfile.mkdtemp(prefix="cnnlab-grade-", dir=spec.get("tmp")))
    results = work / "results.jsonl"
    results.touch()
    mem = spec["memory_mb"]
    env = dict(kernel_env(os.environ, work), CNNLAB_GRADING="1", CNNLAB_GRADE_SEED=str(spec["seed"]),
               CNNLAB_RESULTS=str(results),
               CNNLAB_CHECK_SECONDS=str(spec["check_seconds"]), RJK_TIMEOUT_MILLIS=str(int(spec["cell_seconds"] * 1000)),
               # English messages (the grader reads javac's, and feedback pages are in English), UTF-8, 0.5
               JAVA_TOOL_OPTIONS=f"-Xmx{mem // 2}m -XX:+UseSerialGC -Dorg.bytedeco.javacpp.maxphysicalbytes={mem}m "
                                 "-Duser.language=en -Duser.country=US " + " ".join(TEXT),
               **{TOKEN_VAR: spec["token"]})
    run_nb = nbformat.v4.new_notebook()
    run_nb.cells = [nbformat.v4.new_code_cell(text) for text, _, _ in cells]
    km = KernelManager(kernel_name=spec["kernel"])
    if spec.get("sandbox"):  # the connection file in the kernel's own folder: the only one the sandbox shows
        km.connection_file = str(work / "connection.json")
        km.kernel_spec.argv = sandbox_args(work, km.kernel_spec.argv, km.kernel_spec.env) + km.kernel_spec.argv
    client = capped(NotebookClient)(run_nb, km=km, timeout=int(spec["cell_seconds"]) + 20, startup_timeout=180,
                                    allow_errors=True, kernel_name=spec["kernel"])
    exercises, errors, stop, stopped_at, where = {}, [], None, None, None
    uncompiled = {}  # a class a cell declared but did not compile: its cell and the compiler's message
    killed_for_memory = threading.Event()
    done = threading.Event()
    pid = None
    try:
        km.start_kernel(cwd=str(work), env=env)
        pid = km.provisioner.process.pid

        def watchdog():
            limit = mem * 1.25 + 200  # the JVM itself (metaspace, code, threads) sits above its two caps
            while not done.wait(0.25):
                if rss_mb(tree(pid)) > limit:
                    killed_for_memory.set()
                    for p in tree(pid):
                        try:
                            os.kill(p, signal.SIGKILL)
                        except OSError:
                            pass
                    return

        threading.Thread(target=watchdog, daemon=True).start()
        deadline = started + spec["notebook_seconds"]
        offset = 0
        with client.setup_kernel():
            for index, ((text, check, label), cell) in enumerate(zip(cells, run_nb.cells)):
                left = deadline - time.time()
                if left <= 1:
                    stop, stopped_at = f"the notebook ran past its {spec['notebook_seconds']:g} s limit", label
                    where = f"stopped before {label}"
                    break
                client.timeout = max(1, int(min(spec["cell_seconds"] + 20, left)))
                cell_started = time.time()
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    where = f"stopped in {label}"
                    if time.time() >= deadline - 1:
                        stop = f"the notebook ran past its {spec['notebook_seconds']:g} s limit"
                    else:
                        stop = f"{label} did not finish and the kernel stopped answering"
                    stopped_at = label
                    break
                except DeadKernelError:
                    code = km.provisioner.process.poll() if km.provisioner else None
                    if killed_for_memory.is_set():
                        stop = f"{label} used more than the {mem} MB memory limit; the kernel was stopped"
                    else:
                        stop = f"the kernel died in {label} (exit code {code}: System.exit or a crash)"
                    stopped_at = label
                    break
                finally:
                    # the kernel's own limit ended the cell; code that prints may not show it (no error output)
                    hit_limit = time.time() - cell_started >= spec["cell_seconds"] - 0.5
                    if index in client.cut:
                        notes.append(f"{label} printed more than {OUTPUT_CAP >> 20} MB; the rest was left out")
                    if check is not None:
                        lines, offset = read_new_lines(results, offset)
                        # a check cell that did not end normally may have been cut short after its student's
                        # code wrote a line of its own (then halted the JVM): nothing it wrote counts
                        entry = check_entry(check, lines) if stopped_at != label else None
                        if entry is None:
                            err = cell_error(cell)
                            if stop:
                                status, why = ("timeout" if "limit" in stop or "did not finish" in stop else "error",
                                               f"no result: {stop}")
                            elif err and "EvaluationTimeoutException" in err:
                                status, why = "timeout", f"the check did not finish within {spec['cell_seconds']:g} s"
                            elif err and not not_compiled(err, uncompiled) and missing(err, emptied.get(check["id"])):
                                status = "not attempted"
                                why = f"not attempted: its ✏️ cell (cell {emptied[check['id']][0]}) is empty"
                            elif err:
                                cause = not_compiled(err, uncompiled) or err
                                status, why = "error", f"the check could not run: {cause}"
                            elif hit_limit:
                                status, why = "timeout", f"the check did not finish within {spec['cell_seconds']:g} s"
                            else:
                                status, why = "error", "the check reported no result"
                            entry = dict(exercise=check["id"], title="", points=0, max=check["points"], status=status,
                                         public=None, hidden=None, feedback=why)
                        exercises[check["id"]] = entry
                    else:
                        lines, offset = read_new_lines(results, offset)
                        if lines:
                            notes.append(f"{label} wrote a check result outside the lab's check cells; "
                                         "it does not count")
                if check is None and label.startswith("cell"):
                    err = cell_error(cell)
                    if err and "EvaluationTimeoutException" in err:
                        err = f"did not finish within the {spec['cell_seconds']:g} s cell limit (stopped)"
                    elif not err and hit_limit:
                        err = f"did not finish within the {spec['cell_seconds']:g} s cell limit"
                    if err:
                        errors.append(f"{label}: {not_compiled(err, uncompiled, 'this cell') or err}")
                    if err and "CompilerException" in err:
                        for name in declared_types(text):
                            uncompiled.setdefault(name, (label, diagnostic(err)))  # the first cell declaring it
    except Exception as e:  # noqa: BLE001 - the kernel did not start or the client broke: the grader's problem
        if stop is None:
            return outcome(student, lab, "grader error", f"{type(e).__name__}: {str(e)[:300]}",
                           seconds=round(time.time() - started, 1))
    finally:
        done.set()
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001
            pass
        if pid is not None:
            for p in tree(pid):
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        kill_token(spec["token"])
        if spec.get("executed"):
            try:
                executed = Path(spec["executed"])
                executed.parent.mkdir(parents=True, exist_ok=True)
                for (_, _, label), cell in zip(cells, run_nb.cells):  # the notes' and errors' names for the cells
                    if not cell.source.lstrip().startswith("%"):
                        cell.source = f"// grader: {label}\n" + cell.source
                nbformat.write(run_nb, str(executed))
            except Exception:  # noqa: BLE001
                pass
        shutil.rmtree(work, ignore_errors=True)
    if stop and stop.startswith("the kernel died") and all(c["id"] in exercises for c in lab.checks) \
            and not any(e["status"] == "error" and "no result" in e["feedback"] for e in exercises.values()):
        # System.exit in a cell below every check: each check has its result, and the grade stands
        notes.append(f"{stop}, after every check had run; the grade stands")
        stop = None
    rows = []
    for check in lab.checks:
        rows.append(exercises.get(check["id"]) or dict(
            exercise=check["id"], title="", points=0, max=check["points"], status="not run", public=None,
            hidden=None, feedback=f"not run: {stop}" if stop else "not run"))
    status = "graded" if stop is None else ("out of memory" if killed_for_memory.is_set() else
                                            "timeout" if "limit" in stop or "did not finish" in stop else "kernel died")
    reason = stop or ""
    if stop and where and stopped_at not in stop:
        reason = f"{stop} ({where})"
    flagged = [n for n in notes if "FLAGGED" in n]
    if flagged:  # results the student's own code may have written are worth nothing
        status, reason = "flagged", flagged[0].replace("; FLAGGED: rename it", "") + "; no points until reviewed"
        rows = [dict(r, points=0, status="flagged", feedback=f"{reason}\n{r['feedback']}") for r in rows]
    return outcome(student, lab, status, reason, rows, notes=notes, errors=errors,
                   seconds=round(time.time() - started, 1))


# ------------------------------------------------------------------------------------------- the class

def student_dirs(submissions):
    return sorted(p for p in Path(submissions).iterdir() if p.is_dir() and not p.name.startswith("."))


def lookalikes(names):
    """Groups of two or more names that differ only in letter case, spaces or Unicode form, each group sorted: graded as
    different students, they look like one in a gradebook."""
    groups = {}
    for name in names:  # NFC: macOS writes "é" in folder names as "e" and an accent, other systems as one letter
        groups.setdefault(" ".join(unicodedata.normalize("NFC", name).split()).casefold(), []).append(name)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def shown_name(name):
    """A folder's name quoted, and escaped beside it when it is not ASCII: é written two ways looks the same printed,
    and the escapes show the difference ('José' ('Jos\\xe9'), 'José' ('Jose\\u0301'))."""
    return repr(name) if name.isascii() else f"{name!r} ({ascii(name)})"


def named_lab(name):
    """The lab a file's name is for, letter case, spaces and separators aside ('Lab1 Convolution - Gus.ipynb',
    'lab 1.ipynb', 'lab1-draft.ipynb': lab1), or None."""
    m = re.match(r"lab(\d+)(?!\d)", re.sub(r"[\s_.-]+", "", Path(name).stem.lower()))
    return f"lab{int(m.group(1))}" if m else None


def candidates(folder, lab):
    """The notebooks in a student's folder that are this lab's, the exact name first: those named for it (named_lab),
    or, when none is, those whose cells are this lab's alone (an 'Untitled.ipynb' of lab1's ✏️ and check cells)."""
    exact = folder / lab.path.name
    others = sorted(p for p in folder.glob("*.ipynb") if p != exact)
    named = [p for p in others if named_lab(p.name) == lab.id]
    if not named and not exact.is_file():
        named = [p for p in others if named_lab(p.name) is None and labs_of(p) == {lab.id}]
    return ([exact] if exact.is_file() else []) + named


def labs_of(path):
    """The labs a notebook file's cells belong to (labs_in); none for a file that is not a notebook."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        return labs_in(nb) if isinstance(nb, dict) else set()
    except (OSError, ValueError, TypeError, AttributeError):
        return set()


def find_notebook(folder, lab):
    """The notebook graded: the file named for the lab, unless it is the release untouched and a copy beside it
    (a browser's second download, say) is not."""
    found = candidates(folder, lab)
    if len(found) > 1 and found[0].name == lab.path.name and untouched(found[0]):
        worked = [p for p in found[1:] if not untouched(p)]
        if worked:
            return worked[0]
    return found[0] if found else None


def exercise_states(path):
    """Each exercise cell of a notebook as "stub" (it still throws its 'not implemented yet'), "empty" (nothing but
    comments) or "written"; None for a file that is not a notebook."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        exercises = [source(c) for c in nb.get("cells", []) if "exercise" in meta(c)]
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    return ["stub" if "UnsupportedOperationException(" in s and "not implemented yet" in s else
            "empty" if not COMMENTS.sub(" ", s).strip() else "written" for s in exercises]


def untouched(path):
    """Whether a notebook is the release as handed out: every exercise cell still throws its stub. A file that is not
    a notebook is not untouched (it is graded, and its row says what is wrong)."""
    found = exercise_states(path)
    return bool(found) and all(state == "stub" for state in found)


def written(path):
    """How many of a notebook's exercise cells hold the student's code (0 for a file that is not a notebook)."""
    return (exercise_states(path) or []).count("written")


def file_notes(folder, lab, notebook):
    """Notes on the files handed in for this lab as they are now: graded from a file of another name, or other
    copies beside the one graded."""
    if notebook is None:
        return []
    exact = folder / lab.path.name
    replaced = notebook != exact and exact.is_file() and untouched(exact)  # find_notebook passed it over
    if replaced:
        notes = [f"graded from {notebook.name}: {lab.path.name} beside it is the release untouched (every exercise "
                 "still says 'not implemented yet')"]
    else:
        notes = [f"graded from {notebook.name}: the lab's file is named {lab.path.name}"] \
            if notebook.name != lab.path.name else []
    others = [p for p in candidates(folder, lab) if p != notebook and not (replaced and p == exact)]
    if others:
        notes.append(f"also handed in: {', '.join(p.name for p in others)}; not graded, {notebook.name} was (a lab is "
                     f"graded from the file named {lab.path.name}: keep one copy under that name)")
        graded = written(notebook)
        for p, more in ((p, written(p)) for p in others):
            if more > graded:
                notes.append(f"for the instructor: {p.name}, not graded, has more exercises written than "
                             f"{notebook.name} ({more} against {graded}): was the wrong copy handed in? Review it")
    return notes


def not_handed_in(folder, lab):
    """The 'missing' reason, read by the student too: 'lab2-pooling.ipynb was not handed in (found:
    Untitled.ipynb; a lab is graded from the file named lab2-pooling.ipynb)'."""
    found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
    shown = ", ".join(found[:4]) + (f" and {len(found) - 4} more" if len(found) > 4 else "")
    return f"{lab.path.name} was not handed in" + (
        f" (found: {shown}; a lab is graded from the file named {lab.path.name})" if found else "")


def shard_of(student, n):
    """1-based shard of a student: a hash, so adding students never moves the others."""
    return int(hashlib.sha256(student.encode("utf-8")).hexdigest()[:12], 16) % n + 1


def student_seed(seed, student, lab):
    return int(hashlib.sha256(f"{seed}:{student}:{lab}".encode()).hexdigest()[:15], 16)


def result_path(out, student, lab):
    return Path(out) / "results" / student / f"{lab.path.stem}.json"


LMS_HINT = ("An LMS's download of a whole class needs a folder per student first: the README's 'Submissions from "
            "an LMS' has the commands for Canvas, Moodle and Blackboard")


def plan(args, labs, warn=True):
    """Every (student, lab, notebook or None) of this shard."""
    students = student_dirs(args.submissions)
    if args.labs:
        wanted = set(args.labs.split(","))
        unknown = sorted(w for w in wanted if not any(w in (l.id, l.path.stem) for l in labs))
        if unknown:
            sys.exit(f"grade: no lab {', '.join(unknown)} in {args.source}; the labs are "
                     + ", ".join(l.id for l in labs))
        labs = [l for l in labs if l.id in wanted or l.path.stem in wanted]
    else:  # the labs somebody handed in
        labs = [l for l in labs if any(find_notebook(s, l) for s in students)]
        for lab in labs if warn else ():
            handed = [s.name for s in students if find_notebook(s, lab)]
            others = [l.id for l in labs if l is not lab]
            if len(handed) * 2 < len(students):
                print(f"grade: {lab.id} was handed in by {len(handed)} of {len(students)} students "
                      f"({', '.join(handed[:3])}{', …' if len(handed) > 3 else ''}); the others get a 'missing' row "
                      "for it" + (f". To grade only some labs: --labs {','.join(others)}" if others else ""),
                      flush=True)
    for group in lookalikes([s.name for s in students]) if warn else ():
        shown = [shown_name(n) for n in group]
        print(f"grade: {' and '.join(shown)} differ only in letter case, spaces or accents' encoding; they are "
              "graded as different students (rename a folder if they are one)", flush=True)
    for s in students if warn else ():
        if s.name != s.name.strip():
            print(f"grade: the folder {s.name!r} has a space at its start or end, which its rows keep (rename the "
                  "folder if that is not how the name is written)", flush=True)
    jobs, elsewhere = [], {}  # notebooks of no lab graded, by file name: one line each, not one per student
    strays = sorted(Path(args.submissions).glob("*.ipynb")) if warn else []
    if len(strays) == 1:
        print(f"grade: ignored {strays[0].name}: a submission belongs in <student>/<lab>.ipynb", flush=True)
    elif strays:  # a whole class in one folder, as an LMS downloads it
        first = ", ".join(p.name for p in strays[:2])
        print(f"grade: ignored {len(strays)} notebooks beside the students' folders ({first}, …): a submission "
              f"belongs in <student>/<lab>.ipynb. {LMS_HINT}", flush=True)
    for s in students:
        if args.shard and shard_of(s.name, args.shard[1]) != args.shard[0]:
            continue
        for other in sorted(s.glob("*.ipynb")) if warn else ():
            if any(find_notebook(s, lab) == other for lab in labs):
                continue
            same = next((lab for lab in labs if other in candidates(s, lab)), None)
            if same:
                print(f"grade: ignored {s.name}/{other.name}: {s.name}/{find_notebook(s, same).name} is the "
                      f"{same.id} notebook graded (a note on its row says so)", flush=True)
            else:
                elsewhere.setdefault(other.name, []).append(s.name)
        for lab in labs:
            jobs.append((s.name, lab, find_notebook(s, lab)))
            found = candidates(s, lab) if warn else []
            if len(found) >= 3:  # a browser's second download is one thing; several people's work another
                first = ", ".join(p.name for p in found[:2])
                print(f"grade: {s.name}/ holds {len(found)} notebooks that could be {lab.id} ({first}, …); only "
                      f"{find_notebook(s, lab).name} is graded. If they are several students' work, "
                      f"{LMS_HINT[0].lower()}{LMS_HINT[1:]}", flush=True)
    for name, who in sorted(elsewhere.items()):
        print(f"grade: ignored {name} of {plural(len(who), 'student')} ({', '.join(who[:3])}"
              f"{', …' if len(who) > 3 else ''}): not one of the labs graded", flush=True)
    return jobs, labs


def notebook_digest(notebook):
    return hashlib.sha256(notebook.read_bytes()).hexdigest() if notebook else "missing"


CHECKS_SOURCE = HERE.parent / "java/cnnlab/check"  # the lab checks: their cases, points and tolerances


def checks_digest(folder=CHECKS_SOURCE, lab=None):
    """The lab checks' Java sources with comments and white space left out: a fixed check regrades, while a
    comment, a rewrapped line or another JDK does not (a digest of the compiled classes changed with all three).
    For one lab ("lab2"), the other labs' LabNChecks.java are left out: fixing lab1's check regrades lab1 only."""
    h = hashlib.sha256()
    own = f"Lab{lab[3:]}Checks.java" if lab else None
    files = sorted(f for f in Path(folder).glob("*.java")
                   if lab is None or f.name == own or not re.fullmatch(r"Lab\d+Checks\.java", f.name))
    if not files:
        return "no check sources"
    for f in files:
        text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", f.read_text(encoding="utf-8"), flags=re.S)
        h.update(f.name.encode() + b"\0" + " ".join(text.split()).encode() + b"\0")
    return h.hexdigest()


def lab_checks(args, lab):
    """The digest of the checks one lab's grading runs (checks_digest), worked out once a run, before any notebook
    runs (grade_class): a check fixed while a run goes on is the next run's."""
    if lab.id not in args.checks:
        args.checks[lab.id] = checks_digest(lab=lab.id)
    return args.checks[lab.id]


def unchanged_checks(args, lab, then):
    """Whether checks recorded as `then` are the ones this run grades with: this lab's digest, or the whole package's,
    which results recorded before digests were per lab (unchanged if nothing in the package changed)."""
    return then == lab_checks(args, lab) or then is not None and then == getattr(args, "whole_checks", None)


def earlier(target):
    """A result file's result, or None."""
    try:
        return json.loads(Path(target).read_text())
    except (OSError, ValueError):
        return None


def reusable(args, student, lab, notebook):
    """The result kept for this submission when nothing it depends on changed (key_of), else None. A result keyed by
    the whole package's digest (before digests were per lab) stands if nothing in the package changed."""
    old = earlier(result_path(args.out, student, lab))
    seed_here = student_seed(args.seed, student, lab.id)
    if args.force or not isinstance(old, dict) or old.get("status") == "grader error":
        return None
    keys = (key_of(args, lab, notebook, seed_here), key_of(args, lab, notebook, seed_here, args.whole_checks))
    return old if old.get("key") in keys else None


def key_of(args, lab, notebook, seed, checks=None):
    """What a result is reused for: the same of all this. `checks`: the lab checks' digest, lab_checks by default."""
    return sha256(json.dumps([GRADER_VERSION, lab.fingerprint(), notebook_digest(notebook), seed, args.cell_seconds,
                              args.notebook_seconds, args.memory_mb, args.check_seconds,
                              checks or lab_checks(args, lab)]))


HEARTBEAT = float(os.environ.get("CNNLAB_GRADE_HEARTBEAT", 60))  # seconds between "running ..." lines
TMP = None  # one private folder per grading run: the children's specs (seeds) and the kernels' working folders


STOPPING = threading.Event()  # the run was interrupted: start no more children


def run_child(spec, hard_seconds):
    """Grade one submission in a child process; kill it and its kernel if it outlives hard_seconds."""
    if STOPPING.is_set():
        return None, "the grader was interrupted"
    spec_file = Path(tempfile.mkstemp(prefix="cnnlab-spec-", suffix=".json", dir=TMP)[1])
    spec["tmp"] = str(TMP)
    spec_file.write_text(json.dumps(spec))
    out_file = Path(str(spec_file) + ".out")
    env = dict(os.environ, **{TOKEN_VAR: spec["token"]})
    child = [sys.executable, str(HERE / "grade.py"), "_one", str(spec_file), str(out_file)]
    proc = subprocess.Popen((SANDBOXED if spec.get("sandbox") else []) + child, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        log, _ = proc.communicate(timeout=hard_seconds)
        hard_stop = None
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        log, _ = proc.communicate()
        hard_stop = f"the notebook ran past its {spec['notebook_seconds']:g} s limit (stopped by the grader)"
    finally:
        kill_token(spec["token"])
        spec_file.unlink(missing_ok=True)
    try:
        return json.loads(out_file.read_text()), None
    except (OSError, ValueError):
        tail = (log or b"").decode("utf-8", "replace").strip().splitlines()[-3:]
        return None, hard_stop or ("the grader's child process failed: " + " | ".join(tail))[:500]
    finally:
        out_file.unlink(missing_ok=True)


def grade_class(args):
    labs = load_labs(args.source)
    if not labs:
        sys.exit(f"grade: no lab notebooks in {args.source}")
    verify_release(args, labs)
    jobs, labs = plan(args, labs)
    for lab in labs:  # here, not in the pool's threads: a check fixed during the run is the next run's
        lab_checks(args, lab)
    if not jobs and args.shard and student_dirs(args.submissions):
        print(f"grade: shard {args.shard[0]}/{args.shard[1]} has none of the {len(student_dirs(args.submissions))} "
              "students (their names hash to other shards); nothing to grade", flush=True)
        write_atomic(args.out / "seed.txt", f"{args.seed}\n")  # a shard's seed is given: the other shards' one
        return 0
    if not jobs:
        sys.exit(f"grade: nothing to grade in {args.submissions} (expected <student>/<lab>.ipynb)")
    differences = points_differences(labs, check_points(args.jar))
    if differences:
        sys.exit("grade: nothing graded; a check cell's points and its check's differ:\n" + "\n".join(differences))
    write_atomic(args.out / "seed.txt", f"{args.seed}\n")  # only now: a run that grades nothing binds no seed
    args.sandbox = False
    if args.no_sandbox:
        print("grade: --no-sandbox: the notebooks run with your permissions and can read and change your files",
              flush=True)
    elif any(job[2] is not None for job in jobs):
        problem = sandbox_problem(args.kernel)
        if problem:
            print(f"grade: warning: no sandbox, {problem}. Each notebook then runs with your permissions: a student's"
                  " code could read the solutions and seed.txt and change other submissions. Install bubblewrap"
                  " (Debian, Ubuntu: sudo apt-get install bubblewrap)", flush=True)
        else:
            warm_natives(args.jar)
            args.sandbox = True
    global TMP
    TMP = tempfile.mkdtemp(prefix="cnnlab-grade-run-")
    out = Path(args.out)
    seed = args.seed
    # results whose notebook, checks, seed, limits and grader are as they were stand, and are not listed one by one
    reused = {(student, lab.id): old for student, lab, notebook in jobs
              if (old := reusable(args, student, lab, notebook)) is not None}
    total, started = len(jobs) - len(reused), time.time()
    # the tests name their runs, so that they look for their own processes only (another grader may be running)
    run = os.environ.get("CNNLAB_GRADE_RUN") or secrets.token_hex(6)
    students_n = len({j[0] for j in jobs})
    print(f"grade: {plural(len(jobs), 'submission')} ({plural(students_n, 'student')} × {plural(len(labs), 'lab')})"
          + (f", shard {args.shard[0]}/{args.shard[1]}" if args.shard else "")
          + (f"; {len(reused)} reused (unchanged since graded), {total} to grade" if reused else "")
          + f"; {args.jobs} at a time; limits {args.cell_seconds:g} s per cell, {args.notebook_seconds:g} s per "
            f"notebook, {args.memory_mb} MB", flush=True)
    lock, counter, running, moved = threading.Lock(), [0], {}, {}  # moved: (lab, why) -> submissions
    ran = []  # seconds of the submissions that ran a kernel (missing and unreadable ones take no time)
    # notebooks not reported yet
    to_run = [sum(1 for s_, lab, nb in jobs if nb is not None and (s_, lab.id) not in reused)]

    def report(student, lab, result, how):
        with lock:
            counter[0] += 1
            n = counter[0]
            if result.get("submitted"):
                to_run[0] -= 1
            if result["status"] not in ("missing", "invalid notebook", "different lab"):
                ran.append(result.get("seconds") or 0)
            left = to_run[0]
            eta = f"ETA {sum(ran) / len(ran) * left / args.jobs:.0f} s" if ran and left else \
                "last" if n == total else "no notebook left to run" if not left else None
            # a row with nothing handed in has no time of its own, and before a notebook ran there is no ETA
            said = [x for x in (how if result.get("submitted") else None, eta) if x]
            reason = f" — {result['reason']}" if result.get("reason") else ""
            # padded by the letters shown: an accent written apart (e and U+0301) takes no column of its own
            shown = student + " " * max(0, 16 - sum(not unicodedata.combining(c) for c in student))
            print(f"[{n:>{len(str(total))}}/{total}] {shown} {lab.id:<6} {result['points']:>6g}/{result['max']:<4g}"
                  f" {result['status']}{reason}" + (f" ({'; '.join(said)})" if said else ""), flush=True)

    finished = threading.Event()

    def heartbeat():  # a notebook may run for minutes: say what is running, once a minute
        while not finished.wait(HEARTBEAT):
            with lock:
                now = time.time()
                busy = ", ".join(f"{s}/{l} {now - t:.0f} s" for (s, l), t in sorted(running.items())
                                 if now - t >= HEARTBEAT / 2)
            if busy:
                print(f"grade: running {busy} (limit {args.notebook_seconds:g} s a notebook)", flush=True)

    threading.Thread(target=heartbeat, daemon=True).start()

    def one(job):
        student, lab, notebook = job
        if (student, lab.id) in reused:
            return reused[(student, lab.id)]
        target = result_path(out, student, lab)
        seed_here = student_seed(seed, student, lab.id)
        key = key_of(args, lab, notebook, seed_here)
        old = earlier(target)
        t0 = time.time()
        if notebook is None:
            result = outcome(student, lab, "missing", not_handed_in(Path(args.submissions) / student, lab))
        else:
            spec = dict(source=str(args.source), lab=lab.id, student=student, path=str(notebook), seed=seed_here,
                        cell_seconds=args.cell_seconds, notebook_seconds=args.notebook_seconds,
                        memory_mb=args.memory_mb, check_seconds=args.check_seconds, kernel=args.kernel,
                        sandbox=args.sandbox, released=lab.released,
                        token=f"{run}-{student}-{lab.id}",
                        executed=str(out / "executed" / student / lab.path.name))
            with lock:
                running[(student, lab.id)] = time.time()
            for attempt in (1, 2):  # a kernel that did not start is the machine's fault: one more try
                result, problem = run_child(spec, args.notebook_seconds + 120)
                if result is None:
                    status = "timeout" if "limit" in problem else "grader error"
                    result = outcome(student, lab, status, problem)
                if result["status"] != "grader error":
                    break
            with lock:
                running.pop((student, lab.id), None)
            if STOPPING.is_set():  # cut short by the interrupt: no result, a rerun grades it
                return None
        result.setdefault("seconds", round(time.time() - t0, 1))
        result["submitted"] = str(notebook) if notebook else None
        result["key"] = key
        # what --merge compares with the files it finds then
        result["graded_from"] = dict(notebook=notebook_digest(notebook), checks=lab.fingerprint(),
                                     lab_checks=lab_checks(args, lab), seed=args.seed)
        why, notes = regraded(old, result, lab, notebook, args)
        result["notes"] = result.get("notes", []) + notes
        if why and not notes:
            with lock:
                moved[(lab.id, why)] = moved.get((lab.id, why), 0) + 1
        write_atomic(target, json.dumps(result, indent=1) + "\n")
        report(student, lab, result, f"{result['seconds']:.1f} s")
        return result

    def terminated(signum, frame):  # kill, timeout, a closed session: as Ctrl-C, so no kernel is left running
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        list(pool.map(one, jobs))
    except KeyboardInterrupt:
        print("grade: interrupted; finished results are kept, a rerun grades the rest", file=sys.stderr, flush=True)
        pool.shutdown(wait=False, cancel_futures=True)
        STOPPING.set()  # no child started after this (a retry of a child just killed would write into TMP)
        for _ in range(50):  # a killed process may still be writing for a moment: until none is left, 5 s at most
            if kill_token(run) == 0:
                break
            time.sleep(0.1)
        for _ in range(3):
            shutil.rmtree(TMP, ignore_errors=True)  # the specs (seeds) and kernels' folders of the runs cut short
            if not Path(TMP).exists():
                break
            time.sleep(0.2)
        os._exit(130)
    pool.shutdown()
    finished.set()
    shutil.rmtree(TMP, ignore_errors=True)
    left = kill_token(run)
    took = time.time() - started
    print(f"grade: {plural(total, 'submission')} in {took:.1f} s" + (f"; killed {left} leftover processes" if left else ""),
          flush=True)
    for (lab_id_, why), n in sorted(moved.items()):
        print(f"grade: {lab_id_}: {plural(n, 'submission')} with other points than before ({why})", flush=True)
    return took


def verify_release(args, labs):
    """If a release manifest is there, the check cells graded must be the ones released: warns of each that is not,
    and gives each lab the SHA-256 of its check cells as released (lab.released, {} without a manifest)."""
    for lab in labs:
        lab.released = {}
    manifest = Path(args.release) / "checks.json"
    if not manifest.is_file():
        print(f"grade: no {manifest}; check cells are restored from {args.source} without a release to compare",
              flush=True)
        return
    kit = Path(args.release) / "cnnlab-students.tar.gz"
    if kit.is_file() and any(f.stat().st_mtime > kit.stat().st_mtime for f in Path(CHECKS_SOURCE).glob("*.java")):
        print(f"grade: the lab checks changed since {kit} was written: students who run them from it see the old "
              "ones; ./cnnlab release writes it again", flush=True)
    released = {l["lab"]: {c["id"]: c["sha256"] for c in l["checks"]} for l in json.loads(manifest.read_text())["labs"]}
    for lab in labs:
        lab.released = released.get(lab.id, {})
        now = {c["id"]: c["sha256"] for c in lab.checks}
        if lab.id in released and released[lab.id] != now:
            changed = sorted(k for k in set(now) | set(released[lab.id]) if now.get(k) != released[lab.id].get(k))
            print(f"grade: WARNING {lab.path.name}: check cells {', '.join(changed)} differ from the release in "
                  f"{manifest}; grading uses the instructor source (a student's cell as released is not a change)",
                  file=sys.stderr, flush=True)


def collect(args):
    """All results of the whole class (every shard) as CSV tables for the Java gradebook; never drops a student."""
    all_labs = load_labs(args.source)
    saved, args.shard = args.shard, None
    jobs, labs = plan(args, all_labs, warn=False)
    args.shard = saved
    # the gradebook keeps the labs graded in earlier runs (another --labs, another week): their results stand as they
    # were, not compared with this run's folder; a lab whose results are all 'missing' rows is not kept
    carried = [l for l in all_labs if l not in labs and graded_before(args.out, l)]
    ran = {(s, l.id) for s, l, _ in jobs}
    jobs = [(s, l, nb, True) for s, l, nb in jobs] + [
        (s.name, l, find_notebook(s, l), False) for l in carried for s in student_dirs(args.submissions)
        if (s.name, l.id) not in ran]
    # the gradebook's columns in lab order whatever this run's --labs: a spreadsheet or an LMS import reads by position
    jobs.sort(key=lambda job: (int(job[1].id[3:]), job[1].id))
    subs, checks = io.StringIO(), io.StringIO()
    # every value quoted: the gradebook's CSV reader trims unquoted ones, which made "abe" and "abe " one student
    sw, cw = (csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL) for f in (subs, checks))
    subs.write(",".join(["student", "lab", "notebook", "status", "reason", "points", "max", "seconds", "notes"]) + "\n")
    checks.write(",".join(["student", "lab", *CHECK_FIELDS]) + "\n")
    missing = stale = 0
    # said once a group of folders, on its first folder's row of a lab handed in if there is one
    alike = {group[0]: group[1:] for group in lookalikes([s.name for s in student_dirs(args.submissions)])}
    alike_row = {}
    for student, lab, notebook, _ in jobs:
        if student in alike and (student not in alike_row or notebook and not alike_row[student][1]):
            alike_row[student] = (lab.id, notebook)
    for student, lab, notebook, this_run in jobs:
        target = result_path(args.out, student, lab)
        try:
            r = json.loads(target.read_text())
        except (OSError, ValueError):
            if this_run and notebook is None:  # nothing handed in: nothing a shard could have graded
                r = outcome(student, lab, "missing", not_handed_in(Path(args.submissions) / student, lab))
            elif this_run:
                missing += 1
                r = outcome(student, lab, "not graded", "no result yet (its shard has not run or was interrupted)")
            else:  # a lab kept from earlier runs, none of which had this student
                r = outcome(student, lab, "missing", f"no result of {lab.id} from the runs that graded it")
        if this_run and r["status"] != "not graded":
            r["notes"] = file_notes(Path(args.submissions) / student, lab, notebook) + [
                n for n in r.get("notes", []) if not n.startswith(("also handed in: ", "graded from "))]
        changed = changed_since(r, lab, notebook, args) if this_run else None
        if changed:
            stale += 1
            r = outcome(student, lab, "not graded", f"{changed} since it was graded ({r['points']:g}/{r['max']:g}); "
                        "grade again (a run without --merge grades what changed)", notes=r.get("notes", []))
        notes = list(r.get("notes", [])) + list(r.get("errors", []))
        if alike_row.get(student, (None,))[0] == lab.id:  # on the review list too: the run's first lines scroll away
            notes.append(f"for the instructor: the folders {shown_name(student)} and "
                         f"{' and '.join(map(shown_name, alike[student]))} "
                         "look like one student (letter case, spaces or accents written differently) and are graded "
                         "as different students; rename a folder if they are one")
        sw.writerow([student, lab.id, lab.path.stem, r["status"], r.get("reason", ""), r["points"], r["max"],
                     r.get("seconds", ""), NOTE_SEPARATOR.join(notes)])
        for e in r["exercises"]:
            cw.writerow([student, lab.id] + ["" if e.get(k) is None else e.get(k) for k in CHECK_FIELDS])
    out = Path(args.out)
    write_atomic(out / "submissions.csv", subs.getvalue())
    write_atomic(out / "checks.csv", checks.getvalue())
    return len(jobs), missing, stale


def graded_before(out, lab):
    """Whether some student has a result of this lab other than 'missing'."""
    for f in (Path(out) / "results").glob(f"*/{lab.path.stem}.json"):
        try:
            if json.loads(f.read_text()).get("status") != "missing":
                return True
        except (OSError, ValueError):
            pass
    return False


def regraded(old, new, lab, notebook, args):
    """Why a submission graded again has another outcome, and the note it gets: a resubmission leaves a trace on the
    row, 'graded again (the notebook changed): 8/8, was 4/8'; a change of the instructor's (checks, points, seed,
    --force) gets no note, which would count on every row it moved, and the run says how many it moved instead.
    Returns (reason, notes); (None, []) when there was no earlier grade (nothing handed in, the grader's own
    failure) or the outcome is the same."""
    if not isinstance(old, dict) or old.get("status") in (None, "missing", "grader error") or "points" not in old:
        return None, []
    if new["status"] == "missing":  # its reason says the notebook is gone
        return None, []
    if (old["points"], old["status"]) == (new["points"], new["status"]):
        return None, []
    why = "--force" if args.force else changed_since(old, lab, notebook, args) or "the grader's settings changed"
    if not why.startswith("the notebook"):
        return why, []
    was = f"{old['points']:g}/{old['max']:g}" + ("" if old["status"] == "graded" else f", {old['status']}")
    now = f"{new['points']:g}/{new['max']:g}" + ("" if new["status"] == "graded" else f", {new['status']}")
    return why, [f"graded again ({why}): {now}, was {was}"]


def changed_since(result, lab, notebook, args):
    """What changed since a result was graded ('the notebook changed'), or None; results of graders before
    version 3 recorded nothing to compare and count as unchanged."""
    then = result.get("graded_from")
    if not isinstance(then, dict):
        return None
    now = notebook_digest(notebook)
    if then.get("notebook") != now:
        return ("the notebook was handed in" if then.get("notebook") == "missing" else
                "the notebook was removed" if now == "missing" else "the notebook changed")
    if then.get("checks") != lab.fingerprint():
        return f"the instructor's check cells of {lab.path.name} changed"
    if now == "missing":  # nothing was run: checks changing changes nothing
        return None
    if not unchanged_checks(args, lab, then.get("lab_checks")):
        return "the lab's checks were updated"
    if then.get("seed") is not None and args.seed is not None and then["seed"] != args.seed:
        return f"it was graded with seed {then['seed']}, and the class's seed is now {args.seed} (seed.txt)"
    return None


def gradebook(args):
    jar = Path(args.jar)
    cmd = ["java", "-Xmx1g", "-Djava.awt.headless=true", *TEXT, "-cp", str(jar), "cnnlab.grade.Gradebook",
           str(args.out)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = "\n".join(l for l in done.stdout.splitlines() if not l.startswith("Picked up JAVA_TOOL_OPTIONS"))
    print(text, flush=True)
    if done.returncode != 0:
        sys.exit("grade: writing the gradebook failed")


def shard_arg(text):
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"--shard wants I/N with 1 <= I <= N, e.g. 3/8 (got {text})")
    return int(m.group(1)), int(m.group(2))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "_one":
        spec = json.loads(Path(sys.argv[2]).read_text())
        result = grade_one(spec)
        write_atomic(sys.argv[3], json.dumps(result))
        return
    # the launcher's own flags (where the labs, the release and the jar are) are left out of --help
    internal = argparse.SUPPRESS
    parser = argparse.ArgumentParser(prog="./cnnlab grade", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, help="a folder with a folder per student: SUBMISSIONS/<student>/"
                                                       "<lab>.ipynb")
    parser.add_argument("--out", type=Path, default=Path("build/grade"), help="where the gradebook, the feedback "
                                                                              "and the results go (build/grade)")
    parser.add_argument("--source", type=Path, default=Path("lab-exercises"), help=internal)
    parser.add_argument("--release", type=Path, default=Path("build/release"), help=internal)
    parser.add_argument("--labs", help="comma-separated lab ids to grade (default: every lab somebody handed in)")
    parser.add_argument("--shard", type=shard_arg, help="grade only shard I of N (students split by a hash)")
    parser.add_argument("--merge", action="store_true", help="grade nothing: build the gradebook from all results")
    parser.add_argument("--force", action="store_true", help="regrade even where a result is already there")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help=f"notebooks graded at once (this machine's cores: {os.cpu_count() or 1})")
    parser.add_argument("--seed", type=int, default=None, help="grading seed (default: CNNLAB_GRADE_SEED, else one "
                                                                    "chosen and kept in OUT/seed.txt)")
    parser.add_argument("--cell-seconds", type=float, default=60, help="seconds a cell may run (60)")
    parser.add_argument("--notebook-seconds", type=float, default=600, help="seconds a whole notebook may run (600)")
    parser.add_argument("--check-seconds", type=float, default=10,
                        help="seconds one call of a student's function may run inside a check (10)")
    parser.add_argument("--memory-mb", type=int, default=1536,
                        help="a kernel's memory for arrays, in MB; it is stopped past 1.25x this + 200 MB (1536)")
    parser.add_argument("--kernel", default="cnnlab", help=internal)
    parser.add_argument("--jar", default="toolkit/target/cnnlab-toolkit.jar", help=internal)
    parser.add_argument("--no-sandbox", action="store_true", help="run the notebooks without bubblewrap's sandbox "
                                                                  "(they can then read and change your files)")
    args = parser.parse_args()
    args.submissions, args.out = from_caller(args.submissions, only_if_there=True), from_caller(args.out)
    args.checks = {}  # lab id -> checks_digest(lab=...), see lab_checks
    args.whole_checks = checks_digest()
    if not args.submissions.is_dir():
        sys.exit(f"grade: no folder {args.submissions} (expected SUBMISSIONS_DIR/<student>/<lab>.ipynb)")
    if args.jobs < 1:
        sys.exit(f"grade: --jobs must be at least 1 (got {args.jobs})")
    try:
        seed_file = args.out / "seed.txt"
        kept = int(seed_file.read_text().strip()) if seed_file.is_file() else None
        if not args.merge:
            if args.seed is None and os.environ.get("CNNLAB_GRADE_SEED"):
                args.seed = int(os.environ["CNNLAB_GRADE_SEED"])
            if args.seed is not None and kept is not None and args.seed != kept and not args.force:
                # another seed gives other hidden cases: one class, one seed (a shard's typo would mix them)
                sys.exit(f"grade: {args.out} holds results graded with seed {kept} (seed.txt), and this run asks "
                         f"for seed {args.seed}; every shard and rerun must use the same seed. Use --seed {kept}, "
                         "or --force to grade everything again with the new one")
            if args.seed is None:
                args.seed = kept
            if args.seed is None and args.shard:
                sys.exit("grade: --shard needs --seed (or CNNLAB_GRADE_SEED) so that every shard uses the same "
                         "hidden cases")
            if args.seed is None:
                args.seed = secrets.randbelow(2 ** 62)
            grade_class(args)
        else:
            args.seed = kept
        if args.shard and not args.merge:  # the gradebook waits for every shard: one --merge writes it once
            print(f"grade: shard {args.shard[0]}/{args.shard[1]} done; when every shard is done, run with --merge "
                  "to write the gradebook", flush=True)
            return
        n, missing, stale = collect(args)
        gradebook(args)
        if missing:
            print(f"grade: {missing} of {n} submissions have no result yet (rows say so)", flush=True)
        if stale:
            print(f"grade: {stale} of {n} submissions changed since they were graded and count as not graded (rows "
                  "say what changed); a run without --merge grades them", flush=True)
    except LabError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
