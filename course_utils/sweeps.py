"""Seed sweeps: train one model per random seed and count how many reach the target.

Two ways to run the same sweep:

- ``sweep_sequential(make_model, pair, seeds, ...)`` trains any model, one seed after the
  other, with ``course_utils.training.fit`` (slow but obviously right);
- ``sweep_batched(config, pair, seeds, ...)`` trains every seed of a ``CharModel`` at once:
  each seed's model is built exactly as the sequential sweep builds it, its weights are
  stacked into tensors with a leading seed dimension, and the recurrences are written with
  batched matrix products. The per-seed losses are summed and ONE Adam updates the stacked
  tensors; since Adam works element by element this is the same as one Adam per seed.

Both return a ``SweepResult`` holding every seed's loss and prediction at every epoch, so
counts for shorter budgets can be read from one long run (``converged_by_budget``).

A seed *converges* when the prediction (the argmax of an epoch's forward-pass scores, taken
before that epoch's optimizer step, as ``fit`` does) equals the target from some epoch to the
end of the run; ``converged_epoch`` is the first such epoch (see
``course_utils.training.converged_epoch``). So epoch ``e``'s loss and prediction belong to the
model after ``e - 1`` updates, and a seed's last loss is not the loss of its trained model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from course_utils.cells import gru_step, lstm_step, rnn_step
from course_utils.models import CharModel
from course_utils.params import is_int, is_number
from course_utils.repro import choose_device, cpu_threads
from course_utils.text import SequencePair
from course_utils.training import converged_epoch, fit

REDUCTIONS = ("mean", "sum")
BUDGETS = (15, 30, 50)  # the training budgets (epochs) the lessons and the homework compare


@dataclass(frozen=True)
class SweepResult:
    """Every seed's loss and decoded prediction after each epoch of one sweep.

    ``losses[i][e]`` and ``predictions[i][e]`` belong to seed ``seeds[i]`` at epoch ``e + 1``.
    """

    seeds: list[int]
    epochs: int
    target: str
    losses: list[list[float]]
    predictions: list[list[str]]

    @property
    def converged_epochs(self) -> list[int | None]:
        """Per seed: the first epoch from which the prediction equals the target to the end of
        the run, or None."""
        return [converged_epoch(p, self.target) for p in self.predictions]

    def converged(self, within: int | None = None) -> int:
        """How many seeds have a converged epoch ``<= within`` in THIS run (default: all
        epochs), i.e. are right from some epoch ``<= within`` through the last epoch.

        For "how many would a ``within``-epoch run call converged" use ``converged_by_budget``;
        the two agree when ``within == epochs``.
        """
        within = self.epochs if within is None else _budget(within, self.epochs, "within")
        return sum(e is not None and e <= within for e in self.converged_epochs)

    def converged_epochs_at(self, budget: int) -> list[int | None]:
        """Per seed: the converged epoch that a run of only ``budget`` epochs would report
        (training up to epoch ``budget`` is the same in both runs)."""
        budget = _budget(budget, self.epochs, "budget")
        return [converged_epoch(p[:budget], self.target) for p in self.predictions]

    def converged_by_budget(self, budgets: int | Sequence[int]) -> dict[int, int]:
        """For each budget, how many seeds a run of that many epochs would call converged
        (right at epoch ``budget`` and from its converged epoch on), e.g.
        ``{15: 61, 30: 97, 50: 100}`` from one 50-epoch run."""
        budgets = [budgets] if isinstance(budgets, int) else list(budgets)
        return {
            b: sum(e is not None for e in self.converged_epochs_at(b)) for b in budgets
        }


def _budget(value: object, epochs: int, name: str) -> int:
    assert is_int(value, low=1, high=epochs), (
        f"{name} must be a whole number of epochs in 1..{epochs} (the epochs of this sweep), "
        f"got {value!r}."
    )
    return value


def _seed_list(seeds: int | Sequence[int]) -> list[int]:
    values = list(range(seeds)) if is_int(seeds) else list(seeds)
    assert values and all(is_int(s, low=0) for s in values), (
        f"seeds must be a count >= 1 (e.g. 100 for seeds 0-99) or a list of ints >= 0, "
        f"got {seeds!r}."
    )
    return values


def _check_training(pair: object, epochs: object, lr: object, reduction: object) -> None:
    """Programming errors only: the notebook's parameters were checked by
    ``course_utils.params.check_parameters``."""
    assert isinstance(pair, SequencePair), (
        f"pair must be a SequencePair from course_utils.text.make_pair, got "
        f"{type(pair).__name__}."
    )
    assert is_int(epochs, low=1), f"epochs must be a whole number >= 1, got {epochs!r}."
    assert is_number(lr) and lr > 0, f"lr must be a number greater than 0, got {lr!r}."
    assert reduction in REDUCTIONS, f"reduction must be one of {list(REDUCTIONS)}."


def _device(device: str | torch.device) -> torch.device:
    return choose_device(device) if isinstance(device, str) else torch.device(device)


def sweep_sequential(
    make_model: Callable[[], nn.Module],
    pair: SequencePair,
    seeds: int | Sequence[int],
    *,
    epochs: int,
    lr: float,
    reduction: str = "mean",
    device: str | torch.device = "cpu",
    inputs: torch.Tensor | None = None,
    num_threads: int | None = 1,
) -> SweepResult:
    """Train one model per seed, one after the other, with ``fit(..., verbose=False)``.

    For each seed: ``torch.manual_seed(seed)``, ``model = make_model()`` (on the CPU, then
    moved to ``device``), then Adam with ``lr`` for ``epochs`` epochs on ``inputs`` (default
    ``pair.x.unsqueeze(0)``, indices of shape ``(1, seq_len)``) and labels ``pair.y``.
    ``seeds`` is a count (``100`` means seeds 0-99) or a list of seeds. The global random
    generator is restored afterwards, so a sweep does not change later cells' random numbers.
    ``num_threads`` CPU threads are used during the sweep (None: torch's setting), then the
    setting is restored.
    """
    seed_list = _seed_list(seeds)
    _check_training(pair, epochs, lr, reduction)
    assert callable(make_model) and not isinstance(make_model, nn.Module), (
        f"make_model must be a function that builds a model, got {type(make_model).__name__}"
        ". Use e.g. lambda: lecture_embedding_model(len(pair.vocab))."
    )
    where = _device(device)
    x = pair.x.unsqueeze(0) if inputs is None else inputs
    losses, predictions = [], []
    with torch.random.fork_rng(devices=[]), cpu_threads(num_threads):
        for seed in seed_list:
            torch.manual_seed(seed)
            model = make_model()
            assert isinstance(model, nn.Module), (
                f"make_model must return an nn.Module, got {type(model).__name__}."
            )
            history = fit(model.to(where), x, pair.y, pair.vocab, epochs=epochs, lr=lr,
                          reduction=reduction, verbose=False)
            losses.append(history.losses)
            predictions.append(history.predictions)
    return SweepResult(seed_list, epochs, pair.target, losses, predictions)


# ----------------------------------------------------------------------------------------
# Batched sweep: every seed's CharModel as one set of stacked tensors.


def _model_factory(config: Callable[[], CharModel] | Mapping[str, Any], num_class: int):
    if isinstance(config, Mapping):
        kwargs = dict(config)
        assert kwargs.pop("num_class", num_class) == num_class, (
            f"config has num_class={config['num_class']!r} but the pair's vocabulary has "
            f"{num_class} characters; leave num_class out of config."
        )
        return lambda: CharModel(num_class, **kwargs)
    assert callable(config) and not isinstance(config, nn.Module), (
        "config must be a function that returns a CharModel (e.g. "
        "lambda: lecture_embedding_model(4)) or a dict of CharModel arguments "
        f"(e.g. {{'cell': 'lstm'}}), got {type(config).__name__}."
    )
    return config


def _stack_models(
    make: Callable[[], CharModel], seeds: list[int], num_class: int, device: torch.device
) -> tuple[dict[str, object], dict[str, torch.Tensor]]:
    """Build each seed's model as the sequential sweep would and stack its parameters."""
    models = []
    with torch.random.fork_rng(devices=[]):
        for seed in seeds:
            torch.manual_seed(seed)
            model = make()
            assert isinstance(model, CharModel), (
                f"sweep_batched trains CharModel configurations only; the factory returned "
                f"{type(model).__name__}. Use sweep_sequential for other models."
            )
            models.append(model)
    config = models[0].config()
    assert config["num_class"] == num_class, (
        f"the model's num_class is {config['num_class']} but the pair's vocabulary has "
        f"{num_class} characters."
    )
    assert all(m.config() == config for m in models), (
        "the factory must build the same architecture for every seed."
    )
    names = [name for name, _ in models[0].named_parameters()]
    params = {
        name: torch.stack([dict(m.named_parameters())[name].detach() for m in models])
        .to(device)
        .requires_grad_()
        for name in names
    }
    return config, params


def _layer(cell: str, xs: torch.Tensor, p: dict[str, torch.Tensor], layer: int) -> torch.Tensor:
    """One recurrent layer for all seeds: ``xs`` (seeds, seq_len, in) -> (seeds, seq_len, H)."""
    w_ih, w_hh = p[f"rnn.weight_ih_l{layer}"], p[f"rnn.weight_hh_l{layer}"]
    b_ih, b_hh = p[f"rnn.bias_ih_l{layer}"], p[f"rnn.bias_hh_l{layer}"]
    seeds, hidden = xs.shape[0], w_hh.shape[2]
    # No custom autograd Function for h @ w_hh^T: one with a broadcast outer product as the
    # weight gradient was measured against plain baddbmm (100 seeds x 50 epochs, 1 thread, best
    # of 3 on the course's 2-core VM): rnn 0.16 vs 0.15 s, lstm 0.25 vs 0.28 s, gru 0.27 vs
    # 0.25 s, i.e. within the noise, with bit-identical losses; so plain baddbmm.
    # Input part of every step at once: (seeds, seq_len, gates * hidden). split() rather than
    # slicing in the loop: its backward is one cat instead of a zero-filled tensor per step.
    from_x = torch.baddbmm(b_ih.unsqueeze(1), xs, w_ih.transpose(1, 2)).split(1, dim=1)
    b_hh, w_hh_t = b_hh.unsqueeze(1), w_hh.transpose(1, 2)
    h = xs.new_zeros(seeds, 1, hidden)
    c = xs.new_zeros(seeds, 1, hidden)
    outputs = []
    for gx in from_x:
        gh = torch.baddbmm(b_hh, h, w_hh_t)
        if cell == "lstm":
            h, c = lstm_step(gx, gh, c)
        else:
            h = rnn_step(gx, gh) if cell == "rnn" else gru_step(gx, gh, h)
        outputs.append(h)
    return torch.cat(outputs, dim=1)


def batched_scores(
    config: Mapping[str, object], params: Mapping[str, torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """Scores of every seed's model for one index sequence ``x`` of shape ``(seq_len,)``:
    shape ``(seeds, seq_len, num_class)``. ``params`` holds ``CharModel`` parameter names
    with a leading seed dimension."""
    first = next(iter(params.values()))
    seeds = first.shape[0]
    if config["embedding_size"] is None:
        one_hot = nn.functional.one_hot(x, int(config["num_class"])).to(first.dtype)
        xs = one_hot.unsqueeze(0).expand(seeds, -1, -1)
    else:
        xs = params["emb.weight"][:, x, :]
    for layer in range(int(config["num_layers"])):
        xs = _layer(str(config["cell"]), xs, params, layer)
    if config["head"]:
        xs = torch.baddbmm(params["fc.bias"].unsqueeze(1), xs,
                           params["fc.weight"].transpose(1, 2))
    return xs


def sweep_batched(
    config: Callable[[], CharModel] | Mapping[str, Any],
    pair: SequencePair,
    seeds: int | Sequence[int],
    *,
    epochs: int,
    lr: float,
    reduction: str = "mean",
    device: str | torch.device = "cpu",
    num_threads: int | None = 1,
) -> SweepResult:
    """Train every seed of one ``CharModel`` configuration at once; same result as
    ``sweep_sequential`` (to float rounding), many times faster.

    ``config`` is either the same zero-argument factory you would give ``sweep_sequential``
    (it must return a ``CharModel``; e.g. ``lambda: lecture_embedding_model(4, cell="gru")``)
    or a dict of ``CharModel`` keyword arguments (``{"cell": "lstm"}``; ``num_class`` comes
    from ``pair``). Each seed's model is built after ``torch.manual_seed(seed)`` exactly as in
    the sequential sweep. ``device="cpu"`` is usually fastest for these tiny models;
    ``num_threads`` as in ``sweep_sequential``.
    """
    seed_list = _seed_list(seeds)
    _check_training(pair, epochs, lr, reduction)
    where = _device(device)
    num_class = len(pair.vocab)
    make = _model_factory(config, num_class)
    with cpu_threads(num_threads):
        arch, params = _stack_models(make, seed_list, num_class, where)
        losses, argmax = _train_stacked(arch, params, pair, epochs, lr, reduction, where)
    chars = pair.vocab.chars
    predictions = [["".join(chars[i] for i in row) for row in seed_rows] for seed_rows in argmax]
    return SweepResult(seed_list, epochs, pair.target, losses, predictions)


def _train_stacked(
    arch: Mapping[str, object],
    params: dict[str, torch.Tensor],
    pair: SequencePair,
    epochs: int,
    lr: float,
    reduction: str,
    where: torch.device,
) -> tuple[list[list[float]], list[list[list[int]]]]:
    """Adam on the summed per-seed losses; per seed and epoch: loss and argmax indices."""
    num_class = len(pair.vocab)
    x, y = pair.x.to(where), pair.y.to(where)
    n_seeds, seq_len = next(iter(params.values())).shape[0], y.shape[0]
    labels = y.repeat(n_seeds)
    optimizer = torch.optim.Adam(params.values(), lr=lr)
    epoch_losses, epoch_argmax = [], []
    for _ in range(epochs):
        optimizer.zero_grad()
        scores = batched_scores(arch, params, x)
        per_step = nn.functional.cross_entropy(
            scores.reshape(n_seeds * seq_len, num_class), labels, reduction="none"
        ).view(n_seeds, seq_len)
        per_seed = per_step.mean(dim=1) if reduction == "mean" else per_step.sum(dim=1)
        per_seed.sum().backward()
        optimizer.step()
        epoch_losses.append(per_seed.detach())
        epoch_argmax.append(scores.detach().argmax(dim=2))
    losses = torch.stack(epoch_losses, dim=1).cpu().tolist()  # (seeds, epochs)
    argmax = torch.stack(epoch_argmax, dim=1).cpu().tolist()  # (seeds, epochs, seq_len)
    return losses, argmax
