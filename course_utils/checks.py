"""Checks for the homework of lesson 04 (LSTM and GRU): one ``check_taskN`` per task.

Each check prints one ``[PASS] ...`` line per thing it verified. On a wrong answer it raises
``CheckFailed`` with a short message: what was expected, what was found, and a hint. On an
unfinished task it raises ``NotDone``: "Task N is not done yet" and what to do. A task is
unfinished when the student's code still raises ``NotDone`` (the course's stub) or
``NotImplementedError`` (nbgrader's stub), or when the dicts a task's cell fills are still empty
(its cell stopped at the stub before filling them). Both are raised at the top level of the
check function, never from inside PyTorch or a helper, so the traceback a student sees is their
cell and the check, nothing more.

The checks never change the notebook's random state: they train and build models inside
``torch.random.fork_rng``.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import torch
from torch import nn

from course_utils.models import lecture_embedding_model
from course_utils.sweeps import SweepResult
from course_utils.text import SequencePair
from course_utils.training import History, fit

NAMES = ("rnn", "lstm", "gru")
BUDGETS = (15, 30, 50)
TOLERANCE = 1e-5


class CheckFailed(AssertionError):
    """A homework answer is wrong; the message says what was expected, what was found and a
    hint."""


class NotDone(NotImplementedError):
    """Raised by the stub of an unfinished task: ``raise NotDone(2)`` in the course's student
    version; the checks raise it too where nbgrader's student version raises
    ``NotImplementedError()``. The message fits both stubs."""

    def __init__(self, task: int) -> None:
        if isinstance(task, bool) or not isinstance(task, int) or task < 1:
            raise ValueError(f"task must be the task's number (an int >= 1), got {task!r}.")
        self.task = task
        super().__init__(
            f"Task {task} is not done yet: a cell of task {task} still raises where your code "
            "goes. Replace that `raise ...` line with your code, run the task's cells, then run "
            "this check again."
        )


@contextmanager
def _quiet_training() -> Iterator[None]:
    """Train inside: the notebook's random state is left as it was, and one CPU thread is used
    (these models are tiny; extra threads only slow them down on a busy machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            yield
    finally:
        torch.set_num_threads(threads)


def _failure(task: int, what: str, *, expected: str, found: str, hint: str) -> CheckFailed:
    return CheckFailed(
        f"Task {task}: {what}\n  expected: {expected}\n  found:    {found}\n  hint:     {hint}"
    )


def _passed(text: str) -> None:
    print(f"[PASS] {text}")


def _short(err: BaseException, limit: int = 160) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text[:limit]}{'...' if len(text) > limit else ''}"


def _close(a: torch.Tensor, b: torch.Tensor, tol: float = TOLERANCE) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a, b, atol=tol, rtol=tol))


def _max_diff(a: torch.Tensor, b: torch.Tensor) -> str:
    if a.shape != b.shape:
        return f"shape {tuple(a.shape)} instead of {tuple(b.shape)}"
    return f"max difference {(a - b).abs().max().item():.2e}"


# ----------------------------------------------------------------------------------------
# Tasks 1 and 2: Embedding -> LSTM / GRU -> Linear, the interface of lesson 03's model.

HELLO = [[1, 0, 2, 2, 3]]  # "hello" in the lecture's dictionary ['e', 'h', 'l', 'o']
BATCH = [[1, 0, 2, 2, 3], [3, 2, 1, 0, 0], [2, 2, 2, 1, 3]]


def _layers(model: nn.Module) -> tuple[list[nn.Module], list[nn.Module], list[nn.Module]]:
    mods = list(model.modules())
    return ([m for m in mods if isinstance(m, nn.Embedding)],
            [m for m in mods if isinstance(m, nn.RNNBase | nn.RNNCellBase)],
            [m for m in mods if isinstance(m, nn.Linear)])


def _describe(layers: Sequence[nn.Module]) -> str:
    return ", ".join(type(m).__name__ for m in layers) or "none"


