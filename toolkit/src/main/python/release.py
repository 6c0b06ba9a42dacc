#!/usr/bin/env python3
"""Write the student versions of the lab notebooks: `./cnnlab release` calls this.

Every `// BEGIN SOLUTION` ... `// END SOLUTION` region becomes `// YOUR CODE HERE` plus a throw of
UnsupportedOperationException("labN exM: not implemented yet"), so the released notebook compiles and every
check reports "not attempted". Outputs are cleared. `checks.json` records every check cell (source, points,
SHA-256) so that grading can verify and restore them. Afterwards the release folder is searched for solution
lines and hidden-case material; any hit fails the release.

`cnnlab-students.tar.gz` beside them is the cnnlab folder for students: the project's files without the
solutions (lab-exercises/, and the tests, whose lab-check tests hold working answers) and with the released
notebooks in my-labs/, where their `%jars ../toolkit/...` finds the toolkit.
"""
import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

from labnb import (LabError, check_points, from_caller, load_labs, points_differences, sha256, source,
                   strip_solutions, write_atomic)

# Text that only instructors or the grader may see. Hidden cases live in cnnlab.check and are generated from the
# grading seed at grading time; in a notebook they could only appear in executed outputs (a hidden case's
# description, a "hidden": "5/8" score) left over from an instructor's grading run.
FORBIDDEN = [re.compile(p) for p in (r"BEGIN SOLUTION", r"END SOLUTION", r"hidden case \d+",
                                     r'"hidden"\s*:\s*"\d+/\d+"')]
MIN_LINE = 12  # shorter solution lines (`return y;`, `}`) say nothing about the solution


def solution_lines(lab):
    """Solution lines worth searching for: long enough, and not also written outside a solution region."""
    inside, outside = set(), set()
    for cell in lab.nb.get("cells", []):
        text = source(cell)
        if cell.get("cell_type") == "code" and "BEGIN SOLUTION" in text:
            stub, removed = strip_solutions(text, "x", lab.path.name)
            inside.update(line.strip() for line in removed)
            outside.update(line.strip() for line in stub.split("\n"))
        else:
            outside.update(line.strip() for line in text.split("\n"))
    return sorted(line for line in inside - outside if len(line) >= MIN_LINE and not line.startswith("//"))


def leaks(release_dir, labs):
    """Every (file, what) pair where the release folder shows a solution line or hidden-case material (the
    students' kit aside: student_kit searches its notebooks itself)."""
    found = []
    for path in sorted(Path(release_dir).rglob("*")):
        if path.is_file() and path.name != KIT:
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [(path.name, what) for what in notebook_leaks(text, labs, path.suffix in (".ipynb", ".json"))]
    return found


def notebook_leaks(text, labs, is_json=True):
    """What a file's text shows of the solutions: solution markers, hidden-case material, solution lines."""
    flat = text
    if is_json:
        try:  # search the text students see, not its JSON escaping
            flat = json.dumps(json.loads(text), ensure_ascii=False, indent=0).replace("\\n", "\n").replace('\\"', '"')
        except ValueError:
            pass
    found = [f"hidden-case or solution marker /{p.pattern}/" for p in FORBIDDEN if p.search(flat)]
    everything = sorted({line for lab in labs for line in solution_lines(lab)})
    return found + [f"solution line: {line}" for line in everything if line in flat]


KIT = "cnnlab-students.tar.gz"
# what the kit takes from the cnnlab folder: the launcher, the build, the toolkit, the lecture notebooks, the data
# and the docs; never what else sits there (lab-exercises/ and its solutions, a folder of submissions, an instructor's
# my-labs/), nor the tests (the lab checks' tests hold working answers), nor what builds and runs make
KIT_TAKES = ("cnnlab", "pom.xml", "README.md", ".gitignore", "toolkit/", "bench/", "notebooks/", "datasets/", "docs/")
KIT_LEAVES_OUT = ("toolkit/src/test/", "bench/src/test/", "datasets/cache/")
KIT_NEVER = {".git", "target", "build", "__pycache__", ".ipynb_checkpoints"}


def kit_files(root):
    """The files of the cnnlab folder the students' kit takes (KIT_TAKES), relative to root with '/': in a git
    checkout the files git shows (tracked, and new ones not ignored), else every file there. Returns (files,
    symbolic links left out)."""
    root = Path(root)
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                check=True).stdout.decode("utf-8").split("\0")
    except (OSError, subprocess.CalledProcessError):
        listed = []
    if not {"cnnlab", "toolkit/pom.xml"} <= set(listed):  # not a checkout, or one that does not track this folder
        listed = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()]
    taken = sorted({f for f in listed if f and (f in KIT_TAKES or f.startswith(tuple(t for t in KIT_TAKES
                                                                                      if t.endswith("/"))))
                    and not f.startswith(KIT_LEAVES_OUT) and not KIT_NEVER & set(f.split("/"))})
    links = [f for f in taken if (root / f).is_symlink()]  # one could point at the solutions
    return [f for f in taken if f not in links and (root / f).is_file()], links


