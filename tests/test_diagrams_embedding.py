"""One-hot vs. embedding, the lookup, the Embedding model: the figures draw what they claim."""

import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex
from matplotlib.patches import FancyBboxPatch, Rectangle

from course_utils.diagrams import (
    draw_embedding_lookup,
    draw_embedding_model,
    draw_one_hot_vs_embedding,
)
from course_utils.diagrams.embedding import EMBED_COLOR, HEAD_COLOR
from course_utils.diagrams.primitives import LAYER_COLORS, PALETTE
from tests.figure_helpers import texts


def rectangles(fig):
    return [p for p in fig.axes[0].patches if type(p) is Rectangle]


def test_one_hot_is_tall_and_sparse_embedding_short_and_dense():
    values = [0.5, -0.25, 0.75]
    fig = draw_one_hot_vs_embedding(vocab_size=10, embedding_dim=3, index=4, values=values)
    cells = rectangles(fig)
    assert len(cells) == 10 + 3
    lit = [p for p in cells if to_hex(p.get_facecolor()) == to_hex(PALETTE["highlight"])]
    white = [p for p in cells if to_hex(p.get_facecolor()) == "#ffffff"]
    assert len(lit) == 1 and len(white) == 9  # one-hot: a single 1 among 10 cells
    assert round(max(p.get_y() for p in white + lit) - lit[0].get_y()) == 4  # at index 4
    labels = texts(fig)
    assert labels.count("1") == 1 and labels.count("0") == 9
    assert all(f"{v:.2f}" in labels for v in values)  # embedding: every cell holds a number
    assert any("10 numbers" in t for t in labels) and any("3 numbers" in t for t in labels)


def test_one_hot_vs_embedding_checks_its_input():
    with pytest.raises(AssertionError, match="index must be"):
        draw_one_hot_vs_embedding(vocab_size=4, index=4)
    with pytest.raises(ValueError, match="values must have shape"):
        draw_one_hot_vs_embedding(embedding_dim=3, values=[1.0, 2.0])


def test_lookup_frames_the_row_of_the_index_and_repeats_it():
    weight = torch.arange(12, dtype=torch.float32).view(4, 3) / 10
    fig = draw_embedding_lookup(weight, index=2, chars=list("ehlo"))
    labels = texts(fig)
    matrix = [f"{v:.2f}" for v in weight.flatten().tolist()]
    for value in matrix:
        assert value in labels
    # The picked row appears twice: in the matrix and as the result.
    for value in ("0.60", "0.70", "0.80"):
        assert labels.count(value) == 2
    assert labels.count("0.00") == 1
    assert "one_hot(2)" in labels and "weight[2]" in labels and "2 'l'" in labels
    frame = [p for p in rectangles(fig) if not p.get_fill()]
    assert len(frame) == 1 and to_hex(frame[0].get_edgecolor()) == to_hex(PALETTE["highlight"])


def test_lookup_checks_its_input():
    with pytest.raises(ValueError, match="chars must name the 4 rows"):
        draw_embedding_lookup(np.zeros((4, 2)), index=0, chars="abc")
    with pytest.raises(AssertionError, match="index must be"):
        draw_embedding_lookup(np.zeros((4, 2)), index=7)
    with pytest.raises(ValueError, match="weight must be a 2-D matrix"):
        draw_embedding_lookup(np.zeros(4), index=0)


def test_embedding_model_has_every_stage_for_every_step():
    fig = draw_embedding_model("hello", vocab_size=4, embedding_dim=10, hidden_size=8,
                               num_layers=2, indices=[1, 0, 2, 2, 3])
    labels = texts(fig)
    for name in ("Embed", "RNN 0", "RNN 1", "Linear"):
        assert labels.count(name) == 5
    assert "1 'h'" in labels and "3 'o'" in labels
    fills = [to_hex(p.get_facecolor()) for p in fig.axes[0].patches
             if isinstance(p, FancyBboxPatch)]
    assert fills.count(EMBED_COLOR) == 5 and fills.count(HEAD_COLOR) == 5
    assert fills.count(LAYER_COLORS[0]) == 5 and fills.count(LAYER_COLORS[1]) == 5
    assert len(rectangles(fig)) == 5 * 4  # 5 outputs of 4 scores
    joined = " ".join(labels)
    for note in ("Embedding(4, 10)", "RNN(10, 8, num_layers=2)", "Linear(8, 4)",
                 "view(-1, 4) -> (5, 4)", "5 outputs of 4 scores"):
        assert note in joined


def test_embedding_model_checks_its_input():
    with pytest.raises(ValueError, match="text must be"):
        draw_embedding_model("h")
    with pytest.raises(ValueError, match="indices must give one index"):
        draw_embedding_model("hello", indices=[1, 2])
    with pytest.raises(AssertionError, match="num_layers"):
        draw_embedding_model("hello", num_layers=0)
