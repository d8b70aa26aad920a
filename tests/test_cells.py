"""course_utils.cells: one step of each cell equals PyTorch's own cell with the same weights
(the seed sweeps and the homework's checks rely on it), and an unknown cell is an error."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from course_utils.cells import step

CELLS = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


@pytest.mark.parametrize("name", CELLS)
def test_one_step_equals_pytorchs_cell(name):
    torch.manual_seed(0)
    cell = CELLS[name](3, 5)
    x, h, c = torch.randn(2, 3), torch.randn(2, 5), torch.randn(2, 5)
    state = (h, c) if name == "lstm" else h
    weights = (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    with torch.no_grad():
        want, got = cell(x, state), step(name, x, state, *weights)
    if name == "lstm":
        assert isinstance(got, tuple) and len(got) == 2
        for a, b in zip(got, want, strict=True):
            torch.testing.assert_close(a, b)
    else:
        torch.testing.assert_close(got, want)


@pytest.mark.parametrize("name", ["GRU", "transformer", None])
def test_an_unknown_cell_is_an_error_not_a_gru(name):
    weights = (torch.zeros(15, 3), torch.zeros(15, 5), torch.zeros(15), torch.zeros(15))
    with pytest.raises(ValueError) as info:
        step(name, torch.zeros(2, 3), torch.zeros(2, 5), *weights)
    assert str(info.value) == f"cell must be 'rnn', 'lstm' or 'gru', got {name!r}."
