"""The character models of the course behind one interface: ``CharModel``.

``CharModel`` reads a sequence of character indices and returns one row of class scores per
character. Its parts, in the order they are created (and so the order in which they draw
from PyTorch's random generator):

1. ``emb``: ``nn.Embedding(num_class, embedding_size)``, or nothing when
   ``embedding_size=None`` (the indices are then turned into one-hot rows, which has no
   weights and draws no random numbers);
2. ``rnn``: ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` with ``batch_first=True``;
3. ``fc``: ``nn.Linear(hidden_size, num_class)``, or nothing when ``head=False`` (the
   hidden state is then used directly as the class scores, as in the lecture's first models).

This order is part of the interface: ``torch.manual_seed(s)`` followed by ``CharModel(...)``
defines the initial weights of seed ``s``, and the seed sweeps (``course_utils.sweeps``) rely
on it. The names are the lecture's (``num_class``, ``embedding_size``, ``emb``, ``fc``), so a
lesson's own model and a ``CharModel`` made after the same seed have the same ``state_dict``,
keys included. A one-hot model without a head, ``CharModel(V, embedding_size=None,
hidden_size=V, num_layers=1, head=False)``, has exactly the weights of a plain
``nn.RNN(V, V, 1)`` made after
the same ``torch.manual_seed(s)``, so it reproduces the lecture's model exactly.
"""

from __future__ import annotations

import torch
from torch import nn

from course_utils.params import is_int

CELLS: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class CharModel(nn.Module):
    """Indices -> embedding (or one-hot) -> RNN/LSTM/GRU -> optional linear head -> scores.

    Args:
        num_class: number of characters (classes); the size of one-hot rows and of the scores.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        embedding_size: size of the learned embedding, or ``None`` for one-hot input rows.
        hidden_size: size of the hidden state of every recurrent layer.
        num_layers: number of stacked recurrent layers.
        head: add ``fc = nn.Linear(hidden_size, num_class)``; with ``head=False`` the last
            layer's hidden state is the score vector, so ``hidden_size`` must equal ``num_class``.

    ``forward(x)`` takes an integer tensor of shape ``(batch, seq_len)`` (or ``(seq_len,)``,
    read as a batch of one) and returns scores of shape ``(batch, seq_len, num_class)``.
    The initial hidden state is zeros.
    """

    def __init__(
        self,
        num_class: int,
        *,
        cell: str = "rnn",
        embedding_size: int | None = 10,
        hidden_size: int = 8,
        num_layers: int = 2,
        head: bool = True,
    ) -> None:
        super().__init__()
        assert cell in CELLS, f"cell must be one of {list(CELLS)}, got {cell!r}."
        sizes = {"num_class": num_class, "hidden_size": hidden_size, "num_layers": num_layers}
        if embedding_size is not None:
            sizes["embedding_size"] = embedding_size
        bad = {name: value for name, value in sizes.items() if not is_int(value, low=1)}
        assert not bad, f"sizes must be whole numbers of at least 1, got {bad}."
        assert head or hidden_size == num_class, (
            f"with head=False the hidden state is used as the {num_class} class scores, so "
            f"hidden_size must equal num_class ({num_class}), got hidden_size={hidden_size}."
        )
        self.num_class = num_class
        self.cell = cell
        self.embedding_size = embedding_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.has_head = bool(head)
        # Creation order is fixed (see the module docstring): emb, rnn, fc.
        self.emb = None if embedding_size is None else nn.Embedding(num_class, embedding_size)
        input_size = num_class if embedding_size is None else embedding_size
        self.rnn = CELLS[cell](input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_class) if head else None

    def config(self) -> dict[str, object]:
        """The keyword arguments that rebuild this architecture (with ``num_class``)."""
        return {
            "num_class": self.num_class,
            "cell": self.cell,
            "embedding_size": self.embedding_size,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "head": self.has_head,
        }

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Indices ``(batch, seq_len)`` -> input vectors ``(batch, seq_len, input_size)``."""
        if self.emb is not None:
            return self.emb(x)
        return nn.functional.one_hot(x, self.num_class).to(self.rnn.weight_ih_l0.dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.dtype not in (torch.long, torch.int32):
            raise ValueError(
                "x must be an integer tensor of character indices (torch.long), got "
                f"{getattr(x, 'dtype', type(x).__name__)}. Use pair.x, not pair.x_one_hot."
            )
        if x.dim() == 1:
            x = x.unsqueeze(0)
        if x.dim() != 2:
            raise ValueError(
                f"x must have shape (batch, seq_len) or (seq_len,), got {tuple(x.shape)}."
            )
        if x.numel() and bool(((x < 0) | (x >= self.num_class)).any()):
            raise ValueError(
                f"x holds indices outside 0..{self.num_class - 1} (num_class={self.num_class}):"
                f" {x.tolist()}."
            )
        out, _ = self.rnn(self.encode(x.long()))
        return out if self.fc is None else self.fc(out)


def lecture_embedding_model(num_class: int, *, cell: str = "rnn") -> CharModel:
    """The lecture's Embedding model: ``Embedding(V, 10)`` -> ``RNN(10, 8, num_layers=2,
    batch_first=True)`` -> ``Linear(8, V)`` (lecture: V=4, Adam lr 0.05, 15 epochs).

    ``cell="lstm"`` or ``"gru"`` gives the homework's variant with the same sizes.
    """
    return CharModel(num_class, cell=cell, embedding_size=10, hidden_size=8, num_layers=2)


def lecture_onehot_rnn(num_class: int) -> CharModel:
    """The lecture's ``nn.RNN`` model: one-hot rows -> ``RNN(V, V, num_layers=1)``, no head;
    the hidden state is used as the V class scores (lecture: V=4, Adam lr 0.05, 15 epochs).

    After ``torch.manual_seed(s)`` its weights equal those of ``nn.RNN(V, V, 1)`` (and of
    ``nn.RNNCell(V, V)``) made after the same seed.
    """
    return CharModel(num_class, cell="rnn", embedding_size=None, hidden_size=num_class,
                     num_layers=1, head=False)
