"""Task 3: train the three models with the lecture's settings, compare."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
from torch import nn

from course_utils.homework04 import feedback as fb
from course_utils.params import is_number
from course_utils.text import SequencePair
from course_utils.training import History, fit

TABLE_KEYS = ("parameters", "converged_epoch", "seconds_per_epoch")


def _histories_problem(histories: Any, model_classes: Any, pair: SequencePair, *, seed: int,
                       epochs: int, lr: float, device: str | torch.device) -> Exception | None:
    task = 3
    if isinstance(histories, Mapping) and not histories:  # the cell stopped before any training
        return fb.NotDone(task)
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
                            expected=f"{epochs} losses (epochs={epochs})",
                            found=f"{len(history.losses)} losses",
                            hint="use the notebook's `epochs` parameter, and train each model "
                                 "once, from fresh weights.")
        if history.target != pair.target:
            return fb.failure(task, f"{name} learned another target.",
                            expected=repr(pair.target), found=repr(history.target),
                            hint="train on (inputs, labels), the notebook's pair.")
        with fb.quiet_training():
            torch.manual_seed(seed)
            model = model_classes[name](len(pair.vocab)).to(device)
            reference = fit(model, pair.x.unsqueeze(0), pair.y, pair.vocab, epochs=epochs,
                            lr=lr, verbose=False)
        ours = torch.tensor(reference.losses)
        theirs = torch.tensor(history.losses)
        if fb.close(theirs, ours, 1e-3):
            continue
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


def _table_problem(table: Any, histories: Mapping[str, History], model_classes: Any,
                   vocab_size: int) -> Exception | None:
    task = 3
    if isinstance(table, Mapping) and not table:  # the table's cell stopped before filling it
        return fb.NotDone(task)
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
        if not (is_number(seconds) and 0 < seconds < 60):
            return fb.failure(task, f"{name}'s time per epoch is not a time.",
                            expected="seconds per epoch, a small number > 0",
                            found=repr(seconds),
                            hint="time.perf_counter() before and after fit(), divided by epochs.")
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
    device: str | torch.device = "cpu",
) -> None:
    """Task 3: each history is what ``fit`` gives for ``model_classes[name]`` built right after
    ``torch.manual_seed(seed)`` and trained ``epochs`` epochs with Adam ``lr`` and the mean
    cross-entropy; the table's parameter counts and converged epochs are right."""
    problem = _histories_problem(histories, model_classes, pair, seed=seed, epochs=epochs, lr=lr,
                                 device=device)
    if problem is not None:
        raise problem
    fb.passed(f"rnn, lstm and gru trained {epochs} epochs from seed {seed}, Adam lr={lr}: the "
            "losses match the lecture's settings")
    problem = _table_problem(table, histories, model_classes, len(pair.vocab))
    if problem is not None:
        raise problem
    counts = ", ".join(f"{n} {table[n]['parameters']:,}" for n in fb.NAMES)
    fb.passed(f"the table's parameter counts ({counts}), converged epochs and times")
    print("Task 3 passed.")
