"""`make run`: execute every notebook with papermill into build/executed/.

The committed notebooks are only read, never written. Exits non-zero, naming the notebook,
the cell and the error, when any notebook fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import papermill as pm
from notebook_tools import KERNEL, ROOT, course_notebooks


def run_one(path: Path, out_dir: Path) -> str | None:
    """Execute one notebook; return None on success, else a one-line reason."""
    try:
        pm.execute_notebook(
            str(path), str(out_dir / path.name), cwd=str(path.parent), kernel_name=KERNEL,
            progress_bar=False, log_output=False,
        )
    except pm.PapermillExecutionError as err:
        return f"cell {err.cell_index} (In [{err.exec_count}]): {err.ename}: {err.evalue}"
    except Exception as err:  # a timeout or a dead kernel: say what it was
        return f"{type(err).__name__}: {err}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="build/executed", help="folder for executed copies")
    parser.add_argument("names", nargs="*", help="only these notebooks (file names)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # tests
    args = parser.parse_args()
    root = args.root.resolve()
    out_dir = (root / args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    notebooks = [p for p in course_notebooks(root) if not args.names or p.name in args.names]
    if not notebooks:
        print(f"no notebook matches {args.names}", file=sys.stderr)
        return 2
    failures = []
    for path in notebooks:
        start = time.perf_counter()
        reason = run_one(path, out_dir)
        seconds = time.perf_counter() - start
        rel = path.relative_to(root)
        print(f"{'ok' if reason is None else 'FAILED':<7}{seconds:6.1f} s  {rel}"
              + ("" if reason is None else f"  ({reason})"), flush=True)
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
