"""course_utils.rounding: two computations of one training compared where rounding cannot
decide it; a correct one passes for every setting, a wrong one is caught."""

from __future__ import annotations

import pytest
import torch

from course_utils import rounding
from course_utils.models import CharModel
from course_utils.rounding import Agreement, compare_runs, rounding_safe_epochs
from course_utils.sweeps import sweep_batched
from course_utils.text import make_pair
from course_utils.training import History, fit

PAIR = make_pair("hello", "ohlol")


def trained(config: dict, seed: int, epochs: int, lr: float, *, dtype=torch.float32,
            reduction: str = "mean") -> History:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = CharModel(len(PAIR.vocab), **config).to(dtype)
    return fit(model, PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=epochs, lr=lr,
               reduction=reduction, verbose=False)


def sweep_agreement(config: dict, seed: int, epochs: int, lr: float, *, sweep_lr=None,
                    reduction: str = "mean") -> Agreement:
    """The sweep's run of ``seed`` (trained with ``sweep_lr``) against the model trained
    alone with ``lr``."""
    sweep = sweep_batched(config, PAIR, [seed], epochs=epochs, lr=sweep_lr or lr,
                          reduction=reduction)
    reference = trained(config, seed, epochs, lr, reduction=reduction)
    exact = trained(config, seed, epochs, lr, dtype=torch.float64, reduction=reduction)
    return compare_runs(reference, exact, sweep.losses[0], sweep.predictions[0])


EMBEDDING = {"embedding_size": 10, "num_layers": 2}


def test_a_smooth_run_is_compared_in_every_epoch():
    agreement = sweep_agreement({**EMBEDDING, "hidden_size": 8}, seed=0, epochs=15, lr=0.05)
    assert agreement == Agreement(epochs=15, compared=15)
    assert agreement.describe() == "yes, the same losses and predictions in all 15 epochs"


def test_a_chaotic_run_is_compared_until_rounding_decides_it():
    # Lesson 03 with hidden_size=256: the sweep and the model alone part by more than 1e-4
    # (the old fixed tolerance); rounding decides the run from some epoch on.
    agreement = sweep_agreement({**EMBEDDING, "hidden_size": 256}, seed=0, epochs=15, lr=0.5)
    assert agreement.same and 1 <= agreement.compared < 15
    assert agreement.describe() == (
        f"yes, the same losses and predictions in epochs 1-{agreement.compared}; from epoch "
        f"{agreement.compared + 1} on, rounding alone changes this run (its float64 twin goes "
        "elsewhere), so later epochs are not compared")


# A correct computation is never failed, whatever the setting: cells, sizes, learning rates.
# (Measured more widely by tools/bench/rounding.py: hidden sizes up to 512, 50 epochs.)
GRID = [(cell, hidden, lr) for cell in ("rnn", "lstm", "gru") for hidden in (1, 48)
        for lr in (0.5, 3.0)]


@pytest.mark.parametrize("cell, hidden, lr", GRID)
def test_the_sweep_always_agrees_with_the_model_trained_alone(cell, hidden, lr):
    for seed in (0, 1):
        agreement = sweep_agreement({**EMBEDDING, "cell": cell, "hidden_size": hidden},
                                    seed=seed, epochs=30, lr=lr)
        assert agreement.same, (seed, agreement)
        assert agreement.compared >= 1


def test_the_lecture_models_without_a_head_agree_too():
    onehot = {"embedding_size": None, "hidden_size": 4, "num_layers": 1, "head": False}
    for lr in (0.05, 0.5, 3.0):
        for reduction in ("mean", "sum"):
            assert sweep_agreement(onehot, 0, 30, lr, reduction=reduction).same


@pytest.mark.parametrize("factor", [1.5, 0.5])
def test_another_learning_rate_is_caught(factor):
    agreement = sweep_agreement({**EMBEDDING, "hidden_size": 8}, seed=0, epochs=15, lr=0.05,
                                sweep_lr=0.05 * factor)
    assert not agreement.same and agreement.first_difference <= 3
    assert agreement.describe().startswith(f"no: at epoch {agreement.first_difference} the "
                                           "reference has ")


def test_another_loss_reduction_is_caught_at_the_first_epoch():
    config = {"embedding_size": None, "hidden_size": 4, "num_layers": 1, "head": False}
    sweep = sweep_batched(config, PAIR, [0], epochs=15, lr=0.05, reduction="sum")
    reference = trained(config, 0, 15, 0.05)
    exact = trained(config, 0, 15, 0.05, dtype=torch.float64)
    agreement = compare_runs(reference, exact, sweep.losses[0], sweep.predictions[0])
    assert agreement.first_difference == 1
    assert agreement.expected.startswith("loss ") and agreement.found.startswith("loss ")


def history(losses, predictions) -> History:
    return History(target="ab", losses=list(losses), predictions=list(predictions))


