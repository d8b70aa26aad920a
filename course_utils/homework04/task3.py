"""Task 3: train the three models with the lecture's settings, compare."""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from course_utils.homework04 import feedback as fb
from course_utils.params import is_number
from course_utils.rounding import compare_runs, fit_in_float64
from course_utils.text import SequencePair
from course_utils.training import History, fit

TABLE_KEYS = ("parameters", "converged_epoch", "seconds_per_epoch")
# Times. A time per epoch that train_one returns, times epochs, fits in the time that its call
# took, measured by the check around it; CLOCK_TICK of slack lets a coarse clock through
# (time.time() ticks every 15.6 ms on Windows before Python 3.13). The table's times, measured
# earlier in the notebook, are compared with the check's timing of the same model within a
# factor of TABLE_FACTOR, plus START_UP seconds (over all epochs) for one-time costs of a first
# run: the first optimizer step of a session took 2.5 s here (PyTorch imports more of itself),
# a GPU sets up its kernels; the notebook's warm-up call pays them, but it is not the answer.
CLOCK_TICK = 0.02
LOW_FACTOR = 50  # a time per epoch x epochs below 1/50 of the call is not the training's
TABLE_FACTOR = 10
START_UP = 10.0
# What a time per epoch is off by, per mistake: (factor, what it looks like).
UNITS = ((1e3, "milliseconds, not seconds: don't multiply by 1000"),
         (1e6, "microseconds, not seconds"),
         (1e9, "nanoseconds (time.perf_counter_ns()), not seconds: divide by 1e9"),
         (1 / 60, "minutes, not seconds: don't divide by 60"))


def _histories_problem(histories: Any, model_classes: Any, pair: SequencePair, *, seed: int,
                       epochs: int, lr: float, device: str | torch.device) -> Exception | None:
    task = 3
    if isinstance(histories, Mapping) and not histories:  # the cell stopped before any training
        return fb.unfinished(task, "histories")
    if not isinstance(histories, Mapping) or set(histories) != set(fb.NAMES):
        found = sorted(histories) if isinstance(histories, Mapping) else type(histories).__name__
        return fb.failure(task, "histories must hold one History per model.",
                        expected=f"a dict with keys {list(fb.NAMES)}", found=str(found),
                        hint="histories[name] = the History that fit() returns.")
    for name in fb.NAMES:
        history = histories[name]
        if not isinstance(history, History):
            return fb.failure(task, f"histories[{name!r}] is not a History.", expected="the "
                            "History returned by fit()", found=type(history).__name__,
                            hint="keep what fit(...) returns.")
        if len(history.losses) != epochs:
            return fb.failure(task, f"{name} was trained for the wrong number of epochs.",
                            expected=f"{fb.counted(epochs, 'loss', 'losses')} (epochs={epochs})",
                            found=fb.counted(len(history.losses), "loss", "losses"),
                            hint="use the notebook's `epochs` parameter, and train each model "
                                 "once, from fresh weights.")
        if history.target != pair.target:
            return fb.failure(task, f"{name} learned another target.",
                            expected=repr(pair.target), found=repr(history.target),
                            hint="train on (inputs, labels), the notebook's pair.")
        # The student's run against this check's, compared where rounding cannot change a run
        # (course_utils.rounding): a training loop of their own adds in another order, and a
        # chaotic run (a large lr) amplifies that until the two part, neither more right.
        x, y = pair.x.unsqueeze(0).to(device), pair.y.to(device)
        with fb.quiet_training():
            torch.manual_seed(seed)
            model = model_classes[name](len(pair.vocab)).to(device)
            initial = copy.deepcopy(model)
            reference = fit(model, x, y, pair.vocab, epochs=epochs, lr=lr, verbose=False)

        def exact(initial=initial, reference=reference, x=x, y=y) -> History:  # if needed
            with fb.quiet_training():
                try:
                    return fit_in_float64(initial, x, y, pair.vocab, epochs=epochs, lr=lr)
                except Exception:  # a model that cannot run in float64: compare every epoch
                    return reference

        if compare_runs(reference, exact, history.losses, history.predictions).same:
            continue
        ours = torch.tensor(reference.losses)
        theirs = torch.tensor(history.losses)
        first_theirs, first_ours = theirs[0].item(), ours[0].item()
        if abs(first_theirs - len(pair.target) * first_ours) < 1e-3 * first_theirs:
            hint = (f"your loss is the SUM over the {len(pair.target)} steps; the lecture's "
                    "nn.RNN and Embedding models use the mean (CrossEntropyLoss's default, "
                    "reduction='mean').")
        elif abs(first_theirs - first_ours) > 1e-3:
            hint = ("the first epoch differs, so the initial weights differ: call "
                    "torch.manual_seed(seed) right before building EACH model.")
        else:
            hint = (f"same start, different path: use Adam with lr={lr} (the `lr` parameter) and "
                    "a new optimizer for each model.")
        return fb.failure(task, f"{name}'s losses differ from the lecture's settings.",
                        expected=f"losses {[round(v, 4) for v in reference.losses[:3]]} ... "
                                 f"{round(reference.final_loss, 4)}",
                        found=f"losses {[round(v, 4) for v in history.losses[:3]]} ... "
                              f"{round(history.final_loss, 4)}", hint=hint)
    return None


