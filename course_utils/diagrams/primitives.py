"""Boxes, arrows and labels on a blank axis: the parts every course diagram is made of."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from course_utils.params import is_int

# One colour per role, used the same way in every figure of the course. Green and red are
# left to the prediction tables (right and wrong, course_utils.plots).
PALETTE = {
    "input": "#deebf7",
    "hidden": "#fee6ce",
    "weights": "#fff2b3",
    "activation": "#fde0dd",
    "output": "#efedf5",
    "edge": "#404040",
    "highlight": "#d95f02",
}
LAYER_COLORS = ("#c6dbef", "#fdd0a2", "#dadaeb", "#fff2b3", "#d9d9d9")


def whole(value: object, name: str, low: int, high: int | None = None) -> int:
    """``value``, asserted to be a whole number in ``low..high`` (a programming error if not:
    the notebooks' parameters are checked by ``course_utils.params``)."""
    allowed = f"{low}..{high}" if high is not None else f">= {low}"
    assert is_int(value, low, high), f"{name} must be a whole number in {allowed}, got {value!r}."
    return value  # type: ignore[return-value]


def canvas(width: float, height: float, *, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A figure with one axis in data units ``[0, width] x [0, height]``, no ticks, equal
    aspect."""
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def box(
    ax: Axes,
    center: tuple[float, float],
    size: tuple[float, float],
    text: str = "",
    *,
    color: str = "white",
    fontsize: float = 11,
    dashed: bool = False,
    edgecolor: str = PALETTE["edge"],
) -> tuple[float, float, float, float]:
    """Draw a rounded box centred at ``center``; return its (left, bottom, right, top)."""
    (cx, cy), (w, h) = center, size
    ax.add_patch(
        FancyBboxPatch(
            (cx - w / 2, cy - h / 2), w, h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=color, edgecolor=edgecolor, linewidth=1.4,
            linestyle="--" if dashed else "-",
        )
    )
    if text:
        ax.text(cx, cy, text, ha="center", va="center", fontsize=fontsize)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def circle(ax: Axes, center: tuple[float, float], radius: float, text: str = "",
           *, color: str = "white", fontsize: float = 13) -> None:
    """Draw a circle (an operation such as +) with a symbol in it."""
    ax.add_patch(Circle(center, radius, facecolor=color, edgecolor=PALETTE["edge"], lw=1.4))
    if text:
        ax.text(*center, text, ha="center", va="center", fontsize=fontsize)


def arrow(
    ax: Axes,
    start: tuple[float, float],
    end: tuple[float, float],
    *,
    color: str = PALETTE["edge"],
    style: str = "-|>",
    rad: float = 0.0,
    lw: float = 1.4,
) -> None:
    """Draw an arrow from ``start`` to ``end`` (curved when ``rad`` is not 0)."""
    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=12, color=color, lw=lw,
            connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0,
        )
    )


def label(ax: Axes, xy: tuple[float, float], text: str, *, fontsize: float = 12,
          color: str = "black", ha: str = "center", va: str = "center", **kwargs) -> None:
    """Write ``text`` (mathtext allowed) at ``xy``."""
    ax.text(*xy, text, ha=ha, va=va, fontsize=fontsize, color=color, **kwargs)
