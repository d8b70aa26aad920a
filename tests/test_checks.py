"""The homework checks accept the solution and reject typical wrong answers with a useful hint.

The solutions of tasks 1, 2 and 4 are taken from the solution notebook itself (its task cells are
executed here), so these tests check what instructors hand out.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import time
import traceback

import nbformat
import pytest
import torch
from torch import nn
from torch.nn import GRUCell

from course_utils.homework04 import (
    CheckFailed,
    NotDone,
    check_task1,
    check_task2,
    check_task3,
    check_task4,
    check_task5,
)
from course_utils.homework04 import task3 as task3_module
from course_utils.models import lecture_embedding_model
from course_utils.repro import cpu_threads
from course_utils.sweeps import BUDGETS, SweepResult, sweep_batched
from course_utils.text import make_pair
from course_utils.training import History, fit
from tools.paths import ROOT

SOLUTION = ROOT / "solutions" / "04_homework_lstm_gru.ipynb"
PAIR = make_pair("hello", "ohlol")


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    # Tiny models: a second thread only adds waiting, a lot of it on a busy machine.
    with cpu_threads(1):
        yield


@pytest.fixture(scope="module")
def solution():
    """The names that the solution notebook's cells for tasks 1, 2 and 4 define."""
    nb = nbformat.read(SOLUTION, as_version=4)
    namespace = {"nn": nn, "torch": torch, "NotDone": NotDone}
    for cell in nb.cells:
        if cell.metadata.get("course", {}).get("task") in (1, 2, 4):
            exec(compile(cell.source, str(SOLUTION), "exec"), namespace)  # noqa: S102
    return namespace


def raised_in(err: BaseException) -> str:
    """The name of the function that raised ``err`` (its last traceback frame). Under `make
    mutation` each function is run through a copy named ``x_<name>__mutmut_<n>``: the name
    is read back from it, so that these tests pass on the mutants that do not change it."""
    name = traceback.extract_tb(err.__traceback__)[-1].name
    return re.sub(r"^x_(.*)__mutmut_\w+$", r"\1", name)


# The whole message of every rejection in this file, as a student reads it (numbers with a
# decimal point replaced by #: their last digits may differ between CPUs). A changed message
# fails its test; after a deliberate change: UPDATE_CHECK_MESSAGES=1 pytest -n 0 this file.
MESSAGES_FILE = ROOT / "tests" / "check_messages.json"
MESSAGES = json.loads(MESSAGES_FILE.read_text(encoding="utf-8")) if MESSAGES_FILE.exists() else {}
_calls: dict[str, int] = {}


def same_message_as_stored(message: str) -> None:
    test = os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0]
    _calls[test] = _calls.get(test, 0) + 1
    key = f"{test} #{_calls[test]}"
    text = re.sub(r"\d+\.\d+(?:e[-+]?\d+)?", "#", message)
    if os.environ.get("UPDATE_CHECK_MESSAGES"):
        stored = json.loads(MESSAGES_FILE.read_text(encoding="utf-8")) if (
            MESSAGES_FILE.exists()) else {}
        stored[key] = text
        MESSAGES_FILE.write_text(json.dumps(stored, indent=1, sort_keys=True,
                                            ensure_ascii=False) + "\n", encoding="utf-8")
        return
    assert key in MESSAGES, f"{key}: no stored message; UPDATE_CHECK_MESSAGES=1 stores it"
    assert text == MESSAGES[key]


@pytest.fixture(autouse=True)
def _count_rejections_per_test():
    _calls.clear()


@pytest.fixture(autouse=True)
def _no_error_shown_yet(monkeypatch):
    # The checks read the last error that the notebook showed, which IPython keeps in
    # sys.last_value and sys.last_exc; pytest sets them too, after a failed test.
    for name in ("last_exc", "last_value", "last_type", "last_traceback"):
        monkeypatch.delattr(sys, name, raising=False)


def error_shown(monkeypatch, err):
    """As IPython does when a cell raises ``err``."""
    for name in ("last_exc", "last_value"):
        monkeypatch.setattr(sys, name, err, raising=False)


def rejects(check, *args, match: str, **kwargs) -> str:
    """Run a check that must fail; return its message after checking its form and comparing it
    with the stored one."""
    with pytest.raises(CheckFailed) as info:
        check(*args, **kwargs)
    message = str(info.value)
    same_message_as_stored(message)
    for part in ("expected:", "found:", "hint:"):
        assert part in message, message
    assert match in message, message
    assert len(message.splitlines()) <= 6, "the message must stay short"
    # The exception is raised by the check itself, not from deep inside a helper or PyTorch.
    assert raised_in(info.value).startswith("check_task")
    return message


# ----------------------------------------------------------------------------------------
# NotDone


def test_not_done_says_which_task_and_what_to_do():
    err = NotDone(3)
    assert isinstance(err, NotImplementedError)  # what nbgrader's own stubs raise
    # Neutral about the stub: `raise NotDone(3)` here, `raise NotImplementedError()` in the
    # version that nbgrader's generate_assignment makes.
    assert str(err) == ("Task 3 is not done yet: a cell of task 3 still raises where your code "
                        "goes. Replace that `raise ...` line with your code, run the task's "
                        "cells, then run this check again.")
    assert err.task == 3
    assert "NotDone(" not in str(err)
    with pytest.raises(AssertionError, match="task must be the task's number"):
        NotDone(0)


class Stub(nn.Module):
    def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
        super().__init__()
        raise NotDone(1)


class StubForward(nn.Module):  # __init__ written, forward not yet
    def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim)
        self.gru = nn.GRU(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x):
        raise NotDone(2)


@pytest.mark.parametrize(("check", "model", "task"),
                         [(check_task1, Stub, 1), (check_task2, StubForward, 2)])
def test_an_unfinished_model_stops_at_its_check(check, model, task, capsys):
    with pytest.raises(NotDone, match=f"Task {task} is not done yet") as info:
        check(model)
    assert raised_in(info.value) == check.__name__
    assert info.value.__context__ is None  # no "during handling of ..." chain
    assert capsys.readouterr().out.count("[PASS]") == (0 if task == 1 else 3)


# ----------------------------------------------------------------------------------------
# Tasks 1 and 2


