"""Task 4: the LSTM and GRU cells from scratch, compared with nn.LSTMCell and nn.GRUCell;
a wrong answer is matched against the typical mistakes of ``answers`` for its hint."""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from collections.abc import Callable

import torch
from torch import nn

from course_utils.homework04 import feedback as fb
from course_utils.homework04.answers import _gru_reference, _lstm_reference


def _uses_pytorch_cell(fn: Callable) -> str | None:
    """The name of a PyTorch cell or layer that ``fn``'s code uses (comments don't count, nor
    the name it is stored under: ``lstm_cell = lambda ...`` is a student's own cell)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return None
    banned = {"LSTMCell", "GRUCell", "LSTM", "GRU", "RNNCell", "lstm_cell", "gru_cell", "_VF"}
    for node in ast.walk(tree):
        if isinstance(getattr(node, "ctx", None), ast.Store):
            continue
        name = node.id if isinstance(node, ast.Name) else (
            node.attr if isinstance(node, ast.Attribute) else None)
        if name in banned:
            return name
    return None


def _call_cell(task: int, fn: Callable, name: str, args: tuple):
    try:
        return fn(*args), None
    except NotImplementedError:  # fb.NotDone, or the stub of nbgrader's student version
        return None, fb.NotDone(task)
    except Exception as err:
        return None, fb.failure(task, f"{name} raised an error.", expected="the new state",
                              found=fb.short(err), hint=f"call {name} on small tensors in a new "
                              "cell and print the shape of every intermediate result.")


def _only_tensor_operations(fn: Callable, name: str, gates: str) -> Exception | None:
    banned = _uses_pytorch_cell(fn)
    if banned:
        return fb.failure(4, f"{name} must be written with tensor operations only.",
                        expected="matrix products, sigmoid, tanh, *, +",
                        found=f"{banned} in its code", hint=f"compute the {gates} gates yourself.")
    return None


def _seeded_cell(cell_class: type[nn.RNNCellBase], seed: int, states: int):
    """A PyTorch cell (3 -> 5), its 4 weight tensors, an input and ``states`` states of a
    batch of 2, all from ``seed``."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        cell = cell_class(3, 5)
        x, *state = torch.randn(2, 3), *(torch.randn(2, 5) for _ in range(states))
    weights = tuple(p.detach() for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih,
                                         cell.bias_hh))
    return cell, weights, x, state


def _lstm_problem(lstm_cell: Callable) -> Exception | None:
    task = 4
    problem = _only_tensor_operations(lstm_cell, "lstm_cell", "four")
    if problem is not None:
        return problem
    cell, weights, x, (h, c) = _seeded_cell(nn.LSTMCell, 4, 2)
    with torch.no_grad():
        want_h, want_c = cell(x, (h, c))
    got, problem = _call_cell(task, lstm_cell, "lstm_cell", (x, (h, c), *weights))
    if problem is not None:
        return problem
    if not (isinstance(got, tuple) and len(got) == 2
            and all(isinstance(t, torch.Tensor) for t in got)):
        return fb.failure(task, "lstm_cell must return the new (h, c).", expected="a pair of "
                        "tensors (h_t, c_t), like nn.LSTMCell", found=type(got).__name__,
                        hint="end with `return h_new, c_new`.")
    got_h, got_c = (t.detach() for t in got)
    if fb.close(got_h, want_h) and fb.close(got_c, want_c):
        return None
    if fb.close(got_h, want_c) and fb.close(got_c, want_h):
        hint = "you return (c, h): nn.LSTMCell returns (h, c), hidden state first."
    else:
        hint = None
        for order in itertools.permutations(range(4)):
            if order != (0, 1, 2, 3):
                h2, c2 = _lstm_reference(x, (h, c), *weights, order=order)
                if fb.close(got_h, h2) and fb.close(got_c, c2):
                    names = "".join("ifgo"[k] for k in order)
                    hint = (f"gates in the wrong order: your code reads the row blocks as "
                            f"{', '.join(names)}; PyTorch stores i, f, g, o (input, forget, "
                            "candidate, output) in rows [0:H], [H:2H], [2H:3H], [3H:4H].")
                    break
        variants = (("sigmoid g", "the candidate g uses tanh, not sigmoid."),
                    ("no i", "the input gate i must scale the candidate: c_t = f * "
                     "c_{t-1} + i * g."),
                    ("no tanh", "h_t = o * tanh(c_t): the tanh is missing."))
        for mistake, text in variants:
            if hint is None:
                h2, c2 = _lstm_reference(x, (h, c), *weights, mistake=mistake)
                if fb.close(got_h, h2) and fb.close(got_c, c2):
                    hint = text
        if hint is None:
            hint = ("compare gate by gate: gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh, "
                    "then i, f, g, o = gates.chunk(4, dim=1).")
    return fb.failure(task, "lstm_cell differs from nn.LSTMCell with the same weights.",
                    expected="(h, c) of nn.LSTMCell",
                    found=f"h: {fb.max_diff(got_h, want_h)}, c: {fb.max_diff(got_c, want_c)}",
                    hint=hint)


