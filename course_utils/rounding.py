"""Two computations of one training run, compared where rounding cannot tell them apart.

A batched seed sweep and the same model trained alone (or PyTorch's layer and a hand-written
loop) compute the same training with their float32 operations in another order. Their losses
differ in the last digits, and training can amplify those differences: a smooth run keeps
them tiny, a chaotic one (a large learning rate, a large model) grows them until two equally
correct computations have nothing in common. A fixed tolerance is then either too tight (it
fails a correct computation) or too loose (it passes a wrong one).

So the run measures its own rounding: the same training in float64 (``exact``), from the same
weights, is what the float32 run would be without rounding. While the two agree (the same
predictions, losses within ``SAFE``), rounding cannot decide the run, and another correct
float32 computation must agree with the reference there: the same predictions, losses within
``TOLERANCE``. From the first epoch where the float64 twin parts from the reference, rounding
decides the run, and nothing is compared: neither float32 computation is more right than the
other.

The two thresholds were measured (``tools/bench/rounding.py``; 208 runs: lesson 03's model with
RNN and LSTM layers, hidden sizes 1-512, lr 0.01-3, and the lecture's one-hot model with mean
and sum losses, seeds 0-2, 50 epochs): on the epochs that ``SAFE`` lets through, the batched
sweep and the model trained alone were at most 1.2e-4 apart, with the same predictions, while
a learning rate 1.5 or 0.5 times the right one was always told apart (a loss further than
``TOLERANCE``, or another prediction).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from course_utils.text import SequencePair, Vocabulary
from course_utils.training import History, fit

SAFE = 1e-5  # float32 and float64 runs closer than this (relative): rounding cannot decide
TOLERANCE = 3e-3  # two float32 computations of the same training, on those epochs (relative)


def _relative(a: float, b: float) -> float:
    return abs(a - b) / (1.0 + abs(b))


@dataclass(frozen=True)
class Agreement:
    """What ``compare_runs`` found: epochs ``1..compared`` were compared (rounding cannot
    decide them), and ``first_difference`` is the first of them where the other computation
    differs from the reference (None: it agrees)."""

    epochs: int
    compared: int
    first_difference: int | None = None
    expected: str = ""  # the reference at first_difference
    found: str = ""  # the other computation there

    @property
    def same(self) -> bool:
        return self.first_difference is None

    def describe(self) -> str:
        """One line for a notebook: what was compared and what it showed."""
        if not self.same:
            return (f"no: at epoch {self.first_difference} the reference has {self.expected}, "
                    f"the other run {self.found}")
        if self.compared == self.epochs:
            return f"yes, the same losses and predictions in all {self.epochs} epochs"
        if self.compared == 0:
            return ("not compared: rounding alone changes this run from its first epoch (its "
                    "float64 twin differs)")
        return (f"yes, the same losses and predictions in epochs 1-{self.compared}; from epoch "
                f"{self.compared + 1} on, rounding alone changes this run (its float64 twin "
                "goes elsewhere), so later epochs are not compared")


def rounding_safe_epochs(reference: History, exact: History) -> int:
    """How many leading epochs of the float32 ``reference`` its float64 twin ``exact`` agrees
    with: the same prediction, losses within ``SAFE``."""
    count = 0
    for ours, twin, ours_text, twin_text in zip(reference.losses, exact.losses,
                                                reference.predictions, exact.predictions,
                                                strict=False):
        if ours_text != twin_text or not _relative(twin, ours) <= SAFE:
            break
        count += 1
    return count


def compare_runs(reference: History, exact: History | Callable[[], History],
                 losses: Sequence[float], predictions: Sequence[str]) -> Agreement:
    """Compare another float32 computation of ``reference``'s training (its per-epoch
    ``losses`` and ``predictions``) with it, on the epochs that rounding cannot decide.

    ``exact`` is the same training in float64 from the same initial weights (e.g. the model
    built after the same ``torch.manual_seed``, then ``.double()``); it must have at least as
    many epochs as ``reference``. It may be a function that trains it: it is then called only
    when the other computation does not agree with ``reference`` in every epoch anyway (the
    usual case for a smooth run needs no float64 training). The other computation must have as
    many epochs as ``reference``; a shorter one differs at its first missing epoch.
    """
    if callable(exact):
        everywhere = compare_runs(reference, reference, losses, predictions)
        return everywhere if everywhere.same else compare_runs(reference, exact(), losses,
                                                               predictions)
    epochs = len(reference.losses)
    assert len(exact.losses) >= epochs, (
        f"the float64 run has {len(exact.losses)} epochs, the reference {epochs}: train it as "
        "long as the reference."
    )
    compared = rounding_safe_epochs(reference, exact)
    for e in range(compared):
        ours = reference.losses[e]
        if e >= len(losses):
            return Agreement(epochs, compared, e + 1, f"loss {ours:.6g}", "no such epoch")
        if e >= len(predictions):
            return Agreement(epochs, compared, e + 1,
                             f"prediction {reference.predictions[e]!r}", "no such epoch")
        if not _relative(losses[e], ours) <= TOLERANCE:
            return Agreement(epochs, compared, e + 1, f"loss {ours:.6g}",
                             f"loss {losses[e]:.6g}")
        if predictions[e] != reference.predictions[e]:
            return Agreement(epochs, compared, e + 1,
                             f"prediction {reference.predictions[e]!r}",
                             f"prediction {predictions[e]!r}")
    return Agreement(epochs, compared)


def fit_in_float64(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor,
                   vocab: Vocabulary, *, epochs: int, lr: float,
                   reduction: str = "mean") -> History:
    """A copy of ``model``, as it is before training, trained like ``fit`` would train it but in
    float64: its weights converted exactly, and float64 as torch's default type while it
    trains, so that tensors the model makes itself (a zero initial state) are float64 too.
    ``model`` itself is left as it was."""
    twin = copy.deepcopy(model).double()
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return fit(twin, inputs, labels, vocab, epochs=epochs, lr=lr, reduction=reduction,
                   verbose=False)
    finally:
        torch.set_default_dtype(default)


def float64_twin(make_model: Callable[[], nn.Module], pair: SequencePair, *, seed: int,
                 epochs: int, lr: float, reduction: str = "mean",
                 device: str | torch.device = "cpu") -> History:
    """The run of ``make_model()`` built after ``torch.manual_seed(seed)`` and trained with
    ``fit`` on ``pair`` (indices ``(1, seq_len)``), computed in float64 (``fit_in_float64``):
    the same initial weights and the same steps, without float32's rounding. The model must
    take character indices (e.g. a ``CharModel``). The global random generator is left as it
    was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = make_model()
    return fit_in_float64(model.to(device), pair.x.unsqueeze(0).to(device), pair.y.to(device),
                          pair.vocab, epochs=epochs, lr=lr, reduction=reduction)