class Model(nn.Module):
    """A configurable Embedding -> recurrent -> Linear model with switchable mistakes."""

    kind = nn.LSTM
    mistake = None

    def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
        super().__init__()
        sizes = (10, 8, 2) if self.mistake == "fixed sizes" else (
            embedding_dim, hidden_size, num_layers)
        if self.mistake == "fc first":  # registered in the right order, created in another
            head = nn.Linear(sizes[1], vocab_size)
        self.embedding = nn.Embedding(vocab_size, 10 if self.mistake == "embedding of 10" else
                                      sizes[0])
        self.rnn = self.kind(sizes[0], sizes[1], num_layers=sizes[2],
                             batch_first=not self.mistake or "no batch_first" not in self.mistake,
                             dropout=2.0 if self.mistake == "dropout 2" else 0.0)
        if self.mistake == "random init":  # something else random in __init__
            torch.randn(3)
        self.head = head if self.mistake == "fc first" else nn.Linear(sizes[1], vocab_size)

    def forward(self, x):
        out = self.scores(x)
        if self.mistake in ("extra dimension", "tuple", "no head", "last step", "h_n",
                            "embedding only"):
            return out  # the shape is the mistake
        if self.mistake == "list":
            return out.reshape(-1, self.head.out_features).tolist()
        if self.mistake == "transposed":
            return out.reshape(-1, self.head.out_features).T
        if self.mistake == "tanh":
            return torch.tanh(out.reshape(-1, self.head.out_features))
        return out.reshape(-1, self.head.out_features)  # (batch * seq_len, num_class)

    def scores(self, x):
        v = self.embedding(x)
        layers, batch, hidden = self.rnn.num_layers, x.shape[0], self.rnn.hidden_size
        if self.mistake == "no c0":
            return self.head(self.rnn(v, torch.zeros(layers, batch, hidden))[0])
        if self.mistake in ("h0 batch first", "no batch_first, h0 batch first"):
            h0 = torch.zeros(batch, layers, hidden)
            return self.head(self.rnn(v, (h0, h0) if self.kind is nn.LSTM else h0)[0])
        if self.mistake == "no batch_first, h0":  # the state as asked, the layer not
            h0 = torch.zeros(layers, batch, hidden)
            return self.head(self.rnn(v, (h0, h0) if self.kind is nn.LSTM else h0)[0])
        if self.mistake == "random h0":
            h0 = torch.randn(layers, batch, hidden)
            state = (h0, torch.randn(layers, batch, hidden)) if self.kind is nn.LSTM else h0
            return self.head(self.rnn(v, state)[0])
        if self.mistake == "h_n":  # the last state of each layer, not every step's output
            h_n = self.rnn(v)[1]
            return self.head(h_n[0] if self.kind is nn.LSTM else h_n)
        if self.mistake == "embedding only":
            return v
        if self.mistake == "tuple":
            return self.rnn(v)
        if self.mistake == "not unpacked":  # x = self.lstm(x, (h0, c0)); self.fc(x)
            return self.head(self.rnn(v))
        if self.mistake == "not unpacked, view":
            return self.rnn(v).view(-1, 4)
        if self.mistake == "pair for the GRU":
            h0 = torch.zeros(layers, batch, hidden)
            return self.head(self.rnn(v, (h0, h0))[0])
        if self.mistake == "extra dimension":  # (batch, seq_len, num_class), not flattened
            return self.head(self.rnn(v)[0])
        if self.mistake == "no head":
            return self.rnn(v)[0]
        if self.mistake == "state not carried":
            return self.head(torch.cat([self.rnn(v[:, t:t + 1])[0] for t in range(x.shape[1])],
                                       dim=1))
        if self.mistake == "softmax":
            return torch.softmax(self.head(self.rnn(v)[0]), dim=-1)
        if self.mistake == "log_softmax":
            return torch.log_softmax(self.head(self.rnn(v)[0]), dim=-1)
        if self.mistake == "last step":
            return self.head(self.rnn(v)[0][:, -1])
        if self.mistake == "detached embedding":  # right values, no gradient for the embedding
            return self.head(self.rnn(v.detach())[0])
        if self.mistake == "linear from .data":  # right values, no gradient for the head
            return nn.functional.linear(self.rnn(v)[0], self.head.weight.data, self.head.bias)
        return self.head(self.rnn(v)[0])


def variant(kind, mistake):
    return type(f"Wrong{kind.__name__}", (Model,), {"kind": kind, "mistake": mistake})


def test_task1_and_task2_accept_the_solution(solution, capsys):
    check_task1(solution["LSTMModel"])
    check_task2(solution["GRUModel"])
    out = capsys.readouterr().out
    assert out.count("[PASS]") == 12
    assert "1,292 parameters" in out and "988 parameters" in out
    assert "Task 1 passed." in out and "Task 2 passed." in out
    same_message_as_stored(out)  # every line, as the student reads it


def test_a_callable_without_a_name_is_named_by_its_type(capsys):
    check_task1(functools.partial(variant(nn.LSTM, None)))
    assert "[PASS] partial(4) is Embedding(4, 10) -> LSTM(10, 8, num_layers=2)" in (
        capsys.readouterr().out)


def test_task1_accepts_a_correct_model_written_differently():
    check_task1(variant(nn.LSTM, None))


@pytest.mark.parametrize(("mistake", "hint"), [
    ("no c0", "Did you forget c0?"),
    ("tuple", "nn.LSTM returns (output, (h_n, c_n))"),
    ("no head", "apply the Linear layer"),
    ("last step", "the last step only"),
    ("no batch_first", "batch_first=True"),
    ("state not carried", "not carried from step to step"),
    ("fixed sizes", "not from fixed numbers"),
    ("h0 batch first", "batch_first=True changes the input and output only"),
])
def test_task1_rejects_typical_mistakes(mistake, hint):
    rejects(check_task1, variant(nn.LSTM, mistake), match=hint)


@pytest.mark.parametrize("kind", [nn.LSTM, nn.GRU])
def test_not_unpacking_the_result_is_not_called_a_missing_c0(kind):
    # Each mistake its own hint: "tuple" in an error message is not enough to tell them apart.
    check = check_task1 if kind is nn.LSTM else check_task2
    result = "(output, (h_n, c_n))" if kind is nn.LSTM else "(output, h_n)"
    for mistake in ("not unpacked", "not unpacked, view"):
        message = rejects(check, variant(kind, mistake), match=f"returns a tuple {result}: "
                          "unpack it")
        assert "c0" not in message
    if kind is nn.LSTM:
        message = rejects(check, variant(kind, "no c0"), match="Did you forget c0?")
        assert "unpack" not in message
    else:
        rejects(check, variant(kind, "pair for the GRU"), match="nn.GRU's state is one tensor "
                "h0, not a pair")


@pytest.mark.parametrize("check", [check_task1, check_task2])
def test_a_shape_with_an_extra_dimension_does_not_pass(check, capsys):
    kind = nn.LSTM if check is check_task1 else nn.GRU
    message = rejects(check, variant(kind, "extra dimension"), match="flatten the scores")
    assert "found:    shape (1, 5, 4)" in message
    assert "scores have" not in capsys.readouterr().out  # no [PASS] line about the shape


@pytest.mark.parametrize("check", [check_task1, check_task2])
def test_the_layers_must_be_created_in_the_order_of_the_task(check):
    kind = nn.LSTM if check is check_task1 else nn.GRU
    message = rejects(check, variant(kind, "fc first"), match="other weights after "
                      "torch.manual_seed(s), and every seeded result of this notebook")
    assert f"found:    the layers created in the order linear, embedding, {kind.__name__}" in (
        message)
    message = rejects(check, variant(kind, "random init"), match="not created in the order")
    assert "found:    other initial weights than the order embedding" in message


def test_task1_rejects_a_gru_an_instance_and_a_bad_constructor(solution):
    rejects(check_task1, solution["GRUModel"], match="exactly one nn.LSTM")
    rejects(check_task1, solution["LSTMModel"](4), match="pass the class, not a model")

    class NoSizes(nn.Module):  # sizes written in, not taken as arguments
        def __init__(self, vocab_size):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, 10)
            self.lstm = nn.LSTM(10, 8, num_layers=2, batch_first=True)
            self.head = nn.Linear(8, vocab_size)

    rejects(check_task1, NoSizes, match="embedding_size=10, hidden_size=8, num_layers=2")


@pytest.mark.parametrize(("mistake", "hint"), [
    ("random h0", "must be zeros"),
    ("softmax", "return raw scores"),
    ("log_softmax", "return raw scores: CrossEntropyLoss applies (log-)softmax itself."),
    ("no batch_first", "batch_first=True"),
    ("tuple", "nn.GRU returns (output, h_n)"),
])
def test_task2_rejects_typical_mistakes(mistake, hint):
    rejects(check_task2, variant(nn.GRU, mistake), match=hint)


@pytest.mark.parametrize("check", [check_task1, check_task2])
def test_a_model_whose_parameters_get_no_gradient_does_not_pass(check, capsys):
    kind = nn.LSTM if check is check_task1 else nn.GRU
    message = rejects(check, variant(kind, "detached embedding"),
                      match="some parameters get no gradient")
    assert "found:    none for ['embedding.weight']" in message
    message = rejects(check, variant(kind, "linear from .data"),
                      match="don't detach tensors or use .data in forward")
    assert "found:    none for ['head.weight']" in message
    out = capsys.readouterr().out
    assert "scores = Linear(" in out  # the values were right: only the gradients are wrong
    assert "gradients reach all" not in out and "passed." not in out


