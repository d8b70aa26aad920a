"""Plots of seed sweeps (``course_utils.sweeps``): how many seeds reach the target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from course_utils.plots import series_colors
from course_utils.sweeps import SweepResult


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
    if not counts:
        raise ValueError("plot_sweep_counts needs at least one count, e.g. {'lecture': 59}.")
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"seeds must be a whole number of at least 1, got {seeds!r}.")
    bad = {name: n for name, n in counts.items()
           if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= seeds}
    if bad:
        raise ValueError(f"counts must be whole numbers in 0..{seeds} (seeds), got {bad}.")
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
                family="sans-serif")
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
    if not results:
        raise ValueError("plot_converged_per_budget needs at least one sweep, e.g. "
                         "{'lecture': result}.")
    seeds = {len(r.seeds) for r in results.values()}
    if len(seeds) != 1:
        raise ValueError(f"all sweeps must use the same number of seeds, got {sorted(seeds)}.")
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
