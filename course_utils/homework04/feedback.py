"""The feedback of the homework's checks: pass lines, failures with a hint, unfinished tasks.

Each check prints one ``[PASS] ...`` line per thing it verified. On a wrong answer it raises
``CheckFailed`` with a short message: what was expected, what was found, and a hint. On an
unfinished task it raises ``NotDone``: "Task N is not done yet" and what to do. A task is
unfinished when the student's code still raises ``NotDone`` (the course's stub) or
``NotImplementedError`` (nbgrader's stub), or when a dict that a task's cell fills is still
empty: that cell stopped before filling it, at its stub or at an error in the student's code.
``unfinished`` tells the two apart by the last error that the notebook showed (IPython keeps it
in ``sys.last_value``), and says which. Both are raised at the top level of the check function,
never from inside PyTorch or a helper, so the traceback a student sees is their cell and the
check, nothing more.

The checks never change the notebook's random state: they train and build models inside
``torch.random.fork_rng``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import torch

from course_utils.params import is_int
from course_utils.repro import cpu_threads

NAMES = ("rnn", "lstm", "gru")
TOLERANCE = 1e-5


class CheckFailed(AssertionError):
    """A homework answer is wrong; the message says what was expected, what was found and a
    hint."""


class NotDone(NotImplementedError):
    """Raised by the stub of an unfinished task: ``raise NotDone(2)`` in the course's student
    version; the checks raise it too where nbgrader's student version raises
    ``NotImplementedError()``. The message fits both stubs. A check gives ``reason`` where the
    stub is not what stopped the task (see ``unfinished``)."""

    def __init__(self, task: int, reason: str | None = None) -> None:
        assert is_int(task, low=1), f"task must be the task's number (an int >= 1), got {task!r}."
        self.task, self.reason = task, reason
        # The error that stopped the task's cell, as a check found it (see ``unfinished``).
        self.task_error: BaseException | None = None
        super().__init__(f"Task {task} is not done yet: " + (reason or (
            f"a cell of task {task} still raises where your code goes. Replace that `raise ...` "
            "line with your code, run the task's cells, then run this check again.")))


def last_error() -> BaseException | None:
    """The last error that the notebook showed: IPython (and Python's own prompt) keep it in
    ``sys.last_exc`` (Python 3.12+) and ``sys.last_value``. When it is a ``NotDone`` that a
    check raised about an empty dict, the error that check found instead: running a check
    twice gives the same answer."""
    err = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
    if isinstance(err, NotDone) and err.task_error is not None:
        return err.task_error
    return err if isinstance(err, BaseException) else None


def unfinished(task: int, name: str) -> NotDone:
    """``NotDone`` for a task whose dict ``name`` is still empty: its cell stopped before filling
    it. At the task's stub when the last error shown is that stub (``NotDone(task)``, or
    nbgrader's ``NotImplementedError``); at an error in the student's code when it is any other
    error that no check raised; with neither known (another task's stub or check was the last
    error, or none was shown), the message names both."""
    err = last_error()
    if isinstance(err, NotDone):  # a stub's has no reason; a check's own "still empty" has one
        stub = err.task == task and err.reason is None
    else:
        stub = isinstance(err, NotImplementedError)
    if stub:
        problem = NotDone(task)
    elif err is not None and not isinstance(err, NotDone | CheckFailed):
        problem = NotDone(task, (
            f"the task {task} cell that fills `{name}` stopped before filling it: fix the error "
            "it shows, run it again, then run this check again (the last error in this "
            f"notebook: {short(err, 100)})."))
    else:
        err = None
        problem = NotDone(task, (
            f"`{name}` is still empty: run the task {task} cell that fills it. If it stops at "
            "its `raise ...` line, replace that line with your code; if it stops with an error, "
            "fix the error; then run this check again."))
    problem.task_error = err
    return problem


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and ``noun``, plural (``plural``, else ``noun`` + "s") unless the count is 1:
    "1 epoch", "15 epochs", "1 loss", "2 losses"."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


@contextmanager
def quiet_training() -> Iterator[None]:
    """Train inside: the notebook's random state is left as it was, and one CPU thread is used
    (these models are tiny; extra threads only slow them down on a busy machine)."""
    with cpu_threads(1), torch.random.fork_rng(devices=[]):
        yield


def failure(task: int, what: str, *, expected: str, found: str, hint: str) -> CheckFailed:
    return CheckFailed(
        f"Task {task}: {what}\n  expected: {expected}\n  found:    {found}\n  hint:     {hint}"
    )


def passed(text: str) -> None:
    print(f"[PASS] {text}")


def short(err: BaseException, limit: int = 160) -> str:
    text = " ".join(str(err).split())
    if not text:  # e.g. KeyboardInterrupt, NotImplementedError()
        return type(err).__name__
    return f"{type(err).__name__}: {text[:limit]}{'...' if len(text) > limit else ''}"


def close(a: torch.Tensor, b: torch.Tensor, tol: float = TOLERANCE) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a, b, atol=tol, rtol=tol))


def max_diff(a: torch.Tensor, b: torch.Tensor) -> str:
    if a.shape != b.shape:
        return f"shape {tuple(a.shape)} instead of {tuple(b.shape)}"
    return f"max difference {(a - b).abs().max().item():.2e}"