def test_the_recurrent_layers_found_are_named(capsys):
    class Cells(nn.Module):  # an LSTMCell loop instead of nn.LSTM: that comes in task 4
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embedding_dim)
            self.cell = nn.LSTMCell(embedding_dim, hidden_size)
            self.head = nn.Linear(hidden_size, vocab_size)

    message = rejects(check_task1, Cells, match="Cells needs exactly one nn.LSTM layer.")
    assert "found:    recurrent layers: LSTMCell" in message
    assert "hint:     use nn.LSTM, which runs the whole sequence (cells come in task 4)." in (
        message)

    class NoRecurrence(Cells):
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            nn.Module.__init__(self)
            self.embedding = nn.Embedding(vocab_size, embedding_dim)
            self.head = nn.Linear(embedding_dim, vocab_size)

    message = rejects(check_task2, NoRecurrence, match="needs exactly one nn.GRU layer.")
    assert "found:    recurrent layers: none" in message
    assert "hint:     this task is about nn.GRU: self.rnn = nn.GRU(...)." in message

    class TwoLayers(Cells):
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            nn.Module.__init__(self)
            self.embedding = nn.Embedding(vocab_size, embedding_dim)
            self.first = nn.GRU(embedding_dim, hidden_size, batch_first=True)
            self.second = nn.LSTM(hidden_size, hidden_size, batch_first=True)
            self.head = nn.Linear(hidden_size, vocab_size)

    message = rejects(check_task2, TwoLayers, match="needs exactly one nn.GRU layer.")
    assert "found:    recurrent layers: GRU, LSTM" in message


def test_an_error_in_the_students_code_is_shown_short_on_one_line():
    from course_utils.homework04.feedback import short

    class Broken(Model):
        def forward(self, x):
            raise RuntimeError("first line\n   second   line " + "x" * 200)

    message = rejects(check_task1, Broken, match="Broken's forward raised an error.")
    found = next(line.strip() for line in message.splitlines() if "found:" in line)
    assert found == "found:    RuntimeError: first line second line " + "x" * 137 + "..."
    assert short(ValueError("a" * 160)) == "ValueError: " + "a" * 160  # at the limit: whole
    assert short(ValueError("a" * 161)) == "ValueError: " + "a" * 160 + "..."
    assert short(KeyError("k"), limit=3) == "KeyError: 'k'"
    assert short(KeyboardInterrupt()) == "KeyboardInterrupt"  # no message: no colon


@pytest.mark.parametrize("kind", [nn.LSTM, nn.GRU])
def test_a_forgotten_batch_first_with_h0_passed_gets_the_batch_first_hint(kind):
    # Without batch_first the layer reads (batch=1, seq_len=5) as 1 step of 5 sequences, so the
    # asked-for h0 (num_layers, batch, hidden_size) has "the wrong shape": the layer is wrong.
    check = check_task1 if kind is nn.LSTM else check_task2
    state = "(h0, c0)" if kind is nn.LSTM else "h0"
    message = rejects(check, variant(kind, "no batch_first, h0"),
                      match=f"hint:     nn.{kind.__name__} was built without batch_first=True, so "
                            f"it reads your (batch, seq_len) input as (seq_len, batch) and wants "
                            f"{state} of shape (num_layers, seq_len, hidden_size): build it with "
                            f"batch_first=True; {state} stays (num_layers, batch, hidden_size).")
    assert "never the hidden state" not in message
    # Both wrong: the state's shape first (it stays wrong with batch_first=True).
    rejects(check, variant(kind, "no batch_first, h0 batch first"),
            match=f"hint:     {state} must be (num_layers, batch, hidden_size): batch_first=True "
                  "changes the input and output only, never the hidden state.")
    # The check tries the layer with batch_first=True, then puts it back as it was.
    from course_utils.homework04 import task1_2

    model = variant(kind, "no batch_first, h0")(4)
    _, problem = task1_2._forward(1, model, "M", torch.tensor([[1, 0, 2, 2, 3]]), kind.__name__)
    assert "was built without batch_first=True" in str(problem)
    assert model.rnn.batch_first is False


def test_a_state_of_the_wrong_shape_names_the_state_of_each_layer():
    lstm = rejects(check_task1, variant(nn.LSTM, "h0 batch first"), match="batch_first=True")
    assert ("hint:     (h0, c0) must be (num_layers, batch, hidden_size): batch_first=True "
            "changes the input and output only, never the hidden state.") in lstm
    gru = rejects(check_task2, variant(nn.GRU, "h0 batch first"), match="batch_first=True")
    assert ("hint:     h0 must be (num_layers, batch, hidden_size): batch_first=True "
            "changes the input and output only, never the hidden state.") in gru


@pytest.mark.parametrize(("check", "mistake", "hint"), [
    (check_task1, "list", "end forward with `return scores`."),
    (check_task1, "h_n", "this looks like h_n (one row per layer): use `output`, the top "
                         "layer's hidden state at every step, not h_n."),
    (check_task2, "h_n", "this looks like h_n"),
    (check_task1, "embedding only", "print the shape after each layer of your forward"),
    (check_task2, "transposed", "print the shape after each layer of your forward"),
    (check_task1, "random h0", "the initial state (h0, c0) must be zeros"),
    (check_task2, "random h0", "the initial state h0 must be zeros"),
    (check_task1, "tanh", "forward should be: embedding, then nn.LSTM (keep its output, a zero "
                          "initial state), then the Linear layer; nothing else (no activation)."),
    (check_task1, "dropout 2", "WrongLSTM(4) raised an error."),
    (check_task1, "embedding of 10", "found:    Embedding(6, 10) -> LSTM(5, 7, num_layers=1)"),
])
def test_each_mistake_gets_its_own_hint(check, mistake, hint):
    kind = nn.LSTM if check is check_task1 else nn.GRU
    rejects(check, variant(kind, mistake), match=hint)


def test_the_class_must_be_a_module_and_passed_as_itself():
    class Plain:  # forgot nn.Module
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            pass

    rejects(check_task1, Plain, match="Plain(4) is not a PyTorch module.")
    rejects(check_task2, "GRUModel", match="found:    'GRUModel'")

    class TwoHeads(Model):  # one Embedding, two Linear
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            super().__init__(vocab_size, embedding_dim, hidden_size, num_layers)
            self.extra = nn.Linear(vocab_size, vocab_size)

    rejects(check_task1, TwoHeads, match="found:    1 Embedding, 2 Linear")


def test_an_error_inside_pytorchs_layer_is_told_apart_on_windows_paths_too(monkeypatch):
    from course_utils.homework04 import layers

    def raised_at(filename):
        frame = traceback.FrameSummary(filename, 1, "forward")
        monkeypatch.setattr(layers.traceback, "extract_tb", lambda tb: [frame])
        return layers._raised_inside_layer(RuntimeError("hx and cx"))

    site = r"C:\Users\student\AppData\Local\Programs\Python\Lib\site-packages"
    assert raised_at(site + r"\torch\nn\modules\rnn.py")
    assert raised_at("/usr/lib/python3/site-packages/torch/nn/modules/rnn.py")
    assert not raised_at(r"C:\Users\student\homework\rnn.py")
    assert not raised_at(site + r"\torch\nn\modules\linear.py")


def test_errors_inside_the_layer_get_hints_whatever_the_pytorch_version(monkeypatch):
    from course_utils.homework04 import layers, task1_2

    inside = traceback.FrameSummary("/site-packages/torch/nn/modules/rnn.py", 1, "forward")
    monkeypatch.setattr(layers.traceback, "extract_tb", lambda tb: [inside])

    def hint(text, kind):
        return task1_2._forward_hint(RuntimeError(text), "M", kind, False)

    # A state that is one tensor where nn.LSTM wants a pair, as PyTorch versions word it:
    for text in ("For batched 3-D input, hx and cx should also be 3-D",
                 "Expected hx to be a tuple of (h, c), got Tensor"):
        assert hint(text, "LSTM").endswith("Did you forget c0?"), text
    # Sizes of the input, not of the state: no hint about the state's shape.
    general = "run `M(4)(torch.tensor([[1, 0, 2, 2, 3]]))` in a new cell to see the traceback."
    assert hint("input.size(-1) must be equal to input_size. Expected 10, got 12", "GRU") == (
        general)
    assert hint("Expected hidden size (2, 1, 8), got [1, 2, 8]", "GRU").startswith(
        "h0 must be (num_layers, batch, hidden_size)")


