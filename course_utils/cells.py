"""One step of each recurrent cell, written once, in PyTorch's gate order.

Every function takes the two pre-activations of one step, ``gx = x @ W_ih.T + b_ih`` (from
the input) and ``gh = h @ W_hh.T + b_hh`` (from the previous hidden state), with the gates
on the last dimension, so that the same code serves one sequence (``(batch, gates * H)``)
and the batched seed sweep (``(seeds, 1, gates * H)``). ``step`` computes both
pre-activations from the weights, as ``nn.RNNCell``, ``nn.LSTMCell`` and ``nn.GRUCell`` do.

The seed sweeps (``course_utils.sweeps``) and the homework's checks
(``course_utils.homework04``) use these functions; lesson 05 and the homework's task 4 write
the cells out in full, since that is what they teach.
"""

from __future__ import annotations

import torch


def rnn_step(gx: torch.Tensor, gh: torch.Tensor) -> torch.Tensor:
    """``h_t = tanh(gx + gh)``."""
    return torch.tanh(gx + gh)


def lstm_step(
    gx: torch.Tensor, gh: torch.Tensor, c: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Gates input, forget, cell (g), output in that order; returns ``(h_t, c_t)``."""
    gates = gx + gh
    hidden = c.shape[-1]
    # One sigmoid over all gates (the g slice is unused) costs less than three calls.
    i, f, _, o = torch.sigmoid(gates).chunk(4, dim=-1)
    g = torch.tanh(gates[..., 2 * hidden : 3 * hidden])
    c = f * c + i * g
    return o * torch.tanh(c), c


def gru_step(gx: torch.Tensor, gh: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """Gates reset, update, new in that order; ``b_hn`` stays inside ``r * (...)``."""
    hidden = h.shape[-1]
    gx_rz, gx_n = gx.split([2 * hidden, hidden], dim=-1)
    gh_rz, gh_n = gh.split([2 * hidden, hidden], dim=-1)
    r, z = torch.sigmoid(gx_rz + gh_rz).chunk(2, dim=-1)
    n = torch.tanh(gx_n + r * gh_n)
    return torch.lerp(n, h, z)  # (1 - z) * n + z * h in one op


def step(cell: str, x: torch.Tensor, state, w_ih, w_hh, b_ih, b_hh):
    """One step of ``cell`` ("rnn", "lstm" or "gru") for a batch: ``x`` ``(batch, in)``,
    ``state`` ``h`` (``(h, c)`` for the LSTM); returns the new state in the same form."""
    if cell not in ("rnn", "lstm", "gru"):
        raise ValueError(f"cell must be 'rnn', 'lstm' or 'gru', got {cell!r}.")
    h = state[0] if cell == "lstm" else state
    gx, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    if cell == "lstm":
        return lstm_step(gx, gh, state[1])
    return rnn_step(gx, gh) if cell == "rnn" else gru_step(gx, gh, h)
