"""One training loop for the character models of the course, returning a history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import torch
from torch import nn

from course_utils.params import is_int, is_number
from course_utils.text import Vocabulary


def converged_epoch(predictions: Sequence[str], target: str) -> int | None:
    """The first epoch (1-based) from which every prediction equals ``target``, or None."""
    epoch = None
    for i, prediction in enumerate(predictions, start=1):
        if prediction == target:
            epoch = epoch or i
        else:
            epoch = None
    return epoch


@dataclass
class History:
    """Loss and decoded prediction after each epoch of training on one (source, target) pair."""

    target: str
    losses: list[float] = field(default_factory=list)
    predictions: list[str] = field(default_factory=list)

    @property
    def final_loss(self) -> float:
        return self.losses[-1]

    @property
    def prediction(self) -> str:
        return self.predictions[-1]

    @property
    def converged_epoch(self) -> int | None:
        return converged_epoch(self.predictions, self.target)

    def summary(self, digits: int = 4) -> dict[str, object]:
        """A plain dict for a notebook's summary cell (rounded so that it is stable)."""
        return {
            "prediction": self.prediction,
            "target": self.target,
            "final_loss": round(self.final_loss, digits),
            "converged_epoch": self.converged_epoch,
        }


def fit(
    model: nn.Module,
    inputs: torch.Tensor,
    labels: torch.Tensor,
    vocab: Vocabulary,
    *,
    epochs: int,
    lr: float,
    reduction: str = "mean",
    verbose: bool = True,
) -> History:
    """Train ``model`` with Adam and cross-entropy on one sequence; return its history.

    ``model(inputs)`` must return class scores whose last dimension is ``len(vocab)``; they
    are flattened to ``(-1, len(vocab))`` and compared with ``labels`` flattened to ``(-1,)``.
    ``reduction="sum"`` adds the per-step losses, as the lecture's RNNCell version does.
    The prediction of an epoch is decoded from the scores of that epoch's forward pass.
    That pass comes before the epoch's optimizer step, so epoch ``e``'s loss and prediction are
    those of the model after ``e - 1`` updates: ``final_loss``, ``prediction`` and the converged
    epoch of an ``epochs``-epoch run judge the model before its last update, not as ``fit``
    leaves it.
    """
    assert is_int(epochs, low=1), f"epochs must be a whole number >= 1, got {epochs!r}."
    assert is_number(lr) and lr > 0, f"lr must be a number greater than 0, got {lr!r}."
    device = next(model.parameters()).device
    inputs, labels = inputs.to(device), labels.to(device).flatten()
    criterion = nn.CrossEntropyLoss(reduction=reduction)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    target = vocab.decode(labels.cpu())
    history = History(target=target)
    for epoch in range(1, epochs + 1):
        optimizer.zero_grad()
        scores = model(inputs).reshape(-1, len(vocab))
        if scores.shape[0] != labels.shape[0]:
            raise ValueError(
                f"the model gave {scores.shape[0]} rows of scores for {labels.shape[0]} labels; "
                "it must give one row of len(vocab) scores per character."
            )
        loss = criterion(scores, labels)
        loss.backward()
        optimizer.step()
        prediction = vocab.decode(scores.argmax(dim=1).cpu())
        history.losses.append(loss.item())
        history.predictions.append(prediction)
        if verbose:
            print(f"epoch {epoch:>3}  loss {loss.item():.4f}  prediction {prediction!r}")
    return history
