"""Measuring a sequence classifier: confusion matrix, accuracy by sequence length, and their
figures (lesson 07)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from course_utils.params import is_int
from course_utils.plots import COLORS

# Length groups for accuracy by length: (shortest, longest), both included.
LENGTH_GROUPS: tuple[tuple[int, int], ...] = ((1, 6), (7, 10), (11, 15), (16, 20), (21, 30),
                                              (31, 10**6))


def confusion_matrix(labels: Sequence[int] | torch.Tensor, predictions: Sequence[int] |
                     torch.Tensor, num_classes: int) -> np.ndarray:
    """``matrix[i, j]``: how many examples of class ``i`` were predicted as class ``j``."""
    labels = torch.as_tensor(labels).flatten().cpu()
    predictions = torch.as_tensor(predictions).flatten().cpu()
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions differ in length: {len(labels)} labels, "
                         f"{len(predictions)} predictions.")
    assert is_int(num_classes, low=1), f"num_classes must be an integer >= 1, got {num_classes!r}"
    for name, values in (("labels", labels), ("predictions", predictions)):
        if len(values) and not (0 <= int(values.min()) and int(values.max()) < num_classes):
            raise ValueError(f"{name} must be class indices in 0..{num_classes - 1}.")
    flat = labels * num_classes + predictions
    counts = torch.bincount(flat, minlength=num_classes * num_classes)
    return counts.view(num_classes, num_classes).numpy()


def group_name(group: tuple[int, int]) -> str:
    """``(7, 10)`` -> ``"7-10"``; the last, open group ``(31, 10**6)`` -> ``"31+"``."""
    low, high = group
    return f"{low}+" if high >= 10**6 else f"{low}-{high}"


def accuracy_by_length(lengths: Sequence[int], correct: Sequence[bool],
                       groups: Sequence[tuple[int, int]] = LENGTH_GROUPS
                       ) -> list[tuple[str, int, int]]:
    """For each length group that has examples: (name, examples right, examples)."""
    lengths, correct = list(lengths), [bool(c) for c in correct]
    if len(lengths) != len(correct):
        raise ValueError(f"lengths and correct differ in length: {len(lengths)} and "
                         f"{len(correct)}.")
    rows = []
    for low, high in groups:
        chosen = [c for n, c in zip(lengths, correct, strict=True) if low <= n <= high]
        if chosen:
            rows.append((group_name((low, high)), sum(chosen), len(chosen)))
    return rows


# Drawing code from here to the end: `make mutation` leaves it out, as it does plots.py and the
# diagrams (the figure tests look at the pictures; CONTRIBUTING.md, "Mutation testing").
# pragma: no mutate block
def plot_confusion_matrix(matrix: np.ndarray, names: Sequence[str], *,
                          title: str = "validation set") -> Figure:
    """The confusion matrix as a heat map, each row divided by its total (recall per class),
    with the counts off the diagonal written in their cells."""
    matrix = np.asarray(matrix)
    n = len(names)
    assert matrix.shape == (n, n), f"a {n}x{n} matrix is needed for {n} names"
    rows = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = min(1.6 + 0.3 * n, 4.8)
    fig, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(rows, cmap="Blues", vmin=0, vmax=1)
    for i in range(n):
        for j in range(n):
            if matrix[i, j] and i != j:  # the mistakes; the diagonal is the colour
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                        color="black")
    ax.set_xticks(range(n), names, rotation=90 if n > 12 else 0)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted language")
    ax.set_ylabel("true language")
    ax.set_title(title)
    ax.grid(False)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="fraction of the true language")
    fig.tight_layout()
    return fig


def plot_accuracy_by_length(rows: Sequence[tuple[str, int, int]], *,
                            series: str = "validation set") -> Figure:
    """Bars of accuracy per length group (rows from ``accuracy_by_length``), each bar
    labelled "right/total"."""
    fig, ax = plt.subplots(figsize=(7, 3.4))
    names = [name for name, _, _ in rows]
    accuracy = [right / total for _, right, total in rows]
    bars = ax.bar(names, accuracy, color=COLORS[0], label=series)
    for bar, (_, right, total) in zip(bars, rows, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 0.02, f"{right}/{total}",
                ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, 1.15)
    ax.set_xlabel("length of the text (characters)")
    ax.set_ylabel("accuracy")
    ax.set_title("accuracy by length")
    fig.tight_layout()
    return fig