def test_task2_rejects_the_lstm_model(solution):
    rejects(check_task2, solution["LSTMModel"], match="exactly one nn.GRU")


# ----------------------------------------------------------------------------------------
# Task 3


def train(model_class, *, seed=0, epochs=15, lr=0.05, reduction="mean"):
    torch.manual_seed(seed)
    start = time.perf_counter()
    history = fit(model_class(4), PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=epochs, lr=lr,
                  reduction=reduction, verbose=False)
    return history, (time.perf_counter() - start) / epochs


@pytest.fixture(scope="module")
def classes(solution):
    return {"rnn": variant(nn.RNN, None), "lstm": solution["LSTMModel"],
            "gru": solution["GRUModel"]}


def table_of(histories, seconds, classes):
    return {name: {"parameters": sum(p.numel() for p in classes[name](4).parameters()),
                   "converged_epoch": histories[name].converged_epoch,
                   "seconds_per_epoch": seconds[name]} for name in classes}


@pytest.fixture(scope="module")
def task3(classes):
    train(classes["rnn"])  # warm-up, as in the notebook: a first run pays one-time costs
    runs = {name: train(cls) for name, cls in classes.items()}
    histories = {name: h for name, (h, _) in runs.items()}
    return histories, table_of(histories, {n: s for n, (_, s) in runs.items()}, classes)


def run_check3(histories, table, classes, train_one=None, **settings):
    settings = {"seed": 0, "epochs": 15, "lr": 0.05, **settings}
    if train_one is None:  # the solution's train_one with these settings
        train_one = functools.partial(train, **{k: settings[k] for k in ("seed", "epochs", "lr")})
    return check_task3(histories, table, classes, PAIR, train_one=train_one, **settings)


def test_task3_accepts_the_solution(task3, classes, capsys):
    run_check3(*task3, classes)
    out = capsys.readouterr().out
    assert "rnn 380, lstm 1,292, gru 988" in out and "Task 3 passed." in out
    same_message_as_stored(out)  # every line, and nothing printed by the reference training


def test_task3_trains_its_reference_on_the_notebooks_device(task3, classes, monkeypatch):
    devices = []
    move = nn.Module.to

    def spy(module, *args, **kwargs):
        devices.append(args[0] if args else kwargs.get("device"))
        return move(module, *args, **kwargs)

    monkeypatch.setattr(nn.Module, "to", spy)
    run_check3(*task3, classes, device="cpu")
    assert devices and set(devices) == {"cpu"}


def test_task3_rejects_histories_of_the_wrong_kind(task3, classes):
    histories, table = task3
    rejects(run_check3, list(histories.values()), table, classes,
            match="histories must hold one History per model.\n  expected: a dict with keys "
                  "['rnn', 'lstm', 'gru']\n  found:    list\n  hint:     histories[name] = the "
                  "History that fit() returns.")
    rejects(run_check3, {"rnn": histories["rnn"]}, table, classes, match="found:    ['rnn']")
    rejects(run_check3, dict(histories, lstm=histories["lstm"].losses), table, classes,
            match="histories['lstm'] is not a History.\n  expected: the History returned by "
                  "fit()\n  found:    list\n  hint:     keep what fit(...) returns.")
    other = History("lohol", histories["gru"].losses, histories["gru"].predictions)
    rejects(run_check3, dict(histories, gru=other), table, classes,
            match="gru learned another target.\n  expected: 'ohlol'\n  found:    'lohol'\n"
                  "  hint:     train on (inputs, labels), the notebook's pair.")


def test_task3_calls_a_loss_a_sum_only_when_it_is_five_times_the_mean(task3, classes):
    histories, table = task3
    gru = histories["gru"]
    tripled = History(gru.target, [3 * v for v in gru.losses], gru.predictions)
    message = rejects(run_check3, dict(histories, gru=tripled), table, classes,
                      match="the first epoch differs")
    assert "SUM" not in message
    # The losses are shown rounded to 4 decimals, as the lecture prints them.
    decimals = [len(d) for d in re.findall(r"\d\.(\d+)", message)]
    assert decimals and max(decimals) <= 4


@pytest.mark.parametrize(("change", "hint"), [
    ({"lr": 0.1}, "same start, different path"),
    ({"reduction": "sum"}, "SUM over the 5 steps"),
    ({"epochs": 10}, "trained for the wrong number of epochs"),
    ({"seed": 3}, "call torch.manual_seed(seed) right before building EACH model"),
])
def test_task3_rejects_training_with_other_settings(task3, classes, change, hint):
    histories = dict(task3[0])
    histories["gru"] = train(classes["gru"], **change)[0]
    rejects(run_check3, histories, task3[1], classes, match=hint)


def test_task3_rejects_models_built_without_reseeding(classes, task3):
    torch.manual_seed(0)  # once, before all three: each model gets other initial weights
    histories = {name: fit(cls(4), PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=15,
                           lr=0.05, verbose=False) for name, cls in classes.items()}
    rejects(run_check3, histories, task3[1], classes, match="initial weights differ")


def test_task3_unfinished_stops_with_not_done(task3, classes, monkeypatch):
    # The task's cell stopped at its stub: the dicts it fills are still empty.
    error_shown(monkeypatch, NotDone(3))
    stub = str(NotDone(3))
    with pytest.raises(NotDone) as info:
        run_check3({}, {}, classes)
    assert str(info.value) == stub
    with pytest.raises(NotDone) as info:
        run_check3(task3[0], {}, classes)  # trained, the table's cell not done
    assert str(info.value) == stub


def test_task3_an_error_in_the_students_code_is_not_called_a_stub(task3, classes, monkeypatch):
    error_shown(monkeypatch, NameError("name 'vocab_sise' is not defined"))
    with pytest.raises(NotDone) as info:
        run_check3({}, {}, classes)
    message = str(info.value)
    same_message_as_stored(message)
    assert message.startswith("Task 3 is not done yet: the task 3 cell that fills `histories` "
                              "stopped before filling it: fix the error it shows")
    assert message.endswith("(the last error in this notebook: NameError: name 'vocab_sise' is "
                            "not defined).")
    assert "raise ..." not in message
    with pytest.raises(NotDone) as info:
        run_check3(task3[0], {}, classes)
    assert "the task 3 cell that fills `table` stopped before filling it" in str(info.value)


def test_task3_rejects_a_wrong_table(task3, classes):
    histories, table = task3
    wrong = {name: dict(row) for name, row in table.items()}
    wrong["lstm"]["parameters"] = 4 * 380  # "4 times an RNN", forgetting the embedding and head
    rejects(run_check3, histories, wrong, classes, match="parameter count is wrong")
    wrong = {name: dict(row) for name, row in table.items()}
    wrong["gru"]["converged_epoch"] = 15
    rejects(run_check3, histories, wrong, classes, match="history.converged_epoch")
    rejects(run_check3, histories, {"rnn": table["rnn"]}, classes, match="one row per model")
    # A table built as a list of rows, and rows with other columns:
    rows = [dict(row, model=name) for name, row in table.items()]
    rejects(run_check3, histories, rows, classes, match=f"found:    {rows}")
    missing = dict(table, gru={k: v for k, v in table["gru"].items() if k != "seconds_per_epoch"})
    rejects(run_check3, histories, missing, classes,
            match="table['gru'] has the wrong columns.\n  expected: ['parameters', "
                  "'converged_epoch', 'seconds_per_epoch']\n  found:    ['converged_epoch', "
                  "'parameters']\n  hint:     one dict per model with exactly these keys.")
    as_list = dict(table, rnn=list(table["rnn"].values()))
    rejects(run_check3, histories, as_list, classes, match=f"found:    {as_list['rnn']}")


