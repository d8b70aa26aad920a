"""Where the course lives: the repository root, its notebook folders and its notebook list.

Every tool takes these from here (and a ``root`` argument where the tests point it at a small
course of their own). Imports nothing beyond the standard library, so that the root conftest.py
and the GPU check can use it without Jupyter.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"  # what students open (and the homework's student version)
SOLUTIONS_DIR = ROOT / "solutions"  # the homework with its solutions (instructors)
NOTEBOOK_DIRS = (NOTEBOOKS_DIR.name, SOLUTIONS_DIR.name)


def course_notebooks(root: Path = ROOT) -> list[Path]:
    """Every notebook of the course, lessons first, in the order of their numbers."""
    found: list[Path] = []
    for folder in NOTEBOOK_DIRS:
        found += sorted((root / folder).glob("*.ipynb"))
    return found


def select_notebooks(names: list[str], root: Path = ROOT) -> list[Path]:
    """The course notebooks that ``names`` ask for (all of them when ``names`` is empty).

    A name is a file name (``01_rnncell_onehot.ipynb``; the homework's name picks both its
    student version and its solution) or a path from the repository root
    (``notebooks/01_rnncell_onehot.ipynb``). An unknown name stops with a message that lists
    the names there are, instead of silently doing nothing."""
    notebooks = course_notebooks(root)
    if not names:
        return notebooks
    by_path = {str(p.relative_to(root)): p for p in notebooks}
    chosen: list[Path] = []
    unknown = []
    for name in names:
        key = name.removeprefix("./")
        matches = [by_path[key]] if key in by_path else [p for p in notebooks if p.name == key]
        if not matches:
            unknown.append(name)
        chosen += [p for p in matches if p not in chosen]
    if unknown:
        known = "\n  ".join(by_path)
        raise SystemExit(
            f"no course notebook is called {', '.join(unknown)}. Give file names or paths from "
            f"the repository root, e.g. NOTEBOOKS=\"01_rnncell_onehot.ipynb\". The notebooks:\n"
            f"  {known}"
        )
    return [p for p in notebooks if p in chosen]  # in course order


def parse_notebook_arguments(
    parser: argparse.ArgumentParser,
) -> tuple[argparse.Namespace, Path, list[Path]]:
    """Parse the command line of `make run` or `make refresh`: their own options (already in
    ``parser``), the notebooks (NOTEBOOKS=...; all when none is named, see ``select_notebooks``)
    and, for the tests, another course's root. Returns (arguments, root, notebooks)."""
    parser.add_argument("names", nargs="*", help="only these notebooks (file names or paths)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = args.root.resolve()
    return args, root, select_notebooks(args.names, root)


def is_student_version(path: Path) -> bool:
    """Whether the notebook at ``path`` is a student version (``metadata.course.student_version``,
    set by `make student`): stored unexecuted, it stops at its first task by design."""
    try:
        metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return False
    return bool(metadata.get("course", {}).get("student_version"))
