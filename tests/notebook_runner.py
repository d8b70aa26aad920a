"""Execute a course notebook with papermill into a temporary folder and read its summary."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parent.parent


def execute(name: str, out_dir: Path, **parameters: Any) -> nbformat.NotebookNode:
    """Run ``notebooks/<name>`` with ``parameters``; return the executed notebook.

    ``name`` may also be a path from the repository root, e.g. ``"solutions/04_....ipynb"``
    (a homework's student version and its solution share a file name).
    Raises ``papermill.PapermillExecutionError`` if a cell fails."""
    path = ROOT / name if "/" in name else ROOT / "notebooks" / name
    out = out_dir / f"{path.stem}.executed.ipynb"
    pm.execute_notebook(
        str(path), str(out), parameters=parameters, cwd=str(path.parent),
        kernel_name="python3", progress_bar=False, log_output=False,
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
