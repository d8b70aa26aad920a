"""Embeddings: one-hot vs. embedding vectors, the lookup, and the lecture's Embedding model."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_utils.diagrams.primitives import LAYER_COLORS, PALETTE, arrow, box, canvas, label, whole
from course_utils.fonts import MONOSPACE

GREY = "#555555"
EMBED_COLOR = "#fde0dd"
HEAD_COLOR = PALETTE["weights"]
CMAP = "PuOr_r"  # diverging, without the red and green that mean wrong and right


def _as_array(values: object) -> np.ndarray:
    """A float array from a list, an array or a tensor (detached, on the CPU)."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    return np.asarray(values, dtype=float)


def _values(values: Sequence[float] | np.ndarray | None, shape: tuple[int, ...],
            name: str) -> np.ndarray:
    """The numbers to draw: ``values`` (checked), or fixed example numbers in [-1, 1]."""
    if values is None:
        # Example numbers from a private generator: no effect on torch's or numpy's global RNG.
        return np.random.default_rng(7).uniform(-1, 1, size=shape).round(2)
    array = _as_array(values)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}.")
    return array


def _cell(ax, xy: tuple[float, float], value: float, *, scale: float, text: str | None = None,
          size: tuple[float, float] = (1.0, 1.0), fontsize: float = 8) -> Rectangle:
    """One coloured matrix cell (blue negative, red positive) with its value written in it."""
    norm = mpl.colors.Normalize(-scale, scale)
    rgba = mpl.colormaps[CMAP](norm(value))
    patch = Rectangle(xy, *size, facecolor=rgba, edgecolor="#999999", lw=0.8)
    ax.add_patch(patch)
    dark = abs(value) > 0.6 * scale
    ax.text(xy[0] + size[0] / 2, xy[1] + size[1] / 2, f"{value:.2f}" if text is None else text,
            ha="center", va="center", fontsize=fontsize, color="white" if dark else "black")
    return patch


def draw_one_hot_vs_embedding(
    vocab_size: int = 12, embedding_dim: int = 3, index: int = 2,
    values: Sequence[float] | np.ndarray | None = None,
) -> Figure:
    """The same symbol as a one-hot vector (tall, sparse: one cell lit, fixed) and as an
    embedding vector (short, dense: every cell holds a learned number).

    ``values``: the ``embedding_dim`` numbers of the embedding vector (default: example
    numbers)."""
    vocab_size = whole(vocab_size, "vocab_size", 2, 30)
    embedding_dim = whole(embedding_dim, "embedding_dim", 1, vocab_size)
    index = whole(index, "index", 0, vocab_size - 1)
    vector = _values(values, (embedding_dim,), "values")
    height = vocab_size + 3.2
    fig, ax = canvas(13.0, height, figsize=(7.0, min(0.3 * height + 0.6, 5.2)))
    ax.set_aspect("auto")
    ax.set_position((0.01, 0.01, 0.98, 0.98))  # use the whole figure
    top = vocab_size + 1.0
    # One-hot: a tall column, a single 1.
    for i in range(vocab_size):
        lit = i == index
        ax.add_patch(Rectangle((1.5, top - 1 - i), 1, 1, edgecolor="#999999",
                               facecolor=PALETTE["highlight"] if lit else "white"))
        label(ax, (2.0, top - 0.5 - i), "1" if lit else "0", fontsize=9,
              color="white" if lit else "#999999")
    label(ax, (2.0, top + 1.3), "one-hot", fontsize=12, weight="bold")
    label(ax, (3.0, top - 0.5 - vocab_size / 2),
          f"{vocab_size} numbers\n1 of them non-zero\nfixed: nothing to learn\n"
          "every symbol equally far\nfrom every other",
          fontsize=10, color=GREY, ha="left")
    # Embedding: a short column, every cell a learned number.
    scale = max(1.0, float(np.abs(vector).max()))
    for i, value in enumerate(vector):
        _cell(ax, (7.5, top - 1 - i), float(value), scale=scale)
    label(ax, (8.0, top + 1.3), "embedding", fontsize=12, weight="bold")
    label(ax, (9.0, top - 0.5 - embedding_dim / 2),
          f"{embedding_dim} numbers\nall of them used\nlearned in training:\n"
          "similar symbols can\nend up close together",
          fontsize=10, color=GREY, ha="left")
    label(ax, (6.0, 0.35), f"the same symbol (index {index}), two ways to feed it to a network",
          fontsize=10, color=GREY)
    return fig


