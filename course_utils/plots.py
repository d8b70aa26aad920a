"""The course's plots: its style and colours, loss curves, a prediction-per-epoch table, and
the seed sweeps' counts (``course_utils.sweeps``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from course_utils.fonts import MONOSPACE, SANS, is_wide
from course_utils.params import is_int
from course_utils.sweeps import SweepResult
from course_utils.training import History

# One meaning per colour across the course: green is "right" and red is "wrong", and only the
# prediction tables use them. Series (models, settings) take COLORS in order, so that a model
# keeps its colour from figure to figure when notebooks list models in the same order.
COLORS = ("#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2")
MATCH, MISMATCH = "#c7e9c0", "#fcbba1"
_RIGHT_WRONG = {"green", "red", "g", "r", "tab:green", "tab:red", "#2ca02c", "#d62728",
                MATCH, MISMATCH}


def series_colors(count: int, colors: Sequence[str] | None = None) -> list[str]:
    """``count`` series colours: ``colors`` if given (one per series), else ``COLORS`` in
    order. Raises ``ValueError`` if ``colors`` has the wrong length or names green or red,
    which the course keeps for right and wrong."""
    if colors is None:
        return [COLORS[i % len(COLORS)] for i in range(count)]
    colors = list(colors)
    if len(colors) != count:
        raise ValueError(f"colors must give one colour per series: {count} series, "
                         f"{len(colors)} colours ({colors}).")
    reserved = [c for c in colors if str(c).lower() in _RIGHT_WRONG]
    if reserved:
        raise ValueError(f"colors {reserved} mean right/wrong in this course; take series "
                         "colours from course_utils.plots.COLORS.")
    return colors


def use_course_style() -> None:
    """Figure defaults that read well both in JupyterLab and on a 16:9 slide; text in any
    script (Latin in DejaVu Sans as before, Chinese from Noto Sans CJK: ``course_utils.fonts``).
    """
    plt.rcParams.update(
        {
            "font.family": SANS,
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 11,
        }
    )


def _losses(curve: History | Sequence[float]) -> list[float]:
    return list(curve.losses) if isinstance(curve, History) else list(curve)


def plot_losses(
    curves: Mapping[str, History | Sequence[float]],
    *,
    ax: Axes | None = None,
    title: str = "Training loss",
    log_scale: bool = False,
    colors: Sequence[str] | None = None,
) -> Axes:
    """Draw several loss curves (histories or lists of losses) on one axis, one per name.

    ``colors`` gives one colour per curve, in order (default: ``COLORS`` in order); pass it so
    that a model keeps the colour it has in the other figures of a lesson."""
    if not curves:
        raise ValueError("plot_losses needs at least one curve, e.g. {'lecture': history}.")
    colors = series_colors(len(curves), colors)
    if ax is None:
        _, ax = plt.subplots()
    for color, (name, curve) in zip(colors, curves.items(), strict=True):
        losses = _losses(curve)
        ax.plot(range(1, len(losses) + 1), losses, marker="o", ms=3, label=name, color=color)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if log_scale:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    return ax


def _cell_size(char: str) -> dict[str, float]:
    """A Chinese character fills its whole em square, a Latin letter about half of it: in the
    small cells of a table it is drawn at 80% of the font size, about as tall as a capital."""
    return {"fontsize": 0.8 * plt.rcParams["font.size"]} if is_wide(char) else {}


def plot_prediction_table(
    history: History, *, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Show the prediction of every epoch as a grid of characters, green where it is right."""
    target = history.target
    epochs = len(history.predictions)
    if ax is None:
        width = min(1.0 + 0.45 * (len(target) + 2), 12.0)
        _, ax = plt.subplots(figsize=(width, 0.8 + 0.28 * epochs))
    columns = max([len(target), *map(len, history.predictions)])
    right = np.full((epochs, columns), np.nan)  # 1 right, 0 wrong, NaN: no character there
    for row, prediction in enumerate(history.predictions):
        for col, char in enumerate(prediction):
            right[row, col] = col < len(target) and char == target[col]
            ax.text(col + 0.5, row + 0.5, char, ha="center", va="center", family=MONOSPACE,
                    **_cell_size(char))
    # One mesh for all cells: it draws in half the time of a rectangle per cell.
    ax.pcolormesh(np.ma.masked_invalid(right), cmap=ListedColormap([MISMATCH, MATCH]),
                  vmin=0, vmax=1, edgecolors="white", linewidth=1)
    ax.set_xlim(0, len(target))
    ax.set_ylim(epochs, 0)
    ax.set_xticks([i + 0.5 for i in range(len(target))], list(target), family=MONOSPACE)
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(epochs)], [str(i + 1) for i in range(epochs)])
    ax.set_ylabel("epoch")
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or f"Prediction per epoch (target {target!r} on top)", fontsize=10)
    return ax