# what the kit's README says first: the rest of it is the instructor's README, which names what the kit has not
KIT_README_NOTE = """
> **This is the students' kit of cnnlab.** Your lab notebooks are in `my-labs/`: `./cnnlab start` opens Jupyter
> on them and on the lecture notebooks. What this README says about `lab-exercises/`, the tests, `./cnnlab test`,
> `release` and `grade` is for instructors: those are not in this folder. A newer kit unpacked over this folder
> would replace your notebooks in `my-labs/` with blank ones: unpack it somewhere else and copy your work over.
"""


def kit_readme(text):
    """The README as the kit has it: KIT_README_NOTE under its title."""
    title, _, rest = text.partition("\n")
    return f"{title}\n{KIT_README_NOTE}{rest}"


def anonymous(info):
    """A kit member as anybody's: no instructor's user name or id in it."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def student_kit(root, out_dir, labs):
    """Write out_dir/KIT: the cnnlab folder as students get it (kit_files, the released notebooks in my-labs/),
    under one top folder `cnnlab/`. Its notebooks are searched as the release is: a hit fails the release.

    Returns the kit's path, its number of files and the symbolic links left out."""
    root, out_dir = Path(root), Path(out_dir)
    files, links = kit_files(root)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for f in files:
            if f == "README.md":
                data = kit_readme((root / f).read_text(encoding="utf-8")).encode("utf-8")
                info = anonymous(tar.gettarinfo(root / f, arcname=f"cnnlab/{f}"))
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.add(root / f, arcname=f"cnnlab/{f}", recursive=False, filter=anonymous)
        for lab in labs:
            tar.add(out_dir / lab.path.name, arcname=f"cnnlab/my-labs/{lab.path.name}", filter=anonymous)
    buffer.seek(0)
    with tarfile.open(fileobj=buffer, mode="r:gz") as tar:
        found = []
        for member in tar.getmembers():
            if member.name.endswith(".ipynb"):
                text = tar.extractfile(member).read().decode("utf-8", "replace")
                found += [(member.name, what) for what in notebook_leaks(text, labs)]
    if found:
        for name, what in found:
            print(f"release: LEAK in {name}: {what}", file=sys.stderr)
        raise LabError(f"release: {len(found)} leaks in the students' kit; nothing may be handed out")
    write_atomic(out_dir / KIT, buffer.getvalue())
    return out_dir / KIT, len(files) + len(labs), links


def release(source_dir, out_dir, jar=None, root=None):
    labs = load_labs(source_dir)
    if not labs:
        raise LabError(f"release: no labN-NAME.ipynb notebooks in {source_dir}")
    differences = points_differences(labs, check_points(jar)) if jar else []
    if differences:
        raise LabError("release: nothing released; a check cell's points and its check's differ:\n"
                       + "\n".join(differences))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in [*out_dir.glob("*.ipynb"), out_dir / KIT]:  # a release that fails leaves nothing old to hand out
        stale.unlink(missing_ok=True)
    manifest = {"labs": []}
    for lab in labs:
        nb, removed = lab.release()
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        write_atomic(out_dir / lab.path.name, text)
        manifest["labs"].append({
            "lab": lab.id, "notebook": lab.path.name, "max_points": lab.max_points, "notebook_sha256": sha256(text),
            "checks": [{k: c[k] for k in ("id", "points", "sha256", "source")} for c in lab.checks]})
        print(f"release: {lab.path.name}: {len(lab.checks)} check cells, {lab.max_points:g} points, "
              f"{len(removed)} solution lines removed")
    write_atomic(out_dir / "checks.json", json.dumps(manifest, indent=1) + "\n")
    found = leaks(out_dir, labs)
    if found:
        for name, what in found:
            print(f"release: LEAK in {name}: {what}", file=sys.stderr)
        raise LabError(f"release: {len(found)} leaks in {out_dir}; nothing may be handed out")
    print(f"release: {len(labs)} notebooks in {out_dir}; searched for solution lines and hidden-case material: none")
    if root is not None:
        kit, n, links = student_kit(root, out_dir, labs)
        print(f"release: {kit.name}: the cnnlab folder for students, {n} files ({kit.stat().st_size / 1e6:.1f} MB), "
              "without lab-exercises/ and the tests, the notebooks in my-labs/")
        for link in links:
            print(f"release: left out of {kit.name}: {link}, a symbolic link (it could point at the solutions)")
    print("release: hand out the .ipynb files" + (f" (or {KIT}, for students who have no cnnlab folder yet)"
                                                   if root is not None else "")
          + "; checks.json stays with you (grading compares the check cells with it). After editing a lab, "
          "release again")
    return labs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("lab-exercises"))
    parser.add_argument("--out", type=Path, default=Path("build/release"))
    parser.add_argument("--jar", type=Path,
                        help="the toolkit jar, to compare each check cell's points with its check's")
    parser.add_argument("--kit", type=Path, help="the cnnlab folder: also write the students' kit from it")
    args = parser.parse_args()
    try:
        release(from_caller(args.source, only_if_there=True), from_caller(args.out), args.jar, args.kit)
    except LabError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