def draw_embedding_lookup(
    weight: Sequence[Sequence[float]] | np.ndarray | None = None, index: int = 1,
    chars: Sequence[str] | None = None, *, vocab_size: int = 4, embedding_dim: int = 3,
) -> Figure:
    """``nn.Embedding`` as a table lookup: the index picks one row of the weight matrix,
    which is exactly ``one_hot(index) @ weight``.

    ``weight``: the ``(vocab_size, embedding_dim)`` matrix (default: example numbers of the
    given sizes); ``chars``: the symbol of each row, written beside it."""
    if weight is not None:
        weight = _as_array(weight)
        if weight.ndim != 2:
            raise ValueError(f"weight must be a 2-D matrix, got shape {weight.shape}.")
        vocab_size, embedding_dim = weight.shape
    vocab_size = whole(vocab_size, "vocab_size", 2, 12)
    embedding_dim = whole(embedding_dim, "embedding_dim", 1, 12)
    matrix = _values(weight, (vocab_size, embedding_dim), "weight")
    index = whole(index, "index", 0, vocab_size - 1)
    if chars is not None and len(chars) != vocab_size:
        raise ValueError(f"chars must name the {vocab_size} rows, got {len(chars)}: {chars!r}.")
    scale = max(1.0, float(np.abs(matrix).max()))
    font = 8 if embedding_dim <= 6 else 6.5
    width = vocab_size + 2 * embedding_dim + 7.5
    height = vocab_size + 3.0
    fig, ax = canvas(width, height, figsize=(min(0.55 * width + 0.5, 10.0),
                                              min(0.55 * height + 0.6, 4.6)))
    ax.set_position((0.01, 0.01, 0.98, 0.98))
    top = vocab_size + 1.0
    # The one-hot row of the index.
    x_one = 0.3
    row_y = top - 1 - index
    for j in range(vocab_size):
        lit = j == index
        ax.add_patch(Rectangle((x_one + j, row_y), 1, 1, edgecolor="#999999",
                               facecolor=PALETTE["highlight"] if lit else "white"))
        label(ax, (x_one + j + 0.5, row_y + 0.5), "1" if lit else "0", fontsize=9,
              color="white" if lit else "#999999")
    label(ax, (x_one + vocab_size / 2, top + 0.55), f"one_hot({index})", fontsize=10,
          family=MONOSPACE)
    label(ax, (x_one + vocab_size + 0.5, row_y + 0.5), "@", fontsize=14)
    # The weight matrix, its selected row framed.
    x_w = x_one + vocab_size + 2.2
    for i in range(vocab_size):
        name = f"{i}" if chars is None else f"{i} '{chars[i]}'"
        label(ax, (x_w - 0.15, top - 0.5 - i), name, fontsize=8, ha="right", color=GREY)
        for j in range(embedding_dim):
            _cell(ax, (x_w + 1.0 + j, top - 1 - i), float(matrix[i, j]), scale=scale,
                  fontsize=font)
    x_m = x_w + 1.0
    ax.add_patch(Rectangle((x_m - 0.08, row_y - 0.08), embedding_dim + 0.16, 1.16, fill=False,
                           edgecolor=PALETTE["highlight"], lw=2.4))
    label(ax, (x_m + embedding_dim / 2, top + 0.55),
          f"weight ({vocab_size} x {embedding_dim})", fontsize=10, family=MONOSPACE)
    # The result: that row.
    x_r = x_m + embedding_dim + 1.6
    arrow(ax, (x_m + embedding_dim + 0.2, row_y + 0.5), (x_r - 0.15, row_y + 0.5),
          color=PALETTE["highlight"])
    for j in range(embedding_dim):
        _cell(ax, (x_r + j, row_y), float(matrix[index, j]), scale=scale, fontsize=font)
    label(ax, (x_r + embedding_dim / 2, top + 0.55), f"weight[{index}]", fontsize=10,
          family=MONOSPACE)
    label(ax, (width / 2, 0.35),
          f"embedding({index}) = weight[{index}] = one_hot({index}) @ weight: "
          "a lookup, no multiplication needed", fontsize=10, color=GREY)
    return fig


