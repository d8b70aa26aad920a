"""Sequences of different lengths (lesson 07): a packed batch, and a bidirectional RNN."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_utils.diagrams.primitives import LAYER_COLORS, PALETTE, arrow, box, canvas, label

PAD_COLOR = "#eeeeee"
GREY = "#555555"
FORWARD_COLOR, BACKWARD_COLOR = LAYER_COLORS[0], LAYER_COLORS[1]


def _shown(char: str) -> str:
    return {" ": "\u2423", "\n": "\\n"}.get(char, char)  # a visible space


def draw_packed_batch(texts: Sequence[str]) -> Figure:
    """A padded batch as ``pack_padded_sequence`` stores it: the texts sorted by length (one row
    each), one column per time step, and under each column ``batch_sizes[t]``, the number of
    texts still running at step ``t``: the only rows the RNN computes at that step."""
    texts = sorted(texts, key=len, reverse=True)  # what enforce_sorted=False does inside
    if not 1 <= len(texts) <= 8 or not all(isinstance(t, str) and t for t in texts):
        raise ValueError("draw_packed_batch needs 1 to 8 non-empty texts.")
    steps = len(texts[0])
    if steps > 30:
        raise ValueError(f"texts of at most 30 characters fit the figure; the longest has {steps}.")
    rows = len(texts)
    cell = 1.0
    left_margin, top_margin = 3.2, 1.3
    width = left_margin + steps * cell + 0.4
    height = top_margin + (rows + 1.6) * cell
    fig, ax = canvas(width, height, figsize=(min(0.34 * width + 0.4, 11.0),
                                              min(0.34 * height + 0.4, 4.6)))
    ax.set_position((0.01, 0.01, 0.98, 0.98))
    top = height - top_margin
    for t in range(steps):
        label(ax, (left_margin + (t + 0.5) * cell, top + 0.45), str(t + 1), fontsize=8,
              color=GREY)
    label(ax, (left_margin - 0.2, top + 0.45), "step t", fontsize=8, color=GREY, ha="right")
    for r, text in enumerate(texts):
        y = top - (r + 1) * cell
        label(ax, (left_margin - 0.2, y + cell / 2), f"length {len(text)}", fontsize=9,
              ha="right")
        for t in range(steps):
            data = t < len(text)
            ax.add_patch(Rectangle((left_margin + t * cell, y), cell, cell,
                                   facecolor=PALETTE["input"] if data else PAD_COLOR,
                                   edgecolor="white" if data else "#cccccc", lw=1.0,
                                   hatch=None if data else "///"))
            if data:
                label(ax, (left_margin + (t + 0.5) * cell, y + cell / 2), _shown(text[t]),
                      fontsize=10)
    y = top - (rows + 1) * cell - 0.2
    label(ax, (left_margin - 0.2, y + cell / 2), "batch_sizes", fontsize=9,
          color=PALETTE["highlight"], ha="right")
    for t in range(steps):
        running = sum(len(text) > t for text in texts)
        label(ax, (left_margin + (t + 0.5) * cell, y + cell / 2), str(running), fontsize=10,
              color=PALETTE["highlight"])
    label(ax, (width / 2, height - 0.35),
          "packed: at step t the RNN computes only the first batch_sizes[t] rows; "
          "hatched = padding, never read", fontsize=9, color=GREY)
    return fig


def draw_bidirectional_rnn(text: str) -> Figure:
    """A one-layer bidirectional RNN over ``text`` (2 to 8 characters): a forward row that reads
    left to right, a backward row that reads right to left, ``output`` at each step the two
    states side by side, and where each direction's final state (``h_n``) comes from."""
    if not isinstance(text, str) or not 2 <= len(text) <= 8:
        raise ValueError(f"draw_bidirectional_rnn needs a text of 2 to 8 characters, got {text!r}.")
    steps = len(text)
    gap = 2.1
    x0 = 2.6
    last = x0 + gap * (steps - 1)
    width, height = last + 2.8, 7.0
    fig, ax = canvas(width, height, figsize=(min(0.75 * width + 0.5, 11.0), 5.0))
    ax.set_position((0.01, 0.01, 0.98, 0.98))
    y_x, y_fwd, y_bwd, y_out = 0.45, 2.0, 3.6, 5.35
    cell_w, cell_h = 1.0, 0.75
    label(ax, (0.55, y_fwd), r"$\overrightarrow{h}_0$", fontsize=12)
    label(ax, (width - 0.5, y_bwd), r"$\overleftarrow{h}_0$", fontsize=12)
    forward_right, backward_left = 0.95, width - 0.9
    # The two rows are staggered, so that each arrow up passes beside the other row's cell.
    for i in range(steps):
        x = x0 + gap * i
        label(ax, (x, y_x), f"'{_shown(text[i])}'", fontsize=12)
        fl, fb, fr, ft = box(ax, (x - 0.4, y_fwd), (cell_w, cell_h), "forward",
                             color=FORWARD_COLOR, fontsize=8)
        arrow(ax, (x - 0.1, y_x + 0.3), (x - 0.4, fb))
        arrow(ax, (x + 0.1, y_x + 0.3), (x + 0.4, y_bwd - cell_h / 2))
        arrow(ax, (forward_right, y_fwd), (fl, y_fwd))
        forward_right = fr
        arrow(ax, (x - 0.4, ft), (x - 0.4, y_out - 0.35))
        # output[t]: the forward state (left half) and the backward state (right half).
        box(ax, (x - 0.3, y_out), (0.55, 0.7), color=FORWARD_COLOR)
        box(ax, (x + 0.3, y_out), (0.55, 0.7), color=BACKWARD_COLOR)
        label(ax, (x, y_out + 0.65), f"output[{i}]", fontsize=8, color=GREY)
    for i in reversed(range(steps)):
        x = x0 + gap * i
        bl, bb, br, bt = box(ax, (x + 0.4, y_bwd), (cell_w, cell_h), "backward",
                             color=BACKWARD_COLOR, fontsize=8)
        arrow(ax, (backward_left, y_bwd), (br, y_bwd))
        backward_left = bl
        arrow(ax, (x + 0.4, bt), (x + 0.4, y_out - 0.35))
    # Final states: forward at the last step (right), backward at the first step (left).
    arrow(ax, (forward_right, y_fwd), (last + 1.35, y_fwd), color=PALETTE["highlight"])
    label(ax, (last + 1.45, y_fwd + 0.55), "h_n[-2]\n(forward)", fontsize=8,
          color=PALETTE["highlight"], ha="left")
    arrow(ax, (backward_left, y_bwd), (0.55, y_bwd), color=PALETTE["highlight"])
    label(ax, (0.1, y_bwd + 0.6), "h_n[-1]\n(backward)", fontsize=8,
          color=PALETTE["highlight"], ha="left")
    label(ax, (width / 2, height - 0.35),
          "bidirectional: output[t] = [forward state at t, backward state at t]", fontsize=10,
          color=GREY)
    return fig