def _build(task: int, model_class: Any, name: str, *args: Any):
    """Instantiate the student's class; return (model, None) or (None, the error to raise)."""
    call = f"{name}({', '.join(map(repr, args))})"
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            model = model_class(*args)
    except NotImplementedError:  # NotDone, or the stub of nbgrader's student version
        return None, NotDone(task)
    except TypeError as err:
        return None, _failure(
            task, f"{call} could not be built.", expected="the constructor of lesson 03's model: "
            f"{name}(num_class, embedding_size=10, hidden_size=8, num_layers=2)",
            found=_short(err), hint="take num_class first, then the three sizes with those "
            "defaults, and build every layer from them.")
    except Exception as err:  # the student's own code failed: say so, briefly
        return None, _failure(
            task, f"{call} raised an error.", expected="a model", found=_short(err),
            hint=f"run `{call}` in a new cell to see the whole traceback.")
    if not isinstance(model, nn.Module):
        return None, _failure(task, f"{call} is not a PyTorch module.", expected="an nn.Module",
                              found=type(model).__name__,
                              hint=f"declare the class as `class {name}(nn.Module):`.")
    return model, None


def _structure(task: int, model: nn.Module, name: str, layer: type[nn.RNNBase],
               sizes: tuple[int, int, int, int]) -> CheckFailed | None:
    """The model has one Embedding, one ``layer`` and one Linear of the given sizes."""
    vocab_size, embedding_dim, hidden_size, num_layers = sizes
    embeddings, recurrent, linears = _layers(model)
    kind = layer.__name__
    call = f"{name}({vocab_size}, {embedding_dim}, {hidden_size}, {num_layers})"
    if len(recurrent) != 1 or type(recurrent[0]) is not layer:
        cells = any(isinstance(m, nn.RNNCellBase) for m in recurrent)
        return _failure(
            task, f"{name} needs exactly one nn.{kind} layer.", expected=f"one nn.{kind}",
            found=f"recurrent layers: {_describe(recurrent)}",
            hint=(f"use nn.{kind}, which runs the whole sequence (cells come in task 4)."
                  if cells else f"this task is about nn.{kind}: self.rnn = nn.{kind}(...)."))
    rnn = recurrent[0]
    if len(embeddings) != 1 or len(linears) != 1:
        return _failure(
            task, f"{name} must be Embedding -> {kind} -> Linear.",
            expected="one nn.Embedding and one nn.Linear",
            found=f"{len(embeddings)} Embedding, {len(linears)} Linear",
            hint="keep lesson 03's embedding and output layer; only the recurrent layer "
                 "changes.")
    emb, head = embeddings[0], linears[0]
    got = (emb.num_embeddings, emb.embedding_dim, rnn.input_size, rnn.hidden_size,
           rnn.num_layers, head.in_features, head.out_features)
    want = (vocab_size, embedding_dim, embedding_dim, hidden_size, num_layers, hidden_size,
            vocab_size)
    if got != want:
        return _failure(
            task, f"{call} has the wrong layer sizes.",
            expected=f"Embedding({vocab_size}, {embedding_dim}) -> {kind}({embedding_dim}, "
            f"{hidden_size}, num_layers={num_layers}) -> Linear({hidden_size}, {vocab_size})",
            found=f"Embedding({got[0]}, {got[1]}) -> {kind}({got[2]}, {got[3]}, "
            f"num_layers={got[4]}) -> Linear({got[5]}, {got[6]})",
            hint="build each layer from the constructor's arguments, not from fixed numbers.")
    return None


def _raised_inside_layer(err: BaseException) -> bool:
    """Whether ``err`` was raised inside PyTorch's recurrent layer (a bad initial state), not
    in the student's code after it (a result used without unpacking)."""
    frames = traceback.extract_tb(err.__traceback__)
    return bool(frames) and frames[-1].filename.replace("\\", "/").endswith("nn/modules/rnn.py")


def _seeded_layers(order: Sequence[str], layer: type[nn.RNNBase],
                   sizes: tuple[int, int, int, int]) -> dict[str, nn.Module]:
    """The three layers created in ``order`` right after ``torch.manual_seed(0)``."""
    vocab_size, embedding_dim, hidden_size, num_layers = sizes
    make = {"embedding": lambda: nn.Embedding(vocab_size, embedding_dim),
            "recurrent": lambda: layer(embedding_dim, hidden_size, num_layers=num_layers,
                                       batch_first=True),
            "linear": lambda: nn.Linear(hidden_size, vocab_size)}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return {part: make[part]() for part in order}


