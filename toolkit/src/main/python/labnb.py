"""Lab notebooks as data: what `./cnnlab release` and `./cnnlab grade` share (no kernel, standard library only).

The contract with cnnlab.check and lab-exercises/ (see README, "Graded labs"):
- a lab notebook is `labN-NAME.ipynb`; its first two code cells are the header (`%jars ...`, imports + setup);
- solutions sit inside method bodies between a line `// BEGIN SOLUTION` and a line `// END SOLUTION`, in a code
  cell whose metadata is `"cnnlab": {"exercise": "lab1 ex2"}`; a region opened by `// BEGIN SOLUTION NO PROMPT`
  (whole members, such as the instructor's own helper) goes without a stub, as otter-grader's of that name;
- a check cell has metadata `"cnnlab": {"check": "lab1 ex2", "points": 4}`.
"""
import hashlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION(\s+NO PROMPT)?\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
LAB_FILE = re.compile(r"^(lab\d+)(?:[-_].*)?\.ipynb$")


class LabError(ValueError):
    """An instructor notebook that breaks the contract (named notebook, cell and what is wrong)."""


def from_caller(path, only_if_there=False):
    """A path typed to the launcher, which runs from the cnnlab folder: relative means from where it was typed
    (CNNLAB_CALLER_DIR). With only_if_there, a path not found there is kept as it was (from the cnnlab folder)."""
    caller = os.environ.get("CNNLAB_CALLER_DIR")
    path = Path(path)
    if not caller or path.is_absolute() or only_if_there and not (Path(caller) / path).exists():
        return path
    return Path(caller) / path


def lab_id(name):
    """`lab1` for `lab1-convolution.ipynb` (or a stem), None for anything else."""
    m = LAB_FILE.match(name if name.endswith(".ipynb") else name + ".ipynb")
    return m.group(1) if m else None


def source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def meta(cell):
    m = cell.get("metadata", {}).get("cnnlab", {})
    return m if isinstance(m, dict) else {}


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _umask()


def write_atomic(path, text):
    """Write a file (text, or bytes) so that a reader sees the old content or the new one, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes) else os.fdopen(fd, "w", encoding="utf-8")) as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~UMASK)  # mkstemp's 0600 would keep handed-out copies from students
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def strip_solutions(text, exercise, where):
    """Replace every solution region by `// YOUR CODE HERE` and a throw, keeping the marker's indentation; a
    `// BEGIN SOLUTION NO PROMPT` region by nothing. A cell with solutions keeps at least one stub, so that it
    throws (and reads "not attempted") until a student writes it.

    Returns (stub text, list of solution lines removed)."""
    out, removed, indent, start, prompt, stubs = [], [], None, 0, True, 0
    for number, line in enumerate(text.split("\n"), 1):
        if indent is None:
            m = BEGIN.match(line)
            if m:
                indent, start, prompt = m.group(1), number, not m.group(2)
                continue
            if END.match(line):
                raise LabError(f"release: '// END SOLUTION' without a BEGIN ({where}, line {number})")
            out.append(line)
        elif END.match(line):
            if prompt:
                out.append(f"{indent}// YOUR CODE HERE")
                out.append(f'{indent}throw new UnsupportedOperationException("{exercise}: not implemented yet");')
                stubs += 1
            indent = None
        elif BEGIN.match(line):
            raise LabError(f"release: nested '// BEGIN SOLUTION' ({where}, lines {start} and {number})")
        else:
            removed.append(line)
    if indent is not None:
        raise LabError(f"release: '// BEGIN SOLUTION' at line {start} is never closed ({where})\n"
                       "hint: end the region with a line '// END SOLUTION'")
    if removed and not stubs:
        raise LabError(f"release: every solution region of {where} is NO PROMPT, so the released cell would run "
                       "without a stub and never read 'not attempted'\nhint: mark what students write with a "
                       "plain '// BEGIN SOLUTION'")
    return "\n".join(out), removed


class Lab:
    """One instructor notebook: its header cells, exercises and check cells."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.stem
        self.id = lab_id(self.path.name)
        if self.id is None:
            raise LabError(f"release: '{self.path.name}' is not named labN-NAME.ipynb")
        try:
            self.nb = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise LabError(f"release: cannot read {self.path}: {e}") from e
        cells = self.nb.get("cells", [])
        code = [c for c in cells if c.get("cell_type") == "code"]
        if len(code) < 2 or not source(code[0]).lstrip().startswith("%jars"):
            raise LabError(f"release: {self.path.name} must start with a '%jars ...' cell and an imports cell")
        self.header = [source(code[0]), source(code[1])]
        self.checks = []
        self.released = {}  # check id -> SHA-256 of the cell as released (the grader fills it from checks.json)
        for index, cell in enumerate(cells):
            m = meta(cell)
            if "check" in m:
                if not isinstance(m.get("points"), (int, float)) or m["points"] <= 0:
                    raise LabError(f"release: check cell {index + 1} of {self.path.name} has no positive 'points'")
                self.checks.append({"id": m["check"], "points": m["points"], "source": source(cell),
                                    "sha256": sha256(source(cell)), "cell": index + 1})
        ids = [c["id"] for c in self.checks]
        if len(set(ids)) != len(ids):
            raise LabError(f"release: {self.path.name} has two check cells for the same exercise ({ids})")

    @property
    def max_points(self):
        return sum(c["points"] for c in self.checks)

    def header_for_grading(self):
        """The header with `%jars` made absolute, so the submission's folder does not matter."""
        first = self.header[0].strip().split(None, 1)
        jar = Path(first[1].strip()) if len(first) > 1 else Path("")
        if not jar.is_absolute():
            jar = (self.path.parent / jar).resolve()
        return [f"%jars {jar}", self.header[1]]

    def fingerprint(self):
        """Changes when anything grading restores from the source changes (not where a check cell sits: a text cell
        added above it changes nothing graded)."""
        checks = [{k: v for k, v in c.items() if k != "cell"} for c in self.checks]
        return sha256(json.dumps([self.header, checks], sort_keys=True))

    def release(self):
        """The student notebook (dict) and the solution lines that were removed."""
        nb = json.loads(json.dumps(self.nb))
        removed = []
        for index, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
                text = source(cell)
                if "BEGIN SOLUTION" in text or "END SOLUTION" in text:
                    exercise = meta(cell).get("exercise")
                    if not exercise:
                        raise LabError(f"release: cell {index + 1} of {self.path.name} has a solution but no "
                                       "'cnnlab': {'exercise': ...} metadata")
                    stub, lines = strip_solutions(text, exercise, f"{self.path.name}, cell {index + 1}")
                    cell["source"] = stub
                    removed.extend(lines)
            cell.get("metadata", {}).pop("execution", None)
        return nb, removed


