"""Lesson 07's diagrams: a packed batch and a bidirectional RNN draw what they claim."""

import pytest
import torch
from matplotlib.patches import Rectangle
from torch.nn.utils.rnn import pack_sequence

from course_utils.diagrams.sequences import draw_bidirectional_rnn, draw_packed_batch
from tests.figure_helpers import texts


def test_packed_batch_shows_pytorchs_batch_sizes():
    words = ["deux", "quarante-deux", "cent"]
    fig = draw_packed_batch(words)
    labels = texts(fig)
    packed = pack_sequence([torch.zeros(len(w)) for w in words], enforce_sorted=False)
    # The batch_sizes row: after the label, one number per step, as PyTorch computes them.
    row = labels[labels.index("batch_sizes") + 1:][: len(packed.batch_sizes)]
    assert row == [str(b) for b in packed.batch_sizes.tolist()]
    cells = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_width() == 1.0]
    hatched = [p for p in cells if p.get_hatch()]
    assert len(cells) == 3 * 13 and len(hatched) == 3 * 13 - sum(map(len, words))
    assert "length 13" in labels and "\u2423" not in labels  # no space in these words


@pytest.mark.parametrize("bad", [[], ["a" * 31], [""], ["ab"] * 9])
def test_packed_batch_refuses_what_does_not_fit(bad):
    with pytest.raises(ValueError):
        draw_packed_batch(bad)


def test_bidirectional_rnn_has_a_forward_and_a_backward_cell_per_step():
    labels = texts(draw_bidirectional_rnn("deux"))
    assert labels.count("forward") == 4 and labels.count("backward") == 4
    assert [f"'{c}'" for c in "deux"] == [t for t in labels if t.startswith("'")]
    assert "h_n[-2]\n(forward)" in labels and "h_n[-1]\n(backward)" in labels
    with pytest.raises(ValueError, match="2 to 8 characters"):
        draw_bidirectional_rnn("x")
