"""Run a notebook's code cells as a plain Python program and check its summary.

For machines without Jupyter (such as a GPU box with only torch and matplotlib): the code cells
run in order in one namespace, figures go to the Agg backend, and the summary cell's dict is
printed and checked against the lesson's targets (``TARGETS``). Parameters can be
overridden: ``python -m tools.bench.as_script NOTEBOOK device=cuda epochs=20``. A student
version (it stops at its first task by design) is skipped: its solution is checked instead.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tools.paths import is_student_version

Check = Callable[[dict], bool]


def _predicts(*path: str) -> Check:
    def check(summary: dict) -> bool:
        result = summary
        for key in path:
            result = result[key]
        return result["prediction"] == result["target"]
    return check


# What each lesson must reach on any device. The numbers are the lessons' claims, with room for
# a GPU's different rounding: exact stored values are the tests' job (tests/test_lesson*.py).
TARGETS: dict[str, list[tuple[str, Check]]] = {
    "01_rnncell_onehot": [
        ("the fixed model writes the target", _predicts()),
        ("the lecture model stays above its loss floor",
         lambda s: s["lecture"]["final_loss"] >= s["loss_floor_lecture"] - 1e-3),
    ],
    "02_nn_rnn_onehot": [
        ("the fixed model writes the target", _predicts()),
        ("the fixed model converges for every seed",
         lambda s: s["sweep"]["fixed_converged"] == s["sweep"]["seeds"]),
        ("the fix beats the lecture model",
         lambda s: s["sweep"]["fixed_converged"] > s["sweep"]["lecture_converged"]),
    ],
    "03_embedding_rnn": [
        ("the Embedding model writes the target", _predicts()),
        ("at least 95% of seeds converge",
         lambda s: s["sweep"]["lecture_converged"] >= 0.95 * s["sweep"]["seeds"]),
    ],
    "04_homework_lstm_gru": [
        ("the RNN writes the target in 15 epochs", _predicts("rnn")),
        ("the GRU writes the target in 15 epochs", _predicts("gru")),
        ("at least 95% of seeds converge within 50 epochs for every cell",
         lambda s: all(counts[50] >= 0.95 * s["sweep_seeds"]
                       for counts in s["sweep_counts"].values())),
    ],
    "05_gradients_through_time": [
        ("LSTM and GRU remember at every length (accuracy >= 0.95)",
         lambda s: all(a >= 0.95 for kind in ("lstm", "gru") for a in s[kind]["accuracy"])),
        ("the plain RNN fails at the longest length (accuracy < 0.9)",
         lambda s: s["rnn"]["accuracy"][-1] < 0.9),
        ("the 5-step control learns without clipping for every seed",
         lambda s: all(o == "learned" for o in s["clipping"]["short_outcome"])),
        ("clipping rescues the 50-step run for every seed",
         lambda s: s["clipping"]["rescued"] == len(s["clipping"]["seeds"])),
    ],
    "06_char_language_model": [
        ("the LSTM beats the bigram baseline's perplexity",
         lambda s: s["val_perplexity"] < s["baseline_perplexity"]),
        ("at least 90% of samples are valid number names", lambda s: s["valid_fraction"] >= 0.9),
    ],
    "07_variable_length": [
        ("validation accuracy at least 97%", lambda s: s["val_accuracy"] >= 0.97),
        ("a packed batch gives each text's own final state",
         lambda s: s["packed_equals_one_by_one"] is True),
    ],
}


def missed_targets(name: str, summary: dict) -> list[str]:
    """The targets of notebook ``name`` (its file stem) that ``summary`` misses."""
    if name not in TARGETS:
        return [f"no targets are defined for {name} in tools/bench/as_script.py"]
    missed = []
    for description, check in TARGETS[name]:
        try:
            reached = check(summary)
        except (KeyError, IndexError, TypeError) as error:
            reached, description = False, f"{description} (summary lacks {error})"
        if not reached:
            missed.append(description)
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
    # Set here, not at import: a test that imports this module must not change the backend of
    # the Jupyter kernels that the same test process starts later.
    os.environ.setdefault("MPLBACKEND", "Agg")
    path = Path(sys.argv[1]).resolve()
    if is_student_version(path):
        print(f"skipped  {sys.argv[1]} (student version; its solution is checked instead)")
        return 0
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
    missed = missed_targets(path.stem, summary)
    status = "ok" if not missed else "MISSED"
    print(f"{status:<8} {seconds:6.1f} s  {path.name}  on {device}")
    for description in missed:
        print(f"         missed: {description}")
    print(f"         summary: {summary}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
