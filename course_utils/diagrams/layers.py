"""``nn.RNN`` as a layer: stacked layers over time, and the shapes of what goes in and out."""

from __future__ import annotations

from matplotlib.figure import Figure

from course_utils.diagrams.primitives import LAYER_COLORS, PALETTE, arrow, box, canvas, label, whole
from course_utils.fonts import MONOSPACE

OUTPUT_EDGE = "#3182bd"  # the `output` frame, as in draw_unrolled_rnn
GREY = "#555555"


def _step_names(steps: int) -> list[str]:
    """Time-step names: 1, 2, 3, 4 for short sequences, 1, 2, ..., N for longer ones."""
    if steps > 4:
        return [str(i) for i in range(1, steps)] + ["N"]
    return [str(i) for i in range(1, steps + 1)]


def draw_stacked_rnn(num_layers: int = 2, steps: int = 4) -> Figure:
    """``nn.RNN(..., num_layers=num_layers)`` unrolled over ``steps`` time steps.

    One colour per layer (every box of a colour is the same cell, with the same weights);
    each layer starts from its own ``h_0`` on the left; the top row is boxed as ``output``
    and the right column (the last hidden state of every layer) as ``hidden``.
    """
    num_layers = whole(num_layers, "num_layers", 1, len(LAYER_COLORS))
    steps = whole(steps, "steps", 2, 8)
    names = _step_names(steps)
    gap, vgap = 2.0, 1.55
    x0, y0 = 2.3, 1.55  # centre of the first cell of layer 0
    last_x = x0 + gap * (steps - 1)
    top_y = y0 + vgap * (num_layers - 1)
    width = last_x + 3.3
    height = top_y + 2.55
    fig, ax = canvas(width, height, figsize=(min(0.62 * width + 0.6, 11.0),
                                              min(0.62 * height + 0.5, 5.2)))
    ax.set_position((0.01, 0.01, 0.98, 0.98))  # use the whole figure
    cell_w, cell_h = 1.25, 0.8
    for layer in range(num_layers):
        y = y0 + vgap * layer
        color = LAYER_COLORS[layer]
        label(ax, (0.45, y), rf"$h_0^{{({layer})}}$", fontsize=13)
        previous_right = 0.85
        for i in range(steps):
            x = x0 + gap * i
            left, bottom, right, top = box(ax, (x, y), (cell_w, cell_h), f"layer {layer}",
                                           color=color, fontsize=9)
            arrow(ax, (previous_right, y), (left, y))
            previous_right = right
            if layer == 0:
                label(ax, (x, 0.3), rf"$x_{{{names[i]}}}$", fontsize=13)
                arrow(ax, (x, 0.55), (x, bottom))
            if layer < num_layers - 1:  # this layer's h_t is the next layer's input
                arrow(ax, (x, top), (x, top + vgap - cell_h))
            else:
                label(ax, (x, top_y + 1.15), rf"$h_{{{names[i]}}}^{{({layer})}}$", fontsize=12)
                arrow(ax, (x, top), (x, top_y + 0.9))
        # The last hidden state of this layer goes to the right-hand column.
        arrow(ax, (previous_right, y), (last_x + 1.55, y))
        label(ax, (last_x + 1.95, y), rf"$h_{{{names[-1]}}}^{{({layer})}}$", fontsize=12)
    # `output`: the top layer's hidden state at every step.
    box(ax, ((x0 + last_x) / 2, top_y + 1.15), (last_x - x0 + 1.2, 0.62), dashed=True,
        edgecolor=OUTPUT_EDGE)
    label(ax, (x0 - 0.55, top_y + 1.7), "output", fontsize=10, color=OUTPUT_EDGE, ha="left")
    # `hidden`: every layer's hidden state at the last step.
    box(ax, (last_x + 1.95, (y0 + top_y) / 2), (0.85, top_y - y0 + 0.75), dashed=True,
        edgecolor=PALETTE["highlight"])
    label(ax, (last_x + 1.95, top_y + 0.62), "hidden", fontsize=10, color=PALETTE["highlight"])
    label(ax, (width / 2, height - 0.2),
          f"num_layers = {num_layers}: one colour per layer, one cell per colour, "
          "shared over time", fontsize=10, color=GREY)
    return fig