def _order_problem(task: int, model: nn.Module, layer: type[nn.RNNBase],
                   sizes: tuple[int, int, int, int]) -> CheckFailed | None:
    """``model`` (built right after ``torch.manual_seed(0)``) holds the weights that creating
    embedding, recurrent layer and linear layer in this order gives: the order that lesson 03's
    model and the sweeps of task 5 use, so that a seed means the same model everywhere."""
    (emb,), (rnn,), (head,) = _layers(model)
    theirs = {"embedding": emb, "recurrent": rnn, "linear": head}

    def same(reference: dict[str, nn.Module]) -> bool:
        for part, module in reference.items():
            mine, ref = list(theirs[part].parameters()), list(module.parameters())
            if len(mine) != len(ref) or not all(
                    _close(a.detach().cpu(), b, 0.0) for a, b in zip(mine, ref, strict=True)):
                return False
        return True

    kind = layer.__name__
    if same(_seeded_layers(("embedding", "recurrent", "linear"), layer, sizes)):
        return None
    found = "other initial weights than the order embedding, " + kind + ", linear gives"
    for order in itertools.permutations(("embedding", "recurrent", "linear")):
        if same(_seeded_layers(order, layer, sizes)):
            names = ", ".join(kind if part == "recurrent" else part for part in order)
            found = f"the layers created in the order {names}"
            break
    return _failure(
        task, "the layers are not created in the order the task asks for.",
        expected=f"embedding, then nn.{kind}, then the linear layer, and nothing else random in "
                 "__init__", found=found,
        hint="create them in that order: each layer draws its initial weights from the seeded "
             "random numbers, so another order gives other weights after torch.manual_seed(s), "
             "and every seeded result of this notebook (tasks 3 and 5) changes.")


def _forward_hint(err: BaseException, name: str, kind: str) -> str:
    """The hint for an error raised by the student's forward."""
    text = str(err)
    state = "(h0, c0)" if kind == "LSTM" else "h0"
    result = "(output, (h_n, c_n))" if kind == "LSTM" else "(output, h_n)"
    about_tuple = "tuple" in text
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
    except NotImplementedError:  # NotDone, or the stub of nbgrader's student version
        return None, NotDone(task)
    except Exception as err:
        return None, _failure(task, f"{name}'s forward raised an error.",
                              expected=f"scores of shape (batch * seq_len, num_class) = "
                                       f"({x.numel()}, 4)",
                              found=_short(err), hint=_forward_hint(err, name, kind))
    return out, None


def _shape_problem(task: int, out: Any, name: str, kind: str, batch: int) -> CheckFailed | None:
    """Lesson 03's model returns exactly (batch * seq_len, num_class); nothing else passes."""
    want = (batch * 5, 4)
    expected = f"a tensor of shape (batch * seq_len, num_class) = {want}, as lesson 03's model"
    if isinstance(out, tuple):
        what = "(output, (h_n, c_n))" if kind == "LSTM" else "(output, h_n)"
        return _failure(task, "forward returns a tuple.", expected=expected,
                        found=f"a tuple of {len(out)}", hint=f"nn.{kind} returns {what}: keep "
                        "`output` (every step of the top layer) and pass it to the Linear layer.")
    if not isinstance(out, torch.Tensor):
        return _failure(task, "forward must return the scores.", expected=expected,
                        found=type(out).__name__, hint="end forward with `return scores`.")
    shape = tuple(out.shape)
    if shape == want:
        return None
    if shape == (batch, 5, 4) or (out.numel() == batch * 5 * 4 and shape[-1] == 4):
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
    return _failure(task, "the scores have the wrong shape.", expected=expected,
                    found=f"shape {shape}", hint=hint)


def _reference(model: nn.Module, x: torch.Tensor, *, per_step: bool = False) -> torch.Tensor:
    """Embedding -> recurrent layer (batch_first, zero state) -> Linear with the model's own
    weights; ``per_step`` restarts the state at every step (a typical mistake)."""
    (emb,), (rnn,), (head,) = _layers(model)
    ref = type(rnn)(rnn.input_size, rnn.hidden_size, num_layers=rnn.num_layers,
                    batch_first=True)
    ref.load_state_dict(rnn.state_dict())
    with torch.no_grad():
        vectors = emb(x)
        if per_step:
            outs = torch.cat([ref(vectors[:, t:t + 1])[0] for t in range(x.shape[1])], dim=1)
        else:
            outs = ref(vectors)[0]
        return head(outs).reshape(-1, head.out_features)


