"""Time every course notebook against an imports-only reference notebook.

Kernel start-up and imports dominate a small notebook, so each lesson's time is shown as a
ratio to a notebook that only imports torch, matplotlib and course_utils, executed the same way
(papermill, same kernel) in the same run. Targets: lessons 01-04 at most 2.0x the reference;
05 and 06 at most 60 s. Then times `make test` on the warm venv (target: 5 minutes); skip that
with --skip-make-test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from notebook_tools import KERNEL, course_notebooks  # noqa: E402

REFERENCE_SOURCE = """\
import matplotlib.pyplot as plt
import torch

import course_utils.diagrams
import course_utils.params
import course_utils.plots
import course_utils.repro
import course_utils.text
import course_utils.training
"""
RATIO_TARGET = 2.0
SECONDS_TARGET = 60.0


def reference_notebook(folder: Path) -> Path:
    nb = new_notebook(cells=[new_code_cell(REFERENCE_SOURCE)])
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    path = folder / "reference_imports.ipynb"
    nbformat.write(nb, path)
    return path


def time_notebook(path: Path, out_dir: Path, repeat: int) -> tuple[float, str]:
    """Best of ``repeat`` papermill runs, and 'ok' or the error."""
    best, status = float("inf"), "ok"
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            pm.execute_notebook(str(path), str(out_dir / path.name), cwd=str(path.parent),
                                kernel_name=KERNEL, progress_bar=False, log_output=False)
        except pm.PapermillExecutionError as err:
            status = f"stopped: {err.ename}"
        best = min(best, time.perf_counter() - start)
    return best, status


def target_of(name: str) -> tuple[str, float | None, float | None]:
    number = name[:2]
    if number in {"05", "06"}:
        return f"<= {SECONDS_TARGET:.0f} s", None, SECONDS_TARGET
    return f"<= {RATIO_TARGET:.1f}x", RATIO_TARGET, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (best is kept)")
    parser.add_argument("--skip-make-test", action="store_true", help="do not time `make test`")
    args = parser.parse_args()
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ref_seconds, _ = time_notebook(reference_notebook(tmp_path), tmp_path, args.repeat)
        print(f"{'notebook':<40} {'seconds':>8} {'ratio':>7}  {'target':<9} status")
        print(f"{'(imports-only reference)':<40} {ref_seconds:>8.1f} {1.0:>7.2f}")
        for path in course_notebooks():
            seconds, status = time_notebook(path, tmp_path, args.repeat)
            ratio = seconds / ref_seconds
            label, max_ratio, max_seconds = target_of(path.name)
            met = (max_ratio is None or ratio <= max_ratio) and (
                max_seconds is None or seconds <= max_seconds)
            if not met:
                missed.append(path.name)
            rel = str(path.relative_to(ROOT))
            print(f"{rel:<40} {seconds:>8.1f} {ratio:>7.2f}  {label:<9} {status}"
                  f"{'' if met else '  (target missed)'}", flush=True)
    if not args.skip_make_test:
        start = time.perf_counter()
        done = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
        tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        print(f"make test (warm venv): {time.perf_counter() - start:.0f} s, exit {done.returncode}"
              f"  [{tail}]")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
