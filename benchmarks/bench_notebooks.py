"""Time every course notebook against an imports-only reference notebook.

Kernel start-up and imports dominate a small notebook, so each lesson's time is shown as a
ratio to a notebook that only imports torch, matplotlib and course_utils, executed the same way
in the same run: a fresh kernel per run, all cells in order, as "Restart kernel and run all"
does in JupyterLab (nbclient, the engine under nbconvert, nbval and papermill; papermill itself
would add its own cost, a save of the notebook before and after every cell). A shared machine is
noisy, so the runs go in rounds (reference, then every notebook, again) and the best of
``--repeat`` rounds counts. Targets: lessons 01-04 at most 2.0x the reference; 05 and 06 at
most 60 s (these run once). Then times `make test` on the warm venv (target: 5 minutes); skip
that with --skip-make-test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from notebook_tools import KERNEL, course_notebooks, notebook_client  # noqa: E402

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
# Not a target, a measurement: torch imports torch._dynamo (and sympy) the first time a
# notebook builds an optimizer or calls torch.testing.assert_close, about 2 s on the course's
# 2-core machine. Every lesson that trains pays it once; this row shows how much of each
# lesson's ratio it is.
FIRST_OPTIMIZER_SOURCE = REFERENCE_SOURCE + """
torch.optim.Adam(torch.nn.Linear(1, 1).parameters())
"""
RATIO_TARGET = 2.0
SECONDS_TARGET = 60.0


def reference_notebook(folder: Path, source: str = REFERENCE_SOURCE,
                       name: str = "reference_imports") -> Path:
    nb = new_notebook(cells=[new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def time_notebook(path: Path) -> tuple[float, str]:
    """Seconds to run ``path`` in a fresh kernel, and 'ok' or where it stopped."""
    nb = nbformat.read(path, as_version=4)
    client = notebook_client(nb, path)
    start = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except CellExecutionError as err:
        status = f"stopped: {err.ename}"
    return time.perf_counter() - start, status


def target_of(name: str) -> tuple[str, float | None, float | None]:
    number = name[:2]
    if number in {"05", "06"}:
        return f"<= {SECONDS_TARGET:.0f} s", None, SECONDS_TARGET
    return f"<= {RATIO_TARGET:.1f}x", RATIO_TARGET, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds over the reference and lessons 01-04 (best counts)")
    parser.add_argument("--skip-make-test", action="store_true", help="do not time `make test`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        reference = reference_notebook(tmp_path)
        first_optimizer = reference_notebook(tmp_path, FIRST_OPTIMIZER_SOURCE,
                                             "reference_optimizer")
        notebooks = course_notebooks()
        timed = [p for p in notebooks if target_of(p.name)[1] is not None]
        best: dict[Path, float] = {}
        status: dict[Path, str] = {}
        for round_ in range(max(args.repeat, 1)):
            once = [p for p in notebooks if p not in timed] if round_ == 0 else []
            for path in [reference, first_optimizer, *timed, *once]:
                seconds, status[path] = time_notebook(path)
                best[path] = min(seconds, best.get(path, float("inf")))
    ref = best[reference]
    print(f"best of {args.repeat} rounds for the reference and lessons 01-04; 05 and 06 once")
    print(f"{'notebook':<40} {'seconds':>8} {'ratio':>7}  {'target':<9} status")
    print(f"{'(imports-only reference)':<40} {ref:>8.1f} {1.0:>7.2f}")
    print(f"{'(reference + one torch.optim.Adam)':<40} {best[first_optimizer]:>8.1f} "
          f"{best[first_optimizer] / ref:>7.2f}  (not a target: torch's lazy imports)")
    missed = []
    for path in notebooks:
        seconds, ratio = best[path], best[path] / ref
        label, max_ratio, max_seconds = target_of(path.name)
        met = (max_ratio is None or ratio <= max_ratio) and (
            max_seconds is None or seconds <= max_seconds)
        rel = str(path.relative_to(ROOT))
        if not met:
            missed.append(rel)
        print(f"{rel:<40} {seconds:>8.1f} {ratio:>7.2f}  {label:<9} {status[path]}"
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