def _values_problem(task: int, model: nn.Module, name: str, kind: str) -> CheckFailed | None:
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
    if not _close(first, second):
        return _failure(task, "two calls on the same input give different scores.",
                        expected="the same scores every time", found=_max_diff(first, second),
                        hint=f"the initial state {state} must be zeros (or not passed at all), "
                             "not random numbers.")
    if _close(first, expected):
        return None
    (rnn,) = _layers(model)[1]
    if not rnn.batch_first:
        hint = (f"nn.{kind} was built without batch_first=True, so it reads your (batch, "
                "seq_len) input as (seq_len, batch): the sequences of a batch get mixed up.")
    elif _close(first, _reference(model, x, per_step=True)):
        hint = (f"the hidden state is not carried from step to step (each step starts from "
                f"zeros): run nn.{kind} over the whole sequence, or pass the state on.")
    elif _close(first, torch.softmax(expected, dim=-1)) or _close(
            first, torch.log_softmax(expected, dim=-1)):
        hint = "return raw scores: CrossEntropyLoss applies (log-)softmax itself."
    else:
        hint = (f"forward should be: embedding, then nn.{kind} (keep its output, a zero "
                "initial state), then the Linear layer; nothing else (no activation).")
    return _failure(task, what, expected=f"max difference < {TOLERANCE:g} from the reference",
                    found=_max_diff(first, expected), hint=hint)


def _gradients_problem(task: int, model: nn.Module, name: str) -> CheckFailed | None:
    model.zero_grad()
    scores = model(torch.tensor(HELLO))
    nn.functional.cross_entropy(scores.reshape(-1, 4),
                                torch.tensor([3, 1, 2, 3, 2])).backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None]
    if missing:
        return _failure(task, "some parameters get no gradient.", expected="a gradient for every "
                        "parameter", found=f"none for {missing}", hint="don't detach tensors or "
                        "use .data in forward; every layer must be used.")
    return None


def _check_model(task: int, model_class: Any, layer: type[nn.RNNBase]) -> Exception | None:
    """All checks of tasks 1 and 2; print what passed; return the error to raise, if any."""
    kind = layer.__name__
    name = getattr(model_class, "__name__", type(model_class).__name__)
    if isinstance(model_class, nn.Module):
        return _failure(task, "pass the class, not a model.", expected=f"the class, e.g. "
                        f"check_task{task}({type(model_class).__name__})",
                        found=f"a {type(model_class).__name__} object",
                        hint="the check builds models of several sizes from the class itself.")
    if not callable(model_class):
        return _failure(task, "pass your model class.", expected="a class", found=repr(model_class),
                        hint=f"check_task{task}(YourModelClass)")
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
    _passed(f"{name}(4) is Embedding(4, 10) -> {kind}(10, 8, num_layers=2) -> Linear(8, 4), "
            f"{count:,} parameters")
    _passed(f"layers created in the order embedding, {kind}, linear: after torch.manual_seed(s) "
            "the weights of task 5's sweeps")
    other, problem = _build(task, model_class, name, 6, 5, 7, 1)
    if problem is None:
        problem = _structure(task, other, name, layer, (6, 5, 7, 1))
    if problem is not None:
        return problem
    _passed(f"the sizes come from the arguments: {name}(6, 5, 7, 1) is Embedding(6, 5) -> "
            f"{kind}(5, 7, num_layers=1) -> Linear(7, 6)")
    for x in (torch.tensor(HELLO), torch.tensor(BATCH)):
        out, problem = _forward(task, model, name, x, kind)
        if problem is None:
            problem = _shape_problem(task, out, name, kind, x.shape[0])
        if problem is not None:
            return problem
    _passed("scores have exactly the shape (batch * seq_len, num_class): (5, 4) for 1 sequence "
            "of 5 steps, (15, 4) for a batch of 3")
    problem = _values_problem(task, model, name, kind)
    if problem is not None:
        return problem
    state = "(h0, c0)" if kind == "LSTM" else "h0"
    _passed(f"scores = Linear({kind}(Embedding(x))) with a zero {state}, the state carried "
            "through every step, every sequence of the batch on its own")
    problem = _gradients_problem(task, model, name)
    if problem is not None:
        return problem
    _passed(f"gradients reach all {len(list(model.parameters()))} parameter tensors")
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


# ----------------------------------------------------------------------------------------
# Task 3: train the three models with the lecture's settings, compare.

TABLE_KEYS = ("parameters", "converged_epoch", "seconds_per_epoch")