def _secs(seconds: float) -> str:
    """A time in seconds to 3 significant digits, always with a decimal point: 0.00312, 468.0,
    5.00e-05."""
    text = f"{seconds:#.3g}"
    return text + "0" if text.endswith(".") else text


def _unit_hint(ratio: float, epochs: int) -> str | None:
    """What a time per epoch that is ``ratio`` times the expected one looks like, if one typical
    mistake explains it within a factor of 3: the time of all epochs, another unit."""
    suspects = list(UNITS)
    if epochs > 1:  # with one epoch, the time of all epochs is the time per epoch
        suspects += [(float(epochs), f"the time of all {epochs} epochs, not of one: divide by "
                      "epochs"), (1e3 * epochs, f"milliseconds, and of all {epochs} epochs: "
                      "return seconds per epoch")]
    factor, what = min(suspects, key=lambda s: abs(math.log(ratio / s[0])))
    return what if abs(math.log(ratio / factor)) < math.log(3) else None


def _train_one_problem(train_one: Any, histories: Mapping[str, History], model_classes: Any,
                       *, seed: int, epochs: int) -> tuple[Exception | None, dict[str, float]]:
    """Call ``train_one`` for each model from another random state, twice, timing each call:
    it must seed before building (the same first loss as in ``histories``) and return
    (History, seconds per epoch), that time x epochs within the call's time. Return the
    problem, if any, and the check's own time per epoch of each model (the faster call)."""
    task = 3
    measured: dict[str, float] = {}
    for name in fb.NAMES:
        model_class = model_classes[name]
        label = getattr(model_class, "__name__", name)
        for disturb in (seed + 1, seed + 2):
            with fb.quiet_training():
                torch.manual_seed(disturb)  # not the state after torch.manual_seed(seed)
                start = time.perf_counter()
                try:
                    result = train_one(model_class)
                except NotImplementedError:  # fb.NotDone, or nbgrader's stub
                    return fb.NotDone(task), measured
                except Exception as err:
                    return fb.failure(task, f"train_one({label}) raised an error when this "
                                      "check called it.", expected="(history, seconds per epoch)",
                                      found=fb.short(err), hint=f"run `train_one({label})` in a "
                                      "new cell to see the whole traceback."), measured
                took = time.perf_counter() - start
            if not (isinstance(result, tuple) and len(result) == 2
                    and isinstance(result[0], History) and is_number(result[1])):
                return fb.failure(task, "train_one must return (history, seconds per epoch).",
                                  expected="a tuple (History, float)",
                                  found=repr(result)[:80] if not isinstance(result, tuple)
                                  else "(" + ", ".join(type(r).__name__ for r in result) + ")",
                                  hint="end train_one with `return history, seconds / epochs`."
                                  ), measured
            history, seconds = result
            first, want = history.losses[:1], histories[name].losses[0]
            if not (first and fb.close(torch.tensor(first), torch.tensor([want]))):
                return fb.failure(
                    task, f"train_one({label}) trains another model when called from another "
                    "random state.", expected=f"first loss {want:.4f}, as in "
                    f"histories[{name!r}]", found=f"first loss {first[0]:.4f}" if first else
                    "no losses", hint="train_one must call torch.manual_seed(seed) itself, "
                    "right before building the model: a model built before it gets its weights "
                    "from whatever ran last."), measured
            if not (math.isfinite(seconds) and seconds >= 0):
                return fb.failure(task, f"train_one({label})'s time per epoch is not a time.",
                                  expected="seconds per epoch, a number >= 0",
                                  found=repr(seconds), hint="time.perf_counter() before and after "
                                  "fit(), divided by epochs."), measured
            if seconds * epochs > took * 1.05 + CLOCK_TICK:
                found = (f"{_secs(seconds)} s per epoch, x {fb.counted(epochs, 'epoch')} = "
                         f"{_secs(seconds * epochs)} s, from a call that took {_secs(took)} s")
                what = _unit_hint(seconds * epochs / took, epochs)
                return fb.failure(
                    task, f"train_one({label})'s time per epoch is more than its whole call "
                    "took.", expected=f"at most {_secs(took / epochs)} s per epoch", found=found,
                    hint=f"this looks like {what}." if what else "return the seconds that "
                    "fit(...) took, divided by epochs."), measured
            if seconds * epochs < took / LOW_FACTOR:
                what = _unit_hint(seconds * epochs / took, epochs)
                return fb.failure(
                    task, f"train_one({label})'s time per epoch is far less than its call took.",
                    expected=f"about {_secs(took / epochs)} s per epoch",
                    found=f"{_secs(seconds)} s per epoch",
                    hint=f"this looks like {what}." if what else "time the training, "
                    "fit(...), in seconds: time.perf_counter() before and after it."), measured
            measured[name] = min(took / epochs, measured.get(name, math.inf))
    return None, measured


