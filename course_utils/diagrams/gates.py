"""Gated cells: the LSTM cell (cell state and hidden state) and the GRU cell.

Both figures follow PyTorch's equations and gate order (LSTM: i, f, g, o; GRU: r, z, n) and
use the colours of ``primitives.PALETTE``: gates in the weights colour, the memory path that
runs through time in the highlight colour.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_utils.diagrams.primitives import PALETTE, arrow, box, canvas, circle, label

GATE_SIZE = (1.5, 0.95)
NOTE = "#555555"


def _gate(ax: Axes, x: float, y: float, symbol: str, name: str, *, color: str) -> None:
    """A gate box: its activation on top, its name below, e.g. sigma / "forget f"."""
    box(ax, (x, y), GATE_SIZE, color=color)
    label(ax, (x, y + 0.17), symbol, fontsize=13)
    label(ax, (x, y - 0.25), name, fontsize=8.5)


def _line(ax: Axes, points: list[tuple[float, float]], *, color: str = PALETTE["edge"],
          lw: float = 1.4) -> None:
    xs, ys = zip(*points, strict=True)
    ax.plot(xs, ys, color=color, lw=lw, solid_capstyle="butt")


def _memory_path(ax: Axes, top: float, x_times: float, x_plus: float, names: tuple[str, str],
                 *, start: float, caption: str) -> None:
    """The state that runs through time along the top: multiplied by a gate at ``x_times``,
    added to at ``x_plus``; ``names`` are its labels before and after the step."""
    memory = PALETTE["highlight"]
    label(ax, (0.55, top), names[0], fontsize=15, color=memory)
    _line(ax, [(start, top), (x_times - 0.3, top)], color=memory, lw=2.4)
    circle(ax, (x_times, top), 0.3, r"$\times$")
    _line(ax, [(x_times + 0.3, top), (x_plus - 0.3, top)], color=memory, lw=2.4)
    circle(ax, (x_plus, top), 0.3, "+")
    arrow(ax, (x_plus + 0.3, top), (11.2, top), color=memory, lw=2.4)
    label(ax, (11.7, top), names[1], fontsize=15, color=memory)
    label(ax, (6.2, 6.25), caption, fontsize=10, color=memory)


def draw_lstm_cell() -> Figure:
    """One LSTM cell: the cell state ``c`` runs along the top (long-term memory, changed only by
    a multiplication and an addition), four gates read ``[h_{t-1}, x_t]``, and the hidden state
    ``h_t = o * tanh(c_t)`` leaves on the right."""
    fig, ax = canvas(12.4, 6.6, figsize=(8.6, 4.6))
    memory = PALETTE["highlight"]
    top, bus, gates = 5.3, 1.05, 2.55
    x_f, x_i, x_g, x_o, x_out = 3.2, 4.9, 6.6, 8.3, 9.9
    x_write = (x_i + x_g) / 2
    # The cell state: one straight path through time.
    _memory_path(ax, top, x_f, x_write, (r"$c_{t-1}$", r"$c_t$"), start=1.05,
                 caption="cell state: long-term memory, only scaled by f and added to")
    # Inputs: h_{t-1} from the left, x_t from below, joined on one bus.
    label(ax, (0.55, bus), r"$h_{t-1}$", fontsize=15)
    label(ax, (1.9, 0.2), r"$x_t$", fontsize=15)
    _line(ax, [(1.05, bus), (x_o, bus)])
    _line(ax, [(1.9, 0.45), (1.9, bus)])
    label(ax, (5.3, 0.6), r"each gate: $W_{i\ast}\,x_t + b_{i\ast} + W_{h\ast}\,h_{t-1}"
          r" + b_{h\ast}$", fontsize=9, color=NOTE)
    # The four gates, in PyTorch's order i, f, g, o (drawn where they act).
    for x, symbol, name in ((x_f, r"$\sigma$", "forget f"), (x_i, r"$\sigma$", "input i"),
                            (x_g, r"$\tanh$", "candidate g"), (x_o, r"$\sigma$", "output o")):
        arrow(ax, (x, bus), (x, gates - GATE_SIZE[1] / 2))
        _gate(ax, x, gates, symbol, name,
              color=PALETTE["activation"] if name.startswith("candidate") else PALETTE["weights"])
    top_of_gate = gates + GATE_SIZE[1] / 2
    arrow(ax, (x_f, top_of_gate), (x_f, top - 0.3))  # f scales the old memory
    circle(ax, (x_write, 4.0), 0.3, r"$\times$")  # i * g: what to write
    arrow(ax, (x_i, top_of_gate), (x_write - 0.22, 3.8))
    arrow(ax, (x_g, top_of_gate), (x_write + 0.22, 3.8))
    arrow(ax, (x_write, 4.3), (x_write, top - 0.3))
    # Output: h_t = o * tanh(c_t).
    _line(ax, [(x_out, top), (x_out, 4.6)], color=memory, lw=2.4)
    box(ax, (x_out, 4.15), (1.1, 0.7), r"$\tanh$", color=PALETTE["activation"], fontsize=12)
    arrow(ax, (x_out, 3.8), (x_out, gates + 0.3))
    circle(ax, (x_out, gates), 0.3, r"$\times$")
    arrow(ax, (x_o + GATE_SIZE[0] / 2, gates), (x_out - 0.3, gates))
    arrow(ax, (x_out + 0.3, gates), (11.2, gates))
    label(ax, (11.7, gates), r"$h_t$", fontsize=15)
    label(ax, (10.75, 1.55), "hidden state:\nthis step's output,\nand the next step's input",
          fontsize=9, color=NOTE)
    return fig


def draw_gru_cell() -> Figure:
    """One GRU cell: no separate cell state; the update gate ``z`` mixes the old hidden state
    with a candidate ``n``, which the reset gate ``r`` computes from a gated ``h_{t-1}``."""
    fig, ax = canvas(12.4, 6.6, figsize=(8.6, 4.6))
    top, bus, gates, mix = 5.3, 1.05, 2.55, 4.2
    x_z, x_r, x_n, x_add = 3.2, 5.2, 7.4, 9.6
    # The hidden state is the memory: h_t = z * h_{t-1} + (1 - z) * n.
    _memory_path(ax, top, x_z, x_add, (r"$h_{t-1}$", r"$h_t$"), start=1.1,
                 caption="hidden state: the only memory, kept where z is close to 1")
    # Inputs on one bus: h_{t-1} comes down from the memory path, x_t from below.
    label(ax, (1.9, 0.2), r"$x_t$", fontsize=15)
    _line(ax, [(1.4, top), (1.4, bus), (x_n, bus)])
    _line(ax, [(1.9, 0.45), (1.9, bus)])
    label(ax, (6.3, 0.6), r"$n = \tanh(W_{in}\,x_t + b_{in} + r \odot (W_{hn}\,h_{t-1}"
          r" + b_{hn}))$", fontsize=9, color=NOTE)
    # Gates in PyTorch's order r, z, n (drawn z, r, n so that no arrows cross).
    for x, symbol, name in ((x_z, r"$\sigma$", "update z"), (x_r, r"$\sigma$", "reset r"),
                            (x_n, r"$\tanh$", "candidate n")):
        arrow(ax, (x, bus), (x, gates - GATE_SIZE[1] / 2))
        _gate(ax, x, gates, symbol, name,
              color=PALETTE["activation"] if name.startswith("candidate") else PALETTE["weights"])
    half = GATE_SIZE[0] / 2
    # r acts inside the candidate.
    arrow(ax, (x_r + half, gates), (x_n - half, gates))
    label(ax, ((x_r + x_n) / 2, gates + 0.25), r"$r$", fontsize=11)
    # z keeps the old state (top) and, as 1 - z, takes the candidate (right).
    _line(ax, [(x_z, gates + GATE_SIZE[1] / 2), (x_z, mix), (7.85, mix)])
    arrow(ax, (x_z, mix), (x_z, top - 0.3))
    label(ax, (x_z - 0.25, 3.75), r"$z$", fontsize=11)
    box(ax, (8.3, mix), (0.9, 0.55), r"$1-z$", fontsize=10)
    arrow(ax, (8.75, mix), (x_add - 0.3, mix))
    circle(ax, (x_add, mix), 0.3, r"$\times$")
    _line(ax, [(x_n + half, gates), (x_add, gates)])
    arrow(ax, (x_add, gates), (x_add, mix - 0.3))
    arrow(ax, (x_add, mix + 0.3), (x_add, top - 0.3))
    label(ax, (10.9, 2.9), "no cell state:\nh is both memory\nand output", fontsize=9,
          color=NOTE)
    return fig
