"""Seed-sweep plots: bars and budget curves show the counts of the sweep."""

import pytest
from matplotlib.colors import to_hex

from course_utils.plots import (
    COLORS,
    converged_per_budget,
    plot_converged_per_budget,
    plot_sweep_counts,
)
from course_utils.sweeps import SweepResult


def result(predictions):
    n = len(predictions[0])
    return SweepResult(list(range(len(predictions))), n, "ab", [[1.0] * n] * len(predictions),
                       predictions)


SWEEP = result([["xx", "ab", "ab", "ab"],  # converged at 2
                ["ab", "xx", "ab", "xx"],  # right at epochs 1 and 3 only
                ["xx", "xx", "xx", "ab"]])  # converged at 4


def test_converged_per_budget_agrees_with_converged_by_budget():
    expected = SWEEP.converged_by_budget(range(1, 5))
    assert converged_per_budget(SWEEP) == [expected[b] for b in range(1, 5)] == [1, 1, 2, 2]


def test_bars_are_labelled_with_counts_of_seeds():
    ax = plot_sweep_counts({"lecture": 59, "fixed": 100}, seeds=100)
    assert [round(p.get_width()) for p in ax.patches] == [59, 100]
    assert [t.get_text() for t in ax.texts] == ["59/100", "100/100"]
    ticks = zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    names = {round(y): t.get_text() for y, t in ticks}
    assert names == {1: "lecture", 0: "fixed"}  # the first name on top
    assert ax.get_xlim() == (0, 100)


@pytest.mark.parametrize("counts, seeds, message", [
    ({}, 10, "at least one count"),
    ({"a": 11}, 10, r"counts must be whole numbers in 0\.\.10"),
    ({"a": 1.5}, 10, "counts must be whole numbers"),
    ({"a": 1}, 0, "seeds must be a whole number"),
])
def test_bars_reject_bad_counts(counts, seeds, message):
    with pytest.raises(AssertionError, match=message):
        plot_sweep_counts(counts, seeds)


def test_budget_curves_one_line_per_sweep_with_marks():
    ax = plot_converged_per_budget({"a": SWEEP, "b": SWEEP}, marks=[3])
    lines = [line for line in ax.get_lines() if line.get_label() in ("a", "b")]
    assert [list(line.get_ydata()) for line in lines] == [[1, 1, 2, 2]] * 2
    assert list(lines[0].get_xdata()) == [1, 2, 3, 4]
    assert any(t.get_text().strip() == "3 epochs" for t in ax.texts)


def test_budget_curves_reject_mixed_seed_counts():
    other = result([["ab", "ab", "ab", "ab"]])
    with pytest.raises(AssertionError, match="same number of seeds"):
        plot_converged_per_budget({"a": SWEEP, "b": other})
    with pytest.raises(AssertionError, match="at least one sweep"):
        plot_converged_per_budget({})


def test_sweep_plots_take_one_colour_per_model():
    colors = [COLORS[0], COLORS[2]]
    bars = plot_sweep_counts({"lecture": 59, "fixed": 100}, seeds=100, colors=colors)
    assert [to_hex(p.get_facecolor()) for p in bars.patches] == colors
    ax = plot_converged_per_budget({"a": SWEEP, "b": SWEEP}, colors=colors)
    lines = [line for line in ax.get_lines() if line.get_label() in ("a", "b")]
    assert [line.get_color() for line in lines] == colors
    with pytest.raises(ValueError, match="one colour per series"):
        plot_sweep_counts({"lecture": 59}, seeds=100, colors=colors)
    with pytest.raises(ValueError, match="mean right/wrong"):
        plot_converged_per_budget({"a": SWEEP, "b": SWEEP}, colors=["red", COLORS[0]])
