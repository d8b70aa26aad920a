"""Time every course notebook against a reference notebook that imports and trains one step.

Kernel start-up, imports and torch's lazy imports dominate a small notebook, so each lesson's
time is shown as a ratio to a reference notebook executed the same way in the same run: it
imports torch, matplotlib and the modules of course_utils and takes one optimizer step on a
tiny model (torch imports ``torch._dynamo`` and sympy the first time a notebook builds an
optimizer, about 2 s that every training lesson pays once). Each run is a fresh kernel, all
cells in order, as "Restart kernel and run all" does in JupyterLab (nbclient, the engine under
nbconvert, nbval and papermill). A shared machine is noisy, so the runs go in rounds (the
references, then lessons 01-04, again) and the best of ``--repeat`` rounds counts; 05 and 06
run once. Targets: lessons 01-04 at most 1.5x the reference, every notebook at most 30 s. A
benchmark, not a test: it prints the figures and names the missed targets; it does not run the
test suite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

from tools.notebooks import KERNEL, notebook_client
from tools.paths import ROOT, course_notebooks

# torch, matplotlib and every module of course_utils (its subpackages, such as the homework's
# checks, are the homework's own cost), found by name so that a renamed module needs no edit here.
IMPORTS_SOURCE = """\
import importlib
import pkgutil

import matplotlib.pyplot as plt
import torch

import course_utils

for module in pkgutil.iter_modules(course_utils.__path__, "course_utils."):
    if not module.ispkg:
        importlib.import_module(module.name)
"""
REFERENCE_SOURCE = IMPORTS_SOURCE + """
# One optimizer step on a tiny model: the lazy imports every training lesson pays once.
model = torch.nn.Linear(4, 4)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss = torch.nn.functional.cross_entropy(model(torch.eye(4)), torch.arange(4))
optimizer.zero_grad()
loss.backward()
optimizer.step()
fig, ax = plt.subplots()
plt.close(fig)
"""
RATIO_TARGET = 1.5  # lessons 01-04 against the reference
SECONDS_TARGET = 30.0  # every notebook
RATIO_LESSONS = ("01", "02", "03", "04")


def reference_notebook(folder: Path, source: str = REFERENCE_SOURCE,
                       name: str = "reference") -> Path:
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


def target_of(name: str) -> tuple[str, float | None, float]:
    """(label, ratio target or None, seconds target) of the notebook called ``name``."""
    if name[:2] in RATIO_LESSONS:
        return f"<= {RATIO_TARGET:.1f}x, {SECONDS_TARGET:.0f} s", RATIO_TARGET, SECONDS_TARGET
    return f"<= {SECONDS_TARGET:.0f} s", None, SECONDS_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds over the reference and lessons 01-04 (best counts)")
    args = parser.parse_args()
    rounds = max(args.repeat, 1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        imports = reference_notebook(tmp_path, IMPORTS_SOURCE, "imports_only")
        reference = reference_notebook(tmp_path)
        notebooks = course_notebooks()
        timed = [p for p in notebooks if target_of(p.name)[1] is not None]
        best: dict[Path, float] = {}
        status: dict[Path, str] = {}
        for round_ in range(rounds):
            once = [p for p in notebooks if p not in timed] if round_ == 0 else []
            for path in [imports, reference, *timed, *once]:
                seconds, status[path] = time_notebook(path)
                best[path] = min(seconds, best.get(path, float("inf")))
    ref = best[reference]
    print(f"best of {rounds} rounds for the references and lessons 01-04; 05 and 06 once")
    print(f"{'notebook':<40} {'seconds':>8} {'ratio':>7}  {'target':<16} status")
    print(f"{'(reference: imports + one Adam step)':<40} {ref:>8.1f} {1.0:>7.2f}")
    print(f"{'(imports only, for comparison)':<40} {best[imports]:>8.1f} "
          f"{best[imports] / ref:>7.2f}  (not a target)")
    missed = []
    for path in notebooks:
        seconds, ratio = best[path], best[path] / ref
        label, max_ratio, max_seconds = target_of(path.name)
        met = (max_ratio is None or ratio <= max_ratio) and seconds <= max_seconds
        rel = str(path.relative_to(ROOT))
        if not met:
            missed.append(rel)
        print(f"{rel:<40} {seconds:>8.1f} {ratio:>7.2f}  {label:<16} {status[path]}"
              f"{'' if met else '  (target missed)'}", flush=True)
    print(f"targets missed: {', '.join(missed)}" if missed else "every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