@pytest.mark.parametrize("seconds", [0, -0.01, float("nan"), "0.01", None, True])
def test_task3_rejects_a_time_per_epoch_that_is_not_a_time(task3, classes, seconds):
    histories, table = task3
    wrong = {name: dict(row) for name, row in table.items()}
    wrong["lstm"]["seconds_per_epoch"] = seconds
    message = rejects(run_check3, histories, wrong, classes, match="lstm's time per epoch is not "
                      "a time")
    assert f"found:    {seconds!r}" in message


def seeds_after_building(model_class, seed=0, epochs=15, lr=0.05):
    model = model_class(4)  # built from whatever random state the last cell left
    torch.manual_seed(seed)
    start = time.perf_counter()
    history = fit(model, PAIR.x.unsqueeze(0), PAIR.y, PAIR.vocab, epochs=epochs, lr=lr,
                  verbose=False)
    return history, (time.perf_counter() - start) / epochs


def test_task3_rejects_a_train_one_that_seeds_after_building(classes):
    # As in the notebook: the warm-up call leaves the generator right after
    # torch.manual_seed(seed) (fit draws no random numbers), so every model of the loop gets
    # the seeded weights all the same, and the histories are the lecture's.
    with torch.random.fork_rng():
        torch.manual_seed(123)
        seeds_after_building(classes["rnn"])  # the warm-up
        runs = {name: seeds_after_building(cls) for name, cls in classes.items()}
    histories = {name: h for name, (h, _) in runs.items()}
    table = table_of(histories, {n: s for n, (_, s) in runs.items()}, classes)
    message = rejects(run_check3, histories, table, classes, train_one=seeds_after_building,
                      match="train_one(WrongRNN) trains another model when called from "
                            "another random state.")
    assert f"expected: first loss {histories['rnn'].losses[0]:.4f}, as in histories['rnn']" in (
        message)
    assert "call torch.manual_seed(seed) itself, right before building the model" in message


def times(factor):
    """A train_one that returns its time per epoch times ``factor``."""
    def train_one(model_class):
        history, seconds = train(model_class)
        return history, seconds * factor
    return train_one


@pytest.mark.parametrize(("factor", "hint"), [
    (15, "this looks like the time of all 15 epochs, not of one: divide by epochs."),
    (1e3, "this looks like milliseconds, not seconds: don't multiply by 1000."),
    (15e3, "this looks like milliseconds, and of all 15 epochs: return seconds per epoch."),
    (1e9, "this looks like nanoseconds (time.perf_counter_ns()), not seconds: divide by 1e9."),
], ids=["total", "milliseconds", "milliseconds-total", "nanoseconds"])
def test_task3_names_a_time_per_epoch_that_is_too_long(task3, classes, factor, hint):
    message = rejects(run_check3, *task3, classes, train_one=times(factor),
                      match="train_one(WrongRNN)'s time per epoch is more than its whole call "
                            "took.")
    assert message.endswith(f"hint:     {hint}")


def test_task3_names_a_time_per_epoch_that_is_too_short(task3, classes):
    message = rejects(run_check3, *task3, classes, train_one=times(1 / 60),
                      match="train_one(WrongRNN)'s time per epoch is far less than its call "
                            "took.")
    assert message.endswith("hint:     this looks like minutes, not seconds: don't divide by 60.")
    rejects(run_check3, *task3, classes, train_one=times(1e-4), match="hint:     time the "
            "training, fit(...), in seconds: time.perf_counter() before and after it.")
    for value in (float("nan"), float("inf"), -1.0):
        def train_one(model_class, value=value):
            return train(model_class)[0], value

        message = rejects(run_check3, *task3, classes, train_one=train_one,
                          match="train_one(WrongRNN)'s time per epoch is not a time.")
        assert f"found:    {value!r}" in message


def test_task3_a_train_one_with_one_epoch_may_return_the_time_of_all_epochs(classes):
    # One epoch: the time of all epochs is the time per epoch, nothing to tell apart.
    def one_epoch(model_class):
        history, seconds = train(model_class, epochs=1)
        return history, seconds * 1  # total == per epoch
    with torch.random.fork_rng():
        one_epoch(classes["rnn"])
        runs = {name: one_epoch(cls) for name, cls in classes.items()}
    histories = {name: h for name, (h, _) in runs.items()}
    run_check3(histories, table_of(histories, {n: s for n, (_, s) in runs.items()}, classes),
               classes, train_one=one_epoch, epochs=1)


@pytest.mark.parametrize(("factor", "hint"), [
    (1e3, "hint:     this looks like milliseconds, not seconds: don't multiply by 1000."),
    (15e3, "hint:     this looks like milliseconds, and of all 15 epochs: return seconds per "
           "epoch."),
    (1e6, "hint:     this looks like microseconds, not seconds."),
    (1 / 60, "hint:     this looks like minutes, not seconds: don't divide by 60."),
    (1 / 500, "hint:     table[name]['seconds_per_epoch'] = the seconds per epoch that train_one "
              "returned for that model."),
], ids=["milliseconds", "milliseconds-total", "microseconds", "minutes", "no-unit"])
def test_task3_names_a_table_time_in_other_units(task3, classes, monkeypatch, factor, hint):
    histories, table = task3
    # The check measures train_one again, seconds after the table was made; on a loaded machine
    # the two can differ by more than the factor of 3 within which a unit is named (the generic
    # hint then shows: right, but not what this test is about). Here the check's measurement is
    # the table's own time, so the ratio is `factor` exactly and the hint does not depend on the
    # machine; its measuring is tested above and below with real and scaled clocks.
    measure = task3_module._train_one_problem

    def measured_as_the_table(*args, **kwargs):
        problem, _ = measure(*args, **kwargs)
        return problem, {name: row["seconds_per_epoch"] for name, row in table.items()}

    monkeypatch.setattr(task3_module, "_train_one_problem", measured_as_the_table)
    wrong = {name: dict(row) for name, row in table.items()}
    wrong["gru"]["seconds_per_epoch"] *= factor
    message = rejects(run_check3, histories, wrong, classes,
                      match="gru's time per epoch is far from what this check measures.")
    assert message.endswith(hint)


def test_task3_accepts_a_first_run_that_paid_start_up_costs(task3, classes):
    # Without the warm-up call, the first run of a session pays PyTorch's one-time costs
    # (2.5 s here for the first optimizer step): a correct time all the same.
    histories, table = task3
    slow = {name: dict(row) for name, row in table.items()}
    slow["rnn"]["seconds_per_epoch"] += 5 / 15
    run_check3(histories, slow, classes)


@pytest.mark.parametrize("speed", [0.01, 100], ids=["fast-machine", "slow-machine"])
def test_task3_timing_holds_on_a_faster_or_slower_machine(classes, monkeypatch, speed):
    # A machine `speed` times as fast: every time that the answer and the check measure is
    # divided by it (one clock for both, as in a notebook).
    real = time.perf_counter
    start = real()
    monkeypatch.setattr(time, "perf_counter", lambda: start + (real() - start) / speed)
    with torch.random.fork_rng():
        train(classes["rnn"])
        runs = {name: train(cls) for name, cls in classes.items()}
    histories = {name: h for name, (h, _) in runs.items()}
    run_check3(histories, table_of(histories, {n: s for n, (_, s) in runs.items()}, classes),
               classes)


# ----------------------------------------------------------------------------------------
# Task 4


def lstm_with_the_module(x, state, w_ih, w_hh, b_ih, b_hh):
    cell = nn.LSTMCell(x.shape[1], state[0].shape[1])
    with torch.no_grad():
        for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                               (w_ih, w_hh, b_ih, b_hh), strict=True):
            getattr(cell, name).copy_(value)
    return cell(x, state)


