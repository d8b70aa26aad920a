"""Validation of a notebook's parameters, in one place, before any work is done.

Each notebook calls ``check_parameters(...)`` right after its parameters cell, so that a typo
(``epochs=0``, ``device="gpu"``, ``lr="0.1"``) stops with a message that names the parameter,
the value and what is allowed, instead of a traceback from deep inside torch.
"""

from __future__ import annotations

import ast
import difflib
import sys
from collections.abc import Sequence
from typing import Any

from course_utils.text import check_pair

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def _fail(name: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"parameter {name}={value!r} is not allowed: {name} must be {allowed}.")


def is_int(value: Any, low: int | None = None, high: int | None = None) -> bool:
    """Whether ``value`` is an int (not a bool) in ``low..high`` (a missing bound: no limit).
    The one such test of the course: helpers assert with it, notebooks' parameters are
    checked by ``check_parameters``."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or a float (not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


# name -> (test, what is allowed)
_RULES: dict[str, tuple[Any, str]] = {
    "seed": (lambda v: is_int(v, low=0), "an integer >= 0, e.g. seed=0"),
    "epochs": (lambda v: is_int(v, low=1), "an integer >= 1, e.g. epochs=15"),
    "lr": (lambda v: is_number(v) and v > 0, "a number > 0, e.g. lr=0.1"),
    "hidden_size": (lambda v: is_int(v, low=1), "an integer >= 1, e.g. hidden_size=8"),
    "embedding_size": (lambda v: is_int(v, low=1), "an integer >= 1, e.g. embedding_size=16"),
    "max_number": (lambda v: is_int(v, low=20, high=99_999),
                   "an integer from 20 to 99999, e.g. max_number=999 (the numbers 0..max_number "
                   "are written in every language)"),
    "sweep_seeds": (lambda v: is_int(v, low=1), "an integer >= 1, e.g. sweep_seeds=100"),
    "temperature": (lambda v: is_number(v) and v > 0, "a number > 0, e.g. temperature=0.8"),
    "device": (lambda v: v in DEVICE_CHOICES, f"one of {list(DEVICE_CHOICES)}"),
}


# Lesson 07's list of languages, checked by course_utils.languages (it needs num2words).
_CHECKED_ELSEWHERE = ("languages",)


def _require_two_characters(source: str, target: str) -> None:
    chars = sorted(set(source + target))
    if len(chars) < 2:
        raise ValueError(
            f"source {source!r} and target {target!r} use only one character ({chars[0]!r}): "
            "the models of these lessons choose one character per step, and with a single "
            "character every prediction is right and the loss is 0 before any training. Use at "
            'least two different characters, e.g. source="abab", target="baba".'
        )


def _assigned_names(source: str) -> list[str] | None:
    """The names a cell assigns, if the cell does nothing but assign names (a parameters cell,
    or the cell papermill injects after it); None for any other cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets
                       for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            return None
        if not all(isinstance(t, ast.Name) for t in targets):
            return None
        names += [t.id for t in targets]
    return names if names else None


def parameters_set_before(history: Sequence[str]) -> list[str]:
    """The names set by the cells run just before the last one of ``history`` (IPython's
    ``In``: the sources of the cells in the order they ran, the current cell last), as long as
    those cells do nothing but assign names: the parameters cell, and papermill's injected
    parameters after it."""
    names: list[str] = []
    for source in reversed(history[:-1]):
        assigned = _assigned_names(source) if isinstance(source, str) else None
        if assigned is None:
            break
        names += [n for n in assigned if n not in names]
    return names


def check_no_unknown_names(assigned: Sequence[str], known: Sequence[str]) -> None:
    """Raise ``ValueError`` when ``assigned`` (the names the parameters cells set) holds a name
    that is not one of the notebook's parameters ``known``: a misspelt parameter (``hiden_size
    = 16``, typed or given to papermill) would otherwise run the notebook with the default."""
    unknown = [name for name in assigned if name not in known]
    if not unknown:
        return
    lines = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        guess = f": did you mean {close[0]}?" if close else "."
        lines.append(f"{name} is not a parameter of this notebook, so setting it changes "
                     f"nothing{guess}")
    raise ValueError(
        " ".join(lines) + f" This notebook's parameters are: {', '.join(sorted(known))}. "
        "Correct the name in the parameters cell (or in papermill's -p), or remove it."
    )


def check_parameters(**parameters: Any) -> None:
    """Check the notebook parameters given by name; raise ``ValueError`` on the first bad one.

    Known names: ``source`` and ``target`` (non-empty texts of equal length that use at least
    two different characters between them: with one character there is nothing to learn), ``seed``,
    ``epochs``, ``lr``, ``hidden_size``, ``embedding_size``, ``sweep_seeds``, ``temperature``,
    ``device``, and lesson 07's ``max_number`` and ``languages`` (``course_utils.languages``).
    An unknown name is an error too, so that a misspelt parameter is never silently ignored.
    Called from a notebook's cell in IPython, it also reads the cells that ran just before it
    (the parameters cell, and the one papermill injects): a name set there that is not one of
    the parameters passed here is an error (``check_no_unknown_names``).
    """
    known = [*_RULES, "source", "target", *_CHECKED_ELSEWHERE]
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; known: {sorted(known)}.")
    history = sys._getframe(1).f_globals.get("In")  # IPython's input history, in a notebook
    if isinstance(history, list):
        check_no_unknown_names(parameters_set_before(history), list(parameters))
    if "source" in parameters or "target" in parameters:
        try:
            check_pair(parameters.get("source"), parameters.get("target"))
        except TypeError as err:
            raise ValueError(str(err)) from None
        _require_two_characters(parameters["source"], parameters["target"])
    for name, value in parameters.items():
        if name in _RULES:
            test, allowed = _RULES[name]
            if not test(value):
                raise _fail(name, value, allowed)
    if "languages" in parameters:
        # Imported here: course_utils.languages needs num2words, which only lesson 07 uses.
        from course_utils.languages import check_languages

        check_languages(parameters["languages"])
