"""Stacked layers and the shapes of nn.RNN: the figures draw what they claim."""

import pytest
import torch
from matplotlib.colors import to_hex
from matplotlib.patches import FancyBboxPatch
from torch import nn

from course_utils.diagrams import draw_rnn_shapes, draw_stacked_rnn
from course_utils.diagrams.layers import rnn_shapes
from course_utils.diagrams.primitives import LAYER_COLORS, PALETTE
from tests.figure_helpers import texts


def boxes(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]


def test_stacked_rnn_has_one_colour_per_layer_and_one_box_per_step():
    fig = draw_stacked_rnn(num_layers=3, steps=4)
    fills = [to_hex(p.get_facecolor()) for p in boxes(fig)]
    for layer in range(3):
        assert fills.count(LAYER_COLORS[layer]) == 4  # the same cell at each of 4 steps
    labels = texts(fig)
    assert [labels.count(f"layer {layer}") for layer in range(3)] == [4, 4, 4]
    # h_0 per layer on the left, x_1..x_4 below, the top layer's outputs above.
    for layer in range(3):
        assert rf"$h_0^{{({layer})}}$" in labels
        assert rf"$h_{{4}}^{{({layer})}}$" in labels  # right-hand column: last step per layer
    assert [rf"$x_{{{t}}}$" in labels for t in range(1, 5)] == [True] * 4
    assert [rf"$h_{{{t}}}^{{(2)}}$" in labels for t in range(1, 4)] == [True] * 3


def test_stacked_rnn_frames_output_and_hidden():
    fig = draw_stacked_rnn(num_layers=2, steps=5)
    labels = texts(fig)
    assert "output" in labels and "hidden" in labels
    assert r"$x_{N}$" in labels  # long sequences end with step N
    dashed = [p for p in boxes(fig) if p.get_linestyle() not in ("-", "solid")]
    assert len(dashed) == 2
    edges = {to_hex(p.get_edgecolor()) for p in dashed}
    assert to_hex(PALETTE["highlight"]) in edges  # hidden in red
    # The hidden frame is tall (a column, one entry per layer); the output frame is wide.
    (wide,) = [p for p in dashed if p.get_width() > p.get_height()]
    (tall,) = [p for p in dashed if p.get_height() > p.get_width()]
    assert wide.get_x() < tall.get_x()


@pytest.mark.parametrize("bad", [{"num_layers": 0}, {"num_layers": 9}, {"steps": 1},
                                 {"steps": 2.5}, {"num_layers": True}])
def test_stacked_rnn_rejects_bad_sizes(bad):
    name = next(iter(bad))
    with pytest.raises(AssertionError, match=name):
        draw_stacked_rnn(**bad)


@pytest.mark.parametrize("batch_first", [False, True])
def test_rnn_shapes_are_what_pytorch_returns(batch_first):
    seq_len, batch, input_size, hidden_size, num_layers = 5, 3, 4, 2, 2
    shapes = rnn_shapes(seq_len, batch, input_size, hidden_size, num_layers, batch_first)
    rnn = nn.RNN(input_size, hidden_size, num_layers=num_layers, batch_first=batch_first)
    inputs = torch.zeros(shapes["input"])
    out, hidden = rnn(inputs, torch.zeros(shapes["h_0"]))
    assert tuple(out.shape) == shapes["output"]
    assert tuple(hidden.shape) == shapes["hidden"]


def test_shapes_figure_shows_both_layouts_and_marks_what_changes():
    fig = draw_rnn_shapes(seq_len=5, batch=3, input_size=4, hidden_size=2, num_layers=2)
    labels = texts(fig)
    assert "batch_first=False" in labels and "batch_first=True" in labels
    for shape in ("(5, 3, 4)", "(3, 5, 4)", "(5, 3, 2)", "(3, 5, 2)"):
        assert labels.count(shape) == 1
    assert labels.count("(2, 3, 2)") == 4  # h_0 and hidden, in both layouts: never changed
    assert labels.count("(num_layers, batch, hidden_size)") == 4
    for names in ("(seq_len, batch, input_size)", "(batch, seq_len, input_size)",
                  "(seq_len, batch, hidden_size)", "(batch, seq_len, hidden_size)"):
        assert names in labels
    red = [p for p in boxes(fig) if to_hex(p.get_edgecolor()) == to_hex(PALETTE["highlight"])]
    assert len(red) == 2  # input and output with batch_first=True


def test_shapes_figure_rejects_a_bad_size():
    with pytest.raises(AssertionError, match="hidden_size must be a whole number"):
        draw_rnn_shapes(hidden_size=0)
