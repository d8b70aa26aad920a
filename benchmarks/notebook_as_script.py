"""Run a notebook's code cells as a plain Python program and check its summary.

For machines without Jupyter (such as a GPU box with only torch and matplotlib): the code cells
run in order in one namespace, figures go to the Agg backend, and the summary cell's dict is
printed and checked (every model's prediction must equal its target). Parameters can be
overridden: ``notebook_as_script.py NOTEBOOK device=cuda epochs=20``.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")


def predictions_reach_targets(summary: dict) -> list[str]:
    """Names of the results (top level or nested per model) whose prediction misses."""
    missed = []
    for name, result in [("(top level)", summary), *summary.items()]:
        if isinstance(result, dict) and "prediction" in result and "target" in result:
            if name == "lecture":  # the lecture's model is allowed to fail: that is the lesson
                continue
            if result["prediction"] != result["target"]:
                missed.append(name)
    return missed


def run(path: Path, overrides: dict[str, object]) -> dict:
    cells = json.loads(path.read_text())["cells"]
    namespace: dict[str, object] = {"__name__": "__main__"}
    summary: object = None
    os.chdir(path.parent)
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        tree = ast.parse(source)
        if "summary" in tags and tree.body and isinstance(tree.body[-1], ast.Expr):
            *body, last = tree.body
            exec(compile(ast.Module(body=body, type_ignores=[]), path.name, "exec"), namespace)
            summary = eval(compile(ast.Expression(last.value), path.name, "eval"), namespace)
            continue
        exec(compile(tree, path.name, "exec"), namespace)
        if "parameters" in tags:
            namespace.update(overrides)
        import matplotlib.pyplot as plt

        plt.close("all")
    if not isinstance(summary, dict):
        raise SystemExit(f"{path.name}: no summary dict found")
    return summary


def main() -> int:
    path = Path(sys.argv[1]).resolve()
    overrides = {}
    for arg in sys.argv[2:]:
        key, _, value = arg.partition("=")
        try:
            overrides[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            overrides[key] = value
    start = time.perf_counter()
    import torch

    summary = run(path, overrides)
    seconds = time.perf_counter() - start
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    missed = predictions_reach_targets(summary)
    status = "ok" if not missed else f"MISSED TARGET: {', '.join(missed)}"
    print(f"{status:<8} {seconds:6.1f} s  {path.name}  on {device}")
    print(f"         summary: {summary}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
