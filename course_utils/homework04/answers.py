"""Reference answers the checks compare against: lesson 03's model run with the student's
own weights, seeded layers in a given order, and the cells (correct, and with the typical
mistakes whose hints the checks give)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from course_utils import cells

HELLO = [[1, 0, 2, 2, 3]]  # "hello" in the lecture's dictionary ['e', 'h', 'l', 'o']
BATCH = [[1, 0, 2, 2, 3], [3, 2, 1, 0, 0], [2, 2, 2, 1, 3]]


def _layers(model: nn.Module) -> tuple[list[nn.Module], list[nn.Module], list[nn.Module]]:
    mods = list(model.modules())
    return ([m for m in mods if isinstance(m, nn.Embedding)],
            [m for m in mods if isinstance(m, nn.RNNBase | nn.RNNCellBase)],
            [m for m in mods if isinstance(m, nn.Linear)])


def _seeded_layers(order: Sequence[str], layer: type[nn.RNNBase],
                   sizes: tuple[int, int, int, int]) -> dict[str, nn.Module]:
    """The three layers created in ``order`` right after ``torch.manual_seed(0)``."""
    vocab_size, embedding_dim, hidden_size, num_layers = sizes
    make = {"embedding": lambda: nn.Embedding(vocab_size, embedding_dim),
            "recurrent": lambda: layer(embedding_dim, hidden_size, num_layers=num_layers,
                                       batch_first=True),
            "linear": lambda: nn.Linear(hidden_size, vocab_size)}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return {part: make[part]() for part in order}


def _reference(model: nn.Module, x: torch.Tensor, *, per_step: bool = False) -> torch.Tensor:
    """Embedding -> recurrent layer (batch_first, zero state) -> Linear with the model's own
    weights; ``per_step`` restarts the state at every step (a typical mistake)."""
    (emb,), (rnn,), (head,) = _layers(model)
    ref = type(rnn)(rnn.input_size, rnn.hidden_size, num_layers=rnn.num_layers,
                    batch_first=True)
    ref.load_state_dict(rnn.state_dict())
    with torch.no_grad():
        vectors = emb(x)
        if per_step:
            outs = torch.cat([ref(vectors[:, t:t + 1])[0] for t in range(x.shape[1])], dim=1)
        else:
            outs = ref(vectors)[0]
        return head(outs).reshape(-1, head.out_features)


def _blocks(order: Sequence[int], *weights: torch.Tensor) -> list[torch.Tensor]:
    """The weights with their gate blocks (rows) taken in ``order``: the correct cell on these
    is what code that reads the blocks in ``order`` computes."""
    n = len(order)
    return [torch.cat([w.chunk(n, dim=0)[k] for k in order]) for w in weights]


def _lstm_reference(x, state, w_ih, w_hh, b_ih, b_hh, *, order=(0, 1, 2, 3), mistake=None):
    """``course_utils.cells``' LSTM with the gate blocks read in ``order``, or one typical
    ``mistake``: "sigmoid g" (the candidate through sigmoid), "no i" (c = f * c + g),
    "no tanh" (h = o * c)."""
    h, c = state
    if mistake is None:
        return cells.step("lstm", x, state, *_blocks(order, w_ih, w_hh, b_ih, b_hh))
    i, f, g, o = (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
    i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
    g = torch.sigmoid(g) if mistake == "sigmoid g" else torch.tanh(g)
    c_new = f * c + (g if mistake == "no i" else i * g)
    return o * (c_new if mistake == "no tanh" else torch.tanh(c_new)), c_new


def _gru_reference(x, h, w_ih, w_hh, b_ih, b_hh, *, order=(0, 1, 2), mistake=None):
    """``course_utils.cells``' GRU with the gate blocks read in ``order``, or one typical
    ``mistake``: "b_hn outside" (r * (W_hn h) + b_hn), "z swapped" (z * n + (1 - z) * h),
    "reset before" (W_hn (r * h) + b_hn)."""
    if mistake is None:
        return cells.step("gru", x, h, *_blocks(order, w_ih, w_hh, b_ih, b_hh))
    gi = (x @ w_ih.T + b_ih).chunk(3, dim=1)
    (w_r, w_z, w_n), (b_r, b_z, b_n) = w_hh.chunk(3, dim=0), b_hh.chunk(3, dim=0)
    r = torch.sigmoid(gi[0] + h @ w_r.T + b_r)
    z = torch.sigmoid(gi[1] + h @ w_z.T + b_z)
    if mistake == "reset before":
        n = torch.tanh(gi[2] + (r * h) @ w_n.T + b_n)
    else:  # "b_hn outside" and "z swapped" (b_hn inside, as PyTorch does)
        n = torch.tanh(gi[2] + r * (h @ w_n.T) + (b_n if mistake == "b_hn outside" else r * b_n))
    return z * n + (1 - z) * h if mistake == "z swapped" else (1 - z) * n + z * h