def test_predictions_one_epoch_late_are_caught():
    reference = history([1.0, 0.5, 0.2], ["aa", "ba", "ab"])
    agreement = compare_runs(reference, reference, [1.0, 0.5, 0.2], ["aa", "aa", "ba"])
    assert agreement == Agreement(3, 3, 2, "prediction 'ba'", "prediction 'aa'")
    assert agreement.describe() == (
        "no: at epoch 2 the reference has prediction 'ba', the other run prediction 'aa'")


def test_a_shorter_run_differs_at_its_first_missing_epoch():
    reference = history([1.0, 0.5, 0.2], ["aa", "ba", "ab"])
    agreement = compare_runs(reference, reference, [1.0, 0.5], ["aa", "ba"])
    assert agreement == Agreement(3, 3, 3, "loss 0.2", "no such epoch")
    agreement = compare_runs(reference, reference, [1.0, 0.5, 0.2], ["aa", "ba"])
    assert agreement == Agreement(3, 3, 3, "prediction 'ab'", "no such epoch")


def test_the_thresholds_are_relative():
    reference = history([1.0, 3.0], ["aa", "ab"])
    near = history([1.0, 3.0 + 3.9 * rounding.SAFE], ["aa", "ab"])  # SAFE x (1 + 3) = 4 SAFE
    assert rounding_safe_epochs(reference, near) == 2
    far = history([1.0, 3.0 + 4.1 * rounding.SAFE], ["aa", "ab"])
    assert rounding_safe_epochs(reference, far) == 1
    assert rounding_safe_epochs(reference, history([1.0, 3.0], ["aa", "ba"])) == 1
    ok = compare_runs(reference, reference, [1.0 - 1.9 * rounding.TOLERANCE, 3.0], ["aa", "ab"])
    assert ok.same
    bad = compare_runs(reference, reference, [1.0 - 2.1 * rounding.TOLERANCE, 3.0],
                       ["aa", "ab"])
    assert bad.first_difference == 1


def test_where_rounding_decides_nothing_is_compared():
    reference = history([1.0, 0.5, 0.2], ["aa", "ba", "ab"])
    twin = history([1.0, 0.6, 0.2], ["aa", "ba", "ab"])  # parts at epoch 2
    agreement = compare_runs(reference, twin, [1.0, 9.0, 9.0], ["aa", "zz", "zz"])
    assert agreement == Agreement(3, 1)
    nothing = compare_runs(reference, history([2.0, 0.5, 0.2], ["aa", "ba", "ab"]),
                           [9.0, 9.0, 9.0], ["zz"] * 3)
    assert nothing == Agreement(3, 0)
    assert nothing.describe() == ("not compared: rounding alone changes this run from its first "
                                  "epoch (its float64 twin differs)")


def test_the_float64_run_must_be_as_long_as_the_reference():
    reference = history([1.0, 0.5], ["aa", "ba"])
    with pytest.raises(AssertionError, match="the float64 run has 1 epochs, the reference 2"):
        compare_runs(reference, history([1.0], ["aa"]), [1.0, 0.5], ["aa", "ba"])


class ZeroStateLSTM(torch.nn.Module):
    """A model as a student writes it: its zero initial state made with torch.zeros."""

    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(4, 3)
        self.lstm = torch.nn.LSTM(3, 5, batch_first=True)
        self.fc = torch.nn.Linear(5, 4)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), 5)
        out, _ = self.lstm(self.emb(x), (h0, torch.zeros_like(h0)))
        return self.fc(out).view(-1, 4)


def test_a_model_that_makes_its_own_zero_state_trains_in_float64_and_is_left_alone():
    torch.manual_seed(0)
    model = ZeroStateLSTM()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    exact = rounding.fit_in_float64(model, PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=5,
                                    lr=0.05)
    assert torch.get_default_dtype() == torch.float32
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert next(model.parameters()).dtype == torch.float32
    reference = fit(model, PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=5, lr=0.05,
                    verbose=False)
    assert rounding_safe_epochs(reference, exact) == 5
    assert exact.losses != reference.losses  # float64: not the float32 numbers


def test_the_default_type_comes_back_after_an_error():
    with pytest.raises(RuntimeError):  # one-hot rows where the embedding wants indices
        rounding.fit_in_float64(ZeroStateLSTM(), PAIR.x_one_hot, PAIR.y, PAIR.vocab, epochs=1,
                                lr=0.05)
    assert torch.get_default_dtype() == torch.float32


def test_a_float64_twin_given_as_a_function_is_trained_only_when_needed():
    reference = history([1.0, 0.5, 0.2], ["aa", "ba", "ab"])
    calls = []

    def twin():
        calls.append(1)
        return history([1.0, 0.6, 0.2], ["aa", "ba", "ab"])  # rounding decides from epoch 2

    assert compare_runs(reference, twin, [1.0, 0.5, 0.2], ["aa", "ba", "ab"]) == Agreement(3, 3)
    assert calls == []  # agrees everywhere: no float64 training
    assert compare_runs(reference, twin, [1.0, 9.0, 9.0], ["aa", "zz", "zz"]) == Agreement(3, 1)
    assert calls == [1]
    assert compare_runs(reference, twin, [2.0, 0.5, 0.2], ["aa", "ba", "ab"]).first_difference == 1