def _histories_problem(histories: Any, model_classes: Any, pair: SequencePair, *, seed: int,
                       epochs: int, lr: float, device: str | torch.device) -> Exception | None:
    task = 3
    if isinstance(histories, Mapping) and not histories:  # the cell stopped before any training
        return NotDone(task)
    if not isinstance(histories, Mapping) or set(histories) != set(NAMES):
        found = sorted(histories) if isinstance(histories, Mapping) else type(histories).__name__
        return _failure(task, "histories must hold one History per model.",
                        expected=f"a dict with keys {list(NAMES)}", found=str(found),
                        hint="histories[name] = the History that fit() returns.")
    for name in NAMES:
        history = histories[name]
        if not isinstance(history, History):
            return _failure(task, f"histories[{name!r}] is not a History.", expected="the "
                            "History returned by fit()", found=type(history).__name__,
                            hint="keep what fit(...) returns.")
        if len(history.losses) != epochs:
            return _failure(task, f"{name} was trained for the wrong number of epochs.",
                            expected=f"{epochs} losses (epochs={epochs})",
                            found=f"{len(history.losses)} losses",
                            hint="use the notebook's `epochs` parameter, and train each model "
                                 "once, from fresh weights.")
        if history.target != pair.target:
            return _failure(task, f"{name} learned another target.",
                            expected=repr(pair.target), found=repr(history.target),
                            hint="train on (inputs, labels), the notebook's pair.")
        with _quiet_training():
            torch.manual_seed(seed)
            model = model_classes[name](len(pair.vocab)).to(device)
            reference = fit(model, pair.x.unsqueeze(0), pair.y, pair.vocab, epochs=epochs,
                            lr=lr, verbose=False)
        ours = torch.tensor(reference.losses)
        theirs = torch.tensor(history.losses)
        if _close(theirs, ours, 1e-3):
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
        return _failure(task, f"{name}'s losses differ from the lecture's settings.",
                        expected=f"losses {[round(v, 4) for v in reference.losses[:3]]} ... "
                                 f"{round(reference.final_loss, 4)}",
                        found=f"losses {[round(v, 4) for v in history.losses[:3]]} ... "
                              f"{round(history.final_loss, 4)}", hint=hint)
    return None


def _table_problem(table: Any, histories: Mapping[str, History], model_classes: Any,
                   vocab_size: int) -> Exception | None:
    task = 3
    if isinstance(table, Mapping) and not table:  # the table's cell stopped before filling it
        return NotDone(task)
    if not isinstance(table, Mapping) or set(table) != set(NAMES):
        return _failure(task, "the table must have one row per model.",
                        expected=f"a dict with keys {list(NAMES)}",
                        found=str(sorted(table) if isinstance(table, Mapping) else table),
                        hint="table[name] = {'parameters': ..., 'converged_epoch': ..., "
                             "'seconds_per_epoch': ...}")
    for name in NAMES:
        row = table[name]
        if not isinstance(row, Mapping) or set(row) != set(TABLE_KEYS):
            return _failure(task, f"table[{name!r}] has the wrong columns.",
                            expected=str(list(TABLE_KEYS)),
                            found=str(sorted(row) if isinstance(row, Mapping) else row),
                            hint="one dict per model with exactly these keys.")
        with torch.random.fork_rng(devices=[]):
            count = sum(p.numel() for p in model_classes[name](vocab_size).parameters())
        if row["parameters"] != count:
            return _failure(task, f"{name}'s parameter count is wrong.", expected=f"{count:,}",
                            found=repr(row["parameters"]),
                            hint="sum(p.numel() for p in model.parameters()): every weight and "
                                 "bias, of every layer.")
        if row["converged_epoch"] != histories[name].converged_epoch:
            return _failure(task, f"{name}'s epochs to converge are wrong.",
                            expected=repr(histories[name].converged_epoch),
                            found=repr(row["converged_epoch"]),
                            hint="use history.converged_epoch: the first epoch from which the "
                                 "prediction stays right (None if it never does).")
        seconds = row["seconds_per_epoch"]
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not (
                0 < seconds < 60):
            return _failure(task, f"{name}'s time per epoch is not a time.",
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
    _passed(f"rnn, lstm and gru trained {epochs} epochs from seed {seed}, Adam lr={lr}: the "
            "losses match the lecture's settings")
    problem = _table_problem(table, histories, model_classes, len(pair.vocab))
    if problem is not None:
        raise problem
    counts = ", ".join(f"{n} {table[n]['parameters']:,}" for n in NAMES)
    _passed(f"the table's parameter counts ({counts}), converged epochs and times")
    print("Task 3 passed.")


# ----------------------------------------------------------------------------------------
# Task 4: the cells from scratch.

def _lstm_reference(x, state, w_ih, w_hh, b_ih, b_hh, *, order=(0, 1, 2, 3), g_act=torch.tanh,
                    use_i=True, tanh_c=True):
    """The LSTM cell, with switches that reproduce typical mistakes."""
    h, c = state
    chunks = (x @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=1)
    i, f, g, o = (chunks[k] for k in order)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), g_act(g), torch.sigmoid(o)
    c_new = f * c + (i * g if use_i else g)
    return o * (torch.tanh(c_new) if tanh_c else c_new), c_new


