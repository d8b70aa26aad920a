"""Tasks 1 and 2: Embedding -> LSTM / GRU -> Linear, the interface of lesson 03's model.
The structure is checked in ``layers``; here the forward pass: shape, values, gradients."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from course_utils.homework04 import feedback as fb
from course_utils.homework04.answers import BATCH, HELLO, _layers, _reference
from course_utils.homework04.layers import (
    _build,
    _order_problem,
    _raised_inside_layer,
    _structure,
)


def _runs_with_batch_first(model: nn.Module, x: torch.Tensor) -> bool:
    """Whether a forward that failed inside a recurrent layer built without batch_first=True
    runs once that layer reads its input as (batch, seq_len, ...): then batch_first is what is
    missing (the layer wanted a state of shape (num_layers, seq_len, hidden_size)), not a
    state of another shape. The layer is put back as it was."""
    recurrent = _layers(model)[1]
    if len(recurrent) != 1 or recurrent[0].batch_first:
        return False
    rnn = recurrent[0]
    rnn.batch_first = True
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            model(x)
    except Exception:
        return False
    finally:
        rnn.batch_first = False
    return True


def _forward_hint(err: BaseException, name: str, kind: str, batch_first_missing: bool) -> str:
    """The hint for an error raised by the student's forward."""
    text = str(err)
    state = "(h0, c0)" if kind == "LSTM" else "h0"
    result = "(output, (h_n, c_n))" if kind == "LSTM" else "(output, h_n)"
    about_tuple = "tuple" in text
    if batch_first_missing:
        return (f"nn.{kind} was built without batch_first=True, so it reads your (batch, "
                f"seq_len) input as (seq_len, batch) and wants {state} of shape (num_layers, "
                f"seq_len, hidden_size): build it with batch_first=True; {state} stays "
                "(num_layers, batch, hidden_size).")
    if _raised_inside_layer(err):
        if kind == "LSTM" and ("hx and cx" in text or "Expected hx to be a tuple" in text):
            return ("nn.LSTM's state is a pair: pass (h0, c0), both of shape (num_layers, batch,"
                    " hidden_size), or pass nothing for zeros. Did you forget c0?")
        if kind == "GRU" and about_tuple:
            return ("nn.GRU's state is one tensor h0, not a pair: (h0, c0) is for nn.LSTM only. "
                    "Pass h0 alone.")
        if "hidden" in text and "size" in text.lower():
            return (f"{state} must be (num_layers, batch, hidden_size): batch_first=True changes "
                    "the input and output only, never the hidden state.")
    elif about_tuple:
        return (f"nn.{kind} returns a tuple {result}: unpack it, `output, _ = self.<layer>(...)`,"
                " and give `output` (not the tuple) to the Linear layer.")
    return f"run `{name}(4)(torch.tensor({HELLO}))` in a new cell to see the traceback."


def _forward(task: int, model: nn.Module, name: str, x: torch.Tensor, kind: str):
    """Call the student's forward; return (scores, None) or (None, the error to raise)."""
    try:
        with torch.random.fork_rng(devices=[]):
            out = model(x)
    except NotImplementedError:  # fb.NotDone, or the stub of nbgrader's student version
        return None, fb.NotDone(task)
    except Exception as err:
        missing = _raised_inside_layer(err) and _runs_with_batch_first(model, x)
        return None, fb.failure(task, f"{name}'s forward raised an error.",
                              expected=f"scores of shape (batch * seq_len, num_class) = "
                                       f"({x.numel()}, 4)",
                              found=fb.short(err), hint=_forward_hint(err, name, kind, missing))
    return out, None


def _shape_problem(task: int, out: Any, kind: str, batch: int) -> fb.CheckFailed | None:
    """Lesson 03's model returns exactly (batch * seq_len, num_class); nothing else passes."""
    want = (batch * 5, 4)
    expected = f"a tensor of shape (batch * seq_len, num_class) = {want}, as lesson 03's model"
    if isinstance(out, tuple):
        what = "(output, (h_n, c_n))" if kind == "LSTM" else "(output, h_n)"
        return fb.failure(task, "forward returns a tuple.", expected=expected,
                        found=f"a tuple of {len(out)}", hint=f"nn.{kind} returns {what}: keep "
                        "`output` (every step of the top layer) and pass it to the Linear layer.")
    if not isinstance(out, torch.Tensor):
        return fb.failure(task, "forward must return the scores.", expected=expected,
                        found=type(out).__name__, hint="end forward with `return scores`.")
    shape = tuple(out.shape)
    if shape == want:
        return None
    if out.numel() == batch * 5 * 4 and shape[-1] == 4:  # e.g. (batch, 5, 4), not flattened
        hint = ("the right numbers in the wrong shape: flatten the scores with "
                "`.view(-1, self.num_class)`, as lesson 03's model does, so that each row is "
                "one step of one sequence.")
    elif shape[-1] == 8:
        hint = f"the last dimension is hidden_size: apply the Linear layer to the {kind}'s output."
    elif shape == (batch, 4):
        hint = "these are the scores of the last step only: apply the Linear layer to `output`."
    elif len(shape) == 3 and shape[0] == 2:
        hint = ("this looks like h_n (one row per layer): use `output`, the top layer's hidden "
                "state at every step, not h_n.")
    else:
        hint = "print the shape after each layer of your forward to see where it goes wrong."
    return fb.failure(task, "the scores have the wrong shape.", expected=expected,
                    found=f"shape {shape}", hint=hint)


