"""Execute a course notebook with papermill into a temporary folder and read its summary."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm

from tools.notebooks import kernel_config
from tools.paths import ROOT


def path_of(name: str) -> Path:
    """``notebooks/<name>``, or ``name`` itself when it is a path from the repository root,
    e.g. ``"solutions/04_....ipynb"`` (a homework's student version and its solution share a
    file name)."""
    return ROOT / name if "/" in name else ROOT / "notebooks" / name


def stored(name: str) -> nbformat.NotebookNode:
    """The notebook as stored, with the outputs of its default parameters. nbval re-executes it
    in every test run and fails if a compared output differs, so a test may read the default
    run's summary here instead of executing the notebook a second time."""
    return nbformat.read(path_of(name), as_version=4)


def execute(name: str, out_dir: Path, **parameters: Any) -> nbformat.NotebookNode:
    """Run ``notebooks/<name>`` with ``parameters``; return the executed notebook.

    ``name`` as in :func:`path_of`. Raises ``papermill.PapermillExecutionError`` if a cell fails."""
    path = path_of(name)
    out = out_dir / f"{path.stem}.executed.ipynb"
    pm.execute_notebook(
        str(path), str(out), parameters=parameters, cwd=str(path.parent),
        kernel_name="python3", progress_bar=False, log_output=False,
        # IPC sockets, as `make run`: two test workers starting kernels at once over TCP can
        # pick the same free port ("ZMQError: Address already in use") and kill a kernel.
        config=kernel_config(),
    )
    return nbformat.read(out, as_version=4)


def cells_tagged(nb: nbformat.NotebookNode, tag: str) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def summary(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """The dict shown by the cell tagged ``summary`` (its ``text/plain`` output)."""
    cells = cells_tagged(nb, "summary")
    assert len(cells) == 1, f"expected one cell tagged 'summary', found {len(cells)}"
    results = [o for o in cells[0].outputs if o.output_type == "execute_result"]
    assert results, "the summary cell shows no result: its last line must be the dict"
    value = ast.literal_eval(results[-1].data["text/plain"])
    assert isinstance(value, dict), f"the summary is a {type(value).__name__}, not a dict"
    return value