def draw_embedding_model(
    text: str = "hello", vocab_size: int = 4, embedding_dim: int = 10, hidden_size: int = 8,
    num_layers: int = 2, indices: Sequence[int] | None = None,
) -> Figure:
    """The lecture's Embedding model over one sequence: indices -> Embed -> ``num_layers``
    rows of RNN cells -> Linear -> one row of ``vocab_size`` scores per character.

    ``indices``: the index of each character of ``text`` (written under it) when known."""
    if not isinstance(text, str) or not 2 <= len(text) <= 8:
        raise ValueError(f"text must be a str of 2..8 characters, got {text!r}.")
    vocab_size = whole(vocab_size, "vocab_size", 2, 1000)
    embedding_dim = whole(embedding_dim, "embedding_dim", 1, 10_000)
    hidden_size = whole(hidden_size, "hidden_size", 1, 10_000)
    num_layers = whole(num_layers, "num_layers", 1, len(LAYER_COLORS))
    if indices is not None and len(indices) != len(text):
        raise ValueError(f"indices must give one index per character of {text!r}, got {indices}.")
    steps = len(text)
    gap = 1.75
    x0 = 1.2
    width = x0 + gap * (steps - 1) + 5.6
    rows = ["index", "embed", *[f"rnn{layer}" for layer in range(num_layers)], "linear",
            "scores"]
    ys = {name: 0.45 + 1.15 * i for i, name in enumerate(rows)}
    height = ys["scores"] + 1.2
    fig, ax = canvas(width, height, figsize=(min(0.62 * width, 10.5), min(0.62 * height, 5.4)))
    ax.set_position((0.01, 0.01, 0.98, 0.98))
    w = 1.25
    for i, char in enumerate(text):
        x = x0 + gap * i
        name = f"'{char}'" if indices is None else f"{indices[i]} '{char}'"
        label(ax, (x, ys["index"]), name, fontsize=10, family=MONOSPACE)
        arrow(ax, (x, ys["index"] + 0.25), (x, ys["embed"] - 0.3))
        box(ax, (x, ys["embed"]), (w, 0.6), "Embed", color=EMBED_COLOR, fontsize=9)
        below = ys["embed"]
        for layer in range(num_layers):
            y = ys[f"rnn{layer}"]
            arrow(ax, (x, below + 0.3), (x, y - 0.3))
            box(ax, (x, y), (w, 0.6), f"RNN {layer}", color=LAYER_COLORS[layer], fontsize=9)
            if i < steps - 1:
                arrow(ax, (x + w / 2, y), (x + gap - w / 2, y))
            below = y
        arrow(ax, (x, below + 0.3), (x, ys["linear"] - 0.3))
        box(ax, (x, ys["linear"]), (w, 0.6), "Linear", color=HEAD_COLOR, fontsize=9)
        arrow(ax, (x, ys["linear"] + 0.3), (x, ys["scores"] - 0.3))
        # The scores: vocab_size little cells (at most 6 drawn).
        shown = min(vocab_size, 6)
        cell = w / shown
        for j in range(shown):
            ax.add_patch(Rectangle((x - w / 2 + j * cell, ys["scores"] - 0.25), cell, 0.5,
                                   facecolor=PALETTE["output"], edgecolor="#777777", lw=0.8))
    label(ax, (x0 + gap * (steps - 1) / 2, ys["scores"] + 0.6),
          f"{steps} outputs of {vocab_size} scores: one score per character of the dictionary",
          fontsize=9, color=GREY)
    # Shapes along the right-hand side (batch_first=True, batch of 1).
    xs = x0 + gap * (steps - 1) + 1.0
    notes = {
        "index": f"indices (1, {steps})",
        "embed": f"Embedding({vocab_size}, {embedding_dim}) -> (1, {steps}, {embedding_dim})",
        f"rnn{num_layers - 1}": f"RNN({embedding_dim}, {hidden_size}, num_layers={num_layers})"
                                f" -> (1, {steps}, {hidden_size})",
        "linear": f"Linear({hidden_size}, {vocab_size}) -> (1, {steps}, {vocab_size})",
        "scores": f"view(-1, {vocab_size}) -> ({steps}, {vocab_size})",
    }
    for row, note in notes.items():
        label(ax, (xs, ys[row]), note, fontsize=8.5, ha="left", family=MONOSPACE, color=GREY)
    return fig
