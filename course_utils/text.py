"""Text to tensors: vocabularies, indices, one-hot rows and (source, target) pairs.

Every error is a ``ValueError`` (or ``TypeError`` for a non-string) that says what is wrong
and how to fix it, because students meet these messages in their first notebook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import torch


def _require_text(text: object, name: str) -> str:
    if not isinstance(text, str):
        raise TypeError(
            f"{name} must be a str, got {type(text).__name__} ({text!r}). "
            f'Put the text in quotes, e.g. {name}="hello".'
        )
    if text == "":
        raise ValueError(f'{name} is empty. Give it at least one character, e.g. {name}="hello".')
    return text


@dataclass(frozen=True)
class Vocabulary:
    """A sorted list of characters and the index of each one.

    Sorting makes the vocabulary independent of the order of the texts: ``"hello"`` and
    ``"ohlol"`` give the lecture's dictionary ``['e', 'h', 'l', 'o']``.
    """

    chars: tuple[str, ...]

    @classmethod
    def from_texts(cls, *texts: str) -> Vocabulary:
        """Build the vocabulary of every character that occurs in ``texts``."""
        if not texts:
            raise ValueError("from_texts needs at least one text, e.g. from_texts('hello').")
        for i, text in enumerate(texts):
            _require_text(text, f"text {i + 1}")
        return cls(tuple(sorted(set("".join(texts)))))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char: object) -> bool:
        return char in self.chars

    def index(self, char: str) -> int:
        """Return the index of one character."""
        try:
            return self.chars.index(char)
        except ValueError:
            raise ValueError(
                f"character {char!r} is not in the vocabulary {list(self.chars)}. "
                "Build the vocabulary from every text you will encode."
            ) from None

    def encode(self, text: str) -> list[int]:
        """Turn a text into a list of indices."""
        _require_text(text, "text")
        missing = sorted({c for c in text if c not in self.chars})
        if missing:
            raise ValueError(
                f"characters {missing} of {text!r} are not in the vocabulary {list(self.chars)}. "
                "Build the vocabulary from every text you will encode."
            )
        return [self.chars.index(c) for c in text]

    def decode(self, indices: Iterable[int] | torch.Tensor) -> str:
        """Turn indices (a list or an integer tensor) back into text."""
        values = indices.flatten().tolist() if isinstance(indices, torch.Tensor) else list(indices)
        bad = [i for i in values if not isinstance(i, int) or not 0 <= i < len(self.chars)]
        if bad:
            raise ValueError(
                f"indices {bad} are outside 0..{len(self.chars) - 1} "
                f"for a vocabulary of {len(self.chars)} characters."
            )
        return "".join(self.chars[i] for i in values)


def one_hot(indices: Sequence[int] | torch.Tensor, num_classes: int) -> torch.Tensor:
    """Return a float tensor of shape ``(len(indices), num_classes)`` with one 1 per row."""
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1, got {num_classes}.")
    index = torch.as_tensor(indices, dtype=torch.long).flatten()
    if index.numel() and (index.min() < 0 or index.max() >= num_classes):
        raise ValueError(
            f"indices must lie in 0..{num_classes - 1}, got {index.tolist()}. "
            "Is num_classes the size of the vocabulary?"
        )
    return torch.nn.functional.one_hot(index, num_classes).float()


def preview(text: str, limit: int = 12) -> str:
    """``repr(text)``, cut to its first ``limit`` characters (ending in "...") when longer:
    short enough for a figure title, e.g. ``preview("hello")`` is ``"'hello'"``."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}.")
    return repr(text) if len(text) <= limit else repr(text[:limit] + "...")


def check_pair(source: object, target: object) -> tuple[str, str]:
    """Check that ``source`` and ``target`` are non-empty texts of equal length."""
    source = _require_text(source, "source")
    target = _require_text(target, "target")
    if len(source) != len(target):
        raise ValueError(
            f"source and target must have the same length: source {source!r} has "
            f"{len(source)} characters, target {target!r} has {len(target)}. The model writes "
            "one output character per input character, so pad or trim one of them."
        )
    return source, target


@dataclass(frozen=True)
class SequencePair:
    """A (source, target) training pair as tensors, with its vocabulary."""

    source: str
    target: str
    vocab: Vocabulary
    x: torch.Tensor  # indices of the source, shape (seq_len,)
    y: torch.Tensor  # indices of the target, shape (seq_len,)

    @property
    def x_one_hot(self) -> torch.Tensor:
        """The source as one-hot rows, shape ``(seq_len, len(vocab))``."""
        return one_hot(self.x, len(self.vocab))


def make_pair(source: str, target: str) -> SequencePair:
    """Check the texts, build their shared vocabulary and encode both as index tensors."""
    source, target = check_pair(source, target)
    vocab = Vocabulary.from_texts(source, target)
    x = torch.tensor(vocab.encode(source), dtype=torch.long)
    y = torch.tensor(vocab.encode(target), dtype=torch.long)
    return SequencePair(source, target, vocab, x, y)
