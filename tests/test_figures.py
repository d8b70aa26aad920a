"""The plots and drawn diagrams: they draw what they claim, and refuse bad input."""

import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from course_utils.diagrams import (
    draw_embedding_model,
    draw_rnn_cell,
    draw_text_to_one_hot,
    draw_unrolled_rnn,
)
from course_utils.fonts import SANS
from course_utils.plots import (
    COLORS,
    MATCH,
    MISMATCH,
    plot_losses,
    plot_prediction_table,
    plot_sweep_counts,
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


# Text in any script: Chinese draws from Noto Sans CJK (course_utils.fonts), Latin as before.
CHINESE = "我爱北京天安门"


def _draw_strictly(fig) -> None:
    """Draw ``fig`` with every warning an error (a missing glyph warns, then draws a box)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def test_chinese_text_draws_without_a_missing_glyph():
    use_course_style()
    target = CHINESE[::-1]
    history = History(target, [2.0, 1.0], [CHINESE, target])
    fig, axes = plt.subplots(1, 3, figsize=(12, 3))
    plot_losses({f"{CHINESE} 损失": history}, ax=axes[0], title=f"{CHINESE!r} -> {target!r}")
    plot_prediction_table(history, ax=axes[1])  # monospace characters and tick labels
    plot_sweep_counts({"模型": 3}, 5, ax=axes[2])  # bold numbers, a Chinese tick label
    _draw_strictly(fig)
    _draw_strictly(draw_text_to_one_hot(CHINESE))
    _draw_strictly(draw_embedding_model(CHINESE, 7, 10, 8, 2))


def test_no_code_hides_the_missing_glyph_warning():
    before = list(warnings.filters)
    plot_prediction_table(History(CHINESE, [1.0], [CHINESE]))
    assert warnings.filters == before


def test_latin_text_draws_as_with_matplotlibs_default_font():
    def pixels(family) -> bytes:
        with plt.rc_context({"font.family": family}):
            fig, ax = plt.subplots(figsize=(3, 1))
            ax.set_title("'hello' -> 'ohlol', seed 0")
            ax.text(0.5, 0.5, "59/100", fontweight="bold")
            fig.canvas.draw()
            return bytes(fig.canvas.buffer_rgba())

    use_course_style()
    assert pixels(SANS) == pixels("sans-serif")


def test_the_cjk_fonts_also_serve_bold_text():
    # Only the Regular weight ships: without a bold entry, every bold text (Latin too) logs
    # "findfont: Failed to find font weight bold for Noto Sans CJK SC" into the notebook.
    weights = {e.weight for e in font_manager.fontManager.ttflist if e.name == SANS[-1]}
    assert {400, 700} <= weights
