"""The feedback of the homework's checks: pass lines, failures with a hint, unfinished tasks.

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
    ``NotImplementedError()``. The message fits both stubs."""

    def __init__(self, task: int) -> None:
        assert is_int(task, low=1), f"task must be the task's number (an int >= 1), got {task!r}."
        self.task = task
        super().__init__(
            f"Task {task} is not done yet: a cell of task {task} still raises where your code "
            "goes. Replace that `raise ...` line with your code, run the task's cells, then run "
            "this check again."
        )


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
    return f"{type(err).__name__}: {text[:limit]}{'...' if len(text) > limit else ''}"


def close(a: torch.Tensor, b: torch.Tensor, tol: float = TOLERANCE) -> bool:
    return a.shape == b.shape and bool(torch.allclose(a, b, atol=tol, rtol=tol))


def max_diff(a: torch.Tensor, b: torch.Tensor) -> str:
    if a.shape != b.shape:
        return f"shape {tuple(a.shape)} instead of {tuple(b.shape)}"
    return f"max difference {(a - b).abs().max().item():.2e}"