def _values_problem(task: int, model: nn.Module, kind: str) -> fb.CheckFailed | None:
    """The scores are Linear(recurrent(Embedding(x))) with a zero initial state."""
    x = torch.tensor(BATCH)
    with torch.no_grad(), torch.random.fork_rng(devices=[]):
        torch.manual_seed(1)
        first = model(x).reshape(-1, 4)
        torch.manual_seed(2)
        second = model(x).reshape(-1, 4)
    expected = _reference(model, x)
    state = "(h0, c0)" if kind == "LSTM" else "h0"
    what = f"the scores are not Linear({kind}(Embedding(x))) with your model's own weights."
    if not fb.close(first, second):
        return fb.failure(task, "two calls on the same input give different scores.",
                        expected="the same scores every time", found=fb.max_diff(first, second),
                        hint=f"the initial state {state} must be zeros (or not passed at all), "
                             "not random numbers.")
    if fb.close(first, expected):
        return None
    (rnn,) = _layers(model)[1]
    if not rnn.batch_first:
        hint = (f"nn.{kind} was built without batch_first=True, so it reads your (batch, "
                "seq_len) input as (seq_len, batch): the sequences of a batch get mixed up.")
    elif fb.close(first, _reference(model, x, per_step=True)):
        hint = (f"the hidden state is not carried from step to step (each step starts from "
                f"zeros): run nn.{kind} over the whole sequence, or pass the state on.")
    elif fb.close(first, torch.softmax(expected, dim=-1)) or fb.close(
            first, torch.log_softmax(expected, dim=-1)):
        hint = "return raw scores: CrossEntropyLoss applies (log-)softmax itself."
    else:
        hint = (f"forward should be: embedding, then nn.{kind} (keep its output, a zero "
                "initial state), then the Linear layer; nothing else (no activation).")
    return fb.failure(task, what, expected=f"max difference < {fb.TOLERANCE:g} from the reference",
                    found=fb.max_diff(first, expected), hint=hint)


def _gradients_problem(task: int, model: nn.Module) -> fb.CheckFailed | None:
    model.zero_grad()
    scores = model(torch.tensor(HELLO))
    nn.functional.cross_entropy(scores.reshape(-1, 4),
                                torch.tensor([3, 1, 2, 3, 2])).backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None]
    if missing:
        return fb.failure(task, "some parameters get no gradient.", expected="a gradient for every "
                        "parameter", found=f"none for {missing}", hint="don't detach tensors or "
                        "use .data in forward; every layer must be used.")
    return None


def _check_model(task: int, model_class: Any, layer: type[nn.RNNBase]) -> Exception | None:
    """All checks of tasks 1 and 2; print what passed; return the error to raise, if any."""
    kind = layer.__name__
    name = getattr(model_class, "__name__", type(model_class).__name__)
    if isinstance(model_class, nn.Module):
        return fb.failure(task, "pass the class, not a model.", expected=f"the class, e.g. "
                        f"check_task{task}({type(model_class).__name__})",
                        found=f"a {type(model_class).__name__} object",
                        hint="the check builds models of several sizes from the class itself.")
    if not callable(model_class):
        return fb.failure(task, "pass your model class.", expected="a class",
                          found=repr(model_class), hint=f"check_task{task}(YourModelClass)")
    model, problem = _build(task, model_class, name, 4)
    if problem is not None:
        return problem
    problem = _structure(task, model, name, layer, (4, 10, 8, 2))
    if problem is not None:
        return problem
    problem = _order_problem(task, model, layer, (4, 10, 8, 2))
    if problem is not None:
        return problem
    count = sum(p.numel() for p in model.parameters())
    fb.passed(f"{name}(4) is Embedding(4, 10) -> {kind}(10, 8, num_layers=2) -> Linear(8, 4), "
            f"{count:,} parameters")
    fb.passed(f"layers created in the order embedding, {kind}, linear: after torch.manual_seed(s) "
            "the weights of task 5's sweeps")
    other, problem = _build(task, model_class, name, 6, 5, 7, 1)
    if problem is None:
        problem = _structure(task, other, name, layer, (6, 5, 7, 1))
    if problem is not None:
        return problem
    fb.passed(f"the sizes come from the arguments: {name}(6, 5, 7, 1) is Embedding(6, 5) -> "
            f"{kind}(5, 7, num_layers=1) -> Linear(7, 6)")
    for x in (torch.tensor(HELLO), torch.tensor(BATCH)):
        out, problem = _forward(task, model, name, x, kind)
        if problem is None:
            problem = _shape_problem(task, out, kind, x.shape[0])
        if problem is not None:
            return problem
    fb.passed("scores have exactly the shape (batch * seq_len, num_class): (5, 4) for 1 sequence "
            "of 5 steps, (15, 4) for a batch of 3")
    problem = _values_problem(task, model, kind)
    if problem is not None:
        return problem
    state = "(h0, c0)" if kind == "LSTM" else "h0"
    fb.passed(f"scores = Linear({kind}(Embedding(x))) with a zero {state}, the state carried "
            "through every step, every sequence of the batch on its own")
    problem = _gradients_problem(task, model)
    if problem is not None:
        return problem
    fb.passed(f"gradients reach all {len(list(model.parameters()))} parameter tensors")
    return None


def check_task1(model_class: type[nn.Module]) -> None:
    """Task 1: ``model_class(num_class, embedding_size=10, hidden_size=8, num_layers=2)`` (lesson
    03's constructor) is Embedding -> nn.LSTM (batch_first) -> Linear, its layers created in
    that order, and maps indices ``(batch, seq_len)`` to scores of exactly the shape
    ``(batch * seq_len, num_class)``."""
    problem = _check_model(1, model_class, nn.LSTM)
    if problem is not None:
        raise problem
    print("Task 1 passed.")


def check_task2(model_class: type[nn.Module]) -> None:
    """Task 2: as task 1 with ``nn.GRU``."""
    problem = _check_model(2, model_class, nn.GRU)
    if problem is not None:
        raise problem
    print("Task 2 passed.")
