import pytest
import torch
from torch import nn

from course_utils.text import make_pair
from course_utils.training import History, converged_epoch, fit


class TinyModel(nn.Module):
    def __init__(self, vocab_size: int, hidden_size: int = 8):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, inputs):
        out, _ = self.rnn(inputs)
        return self.head(out)


@pytest.mark.parametrize(
    "predictions, expected",
    [
        (["a", "b", "b"], 2),
        (["b", "a", "b"], 3),
        (["b", "b", "a"], None),
        (["b"], 1),
        ([], None),
    ],
)
def test_converged_epoch_needs_the_target_to_stay(predictions, expected):
    assert converged_epoch(predictions, "b") == expected


def test_history_summary_is_plain_and_rounded():
    history = History("ab", losses=[1.0, 0.123456789], predictions=["aa", "ab"])
    assert history.summary() == {"prediction": "ab", "target": "ab", "final_loss": 0.1235,
                                 "converged_epoch": 2}


def test_fit_learns_hello_to_ohlol(capsys):
    pair = make_pair("hello", "ohlol")
    torch.manual_seed(0)
    model = TinyModel(len(pair.vocab))
    history = fit(model, pair.x_one_hot.unsqueeze(1), pair.y, pair.vocab, epochs=30, lr=0.1)
    assert len(history.losses) == len(history.predictions) == 30
    assert history.prediction == "ohlol"
    assert history.converged_epoch is not None
    assert history.losses[-1] < history.losses[0]
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 30 and printed[0].startswith("epoch   1  loss ")


def test_fit_is_repeatable_and_quiet():
    pair = make_pair("hello", "ohlol")
    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        runs.append(fit(TinyModel(4), pair.x_one_hot.unsqueeze(1), pair.y, pair.vocab,
                        epochs=5, lr=0.05, verbose=False).losses)
    assert runs[0] == runs[1]


def test_sum_reduction_is_the_sum_of_step_losses():
    pair = make_pair("hello", "ohlol")
    losses = {}
    for reduction in ("mean", "sum"):
        torch.manual_seed(2)
        losses[reduction] = fit(TinyModel(4), pair.x_one_hot.unsqueeze(1), pair.y, pair.vocab,
                                epochs=1, lr=0.1, reduction=reduction, verbose=False).losses[0]
    assert losses["sum"] == pytest.approx(5 * losses["mean"], rel=1e-6)


def test_fit_rejects_bad_settings_and_shapes():
    pair = make_pair("hello", "ohlol")
    model = TinyModel(4)
    inputs = pair.x_one_hot.unsqueeze(1)
    with pytest.raises(AssertionError, match="epochs must be a whole number >= 1"):
        fit(model, inputs, pair.y, pair.vocab, epochs=0, lr=0.1)
    with pytest.raises(AssertionError, match="lr must be a number greater than 0"):
        fit(model, inputs, pair.y, pair.vocab, epochs=1, lr=0)
    with pytest.raises(ValueError, match="gave 4 rows of scores for 5 labels"):
        fit(model, inputs[:4], pair.y, pair.vocab, epochs=1, lr=0.1)
