"""The character models of the course behind one interface: ``CharModel``.

``CharModel`` reads a sequence of character indices and returns one row of class scores per
character. Its parts, in the order they are created (and so the order in which they draw
from PyTorch's random generator):

1. ``embedding``: ``nn.Embedding(vocab_size, embedding_dim)``, or nothing when
   ``embedding_dim=None`` (the indices are then turned into one-hot rows, which has no
   weights and draws no random numbers);
2. ``rnn``: ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` with ``batch_first=True``;
3. ``head``: ``nn.Linear(hidden_size, vocab_size)``, or nothing when ``head=False`` (the
   hidden state is then used directly as the class scores, as in the lecture's first models).

This order is part of the interface: ``torch.manual_seed(s)`` followed by ``CharModel(...)``
defines the initial weights of seed ``s``, and the seed sweeps (``course_utils.sweeps``) rely
on it. A one-hot model without a head, ``CharModel(V, embedding_dim=None, hidden_size=V,
num_layers=1, head=False)``, has exactly the weights of a plain ``nn.RNN(V, V, 1)`` made after
the same ``torch.manual_seed(s)``, so it reproduces the lecture's model exactly.
"""

from __future__ import annotations

import torch
from torch import nn

CELLS: dict[str, type[nn.RNNBase]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")
    return value


class CharModel(nn.Module):
    """Indices -> embedding (or one-hot) -> RNN/LSTM/GRU -> optional linear head -> scores.

    Args:
        vocab_size: number of characters (classes); the size of one-hot rows and of the scores.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        embedding_dim: size of the learned embedding, or ``None`` for one-hot input rows.
        hidden_size: size of the hidden state of every recurrent layer.
        num_layers: number of stacked recurrent layers.
        head: add ``nn.Linear(hidden_size, vocab_size)``; with ``head=False`` the last layer's
            hidden state is the score vector, so ``hidden_size`` must equal ``vocab_size``.

    ``forward(x)`` takes an integer tensor of shape ``(batch, seq_len)`` (or ``(seq_len,)``,
    read as a batch of one) and returns scores of shape ``(batch, seq_len, vocab_size)``.
    The initial hidden state is zeros.
    """

    def __init__(
        self,
        vocab_size: int,
        *,
        cell: str = "rnn",
        embedding_dim: int | None = 10,
        hidden_size: int = 8,
        num_layers: int = 2,
        head: bool = True,
    ) -> None:
        super().__init__()
        vocab_size = _positive_int(vocab_size, "vocab_size")
        if not isinstance(cell, str) or cell.lower() not in CELLS:
            raise ValueError(f"cell must be one of {list(CELLS)}, got {cell!r}.")
        cell = cell.lower()
        if embedding_dim is not None:
            embedding_dim = _positive_int(embedding_dim, "embedding_dim")
        hidden_size = _positive_int(hidden_size, "hidden_size")
        num_layers = _positive_int(num_layers, "num_layers")
        if not isinstance(head, bool):
            raise ValueError(f"head must be True or False, got {head!r}.")
        if not head and hidden_size != vocab_size:
            raise ValueError(
                f"with head=False the hidden state is used as the {vocab_size} class scores, so "
                f"hidden_size must equal vocab_size ({vocab_size}), got hidden_size={hidden_size}. "
                "Set hidden_size=vocab_size or use head=True."
            )
        self.vocab_size = vocab_size
        self.cell = cell
        self.embedding_dim = embedding_dim
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.has_head = head
        # Creation order is fixed (see the module docstring): embedding, rnn, head.
        self.embedding = None if embedding_dim is None else nn.Embedding(vocab_size, embedding_dim)
        input_size = vocab_size if embedding_dim is None else embedding_dim
        self.rnn = CELLS[cell](input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size) if head else None

    @property
    def input_size(self) -> int:
        """Size of the vectors the recurrent layer reads (embedding_dim or vocab_size)."""
        return self.vocab_size if self.embedding_dim is None else self.embedding_dim

    def config(self) -> dict[str, object]:
        """The keyword arguments that rebuild this architecture (with ``vocab_size``)."""
        return {
            "vocab_size": self.vocab_size,
            "cell": self.cell,
            "embedding_dim": self.embedding_dim,
            "hidden_size": self.hidden_size,
            "num_layers": self.num_layers,
            "head": self.has_head,
        }

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Indices ``(batch, seq_len)`` -> input vectors ``(batch, seq_len, input_size)``."""
        if self.embedding is not None:
            return self.embedding(x)
        return nn.functional.one_hot(x, self.vocab_size).to(self.rnn.weight_ih_l0.dtype)

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
        if x.numel() and bool(((x < 0) | (x >= self.vocab_size)).any()):
            raise ValueError(
                f"x holds indices outside 0..{self.vocab_size - 1} (vocab_size={self.vocab_size}):"
                f" {x.tolist()}."
            )
        out, _ = self.rnn(self.encode(x.long()))
        return out if self.head is None else self.head(out)


def lecture_embedding_model(vocab_size: int, *, cell: str = "rnn") -> CharModel:
    """The lecture's Embedding model: ``Embedding(V, 10)`` -> ``RNN(10, 8, num_layers=2,
    batch_first=True)`` -> ``Linear(8, V)`` (lecture: V=4, Adam lr 0.05, 15 epochs).

    ``cell="lstm"`` or ``"gru"`` gives the homework's variant with the same sizes.
    """
    return CharModel(vocab_size, cell=cell, embedding_dim=10, hidden_size=8, num_layers=2)


def lecture_onehot_rnn(vocab_size: int) -> CharModel:
    """The lecture's ``nn.RNN`` model: one-hot rows -> ``RNN(V, V, num_layers=1)``, no head;
    the hidden state is used as the V class scores (lecture: V=4, Adam lr 0.05, 15 epochs).

    After ``torch.manual_seed(s)`` its weights equal those of ``nn.RNN(V, V, 1)`` (and of
    ``nn.RNNCell(V, V)``) made after the same seed.
    """
    return CharModel(vocab_size, cell="rnn", embedding_dim=None, hidden_size=vocab_size,
                     num_layers=1, head=False)
