"""The RNN cell, the unrolled sequence, and text turned into one-hot rows."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_utils.diagrams.primitives import PALETTE, arrow, box, canvas, circle, label
from course_utils.fonts import MONOSPACE, is_wide
from course_utils.text import Vocabulary


def draw_rnn_cell() -> Figure:
    """One RNN cell: ``x_t`` and ``h_{t-1}`` through their linear maps, added, ``tanh``,
    out comes ``h_t``."""
    fig, ax = canvas(11.4, 5.6, figsize=(7.2, 3.55))
    box(ax, (5.2, 2.55), (7.0, 3.7), color="#fafafa", dashed=True)
    label(ax, (5.2, 4.7), "RNN cell: the same weights at every time step", fontsize=11,
          color="#555555")
    # The two linear maps.
    _, _, whh_right, _ = box(ax, (3.4, 3.45), (2.9, 0.9),
                             r"$W_{hh}\,h_{t-1} + b_{hh}$", color=PALETTE["weights"])
    _, wih_bottom, wih_right, _ = box(ax, (3.4, 1.65), (2.9, 0.9),
                                      r"$W_{ih}\,x_t + b_{ih}$", color=PALETTE["weights"])
    label(ax, (0.55, 3.45), r"$h_{t-1}$", fontsize=15)
    arrow(ax, (0.95, 3.45), (1.95, 3.45))
    label(ax, (3.4, 0.15), r"$x_t$", fontsize=15)
    arrow(ax, (3.4, 0.4), (3.4, wih_bottom))
    # Sum, tanh, output.
    plus = (6.0, 2.55)
    circle(ax, plus, 0.3, "+")
    arrow(ax, (whh_right, 3.45), (plus[0] - 0.2, plus[1] + 0.23))
    arrow(ax, (wih_right, 1.65), (plus[0] - 0.2, plus[1] - 0.23))
    _, _, tanh_right, _ = box(ax, (7.6, 2.55), (1.3, 0.8), r"$\tanh$",
                              color=PALETTE["activation"], fontsize=13)
    arrow(ax, (plus[0] + 0.3, plus[1]), (6.95, 2.55))
    arrow(ax, (tanh_right, 2.55), (10.4, 2.55))
    label(ax, (10.85, 2.55), r"$h_t$", fontsize=15)
    label(ax, (9.8, 2.0), "to the next step\nand to the output", fontsize=8, color="#555555")
    return fig


def draw_unrolled_rnn(steps: int = 4) -> Figure:
    """One cell repeated over ``steps`` time steps, with ``output`` and ``hidden`` boxed."""
    if steps < 2:
        raise ValueError(f"steps must be at least 2 to show a sequence, got {steps}.")
    gap = 2.3
    width = 3.4 + gap * (steps - 1)
    fig, ax = canvas(width, 5.4, figsize=(min(2.0 + 1.7 * steps, 11.0), 4.4))
    names = [str(i) for i in range(1, steps)] + ["N"] if steps > 4 else [
        str(i) for i in range(1, steps + 1)]
    label(ax, (0.5, 2.4), r"$h_0$", fontsize=14)
    previous_right = 0.85
    for i, name in enumerate(names):
        cx = 2.2 + gap * i
        left, bottom, right, top = box(ax, (cx, 2.4), (1.4, 0.9), "RNN\ncell",
                                       color=PALETTE["hidden"], fontsize=10)
        arrow(ax, (previous_right, 2.4), (left, 2.4))
        if i:
            label(ax, ((previous_right + left) / 2, 2.65), rf"$h_{{{names[i - 1]}}}$",
                  fontsize=10)
        label(ax, (cx, 0.55), rf"$x_{{{name}}}$", fontsize=14)
        arrow(ax, (cx, 0.8), (cx, bottom))
        label(ax, (cx, 4.0), rf"$h_{{{name}}}$", fontsize=14)
        arrow(ax, (cx, top), (cx, 3.55))
        previous_right = right
    last = 2.2 + gap * (steps - 1)
    box(ax, ((2.2 + last) / 2, 4.0), (last - 2.2 + 1.3, 0.8), dashed=True,
        edgecolor="#3182bd")
    label(ax, (1.55, 4.6), "output", fontsize=10, color="#3182bd", ha="left")
    box(ax, (last, 4.0), (0.9, 0.6), dashed=True, edgecolor=PALETTE["highlight"])
    label(ax, (last, 4.6), "hidden", fontsize=10, color=PALETTE["highlight"])
    label(ax, (width / 2, 5.25), "one cell, unrolled over time: the boxes share their weights",
          fontsize=10, color="#555555")
    return fig


def draw_text_to_one_hot(text: str, vocab: Vocabulary | None = None) -> Figure:
    """``text`` -> dictionary -> indices -> one-hot rows, one row per character."""
    vocab = vocab or Vocabulary.from_texts(text)
    indices = vocab.encode(text)
    n, size = len(text), len(vocab)
    width = 6.2 + size
    fig, ax = canvas(width, n + 2.2, figsize=(0.55 * width + 0.6, 0.55 * (n + 2.2) + 0.4))
    top = n + 0.6
    # The dictionary on the left.
    label(ax, (0.9, top + 0.9), "dictionary", fontsize=10, color="#555555")
    for i, char in enumerate(vocab.chars):
        label(ax, (0.9, top - 0.5 - i), f"{i}: '{char}'", fontsize=11, family=MONOSPACE)
    # Character, index, one-hot row.
    headers = ((2.8, "char"), (4.15, "index"), (5.6 + size / 2, "one-hot row"))
    for x, text_ in headers:
        label(ax, (x, top + 0.9), text_, fontsize=10, color="#555555")
    for j, char in enumerate(vocab.chars):
        label(ax, (5.6 + j + 0.5, top + 0.25), f"'{char}'", fontsize=9, color="#777777",
              family=MONOSPACE)
    for row, (char, index) in enumerate(zip(text, indices, strict=True)):
        y = top - 0.5 - row
        # A wide (e.g. Chinese) character is two columns wide: its label moves left, clear of
        # the arrow.
        label(ax, (2.65 if is_wide(char) else 2.8, y), f"'{char}'", fontsize=12,
              family=MONOSPACE)
        arrow(ax, (3.25, y), (3.85, y), lw=1.0)
        label(ax, (4.15, y), str(index), fontsize=12)
        arrow(ax, (4.35, y), (5.45, y), lw=1.0)
        for j in range(size):
            lit = j == index
            ax.add_patch(Rectangle((5.6 + j, y - 0.5), 1, 1, edgecolor="#999999",
                                   facecolor=PALETTE["highlight"] if lit else "white"))
            label(ax, (5.6 + j + 0.5, y), "1" if lit else "0", fontsize=10,
                  color="white" if lit else "#999999")
    return fig
