"""The yardsticks of lesson 06's character language model: perplexity and a bigram baseline.

The lesson's own subjects (batching a text stream into chunks, sampling with temperature and
top-k) are written in the notebook, where they are taught.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from course_utils.params import is_int


def _positive_int(value: object, name: str) -> int:
    if not is_int(value, low=1):
        raise ValueError(f"{name} must be an int of at least 1, got {value!r}.")
    return value


def perplexity(mean_nll: float) -> float:
    """Perplexity (困惑度) from the mean negative log-likelihood per character (in nats):
    ``exp(mean_nll)``, the number of equally likely characters the model hesitates between."""
    if not math.isfinite(mean_nll) or mean_nll < 0:
        raise ValueError(f"mean_nll must be a finite number of 0 or more, got {mean_nll!r}.")
    return math.exp(mean_nll)


class BigramModel:
    """Next-character probabilities from counts of character pairs, with add-``alpha``
    smoothing so that an unseen pair is unlikely, not impossible."""

    def __init__(self, indices: Sequence[int] | torch.Tensor, vocab_size: int,
                 *, alpha: float = 1.0) -> None:
        vocab_size = _positive_int(vocab_size, "vocab_size")
        if not alpha > 0:
            raise ValueError(f"alpha must be greater than 0, got {alpha!r}.")
        data = torch.as_tensor(indices, dtype=torch.long).flatten()
        if data.numel() < 2:
            raise ValueError(f"indices must hold at least 2 characters, got {data.numel()}.")
        if data.min() < 0 or data.max() >= vocab_size:
            raise ValueError(f"indices must lie in 0..{vocab_size - 1}.")
        counts = torch.zeros(vocab_size, vocab_size, dtype=torch.float64)
        counts.index_put_((data[:-1], data[1:]), torch.ones(data.numel() - 1,
                                                            dtype=torch.float64),
                          accumulate=True)
        self.counts = counts
        self.probs = (counts + alpha) / (counts + alpha).sum(dim=1, keepdim=True)

    def mean_nll(self, indices: Sequence[int] | torch.Tensor) -> float:
        """Mean negative log-probability of each character given the one before it."""
        data = torch.as_tensor(indices, dtype=torch.long).flatten()
        if data.numel() < 2:
            raise ValueError(f"indices must hold at least 2 characters, got {data.numel()}.")
        return float(-self.probs[data[:-1], data[1:]].log().mean())

    def perplexity(self, indices: Sequence[int] | torch.Tensor) -> float:
        return perplexity(self.mean_nll(indices))