def rnn_shapes(
    seq_len: int, batch: int, input_size: int, hidden_size: int, num_layers: int,
    batch_first: bool,
) -> dict[str, tuple[int, int, int]]:
    """The shapes of ``input``, ``h_0``, ``output`` and ``hidden`` of ``nn.RNN``."""
    hidden = (num_layers, batch, hidden_size)  # batch_first never changes the hidden state
    if batch_first:
        return {"input": (batch, seq_len, input_size), "h_0": hidden,
                "output": (batch, seq_len, hidden_size), "hidden": hidden}
    return {"input": (seq_len, batch, input_size), "h_0": hidden,
            "output": (seq_len, batch, hidden_size), "hidden": hidden}


_NAMES = {
    False: {"input": "(seq_len, batch, input_size)", "output": "(seq_len, batch, hidden_size)"},
    True: {"input": "(batch, seq_len, input_size)", "output": "(batch, seq_len, hidden_size)"},
}
_HIDDEN_NAMES = "(num_layers, batch, hidden_size)"


def draw_rnn_shapes(
    seq_len: int = 5, batch: int = 3, input_size: int = 4, hidden_size: int = 2,
    num_layers: int = 2,
) -> Figure:
    """What goes into ``nn.RNN`` and what comes out, with their shapes, drawn twice: with
    ``batch_first=False`` (the default) and with ``batch_first=True``. The tensors whose shape
    ``batch_first`` changes (input and output) are outlined in red; ``h_0`` and ``hidden``
    never change."""
    sizes = {"seq_len": seq_len, "batch": batch, "input_size": input_size,
             "hidden_size": hidden_size, "num_layers": num_layers}
    for name, value in sizes.items():
        whole(value, name, 1)
    fig, ax = canvas(14.0, 7.6, figsize=(9.2, 5.0))
    ax.set_position((0.01, 0.01, 0.98, 0.98))  # use the whole figure
    for row, batch_first in enumerate((False, True)):
        y = 5.55 - 3.35 * row  # centre line of this panel
        shapes = rnn_shapes(seq_len, batch, input_size, hidden_size, num_layers, batch_first)
        label(ax, (0.1, y + 1.55), f"batch_first={batch_first}", fontsize=12, ha="left",
              family=MONOSPACE, weight="bold")
        box(ax, (7.0, y - 0.15), (2.5, 1.75),
            f"nn.RNN({input_size}, {hidden_size},\nnum_layers={num_layers},\n"
            f"batch_first={batch_first})", color=PALETTE["hidden"], fontsize=8.5)
        places = {"input": (2.75, y + 0.45), "h_0": (2.75, y - 0.75),
                  "output": (11.25, y + 0.45), "hidden": (11.25, y - 0.75)}
        for name, (cx, cy) in places.items():
            changed = batch_first and name in ("input", "output")
            edge = PALETTE["highlight"] if changed else PALETTE["edge"]
            color = PALETTE["input"] if name in ("input", "output") else PALETTE["weights"]
            box(ax, (cx, cy), (4.8, 0.95), color=color, edgecolor=edge)
            numbers = "(" + ", ".join(str(n) for n in shapes[name]) + ")"
            label(ax, (cx - 2.25, cy + 0.2), name, fontsize=11, ha="left", family=MONOSPACE,
                  weight="bold")
            label(ax, (cx + 2.25, cy + 0.2), numbers, fontsize=11, ha="right",
                  family=MONOSPACE, color=edge)
            names = _HIDDEN_NAMES if name in ("h_0", "hidden") else _NAMES[batch_first][name]
            label(ax, (cx, cy - 0.2), names, fontsize=9, color=edge if changed else GREY,
                  family=MONOSPACE)
            if name in ("input", "h_0"):
                arrow(ax, (cx + 2.45, cy), (5.75, y + (0.3 if name == "input" else -0.5)))
            else:
                arrow(ax, (8.25, y + (0.3 if name == "output" else -0.5)), (cx - 2.45, cy))
    label(ax, (7.0, 0.25), "batch_first=True swaps the first two sizes of input and output "
          "(red); h_0 and hidden never change", fontsize=10, color=GREY)
    return fig
