"""The plots and drawn diagrams: they draw what they claim, and refuse bad input."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from course_utils.diagrams import draw_rnn_cell, draw_text_to_one_hot, draw_unrolled_rnn
from course_utils.plots import (
    COLORS,
    MATCH,
    MISMATCH,
    plot_losses,
    plot_prediction_table,
    use_course_style,
)
from course_utils.text import Vocabulary
from course_utils.training import History
from tests.figure_helpers import texts


def test_use_course_style_sets_slide_friendly_size():
    use_course_style()
    assert tuple(plt.rcParams["figure.figsize"]) == (7.0, 3.6)


def test_plot_losses_draws_one_line_per_run():
    ax = plot_losses({"a": History("x", [3.0, 2.0, 1.0], ["x"] * 3), "b": [2.0, 1.5]})
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a", "b"]
    assert list(lines[0].get_xdata()) == [1, 2, 3]
    with pytest.raises(ValueError, match="at least one curve"):
        plot_losses({})


def test_prediction_table_colours_right_and_wrong_characters():
    history = History("ab", [1.0, 0.5], ["ba", "ab"])
    ax = plot_prediction_table(history)
    assert [t.get_text() for t in ax.texts] == ["b", "a", "a", "b"]
    mesh = ax.collections[0]
    assert mesh.get_array().tolist() == [[0, 0], [1, 1]]  # epoch 1 wrong, epoch 2 right
    assert mesh.cmap(0.0) == to_rgba(MISMATCH) and mesh.cmap(1.0) == to_rgba(MATCH)


def test_prediction_table_leaves_missing_characters_blank():
    ax = plot_prediction_table(History("abc", [1.0], ["a"]))
    assert ax.collections[0].get_array().tolist() == [[1, None, None]]


def test_rnn_cell_diagram_has_the_formula_parts():
    labels = " ".join(texts(draw_rnn_cell()))
    for part in (r"W_{ih}", r"W_{hh}", r"\tanh", r"h_{t-1}", r"x_t", "+"):
        assert part in labels


def test_unrolled_diagram_boxes_output_and_hidden():
    labels = texts(draw_unrolled_rnn(6))
    assert "output" in labels and "hidden" in labels
    assert r"$x_{N}$" in labels and r"$h_0$" in labels
    assert sum(label == "RNN\ncell" for label in labels) == 6
    with pytest.raises(ValueError, match="steps must be at least 2"):
        draw_unrolled_rnn(1)


def test_one_hot_diagram_lights_one_cell_per_row():
    fig = draw_text_to_one_hot("hello", Vocabulary.from_texts("hello", "ohlol"))
    labels = texts(fig)
    cells = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    lit = [p for p in cells if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert len(cells) == 5 * 4 and len(lit) == 5
    # Lit cells sit at the column of each character's index: h=1, e=0, l=2, l=2, o=3.
    assert sorted(round(p.get_x() - min(c.get_x() for c in cells)) for p in lit) == [0, 1, 2, 2, 3]
    assert "0: 'e'" in labels and "3: 'o'" in labels


def test_plot_losses_takes_one_colour_per_curve():
    curves = {"a": [3.0, 2.0], "b": [2.0, 1.5]}
    ax = plot_losses(curves, colors=[COLORS[1], COLORS[0]])
    assert [line.get_color() for line in ax.get_lines()] == [COLORS[1], COLORS[0]]
    assert [line.get_color() for line in plot_losses(curves).get_lines()] == list(COLORS[:2])
    with pytest.raises(ValueError, match="one colour per series: 2 series, 1 colours"):
        plot_losses(curves, colors=[COLORS[0]])
    with pytest.raises(ValueError, match="mean right/wrong"):
        plot_losses(curves, colors=[COLORS[0], "green"])
