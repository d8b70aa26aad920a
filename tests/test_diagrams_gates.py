"""The gated-cell figures of homework 04: they draw the parts their equations name."""

import io
import warnings

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from course_utils.diagrams import draw_gru_cell, draw_lstm_cell
from course_utils.diagrams.primitives import PALETTE
from tests.figure_helpers import texts


def memory_lines(fig):
    """Lines and arrows drawn in the memory (highlight) colour."""
    red = to_rgba(PALETTE["highlight"])
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if to_rgba(line.get_color()) == red]
    arrows = [p for p in ax.patches if hasattr(p, "get_arrowstyle")
              and to_rgba(p.get_edgecolor()) == red]
    return lines + arrows


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell])
def test_draws_a_figure_without_warnings(draw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a glyph missing from the font
        fig = draw()
        fig.savefig(io.BytesIO(), format="png")
    assert isinstance(fig, Figure)
    assert fig.get_size_inches()[0] <= 9.0  # fits a 16:9 slide next to nothing else


def test_lstm_cell_shows_both_states_and_the_four_gates():
    fig = draw_lstm_cell()
    labels = texts(fig)
    for part in (r"$c_{t-1}$", r"$c_t$", r"$h_{t-1}$", r"$h_t$", r"$x_t$"):
        assert part in labels
    gates = [t for t in labels if t in ("forget f", "input i", "candidate g", "output o")]
    assert sorted(gates) == ["candidate g", "forget f", "input i", "output o"]
    assert any("cell state" in t and "long-term" in t for t in labels)
    assert any("hidden state" in t for t in labels)
    # The cell state path (c_{t-1} -> c_t) is drawn in the memory colour.
    assert memory_lines(fig)


def test_gru_cell_shows_its_three_gates_and_where_b_hn_goes():
    fig = draw_gru_cell()
    labels = texts(fig)
    for part in (r"$h_{t-1}$", r"$h_t$", r"$x_t$", r"$1-z$", "update z", "reset r",
                 "candidate n"):
        assert part in labels
    assert any(r"r \odot (W_{hn}" in t and "b_{hn}" in t for t in labels)
    assert not any("c_t" in t for t in labels)  # a GRU has no cell state
    assert memory_lines(fig)