def load_labs(source_dir):
    labs = [Lab(p) for p in sorted(Path(source_dir).glob("lab*.ipynb")) if lab_id(p.name)]
    seen = {}
    for lab in labs:
        if lab.id in seen:
            raise LabError(f"release: two notebooks for {lab.id}: {seen[lab.id]} and {lab.path.name}")
        seen[lab.id] = lab.path.name
    return labs


def check_points(jar):
    """Each exercise's points as cnnlab.check's checks give them ({"lab1 ex2": 6.0, ...}), from the built jar."""
    if not Path(jar).is_file():
        raise LabError(f"no toolkit jar at {jar}, to read the checks' points from: run ./cnnlab setup")
    try:
        done = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", str(jar), "cnnlab.check.CheckPoints"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        raise LabError(f"cannot run java to read the checks' points ({e}); ./cnnlab setup installs it") from e
    try:
        return {k: float(v) for k, v in json.loads(done.stdout).items()}
    except ValueError as e:
        raise LabError(f"cannot read the checks' points from {jar}: {(done.stderr or done.stdout).strip()[-300:]}") \
            from e


def points_differences(labs, given):
    """Where a check cell's "points" and its check's own points differ: one message per exercise. A grade out of the
    cell's number with the check's points inside it would be wrong without a word."""
    found = []
    for lab in labs:
        for c in lab.checks:
            own = given.get(c["id"])
            if own is not None and abs(own - c["points"]) > 1e-9:
                source = f"toolkit/src/main/java/cnnlab/check/{lab.id.capitalize()}Checks.java"
                found.append(f"{lab.path.name}: the check cell of {c['id']} says {c['points']:g} points, and its check "
                             f"gives {own:g} (the points of its case groups, in {source}). Set the cell's points to "
                             f"{own:g}, or change the groups' points there to add up to {c['points']:g} (README, "
                             "\"Changing an exercise's points\")")
    return found


def diagnostic(err):
    """A compile error's own message: the first line after the caret that marks its place (the lines after it
    are details: 'symbol: ...', 'location: ...'); without a caret, the last line."""
    lines = err.splitlines()
    carets = [i for i, l in enumerate(lines) if l.strip() and set(l.strip()) == {"^"}]
    after = [l.strip() for l in lines[carets[-1] + 1:] if l.strip() and not l.lstrip().startswith("|")] \
        if carets else []
    if after:
        return after[0]
    rest = [l.strip() for l in lines if l.strip() and not l.lstrip().startswith(("|", "^"))]
    return rest[-1] if rest else err
