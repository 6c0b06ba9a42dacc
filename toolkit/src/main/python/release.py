#!/usr/bin/env python3
"""Write the student versions of the lab notebooks: `./cnnlab release` calls this.

Every `// BEGIN SOLUTION` ... `// END SOLUTION` region becomes `// YOUR CODE HERE` plus a throw of
UnsupportedOperationException("labN exM: not implemented yet"), so the released notebook compiles and every
check reports "not attempted". Outputs are cleared. `checks.json` records every check cell (source, points,
SHA-256) so that grading can verify and restore them. Afterwards the release folder is searched for solution
lines and hidden-case material; any hit fails the release.
"""
import argparse
import json
import re
import sys
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
    """Every (file, what) pair where the release folder shows a solution line or hidden-case material."""
    found = []
    lines = {lab.name: solution_lines(lab) for lab in labs}
    everything = sorted({line for ls in lines.values() for line in ls})
    for path in sorted(Path(release_dir).rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        flat = text
        if path.suffix in (".ipynb", ".json"):
            try:  # search the text students see, not its JSON escaping
                flat = json.dumps(json.loads(text), ensure_ascii=False, indent=0).replace("\\n", "\n").replace('\\"', '"')
            except ValueError:
                pass
        for pattern in FORBIDDEN:
            if pattern.search(flat):
                found.append((path.name, f"hidden-case or solution marker /{pattern.pattern}/"))
        for line in everything:
            if line in flat:
                found.append((path.name, f"solution line: {line}"))
    return found


def release(source_dir, out_dir, jar=None):
    labs = load_labs(source_dir)
    if not labs:
        raise LabError(f"release: no labN-NAME.ipynb notebooks in {source_dir}")
    differences = points_differences(labs, check_points(jar)) if jar else []
    if differences:
        raise LabError("release: nothing released; a check cell's points and its check's differ:\n"
                       + "\n".join(differences))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.ipynb"):
        stale.unlink()
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
    print("release: hand out the .ipynb files; checks.json stays with you (grading compares the check cells with "
          "it). After editing a lab, release again")
    return labs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("lab-exercises"))
    parser.add_argument("--out", type=Path, default=Path("build/release"))
    parser.add_argument("--jar", type=Path, help="the toolkit jar, to compare each check cell's points with its check's")
    args = parser.parse_args()
    try:
        release(from_caller(args.source, only_if_there=True), from_caller(args.out), args.jar)
    except LabError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main()