# ----------------------------------------------------------------------------------------
# Seed sweeps: how many seeds reach the target.


def converged_per_budget(result: SweepResult) -> list[int]:
    """For every budget ``b = 1..epochs``: how many seeds a run of ``b`` epochs calls converged,
    as a list (the curve that ``plot_converged_per_budget`` draws)."""
    return list(result.converged_by_budget(range(1, result.epochs + 1)).values())


def plot_sweep_counts(
    counts: Mapping[str, int],
    seeds: int,
    *,
    ax: Axes | None = None,
    title: str = "How many seeds reach the target",
    colors: Sequence[str] | None = None,
) -> Axes:
    """One bar per model: how many of ``seeds`` seeds converged, written on the bar as
    ``59/100``. ``colors``: one per model, in order (default ``COLORS`` in order)."""
    assert counts, "plot_sweep_counts needs at least one count, e.g. {'lecture': 59}."
    assert is_int(seeds, low=1), f"seeds must be a whole number of at least 1, got {seeds!r}."
    bad = {name: n for name, n in counts.items() if not is_int(n, low=0, high=seeds)}
    assert not bad, f"counts must be whole numbers in 0..{seeds} (seeds), got {bad}."
    colors = series_colors(len(counts), colors)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 0.9 + 0.55 * len(counts)))
    names = list(counts)
    values = [counts[name] for name in names]
    positions = list(range(len(names)))[::-1]  # first name on top
    bars = ax.barh(positions, values, color=colors, height=0.6)
    for bar, value in zip(bars, values, strict=True):
        inside = value > 0.75 * seeds
        ax.text(value - 0.01 * seeds if inside else value + 0.01 * seeds,
                bar.get_y() + bar.get_height() / 2, f"{value}/{seeds}",
                ha="right" if inside else "left", va="center",
                color="white" if inside else "black", fontsize=11, fontweight="bold",
                family=SANS)
    ax.set_yticks(positions, names)
    ax.set_xlim(0, seeds)
    ax.set_xlabel(f"seeds that reach the target (of {seeds})")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return ax


def plot_converged_per_budget(
    results: Mapping[str, SweepResult],
    *,
    ax: Axes | None = None,
    marks: Sequence[int] = (),
    title: str = "Seeds that reach the target, by training budget",
    colors: Sequence[str] | None = None,
) -> Axes:
    """One line per sweep: how many seeds a run of ``b`` epochs calls converged, for every
    ``b``; vertical dotted lines at the budgets in ``marks`` (e.g. the lecture's 15).
    ``colors``: one per sweep, in order (default ``COLORS`` in order)."""
    assert results, "plot_converged_per_budget needs at least one sweep, e.g. {'lecture': result}."
    seeds = {len(r.seeds) for r in results.values()}
    assert len(seeds) == 1, f"all sweeps must use the same number of seeds, got {sorted(seeds)}."
    n_seeds = seeds.pop()
    colors = series_colors(len(results), colors)
    if ax is None:
        _, ax = plt.subplots()
    for color, (name, result) in zip(colors, results.items(), strict=True):
        counts = converged_per_budget(result)
        ax.plot(range(1, result.epochs + 1), counts, label=name, color=color, lw=2)
    for budget in marks:
        ax.axvline(budget, color="gray", linestyle=":", lw=1)
        ax.text(budget, n_seeds * 0.02, f" {budget} epochs", color="gray", fontsize=9,
                ha="left", va="bottom")
    ax.set_ylim(0, n_seeds * 1.04)
    ax.set_xlabel("training budget (epochs)")
    ax.set_ylabel(f"seeds converged (of {n_seeds})")
    ax.set_title(title)
    ax.legend(loc="center right")
    return ax