def _gru_problem(gru_cell: Callable) -> Exception | None:
    task = 4
    problem = _only_tensor_operations(gru_cell, "gru_cell", "three")
    if problem is not None:
        return problem
    cell, weights, x, (h,) = _seeded_cell(nn.GRUCell, 5, 1)
    with torch.no_grad():
        want = cell(x, h)
    got, problem = _call_cell(task, gru_cell, "gru_cell", (x, h, *weights))
    if problem is not None:
        return problem
    if not isinstance(got, torch.Tensor):
        return fb.failure(task, "gru_cell must return the new hidden state.", expected="one "
                        "tensor h_t, like nn.GRUCell", found=type(got).__name__,
                        hint="end with `return h_new` (a GRU has no cell state).")
    got = got.detach()
    if fb.close(got, want):
        return None
    hint = None
    for order in itertools.permutations(range(3)):
        if order != (0, 1, 2) and fb.close(got, _gru_reference(x, h, *weights, order=order)):
            names = ", ".join("rzn"[k] for k in order)
            hint = (f"gates in the wrong order: your code reads the row blocks as {names}; "
                    "PyTorch stores r, z, n (reset, update, candidate).")
    variants = (("b_hn outside", "b_hn belongs inside the reset gate: n = tanh(W_in x + "
                 "b_in + r * (W_hn h + b_hn))."),
                ("z swapped", "z keeps the OLD state in PyTorch: h_t = (1 - z) * n + "
                 "z * h_{t-1}."),
                ("reset before", "PyTorch applies r after the matrix product: r * (W_hn "
                 "h + b_hn), not W_hn (r * h)."))
    for mistake, text in variants:
        if hint is None and fb.close(got, _gru_reference(x, h, *weights, mistake=mistake)):
            hint = text
    if hint is None:
        hint = ("compare gate by gate: split W_ih, W_hh, b_ih, b_hh into r, z, n blocks with "
                ".chunk(3, dim=0); n needs its own h-part because r multiplies it.")
    return fb.failure(task, "gru_cell differs from nn.GRUCell with the same weights.",
                    expected="h of nn.GRUCell", found=fb.max_diff(got, want), hint=hint)


def check_task4(lstm_cell: Callable, gru_cell: Callable) -> None:
    """Task 4: ``lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh) -> (h, c)`` equals
    ``nn.LSTMCell`` and ``gru_cell(x, h, w_ih, w_hh, b_ih, b_hh) -> h`` equals ``nn.GRUCell``,
    given the same weights, for a batch of 2."""
    problem = _lstm_problem(lstm_cell)
    if problem is not None:
        raise problem
    fb.passed(f"lstm_cell equals nn.LSTMCell(3, 5) for a batch of 2 (h and c, tolerance "
            f"{fb.TOLERANCE:g}), gates in PyTorch's order i, f, g, o")
    problem = _gru_problem(gru_cell)
    if problem is not None:
        raise problem
    fb.passed(f"gru_cell equals nn.GRUCell(3, 5) for a batch of 2 (tolerance {fb.TOLERANCE:g}), "
            "gates in PyTorch's order r, z, n")
    print("Task 4 passed.")