def _table_problem(table: Any, histories: Mapping[str, History], model_classes: Any,
                   vocab_size: int, measured: Mapping[str, float],
                   epochs: int) -> Exception | None:
    task = 3
    if isinstance(table, Mapping) and not table:  # the table's cell stopped before filling it
        return fb.unfinished(task, "table")
    if not isinstance(table, Mapping) or set(table) != set(fb.NAMES):
        return fb.failure(task, "the table must have one row per model.",
                        expected=f"a dict with keys {list(fb.NAMES)}",
                        found=str(sorted(table) if isinstance(table, Mapping) else table),
                        hint="table[name] = {'parameters': ..., 'converged_epoch': ..., "
                             "'seconds_per_epoch': ...}")
    for name in fb.NAMES:
        row = table[name]
        if not isinstance(row, Mapping) or set(row) != set(TABLE_KEYS):
            return fb.failure(task, f"table[{name!r}] has the wrong columns.",
                            expected=str(list(TABLE_KEYS)),
                            found=str(sorted(row) if isinstance(row, Mapping) else row),
                            hint="one dict per model with exactly these keys.")
        with torch.random.fork_rng(devices=[]):
            count = sum(p.numel() for p in model_classes[name](vocab_size).parameters())
        if row["parameters"] != count:
            return fb.failure(task, f"{name}'s parameter count is wrong.", expected=f"{count:,}",
                            found=repr(row["parameters"]),
                            hint="sum(p.numel() for p in model.parameters()): every weight and "
                                 "bias, of every layer.")
        if row["converged_epoch"] != histories[name].converged_epoch:
            return fb.failure(task, f"{name}'s epochs to converge are wrong.",
                            expected=repr(histories[name].converged_epoch),
                            found=repr(row["converged_epoch"]),
                            hint="use history.converged_epoch: the first epoch from which the "
                                 "prediction stays right (None if it never does).")
        seconds = row["seconds_per_epoch"]
        if not (is_number(seconds) and seconds > 0):
            return fb.failure(task, f"{name}'s time per epoch is not a time.",
                            expected="seconds per epoch, a small number > 0",
                            found=repr(seconds),
                            hint="time.perf_counter() before and after fit(), divided by epochs.")
        ours = measured[name]
        low, high = ours / TABLE_FACTOR, ours * TABLE_FACTOR + START_UP / epochs
        if not low <= seconds <= high:
            what = _unit_hint(seconds / ours, epochs)
            return fb.failure(
                task, f"{name}'s time per epoch is far from what this check measures.",
                expected=f"about {_secs(ours)} s per epoch (between {_secs(low)} and "
                         f"{_secs(high)})",
                found=f"{_secs(seconds)} s per epoch",
                hint=f"this looks like {what}." if what else
                "table[name]['seconds_per_epoch'] = the seconds per epoch that train_one "
                "returned for that model.")
    return None


def check_task3(
    histories: Mapping[str, History],
    table: Mapping[str, Mapping[str, Any]],
    model_classes: Mapping[str, type[nn.Module]],
    pair: SequencePair,
    *,
    seed: int,
    epochs: int,
    lr: float,
    train_one: Callable[[type[nn.Module]], tuple[History, float]],
    device: str | torch.device = "cpu",
) -> None:
    """Task 3: each history is what ``fit`` gives for ``model_classes[name]`` built right after
    ``torch.manual_seed(seed)`` and trained ``epochs`` epochs with Adam ``lr`` and the mean
    cross-entropy; ``train_one`` seeds right before building (called from another random state
    it trains the same models) and returns seconds per epoch (checked against the check's own
    timing of its calls); the table's parameter counts, converged epochs and times per epoch are
    right."""
    problem = _histories_problem(histories, model_classes, pair, seed=seed, epochs=epochs, lr=lr,
                                 device=device)
    if problem is not None:
        raise problem
    fb.passed(f"rnn, lstm and gru trained {fb.counted(epochs, 'epoch')} from seed {seed}, Adam "
              f"lr={lr}: the losses match the lecture's settings")
    problem, measured = _train_one_problem(train_one, histories, model_classes, seed=seed,
                                           epochs=epochs)
    if problem is not None:
        raise problem
    fb.passed("train_one seeds right before building: called from two other random states, "
              "its models start from the first losses of histories")
    fb.passed(f"train_one returns seconds per epoch: that time x {fb.counted(epochs, 'epoch')} "
              "fits in the time that this check measured around its call")
    problem = _table_problem(table, histories, model_classes, len(pair.vocab), measured, epochs)
    if problem is not None:
        raise problem
    counts = ", ".join(f"{n} {table[n]['parameters']:,}" for n in fb.NAMES)
    fb.passed(f"the table's parameter counts ({counts}) and converged epochs; its times per "
              f"epoch within a factor of {TABLE_FACTOR} of this check's timing (allowing "
              f"{START_UP:g} s of start-up costs)")
    print("Task 3 passed.")
