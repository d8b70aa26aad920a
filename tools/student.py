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
  part) are left out, and so are speaker notes kept in a cell's metadata
  (``metadata.course.speaker_notes``);
- outputs and execution counts are cleared, except the outputs of cells tagged ``keep-output``
  (figures that a student needs before running anything, e.g. a diagram that the deck shows
  without its code; such a cell must hold no solution), and ``metadata.course.student_version``
  is set to true (the hygiene test, nbval and `make run` read that flag).

``--nbgrader-source DIR`` writes, for nbgrader, each solution without its ``instructor-only``
cells (solutions, nbgrader metadata, cell ids and outputs kept) into ``DIR/<name>.ipynb``: put it
in an nbgrader course's ``source/<assignment>/`` and run ``nbgrader generate_assignment``.

``--check`` writes nothing and exits 1 when a stored student version is out of date.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

from tools.paths import NOTEBOOKS_DIR, ROOT, SOLUTIONS_DIR, is_student_version

__all__ = ["is_student_version"]  # defined in tools.paths (no Jupyter needed there)
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
TEXT_STUB = "YOUR ANSWER HERE"
# The imports cell imports what the answers will use; until they are written, ruff would call
# those imports unused.
LINT_NOTE = "# ruff: noqa: F401  (some imports are for your answers to the tasks)"
# Cells with this tag stay in solutions/ only: not in the student version, not in nbgrader's.
INSTRUCTOR_ONLY = "instructor-only"
# Cells with this tag keep their outputs in the student version (they hold no solution).
KEEP_OUTPUT = "keep-output"


def first_task(nb: nbformat.NotebookNode) -> int | None:
    """The lowest task number of the notebook's solution cells (None when it has none)."""
    tasks = [c.metadata.get("course", {}).get("task") for c in nb.cells]
    return min((t for t in tasks if isinstance(t, int)), default=None)


def is_marker(line: str, marker: str) -> bool:
    """Whether ``line`` is a solution marker (``BEGIN`` or ``END``), by nbgrader's own rule: the
    line contains ``BEGIN SOLUTION`` (``END SOLUTION``), whatever surrounds it. A line that
    nbgrader takes for a marker is one here too, so both hide the same code: ``### BEGIN
    SOLUTION (task 2)`` starts a region in both."""
    return marker.removeprefix("### ") in line


def strip_solutions(source: str, cell_type: str, task: int | None = None,
                    where: str = "cell") -> str:
    """Replace every solution region of one cell's source with its stub, at the marker's
    indentation: ``YOUR ANSWER HERE`` in markdown; in code ``# YOUR CODE HERE (task N)`` and
    ``raise NotDone(N)`` for task N, or nbgrader's own stub when the cell names no task (a
    student deck of a notebook that kept its solution by mistake). Broken regions (unclosed,
    nested, an END without a BEGIN) raise ValueError naming ``where``."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        if is_marker(line, BEGIN):
            if inside:
                raise ValueError(f"{where}: '{BEGIN}' inside another solution region.")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            if cell_type == "markdown":
                stub = [TEXT_STUB]
            elif isinstance(task, int):
                stub = [f"# YOUR CODE HERE (task {task})", f"raise NotDone({task})"]
            else:
                stub = ["# YOUR CODE HERE", "raise NotImplementedError()"]
            out += [indent + line for line in stub]
        elif is_marker(line, END):
            if not inside:
                raise ValueError(f"{where}: '{END}' without '{BEGIN}'.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: '{BEGIN}' without '{END}'.")
    return "\n".join(out)


def has_solution(source: str) -> bool:
    return any(is_marker(line, BEGIN) for line in source.split("\n"))


def is_instructor_only(cell: nbformat.NotebookNode) -> bool:
    return INSTRUCTOR_ONLY in cell.metadata.get("tags", [])


def keeps_output(cell: nbformat.NotebookNode) -> bool:
    return KEEP_OUTPUT in cell.metadata.get("tags", [])


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
        if cell.cell_type == "code" and has_solution(cell.source) and not isinstance(task, int):
            raise ValueError(f"cell {index} has a solution region but no metadata.course.task "
                             "(the task number that its stub raises NotDone with).")
        if keeps_output(cell) and has_solution(cell.source):
            raise ValueError(f"cell {index} is tagged '{KEEP_OUTPUT}' but holds a solution: its "
                             "outputs would show the solution's results.")
        cell.source = strip_solutions(cell.source, cell.cell_type, task, f"cell {index}")
        if cell.cell_type == "code":
            if not keeps_output(cell):
                cell.outputs = []
            for output in cell.outputs:  # kept: no execution count, as in an unexecuted cell
                if "execution_count" in output:
                    output.execution_count = None
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        cell.metadata.get("course", {}).pop("speaker_notes", None)  # for instructors only
    nb.metadata.setdefault("course", {})["student_version"] = True
    nb.metadata.pop("widgets", None)
    return nb


def has_solutions(nb: nbformat.NotebookNode) -> bool:
    return any(has_solution(cell.source) for cell in nb.cells)


def student_text(solution: nbformat.NotebookNode) -> str:
    """The student version as stored on disk (what ``nbformat.write`` would write)."""
    text = nbformat.writes(make_student_notebook(solution))
    return text if text.endswith("\n") else text + "\n"


def student_path(solution_path: Path, root: Path = ROOT) -> Path:
    return root / NOTEBOOKS_DIR.name / solution_path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a student version is out of date")
    parser.add_argument("--nbgrader-source", metavar="DIR", type=Path,
                        help="write each solution without its instructor-only cells into DIR "
                             "(an nbgrader course's source/<assignment>/) and nothing else")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # tests
    args = parser.parse_args(argv)
    root = args.root.resolve()
    solutions = root / SOLUTIONS_DIR.name
    if args.nbgrader_source is not None:
        args.nbgrader_source.mkdir(parents=True, exist_ok=True)
        for path in sorted(solutions.glob("*.ipynb")):
            solution = nbformat.read(path, as_version=4)
            if has_solutions(solution):
                nbformat.write(without_instructor_cells(solution), args.nbgrader_source / path.name)
                print(f"written     {args.nbgrader_source / path.name}  (for nbgrader)")
        return 0
    stale = []
    for path in sorted(solutions.glob("*.ipynb")):
        solution = nbformat.read(path, as_version=4)
        if not has_solutions(solution):
            continue
        target = student_path(path, root)
        text = student_text(solution)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        rel = target.relative_to(root)
        if current == text:
            print(f"up to date  {rel}")
        elif args.check:
            stale.append(str(rel))
            print(f"OUT OF DATE {rel}  (run `make student`)")
        else:
            target.write_text(text, encoding="utf-8")
            print(f"written     {rel}  (from {path.relative_to(root)})")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