def lstm_variant(order="ifgo", swap=False, tanh_c=True, sigmoid_g=False, no_input_gate=False):
    def lstm_cell(x, state, w_ih, w_hh, b_ih, b_hh):
        h, c = state
        blocks = dict(zip(order, (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1),
                          strict=True))
        i, f, o = (torch.sigmoid(blocks[k]) for k in "ifo")
        g = (torch.sigmoid if sigmoid_g else torch.tanh)(blocks["g"])
        c_new = f * c + (g if no_input_gate else i * g)
        h_new = o * (torch.tanh(c_new) if tanh_c else c_new)
        return (c_new, h_new) if swap else (h_new, c_new)
    return lstm_cell


def gru_variant(order="rzn", b_hn_inside=True, z_keeps_old=True, as_tuple=False,
                reset_before=False):
    def gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
        gx = dict(zip(order, (x @ w_ih.T + b_ih).chunk(3, dim=1), strict=True))
        w = dict(zip(order, w_hh.chunk(3, dim=0), strict=True))
        b = dict(zip(order, b_hh.chunk(3, dim=0), strict=True))
        r = torch.sigmoid(gx["r"] + h @ w["r"].T + b["r"])
        z = torch.sigmoid(gx["z"] + h @ w["z"].T + b["z"])
        hn = r * (h @ w["n"].T + b["n"]) if b_hn_inside else r * (h @ w["n"].T) + b["n"]
        if reset_before:  # the GRU paper's form: W_hn (r * h) + b_hn
            hn = (r * h) @ w["n"].T + b["n"]
        n = torch.tanh(gx["n"] + hn)
        new = (1 - z) * n + z * h if z_keeps_old else z * n + (1 - z) * h
        return (new, new) if as_tuple else new
    return gru_cell


def test_task4_accepts_the_solution_and_correct_variants(solution, capsys):
    check_task4(solution["lstm_cell"], solution["gru_cell"])
    out = capsys.readouterr().out
    assert out == (
        "[PASS] lstm_cell equals nn.LSTMCell(3, 5) for a batch of 2 (h and c, tolerance 1e-05), "
        "gates in PyTorch's order i, f, g, o\n"
        "[PASS] gru_cell equals nn.GRUCell(3, 5) for a batch of 2 (tolerance 1e-05), gates in "
        "PyTorch's order r, z, n\n"
        "Task 4 passed.\n")
    check_task4(lstm_variant(), gru_variant())
    assert capsys.readouterr().out == out


@pytest.mark.parametrize(("lstm_cell", "hint"), [
    (lstm_variant(order="ifog"), "gates in the wrong order: your code reads the row blocks as "
                                 "i, f, o, g"),
    (lstm_variant(order="fiog"), "PyTorch stores i, f, g, o"),
    (lstm_variant(swap=True), "you return (c, h)"),
    (lstm_variant(tanh_c=False), "the tanh is missing"),
    (lstm_variant(sigmoid_g=True), "the candidate g uses tanh, not sigmoid"),
    (lstm_variant(no_input_gate=True), "the input gate i must scale the candidate"),
    (lstm_with_the_module, "tensor operations only"),
])
def test_task4_rejects_wrong_lstm_cells(solution, lstm_cell, hint):
    rejects(check_task4, lstm_cell, solution["gru_cell"], match=hint)


@pytest.mark.parametrize(("gru_cell", "hint"), [
    (gru_variant(b_hn_inside=False), "b_hn belongs inside the reset gate"),
    (gru_variant(z_keeps_old=False), "z keeps the OLD state"),
    (gru_variant(order="zrn"), "your code reads the row blocks as z, r, n"),
    (gru_variant(as_tuple=True), "a GRU has no cell state"),
    (gru_variant(reset_before=True), "PyTorch applies r after the matrix product"),
])
def test_task4_rejects_wrong_gru_cells(solution, gru_cell, hint):
    rejects(check_task4, solution["lstm_cell"], gru_cell, match=hint)


def uses_grucell(*args):
    return nn.GRUCell(3, 5)


def uses_lstm(*args):
    return nn.LSTM(3, 5)


def uses_gru(*args):
    return nn.GRU(3, 5)


def uses_rnncell(*args):
    return nn.RNNCell(3, 5)


def uses_torch_lstm_cell(*args):
    return torch.lstm_cell(*args)


def uses_torch_gru_cell(*args):
    return torch.gru_cell(*args)


def uses_imported_grucell(*args):
    return GRUCell(3, 5)  # a bare name: `from torch.nn import GRUCell`


def uses_vf(*args):
    ops = torch._VF
    return ops


@pytest.mark.parametrize(("cell", "name"), [
    (lstm_with_the_module, "LSTMCell"), (uses_grucell, "GRUCell"), (uses_lstm, "LSTM"),
    (uses_gru, "GRU"), (uses_rnncell, "RNNCell"), (uses_torch_lstm_cell, "lstm_cell"),
    (uses_torch_gru_cell, "gru_cell"), (uses_vf, "_VF"), (uses_imported_grucell, "GRUCell"),
])
def test_task4_names_the_pytorch_cell_a_cell_uses(solution, cell, name):
    rejects(check_task4, cell, solution["gru_cell"], match=f"found:    {name} in its code")
    message = rejects(check_task4, solution["lstm_cell"], cell,
                      match=f"found:    {name} in its code")
    assert "gru_cell must be written with tensor operations only" in message
    assert "compute the three gates yourself" in message


def test_task4_accepts_cells_written_as_lambdas(capsys):
    good_lstm, good_gru = lstm_variant(), gru_variant()
    lstm_cell = lambda x, state, *weights: good_lstm(x, state, *weights)  # noqa: E731
    gru_cell = lambda x, h, *weights: good_gru(x, h, *weights)  # noqa: E731
    check_task4(lstm_cell, gru_cell)  # the name a cell is stored under is not a PyTorch cell
    assert capsys.readouterr().out.endswith("Task 4 passed.\n")


def raises_a_shape_error(x, state, *weights):
    return x @ weights[0]  # (2, 3) @ (4H, 3): the transpose is missing


@pytest.mark.parametrize("which", ["lstm_cell", "gru_cell"])
def test_task4_a_cell_that_raises_is_named_with_its_error(solution, which):
    cells = {name: solution[name] for name in ("lstm_cell", "gru_cell")}
    cells[which] = raises_a_shape_error
    message = rejects(check_task4, cells["lstm_cell"], cells["gru_cell"],
                      match=f"{which} raised an error.")
    assert "found:    RuntimeError: mat1 and mat2 shapes cannot be multiplied" in message


@pytest.mark.parametrize(("returns", "found"), [
    ("h", "found:    Tensor"), ("h, c, h", "found:    tuple"), ("[h, c]", "found:    list"),
    ("h, None", "found:    tuple"),
])
def test_task4_an_lstm_cell_must_return_the_pair_h_c(solution, returns, found):
    good = lstm_variant()

    def lstm_cell(x, state, *weights):
        h, c = good(x, state, *weights)
        return eval(returns)

    message = rejects(check_task4, lstm_cell, solution["gru_cell"],
                      match="lstm_cell must return the new (h, c).")
    assert found in message


def lstm_h_from_old_c(x, state, w_ih, w_hh, b_ih, b_hh):
    h, c = state
    i, f, g, o = (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
    c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c), c_new  # c_{t-1} where c_t belongs


def lstm_h_twice(x, state, *weights):
    h_new, _ = lstm_variant()(x, state, *weights)
    return h_new, h_new


def lstm_h_of_wrong_order(x, state, *weights):
    h_wrong, _ = lstm_variant(order="ifog")(x, state, *weights)
    return h_wrong, lstm_variant()(x, state, *weights)[1]


