"""`make run`: execute every notebook with papermill into build/executed/.

The committed notebooks are only read, never written. Exits non-zero, naming the notebook,
the cell and the error, when any notebook fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
import papermill as pm

from tools.notebooks import KERNEL, kernel_config
from tools.paths import is_student_version, parse_notebook_arguments
from tools.student import first_task


def expected_stop(path: Path, err: pm.PapermillExecutionError) -> str | None:
    """A student version stops at its first task with NotDone: that is expected, not a failure.
    Return the note to print, or None when the stop is a real failure."""
    if not is_student_version(path):
        return None
    task = first_task(nbformat.read(path, as_version=4))
    if task is not None and err.ename == "NotDone" and err.evalue.startswith(f"Task {task} "):
        return f"stops as expected at task {task} (student version)"
    return None


def run_one(path: Path, out_dir: Path) -> tuple[str | None, str]:
    """Execute one notebook; return (None, note) on success, else (a one-line reason, "")."""
    # A solution shares its file name with its student version: keep them apart.
    folder = out_dir / "solutions" if path.parent.name == "solutions" else out_dir
    out = folder / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        pm.execute_notebook(
            str(path), str(out), cwd=str(path.parent), kernel_name=KERNEL,
            progress_bar=False, log_output=False, config=kernel_config(),
        )
    except pm.PapermillExecutionError as err:
        note = expected_stop(path, err)
        if note is not None:
            return None, note
        return f"cell {err.cell_index} (In [{err.exec_count}]): {err.ename}: {err.evalue}", ""
    except Exception as err:  # a timeout or a dead kernel: say what it was
        return f"{type(err).__name__}: {err}", ""
    return None, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="build/executed", help="folder for executed copies")
    args, root, notebooks = parse_notebook_arguments(parser)
    out_dir = (root / args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for path in notebooks:
        start = time.perf_counter()
        reason, note = run_one(path, out_dir)
        seconds = time.perf_counter() - start
        rel = path.relative_to(root)
        print(f"{'ok' if reason is None else 'FAILED':<7}{seconds:6.1f} s  {rel}"
              + (f"  {note}" if note else "") + ("" if reason is None else f"  ({reason})"),
              flush=True)
        if reason is not None:
            failures.append(f"{rel}: {reason}")
    shown = out_dir.relative_to(root) if out_dir.is_relative_to(root) else out_dir
    print(f"executed copies in {shown}/")
    if failures:
        print("\n".join(["failed:", *failures]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