def _gru_reference(x, h, w_ih, w_hh, b_ih, b_hh, *, order=(0, 1, 2), b_hn_inside=True,
                   z_keeps_old=True, reset_before=False):
    """The GRU cell, with switches that reproduce typical mistakes."""
    gi = (x @ w_ih.T + b_ih).chunk(3, dim=1)
    w_h, b_h = w_hh.chunk(3, dim=0), b_hh.chunk(3, dim=0)
    k_r, k_z, k_n = order
    r = torch.sigmoid(gi[k_r] + h @ w_h[k_r].T + b_h[k_r])
    z = torch.sigmoid(gi[k_z] + h @ w_h[k_z].T + b_h[k_z])
    if reset_before:
        hn = (r * h) @ w_h[k_n].T + b_h[k_n]
    elif b_hn_inside:
        hn = r * (h @ w_h[k_n].T + b_h[k_n])
    else:
        hn = r * (h @ w_h[k_n].T) + b_h[k_n]
    n = torch.tanh(gi[k_n] + hn)
    return (1 - z) * n + z * h if z_keeps_old else z * n + (1 - z) * h


def _uses_pytorch_cell(fn: Callable) -> str | None:
    """The name of a PyTorch cell or layer that ``fn``'s code uses (comments don't count)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    banned = {"LSTMCell", "GRUCell", "LSTM", "GRU", "RNNCell", "lstm_cell", "gru_cell", "_VF"}
    banned.discard(getattr(fn, "__name__", ""))
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else (
            node.attr if isinstance(node, ast.Attribute) else None)
        if name in banned:
            return name
    return None


def _call_cell(task: int, fn: Callable, name: str, args: tuple):
    try:
        return fn(*args), None
    except NotImplementedError:  # NotDone, or the stub of nbgrader's student version
        return None, NotDone(task)
    except Exception as err:
        return None, _failure(task, f"{name} raised an error.", expected="the new state",
                              found=_short(err), hint=f"call {name} on small tensors in a new "
                              "cell and print the shape of every intermediate result.")


def _lstm_problem(lstm_cell: Callable) -> Exception | None:
    task = 4
    banned = _uses_pytorch_cell(lstm_cell)
    if banned:
        return _failure(task, "lstm_cell must be written with tensor operations only.",
                        expected="matrix products, sigmoid, tanh, *, +",
                        found=f"{banned} in its code", hint="compute the four gates yourself.")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(4)
        cell = nn.LSTMCell(3, 5)
        x, h, c = torch.randn(2, 3), torch.randn(2, 5), torch.randn(2, 5)
    weights = (cell.weight_ih.detach(), cell.weight_hh.detach(), cell.bias_ih.detach(),
               cell.bias_hh.detach())
    with torch.no_grad():
        want_h, want_c = cell(x, (h, c))
    got, problem = _call_cell(task, lstm_cell, "lstm_cell", (x, (h, c), *weights))
    if problem is not None:
        return problem
    if not (isinstance(got, tuple) and len(got) == 2
            and all(isinstance(t, torch.Tensor) for t in got)):
        return _failure(task, "lstm_cell must return the new (h, c).", expected="a pair of "
                        "tensors (h_t, c_t), like nn.LSTMCell", found=type(got).__name__,
                        hint="end with `return h_new, c_new`.")
    got_h, got_c = (t.detach() for t in got)
    if _close(got_h, want_h) and _close(got_c, want_c):
        return None
    if _close(got_h, want_c) and _close(got_c, want_h):
        hint = "you return (c, h): nn.LSTMCell returns (h, c), hidden state first."
    else:
        hint = None
        for order in itertools.permutations(range(4)):
            if order != (0, 1, 2, 3):
                h2, c2 = _lstm_reference(x, (h, c), *weights, order=order)
                if _close(got_h, h2) and _close(got_c, c2):
                    names = "".join("ifgo"[k] for k in order)
                    hint = (f"gates in the wrong order: your code reads the row blocks as "
                            f"{', '.join(names)}; PyTorch stores i, f, g, o (input, forget, "
                            "candidate, output) in rows [0:H], [H:2H], [2H:3H], [3H:4H].")
                    break
        variants = (({"g_act": torch.sigmoid}, "the candidate g uses tanh, not sigmoid."),
                    ({"use_i": False}, "the input gate i must scale the candidate: c_t = f * "
                     "c_{t-1} + i * g."),
                    ({"tanh_c": False}, "h_t = o * tanh(c_t): the tanh is missing."))
        for kwargs, text in variants:
            if hint is None:
                h2, c2 = _lstm_reference(x, (h, c), *weights, **kwargs)
                if _close(got_h, h2) and _close(got_c, c2):
                    hint = text
        if hint is None:
            hint = ("compare gate by gate: gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh, "
                    "then i, f, g, o = gates.chunk(4, dim=1).")
    return _failure(task, "lstm_cell differs from nn.LSTMCell with the same weights.",
                    expected="(h, c) of nn.LSTMCell",
                    found=f"h: {_max_diff(got_h, want_h)}, c: {_max_diff(got_c, want_c)}",
                    hint=hint)


def _gru_problem(gru_cell: Callable) -> Exception | None:
    task = 4
    banned = _uses_pytorch_cell(gru_cell)
    if banned:
        return _failure(task, "gru_cell must be written with tensor operations only.",
                        expected="matrix products, sigmoid, tanh, *, +",
                        found=f"{banned} in its code", hint="compute the three gates yourself.")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(5)
        cell = nn.GRUCell(3, 5)
        x, h = torch.randn(2, 3), torch.randn(2, 5)
    weights = (cell.weight_ih.detach(), cell.weight_hh.detach(), cell.bias_ih.detach(),
               cell.bias_hh.detach())
    with torch.no_grad():
        want = cell(x, h)
    got, problem = _call_cell(task, gru_cell, "gru_cell", (x, h, *weights))
    if problem is not None:
        return problem
    if not isinstance(got, torch.Tensor):
        return _failure(task, "gru_cell must return the new hidden state.", expected="one "
                        "tensor h_t, like nn.GRUCell", found=type(got).__name__,
                        hint="end with `return h_new` (a GRU has no cell state).")
    got = got.detach()
    if _close(got, want):
        return None
    hint = None
    for order in itertools.permutations(range(3)):
        if order != (0, 1, 2) and _close(got, _gru_reference(x, h, *weights, order=order)):
            names = ", ".join("rzn"[k] for k in order)
            hint = (f"gates in the wrong order: your code reads the row blocks as {names}; "
                    "PyTorch stores r, z, n (reset, update, candidate).")
    variants = (({"b_hn_inside": False}, "b_hn belongs inside the reset gate: n = tanh(W_in x + "
                 "b_in + r * (W_hn h + b_hn))."),
                ({"z_keeps_old": False}, "z keeps the OLD state in PyTorch: h_t = (1 - z) * n + "
                 "z * h_{t-1}."),
                ({"reset_before": True}, "PyTorch applies r after the matrix product: r * (W_hn "
                 "h + b_hn), not W_hn (r * h)."))
    for kwargs, text in variants:
        if hint is None and _close(got, _gru_reference(x, h, *weights, **kwargs)):
            hint = text
    if hint is None:
        hint = ("compare gate by gate: split W_ih, W_hh, b_ih, b_hh into r, z, n blocks with "
                ".chunk(3, dim=0); n needs its own h-part because r multiplies it.")
    return _failure(task, "gru_cell differs from nn.GRUCell with the same weights.",
                    expected="h of nn.GRUCell", found=_max_diff(got, want), hint=hint)


def check_task4(lstm_cell: Callable, gru_cell: Callable) -> None:
    """Task 4: ``lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh) -> (h, c)`` equals
    ``nn.LSTMCell`` and ``gru_cell(x, h, w_ih, w_hh, b_ih, b_hh) -> h`` equals ``nn.GRUCell``,
    given the same weights, for a batch of 2."""
    problem = _lstm_problem(lstm_cell)
    if problem is not None:
        raise problem
    _passed(f"lstm_cell equals nn.LSTMCell(3, 5) for a batch of 2 (h and c, tolerance "
            f"{TOLERANCE:g}), gates in PyTorch's order i, f, g, o")
    problem = _gru_problem(gru_cell)
    if problem is not None:
        raise problem
    _passed(f"gru_cell equals nn.GRUCell(3, 5) for a batch of 2 (tolerance {TOLERANCE:g}), "
            "gates in PyTorch's order r, z, n")
    print("Task 4 passed.")


# ----------------------------------------------------------------------------------------
# Task 5: the seed sweep.

def _sweep_problem(sweeps: Any, counts: Any, pair: SequencePair, *, sweep_seeds: int,
                   lr: float, spot_seeds: int) -> Exception | None:
    task = 5
    if any(isinstance(value, Mapping) and not value for value in (sweeps, counts)):
        return NotDone(task)  # the task's cell stopped before the first sweep
    for what, value in (("sweeps", sweeps), ("counts", counts)):
        if not isinstance(value, Mapping) or set(value) != set(NAMES):
            found = sorted(value) if isinstance(value, Mapping) else type(value).__name__
            return _failure(task, f"{what} must hold one entry per model.",
                            expected=f"a dict with keys {list(NAMES)}", found=str(found),
                            hint=f"{what}[name] = ... for name in {list(NAMES)}")
    last = max(BUDGETS)
    for name in NAMES:
        result = sweeps[name]
        if not isinstance(result, SweepResult):
            return _failure(task, f"sweeps[{name!r}] is not a SweepResult.",
                            expected="what sweep_batched returns", found=type(result).__name__,
                            hint=f"sweep_batched({{'cell': {name!r}}}, pair, sweep_seeds, "
                                 f"epochs={last}, lr=lr)")
        if result.seeds != list(range(sweep_seeds)):
            return _failure(task, f"the {name} sweep used other seeds.",
                            expected=f"seeds 0..{sweep_seeds - 1} (sweep_seeds={sweep_seeds})",
                            found=f"{len(result.seeds)} seeds", hint="pass the notebook's "
                            "sweep_seeds parameter as the seeds argument.")
        if result.epochs < last:
            return _failure(task, f"the {name} sweep is too short.",
                            expected=f"at least {last} epochs", found=f"{result.epochs} epochs",
                            hint=f"run ONE sweep of {last} epochs and read every budget from it "
                                 "with converged_by_budget.")
        if result.target != pair.target:
            return _failure(task, f"the {name} sweep learned another target.",
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
            return _failure(task, f"counts[{name!r}] is wrong.", expected=str(want),
                            found=repr(got), hint=hint)
        # Spot checks: a few seeds retrained one by one with the lecture's model and settings.
        for seed in sorted({0, sweep_seeds - 1})[:spot_seeds]:
            with _quiet_training():
                torch.manual_seed(seed)
                model = lecture_embedding_model(len(pair.vocab), cell=name)
                history = fit(model, pair.x.unsqueeze(0), pair.y, pair.vocab, epochs=last,
                              lr=lr, verbose=False)
            index = result.seeds.index(seed)
            theirs = torch.tensor(result.losses[index][:last])
            if not _close(theirs, torch.tensor(history.losses), 1e-3):
                return _failure(
                    task, f"seed {seed} of the {name} sweep is not the lecture's {name} model "
                    "with the lecture's settings.",
                    expected=f"final loss {history.losses[-1]:.4f} after {last} epochs",
                    found=f"{result.losses[index][last - 1]:.4f}",
                    hint=f"sweep {{'cell': {name!r}}} (Embedding({len(pair.vocab)}, 10) -> "
                         f"{name.upper()}(10, 8, num_layers=2) -> Linear(8, {len(pair.vocab)})) "
                         "with lr=lr and the default mean loss.")
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
    for name in NAMES:
        _passed(f"{name}: {sweep_seeds} seeds x {sweeps[name].epochs} epochs, converged within "
                + ", ".join(f"{b}: {counts[name][b]}" for b in BUDGETS))
    _passed("spot checks: seeds trained one by one match their sweeps")
    print("Task 5 passed.")