def gru_without_reset(x, h, w_ih, w_hh, b_ih, b_hh):
    r_x, z_x, n_x = (x @ w_ih.T + b_ih).chunk(3, dim=1)
    r_h, z_h, n_h = (h @ w_hh.T + b_hh).chunk(3, dim=1)
    z = torch.sigmoid(z_x + z_h)
    return (1 - z) * torch.tanh(n_x + n_h) + z * h  # r never used


@pytest.mark.parametrize("lstm_cell", [lstm_h_from_old_c, lstm_h_twice, lstm_h_of_wrong_order])
def test_task4_a_hint_names_a_mistake_only_if_it_explains_h_and_c(solution, lstm_cell):
    # Each of these gets h or c right, or matches one typical mistake in h or c alone: the
    # general hint, not a wrong specific one.
    message = rejects(check_task4, lstm_cell, solution["gru_cell"],
                      match="hint:     compare gate by gate: gates = x @ W_ih.T + b_ih + "
                            "h @ W_hh.T + b_hh, then i, f, g, o = gates.chunk(4, dim=1).")
    assert "lstm_cell differs from nn.LSTMCell with the same weights." in message


def test_task4_a_gru_mistake_of_no_known_kind_gets_the_general_hint(solution):
    rejects(check_task4, solution["lstm_cell"], gru_without_reset,
            match="hint:     compare gate by gate: split W_ih, W_hh, b_ih, b_hh into r, z, n "
                  "blocks with .chunk(3, dim=0); n needs its own h-part because r multiplies it.")


def test_task4_a_state_of_the_wrong_shape_shows_both_shapes(solution):
    def gru_cell(x, h, *weights):
        new = gru_variant()(x, h, *weights)
        return torch.cat([new, new], dim=1)

    rejects(check_task4, solution["lstm_cell"], gru_cell,
            match="found:    shape (2, 10) instead of (2, 5)")
    from course_utils.homework04.feedback import max_diff

    assert max_diff(torch.ones(2, 3), -torch.ones(2, 3)) == "max difference 2.00e+00"


def test_close_means_within_the_tolerance_absolutely_near_zero_and_relatively_when_large():
    from course_utils.homework04.feedback import close

    assert close(torch.tensor([0.0]), torch.tensor([5e-6]))  # |a - b| <= 1e-5
    assert not close(torch.tensor([0.0]), torch.tensor([5e-5]))
    assert close(torch.tensor([100.0]), torch.tensor([100.05]), 1e-3)  # <= 1e-3 + 1e-3 * 100
    assert not close(torch.tensor([100.0]), torch.tensor([100.2]), 1e-3)
    assert not close(torch.zeros(2), torch.zeros(3))


def test_task4_unfinished_cells_stop_with_not_done(solution):
    def stub(*args):
        raise NotDone(4)

    with pytest.raises(NotDone, match="Task 4 is not done yet"):
        check_task4(stub, solution["gru_cell"])


# ----------------------------------------------------------------------------------------
# Task 5

SEEDS = 4


@pytest.fixture(scope="module")
def task5():
    sweeps = {name: sweep_batched({"cell": name}, PAIR, SEEDS, epochs=50, lr=0.05)
              for name in ("rnn", "lstm", "gru")}
    return sweeps, {name: s.converged_by_budget(BUDGETS) for name, s in sweeps.items()}


def run_check5(sweeps, counts, **settings):
    return check_task5(sweeps, counts, PAIR, **{"sweep_seeds": SEEDS, "lr": 0.05, **settings})


def test_task5_accepts_the_solution(task5, capsys):
    run_check5(*task5)
    out = capsys.readouterr().out
    assert out.count("[PASS]") == 4 and "Task 5 passed." in out
    same_message_as_stored(out)  # every line: the counts and nothing printed by the training


def test_task5_rejects_sweeps_and_counts_of_the_wrong_kind(task5):
    sweeps, counts = task5
    rejects(run_check5, sweeps, [counts[name] for name in counts],
            match="counts must hold one entry per model.\n  expected: a dict with keys ['rnn', "
                  "'lstm', 'gru']\n  found:    list")
    rejects(run_check5, dict(sweeps, gru=counts["gru"]), counts,
            match="sweeps['gru'] is not a SweepResult.\n  expected: what sweep_batched returns\n"
                  "  found:    dict\n  hint:     sweep_batched({'cell': 'gru'}, pair, sweep_seeds, "
                  "epochs=50, lr=lr)")
    other = sweep_batched({"cell": "rnn"}, make_pair("hello", "lohol"), SEEDS, epochs=50,
                          lr=0.05)
    rejects(run_check5, dict(sweeps, rnn=other), counts,
            match="the rnn sweep learned another target.\n  expected: 'ohlol'\n  found:    "
                  "'lohol'\n  hint:     sweep the notebook's pair: sweep_batched(..., pair, ...).")


def test_task5_spot_checks_the_first_and_the_last_seed(task5):
    sweeps, counts = task5
    gru = sweeps["gru"]
    # The last seed's run replaced by the one before it: only a spot check of seed 3 sees it.
    swapped = SweepResult(gru.seeds, gru.epochs, gru.target, [*gru.losses[:3], gru.losses[2]],
                          [*gru.predictions[:3], gru.predictions[2]])
    message = rejects(run_check5, dict(sweeps, gru=swapped),
                      dict(counts, gru=swapped.converged_by_budget(BUDGETS)),
                      match=f"seed {SEEDS - 1} of the gru sweep is not the lecture's gru model")
    with torch.random.fork_rng():  # seed 3 trained alone, as the check trains it
        torch.manual_seed(SEEDS - 1)
        alone = fit(lecture_embedding_model(4, cell="gru"), PAIR.x.unsqueeze(0), PAIR.y,
                    PAIR.vocab, epochs=50, lr=0.05, verbose=False)
    # Another model from the first epoch on: seed 2's initial weights, not seed 3's.
    assert f"expected: loss {alone.losses[0]:.6g} at epoch 1" in message
    assert f"found:    loss {gru.losses[2][0]:.6g}" in message  # the sweep's, at that epoch


def test_task5_rejects_a_short_sweep_other_seeds_and_another_lr(task5):
    sweeps, counts = task5
    short = dict(sweeps, lstm=sweep_batched({"cell": "lstm"}, PAIR, SEEDS, epochs=15, lr=0.05))
    rejects(run_check5, short, counts, match="run ONE sweep of 50 epochs")
    rejects(run_check5, *task5, sweep_seeds=SEEDS + 1, match="pass the notebook's sweep_seeds")
    other = dict(sweeps, gru=sweep_batched({"cell": "gru"}, PAIR, SEEDS, epochs=50, lr=0.1))
    counts = dict(counts, gru=other["gru"].converged_by_budget(BUDGETS))
    rejects(run_check5, other, counts, match="with lr=lr and the default mean loss")


def test_task5_rejects_counts_read_with_converged_instead_of_by_budget(task5):
    sweeps, counts = task5
    # A seed right at epochs 10-20 and wrong afterwards: a 15-epoch run calls it converged,
    # converged(15) over the 50-epoch run does not.
    predictions = [["ohlol" if 10 <= e <= 20 else "ohool" for e in range(1, 51)]] * SEEDS
    odd = SweepResult(list(range(SEEDS)), 50, "ohlol", [[1.0] * 50] * SEEDS, predictions)
    sweeps = dict(sweeps, lstm=odd)
    wrong = dict(counts, lstm={b: odd.converged(b) for b in BUDGETS})
    rejects(run_check5, sweeps, wrong, match="converged_by_budget")
    # Counts that grow with the budget, read with converged(b) for each b: the same hint.
    right_from = [["ohlol" if e >= start else "ohool" for e in range(1, 51)] for start in (12, 40)]
    growing = SweepResult(list(range(SEEDS)), 50, "ohlol", [[1.0] * 50] * SEEDS,
                          [predictions[0], *right_from, ["ohool"] * 50])
    assert [growing.converged(b) for b in BUDGETS] == [1, 1, 2]
    rejects(run_check5, dict(sweeps, lstm=growing),
            dict(counts, lstm={b: growing.converged(b) for b in BUDGETS}),
            match="what a run of `within` epochs would call converged is converged_by_budget")
    rejects(run_check5, sweeps, dict(counts, lstm={15: 1}), match="counts['lstm'] is wrong")
    rejects(run_check5, {"rnn": None}, counts, match="sweeps must hold one entry per model")


