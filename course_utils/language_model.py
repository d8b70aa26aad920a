"""Character language models: batching a text stream, perplexity, a bigram baseline and
sampling with temperature and top-k.

The model the lesson builds is expected to be called as ``model(x, state)`` with ``x`` of
shape ``(batch, seq_len)`` (character indices) and to return ``(scores, state)`` with
``scores`` of shape ``(batch, seq_len, vocab_size)``; ``state`` is whatever the recurrent
layer carries (``None`` at the start).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import torch


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an int of at least 1, got {value!r}.")
    return value


def perplexity(mean_nll: float) -> float:
    """Perplexity (困惑度) from the mean negative log-likelihood per character (in nats):
    ``exp(mean_nll)``, the number of equally likely characters the model hesitates between."""
    if not math.isfinite(mean_nll) or mean_nll < 0:
        raise ValueError(f"mean_nll must be a finite number of 0 or more, got {mean_nll!r}.")
    return math.exp(mean_nll)


def batchify(indices: Sequence[int] | torch.Tensor, batch_size: int) -> torch.Tensor:
    """Cut one long stream of indices into ``batch_size`` equal rows, shape
    ``(batch_size, n)``: row ``b`` continues where it left off from one chunk to the next.
    The tail that does not fill a row is dropped."""
    batch_size = _positive_int(batch_size, "batch_size")
    data = torch.as_tensor(indices, dtype=torch.long).flatten()
    n = data.numel() // batch_size
    if n < 2:
        raise ValueError(
            f"batch_size={batch_size} leaves fewer than 2 characters per row of a stream of "
            f"{data.numel()}; use a smaller batch_size."
        )
    return data[: n * batch_size].view(batch_size, n)


def iterate_chunks(data: torch.Tensor, seq_len: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Walk through ``data`` of shape ``(batch, n)`` in chunks of ``seq_len`` columns; yield
    ``(x, y)`` where ``y`` is ``x`` shifted one character ahead. The last chunk may be
    shorter."""
    seq_len = _positive_int(seq_len, "seq_len")
    if data.dim() != 2 or data.shape[1] < 2:
        raise ValueError(
            f"data must have shape (batch, n) with n >= 2 (see batchify), got {tuple(data.shape)}."
        )
    for start in range(0, data.shape[1] - 1, seq_len):
        end = min(start + seq_len, data.shape[1] - 1)
        yield data[:, start:end], data[:, start + 1 : end + 1]


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


def next_char_probs(scores: torch.Tensor, *, temperature: float = 1.0,
                    top_k: int | None = None) -> torch.Tensor:
    """Turn the scores of the last step into probabilities: divide by ``temperature`` (温度)
    (below 1 sharper, above 1 flatter), keep only the ``top_k`` best characters (None: all),
    softmax."""
    if not (isinstance(temperature, int | float) and temperature > 0):
        raise ValueError(
            f"temperature must be a number greater than 0, got {temperature!r} "
            "(1 samples from the model as it is; lower is more careful)."
        )
    if top_k is not None:
        top_k = _positive_int(top_k, "top_k")
    scores = scores.detach().float() / temperature
    if top_k is not None and top_k < scores.shape[-1]:
        kth = scores.topk(top_k, dim=-1).values[..., -1:]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    return torch.softmax(scores, dim=-1)


@torch.no_grad()
def generate(
    model: Any, vocab: Any, prompt: str, *, context: str = "", max_chars: int = 60,
    temperature: float = 1.0, top_k: int | None = None,
    generator: torch.Generator | None = None, stop: str | None = "\n",
) -> str:
    """Feed ``context + prompt`` to ``model``, then sample one character at a time (at most
    ``max_chars``) until ``stop``; return what was written after the prompt, without ``stop``.

    ``context`` is read but not returned: a model trained on a stream of lines has never seen
    a line start from an empty memory, so reading one line first (e.g. ``"seven\n"``) puts
    its hidden state where a new line begins.

    Sampling happens on the CPU with ``generator``, so a seeded generator gives the same text
    on CPU and CUDA runs of the same model.
    """
    max_chars = _positive_int(max_chars, "max_chars")
    next_char_probs(torch.zeros(1), temperature=temperature, top_k=top_k)  # checks arguments
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    x = torch.tensor([vocab.encode(context + prompt)], dtype=torch.long, device=device)
    scores, state = model(x, None)
    written = []
    for _ in range(max_chars):
        probs = next_char_probs(scores[0, -1].cpu(), temperature=temperature, top_k=top_k)
        index = int(torch.multinomial(probs, 1, generator=generator))
        char = vocab.chars[index]
        if stop is not None and char == stop:
            break
        written.append(char)
        scores, state = model(torch.tensor([[index]], device=device), state)
    model.train(was_training)
    return "".join(written)
