"""Task 5: the seed sweep of the three models, its counts per budget, spot checks."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import torch

from course_utils.homework04 import feedback as fb
from course_utils.models import lecture_embedding_model
from course_utils.rounding import compare_runs, fit_in_float64
from course_utils.sweeps import BUDGETS, SweepResult
from course_utils.text import SequencePair
from course_utils.training import History, fit


def _sweep_problem(sweeps: Any, counts: Any, pair: SequencePair, *, sweep_seeds: int,
                   lr: float, spot_seeds: int) -> Exception | None:
    task = 5
    for what, value in (("sweeps", sweeps), ("counts", counts)):
        if isinstance(value, Mapping) and not value:  # its cell stopped before the first sweep
            return fb.unfinished(task, what)
    for what, value in (("sweeps", sweeps), ("counts", counts)):
        if not isinstance(value, Mapping) or set(value) != set(fb.NAMES):
            found = sorted(value) if isinstance(value, Mapping) else type(value).__name__
            return fb.failure(task, f"{what} must hold one entry per model.",
                            expected=f"a dict with keys {list(fb.NAMES)}", found=str(found),
                            hint=f"{what}[name] = ... for name in {list(fb.NAMES)}")
    last = max(BUDGETS)
    for name in fb.NAMES:
        result = sweeps[name]
        if not isinstance(result, SweepResult):
            return fb.failure(task, f"sweeps[{name!r}] is not a SweepResult.",
                            expected="what sweep_batched returns", found=type(result).__name__,
                            hint=f"sweep_batched({{'cell': {name!r}}}, pair, sweep_seeds, "
                                 f"epochs={last}, lr=lr)")
        if result.seeds != list(range(sweep_seeds)):
            return fb.failure(task, f"the {name} sweep used other seeds.",
                            expected=(f"seeds 0..{sweep_seeds - 1}" if sweep_seeds > 1 else
                                      "seed 0") + f" (sweep_seeds={sweep_seeds})",
                            found=fb.counted(len(result.seeds), "seed"), hint="pass the notebook's "
                            "sweep_seeds parameter as the seeds argument.")
        if result.epochs < last:
            return fb.failure(task, f"the {name} sweep is too short.",
                            expected=f"at least {last} epochs",
                            found=fb.counted(result.epochs, "epoch"),
                            hint=f"run ONE sweep of {last} epochs and read every budget from it "
                                 "with converged_by_budget.")
        if result.target != pair.target:
            return fb.failure(task, f"the {name} sweep learned another target.",
                            expected=repr(pair.target), found=repr(result.target),
                            hint="sweep the notebook's pair: sweep_batched(..., pair, ...).")
        want = result.converged_by_budget(list(BUDGETS))
        got = counts[name]
        if got != want:
            hint = f"counts[{name!r}] = sweeps[{name!r}].converged_by_budget({list(BUDGETS)})"
            if isinstance(got, Mapping) and all(
                    got.get(b) == result.converged(b) for b in BUDGETS):
                hint = ("converged(within) counts seeds right from some epoch <= within to the "
                        f"END of the {result.epochs}-epoch run; what a run of `within` epochs "
                        "would call converged is converged_by_budget.")
            return fb.failure(task, f"counts[{name!r}] is wrong.", expected=str(want),
                            found=repr(got), hint=hint)
        # Spot checks: a few seeds retrained one by one with the lecture's model and settings,
        # compared with the sweep where rounding cannot change a run (course_utils.rounding):
        # the batched sweep adds its numbers in another order, and a chaotic run (a large lr)
        # amplifies that until the two computations part, neither more right than the other.
        for seed in sorted({0, sweep_seeds - 1})[:spot_seeds]:
            with fb.quiet_training():
                torch.manual_seed(seed)
                model = lecture_embedding_model(len(pair.vocab), cell=name)
                alone = fit(copy.deepcopy(model), pair.x.unsqueeze(0), pair.y, pair.vocab,
                            epochs=last, lr=lr, verbose=False)

            def exact(model=model) -> History:  # the float64 twin, trained only if needed
                with fb.quiet_training():
                    return fit_in_float64(model, pair.x.unsqueeze(0), pair.y, pair.vocab,
                                          epochs=last, lr=lr)

            index = result.seeds.index(seed)
            agreement = compare_runs(alone, exact, result.losses[index][:last],
                                     result.predictions[index][:last])
            if agreement.same:
                continue
            epoch = agreement.first_difference
            if agreement.expected.startswith("loss"):
                return fb.failure(
                    task, f"seed {seed} of the {name} sweep is not the lecture's {name} model "
                    "with the lecture's settings.",
                    expected=f"{agreement.expected} at epoch {epoch}",
                    found=agreement.found,
                    hint=f"sweep {{'cell': {name!r}}} (Embedding({len(pair.vocab)}, 10) -> "
                         f"{name.upper()}(10, 8, num_layers=2) -> Linear(8, {len(pair.vocab)})) "
                         "with lr=lr and the default mean loss.")
            # The counts are read from the predictions, so they must be the model's too.
            predictions = result.predictions[index]
            return fb.failure(
                task, f"seed {seed} of the {name} sweep predicts other texts than the "
                f"lecture's {name} model trained alone.",
                expected=f"{agreement.expected.removeprefix('prediction ')} after epoch {epoch}",
                found=(agreement.found.removeprefix("prediction ") if epoch <= len(predictions)
                       else f"{len(predictions)} predictions"),
                hint="keep the predictions that sweep_batched returns, one per epoch after that "
                     "epoch's step: converged_by_budget counts from them.")
    return None


def check_task5(
    sweeps: Mapping[str, SweepResult],
    counts: Mapping[str, Mapping[int, int]],
    pair: SequencePair,
    *,
    sweep_seeds: int,
    lr: float,
    spot_seeds: int = 2,
) -> None:
    """Task 5: one sweep per model over seeds ``0..sweep_seeds-1`` of at least 50 epochs, the
    counts read with ``converged_by_budget((15, 30, 50))``, and ``spot_seeds`` seeds of each
    sweep equal to the lecture's model trained alone with ``lr``."""
    problem = _sweep_problem(sweeps, counts, pair, sweep_seeds=sweep_seeds, lr=lr,
                             spot_seeds=spot_seeds)
    if problem is not None:
        raise problem
    for name in fb.NAMES:
        fb.passed(f"{name}: {fb.counted(sweep_seeds, 'seed')} x "
                  f"{fb.counted(sweeps[name].epochs, 'epoch')}, converged within "
                + ", ".join(f"{b}: {counts[name][b]}" for b in BUDGETS))
    fb.passed("spot checks: seeds trained one by one match their sweeps")
    print("Task 5 passed.")