def test_task5_rejects_predictions_that_are_not_the_models(task5):
    sweeps, counts = task5
    lstm = sweeps["lstm"]
    # Losses right, predictions recorded before each epoch's step (one epoch late), and the
    # counts read from those predictions: only the spot check's predictions can tell.
    late = SweepResult(lstm.seeds, lstm.epochs, lstm.target, lstm.losses,
                       [[p[0], *p[:-1]] for p in lstm.predictions])
    counts = dict(counts, lstm=late.converged_by_budget(BUDGETS))
    message = rejects(run_check5, dict(sweeps, lstm=late), counts,
                      match="seed 0 of the lstm sweep predicts other texts")
    seed0 = lstm.predictions[0]
    first = next(e for e in range(1, 50) if seed0[e] != seed0[e - 1])  # the first change
    assert f"expected: {seed0[first]!r} after epoch {first + 1}\n" in message
    early = SweepResult(lstm.seeds, lstm.epochs, lstm.target, lstm.losses,
                        [[*p[1:], p[-1]] for p in lstm.predictions])  # one epoch early
    rejects(run_check5, dict(sweeps, lstm=early),
            dict(counts, lstm=early.converged_by_budget(BUDGETS)), match="predicts other texts")
    last = SweepResult(lstm.seeds, lstm.epochs, lstm.target, lstm.losses,
                       [[*p[:-1], "lllll"] for p in lstm.predictions])  # the last epoch only
    rejects(run_check5, dict(sweeps, lstm=last),
            dict(counts, lstm=last.converged_by_budget(BUDGETS)),
            match="after epoch 50\n  found:    'lllll'")
    short = SweepResult(lstm.seeds, lstm.epochs, lstm.target, lstm.losses,
                        [p[:49] for p in lstm.predictions])
    rejects(run_check5, dict(sweeps, lstm=short),
            dict(counts, lstm=short.converged_by_budget(BUDGETS)), match="found:    49 predictions")


@pytest.mark.parametrize("stub", [NotDone(5), NotImplementedError()], ids=["course", "nbgrader"])
def test_task5_unfinished_stops_with_not_done(monkeypatch, stub):
    # The task's cell stopped at its stub before the first sweep: sweeps and counts are empty,
    # and the last error the notebook showed is the stub's.
    error_shown(monkeypatch, stub)
    for _ in range(2):  # the same answer when the check runs again
        with pytest.raises(NotDone) as info:
            run_check5({}, {})
        assert str(info.value) == str(NotDone(5))
        assert raised_in(info.value) == "check_task5"
        assert info.value.__context__ is None
        error_shown(monkeypatch, info.value)


def test_task5_an_error_before_the_sweeps_is_not_called_a_stub(monkeypatch):
    # The stub was replaced, and the student's code stopped with an error before the first
    # sweep: "still raises where your code goes" would send the student to a stub that is gone.
    error_shown(monkeypatch, TypeError("sweep_batched() got an unexpected keyword argument "
                                       "'seed'"))
    for _ in range(2):  # the check's own error is the last one shown: the same answer
        with pytest.raises(NotDone) as info:
            run_check5({}, {})
        message = str(info.value)
        same_message_as_stored(message)
        assert message == (
            "Task 5 is not done yet: the task 5 cell that fills `sweeps` stopped before filling "
            "it: fix the error it shows, run it again, then run this check again (the last "
            "error in this notebook: TypeError: sweep_batched() got an unexpected keyword "
            "argument 'seed').")
        error_shown(monkeypatch, info.value)
    error_shown(monkeypatch, KeyboardInterrupt())  # stopped by hand: named as such
    with pytest.raises(NotDone, match=r"notebook: KeyboardInterrupt\)\.$"):
        run_check5({"rnn": None}, {})


@pytest.mark.parametrize("shown", [None, NotDone(4), CheckFailed("Task 4: ...")],
                         ids=["no-error", "another-task", "a-check"])
def test_task5_unfinished_without_a_known_cause_names_both(monkeypatch, shown):
    if shown is not None:
        error_shown(monkeypatch, shown)
    for _ in range(2):
        with pytest.raises(NotDone) as info:
            run_check5({}, {})
        message = str(info.value)
        same_message_as_stored(message)
        assert message == (
            "Task 5 is not done yet: `sweeps` is still empty: run the task 5 cell that fills it. "
            "If it stops at its `raise ...` line, replace that line with your code; if it stops "
            "with an error, fix the error; then run this check again.")
        error_shown(monkeypatch, info.value)


# ----------------------------------------------------------------------------------------
# The solution notebook's own cells with other parameters: its checks accept it


def run_solution(ids, **parameters):
    """Run, in one namespace, the solution notebook's set-up cells, its parameters cell with
    ``parameters`` put in (as papermill does), then the cells ``ids``; return what they print.
    The course style of the imports cell is undone afterwards."""
    import contextlib
    import io

    import matplotlib

    nb = nbformat.read(SOLUTION, as_version=4)
    source = {cell.id: cell.source for cell in nb.cells}
    injected = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    cells = [source["cell-02"], source["cell-03"], injected, source["cell-04"], source["cell-05"],
             source["cell-17"], source["cell-19"], source["cell-22"], *(source[i] for i in ids)]
    namespace: dict = {}
    out = io.StringIO()
    with matplotlib.rc_context(), torch.random.fork_rng(), contextlib.redirect_stdout(out):
        for cell in cells:
            exec(compile(cell, str(SOLUTION), "exec"), namespace)  # noqa: S102
    return out.getvalue()


@pytest.mark.parametrize(("seed", "epochs", "lr"), [(0, 1, 0.5), (3, 2, 0.01), (1, 30, 0.1)])
def test_task3_accepts_the_solutions_cells_with_other_parameters(seed, epochs, lr):
    # The train, table and check cells of task 3 as the solution notebook has them.
    out = run_solution(["cell-25", "cell-27", "cell-28"], seed=seed, epochs=epochs, lr=lr)
    assert out.endswith("Task 3 passed.\n"), out
    assert f"trained {epochs} epoch{'s' if epochs > 1 else ''} from seed {seed}" in out
    assert "1 epochs" not in out


@pytest.mark.parametrize(("sweep_seeds", "lr"), [(1, 0.1), (3, 0.01)])
def test_task5_accepts_the_solutions_cells_with_other_parameters(sweep_seeds, lr):
    out = run_solution(["cell-37", "cell-39"], sweep_seeds=sweep_seeds, lr=lr)
    assert out.endswith("Task 5 passed.\n"), out
    seeds = "1 seed" if sweep_seeds == 1 else f"{sweep_seeds} seeds"
    assert f"[PASS] lstm: {seeds} x 50 epochs, converged within 15: " in out


def test_counted_says_one_without_a_plural():
    from course_utils.homework04.feedback import counted

    assert counted(1, "epoch") == "1 epoch" and counted(15, "epoch") == "15 epochs"
    assert counted(0, "seed") == "0 seeds"
    assert counted(1, "loss", "losses") == "1 loss" and counted(2, "loss", "losses") == "2 losses"


def test_nbgrader_stubs_count_as_not_done():
    # nbgrader's own student version raises NotImplementedError where ours raises NotDone.
    class NbgraderStub(nn.Module):
        def __init__(self, vocab_size, embedding_dim=10, hidden_size=8, num_layers=2):
            super().__init__()
            raise NotImplementedError()

    with pytest.raises(NotDone, match="Task 2 is not done yet"):
        check_task2(NbgraderStub)
