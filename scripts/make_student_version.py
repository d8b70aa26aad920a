"""`make student`: make the student version of every homework from its solution.

``solutions/NN_name.ipynb`` (complete, executed) -> ``notebooks/NN_name.ipynb`` (to hand out).
Solution code is marked with nbgrader's markers, so nbgrader users can take the solution as it
is; without nbgrader this script does the same job:

- in a code cell, each region from ``### BEGIN SOLUTION`` to ``### END SOLUTION`` becomes a stub
  at the marker's indentation: ``# YOUR CODE HERE (task N)`` and ``raise NotDone(N)``, where N
  is the cell's ``metadata.course.task``;
- in a markdown cell, the region becomes ``YOUR ANSWER HERE``;
- the first code cell (the imports) gets a ruff note: some imports wait for the answers;
- cells tagged ``instructor-only`` (speaker notes for instructors, the answer to an optional
  part) are left out;
- outputs and execution counts are cleared, and ``metadata.course.student_version`` is set to
  true (the hygiene test, nbval and `make run` read that flag).

``--nbgrader-source DIR`` writes, for nbgrader, each solution without its ``instructor-only``
cells (solutions, nbgrader metadata, cell ids and outputs kept) into ``DIR/<name>.ipynb``: put it
in an nbgrader course's ``source/<assignment>/`` and run ``nbgrader generate_assignment``.

``--check`` writes nothing and exits 1 when a stored student version is out of date.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
TEXT_STUB = "YOUR ANSWER HERE"
# The imports cell imports what the answers will use; until they are written, ruff would call
# those imports unused.
LINT_NOTE = "# ruff: noqa: F401  (some imports are for your answers to the tasks)"
# Cells with this tag stay in solutions/ only: not in the student version, not in nbgrader's.
INSTRUCTOR_ONLY = "instructor-only"


def is_student_version(path: Path) -> bool:
    """Whether the notebook at ``path`` is a student version (metadata.course.student_version)."""
    try:
        metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return False
    return bool(metadata.get("course", {}).get("student_version"))


def first_task(nb: nbformat.NotebookNode) -> int | None:
    """The lowest task number of the notebook's solution cells (None when it has none)."""
    tasks = [c.metadata.get("course", {}).get("task") for c in nb.cells]
    return min((t for t in tasks if isinstance(t, int)), default=None)


def strip_solutions(source: str, cell_type: str, task: int | None, where: str = "cell") -> str:
    """Replace every solution region of one cell's source with its stub."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"{where}: '{BEGIN}' inside another solution region.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            if cell_type == "markdown":
                out.append(TEXT_STUB)
            else:
                if not isinstance(task, int):
                    raise ValueError(
                        f"{where} has a solution region but no metadata.course.task (the task "
                        "number that its stub raises NotDone with)."
                    )
                out += [f"{indent}# YOUR CODE HERE (task {task})", f"{indent}raise NotDone({task})"]
        elif stripped == END:
            if not inside:
                raise ValueError(f"{where}: '{END}' without '{BEGIN}'.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: '{BEGIN}' without '{END}'.")
    return "\n".join(out)


def is_instructor_only(cell: nbformat.NotebookNode) -> bool:
    return INSTRUCTOR_ONLY in cell.metadata.get("tags", [])


def without_instructor_cells(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``solution`` without its ``instructor-only`` cells (the input is unchanged)."""
    nb = copy.deepcopy(solution)
    nb.cells = [cell for cell in nb.cells if not is_instructor_only(cell)]
    return nb


def make_student_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of a solution notebook (a new notebook; the input is unchanged)."""
    nb = without_instructor_cells(solution)
    imports = next((c for c in nb.cells if c.cell_type == "code"), None)
    if imports is not None:
        imports.source = f"{LINT_NOTE}\n{imports.source}"
    for index, cell in enumerate(nb.cells):
        task = cell.metadata.get("course", {}).get("task")
        cell.source = strip_solutions(cell.source, cell.cell_type, task, f"cell {index}")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.setdefault("course", {})["student_version"] = True
    nb.metadata.pop("widgets", None)
    return nb


def has_solutions(nb: nbformat.NotebookNode) -> bool:
    return any(BEGIN in cell.source for cell in nb.cells)


def student_text(solution: nbformat.NotebookNode) -> str:
    """The student version as stored on disk (what ``nbformat.write`` would write)."""
    text = nbformat.writes(make_student_notebook(solution))
    return text if text.endswith("\n") else text + "\n"


def student_path(solution_path: Path, root: Path = ROOT) -> Path:
    return root / "notebooks" / solution_path.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a student version is out of date")
    parser.add_argument("--nbgrader-source", metavar="DIR", type=Path,
                        help="write each solution without its instructor-only cells into DIR "
                             "(an nbgrader course's source/<assignment>/) and nothing else")
    args = parser.parse_args()
    if args.nbgrader_source is not None:
        args.nbgrader_source.mkdir(parents=True, exist_ok=True)
        for path in sorted((ROOT / "solutions").glob("*.ipynb")):
            solution = nbformat.read(path, as_version=4)
            if has_solutions(solution):
                nbformat.write(without_instructor_cells(solution), args.nbgrader_source / path.name)
                print(f"written     {args.nbgrader_source / path.name}  (for nbgrader)")
        return 0
    stale = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        solution = nbformat.read(path, as_version=4)
        if not has_solutions(solution):
            continue
        target = student_path(path)
        text = student_text(solution)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        rel = target.relative_to(ROOT)
        if current == text:
            print(f"up to date  {rel}")
        elif args.check:
            stale.append(str(rel))
            print(f"OUT OF DATE {rel}  (run `make student`)")
        else:
            target.write_text(text, encoding="utf-8")
            print(f"written     {rel}  (from {path.relative_to(ROOT)})")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
